// Group management by clients (V2TIM's names): createGroup, joinGroup, quitGroup, inviteUserToGroup,
// kickGroupMember, getGroupsInfo, setGroupInfo, getGroupMemberList, muteGroupMember. Each applies Tencent IM's
// rules for owner, admins and members per group type (docs/internals/tencent-im.md#group-permissions) and
// announces its change with a group tip (messaging/group-tips.ts). The SDK manages Work (Private), Public and
// Meeting (ChatRoom) groups; AVChatRoom and Community groups are refused.
import type { GroupEventCallback } from '../apps/settings.js';
import { V4Error } from '../http/v4/command.js';
import { modifyGroupProfile } from '../http/v4/group-admin.js';
import {
  type GroupTip,
  GroupTipType,
  sendGroupTip,
  sendJoinApplicationNotice,
  type TipTarget,
} from '../messaging/group-tips.js';
import {
  type CustomData,
  customDataOf,
  type Group,
  type GroupMember,
  type GroupProfilePatch,
  MAX_GROUP_MEMBERS,
  type MemberRole,
  mutableGroupType,
} from '../messaging/groups.js';
import { optPlatform } from '../webhooks/sign.js';
import type { GatewayContext } from './context.js';
import type { groupRequestSchemas } from './group-protocol.js';
import { GatewayError, GatewayErrorCode, type OpData } from './protocol.js';

/** Tencent's group codes (the REST API's too). */
const Code = {
  NoPermission: 10007,
  OwnerCannotQuit: 10009,
  NotFound: 10010,
  AlreadyMember: 10013,
  GroupFull: 10014,
  AccountNotFound: 10019,
  GroupIdTaken: 10021,
  /** No such join request pending (Pushline's choice: Tencent documents no code for it). */
  NoRequest: 10004,
} as const;

/** V2TIMGroupMemberRole. */
const ROLE_NUMBER: Record<MemberRole, number> = { Member: 200, Admin: 300, Owner: 400 };
/** V2TIMGroupAddOpt: 0 forbid, 1 needs approval, 2 anyone. */
const ADD_OPT = { DisableApply: 0, NeedPermission: 1, FreeAccess: 2 } as const;
/** The ApplyJoinOption of each V2TIMGroupAddOpt. */
const APPLY_JOIN_OPTION_OF = { 0: 'DisableApply', 1: 'NeedPermission', 2: 'FreeAccess' } as const;
/** V2TIMGroupMemberOperationResult. */
const OperationResult = { Fail: 0, Success: 1, Invalid: 2 } as const;

type GroupOp = keyof typeof groupRequestSchemas;
interface OpSession {
  sdkAppId: number;
  userId: string;
  instanceId: string;
  platform: string;
  clientIp: string;
}
type GroupHandler<O extends GroupOp> = (
  ctx: GatewayContext,
  s: OpSession,
  data: OpData<O>,
) => Promise<Record<string, unknown>>;

const isWork = (g: Group) => g.type === 'Work' || g.type === 'Private';
const isManager = (m: GroupMember) => m.role === 'Owner' || m.role === 'Admin';

function refuseType(type: string): void {
  if (type === 'AVChatRoom' || type === 'Community')
    throw new GatewayError(
      GatewayErrorCode.InvalidParameters,
      `groupType: the SDK manages Work, Public and Meeting groups; ${type} groups only over the REST API`,
    );
}

async function requireGroup(ctx: GatewayContext, s: OpSession, groupID: string): Promise<Group> {
  const group = await ctx.groups.get(s.sdkAppId, groupID);
  if (!group) throw new GatewayError(Code.NotFound, `group "${groupID}" does not exist`);
  refuseType(group.type);
  return group;
}

function tipTarget(s: OpSession, group: Group): TipTarget {
  return {
    sdkAppId: s.sdkAppId,
    groupId: group.groupId,
    groupType: group.type,
    source: 'sdk',
    senderInstanceId: s.instanceId,
  };
}

/** The owner and admins of a group (who answer join requests). */
async function managersOf(ctx: GatewayContext, s: OpSession, groupID: string): Promise<string[]> {
  const page = await ctx.groups.members(s.sdkAppId, groupID, { roles: ['Owner', 'Admin'] });
  return page.map((m) => m.userId);
}

async function requireManager(ctx: GatewayContext, s: OpSession, group: Group): Promise<void> {
  const me = await memberOf(ctx, s, group.groupId, s.userId);
  if (!me || !isManager(me))
    throw new GatewayError(Code.NoPermission, 'only the owner and admins answer join requests');
}

async function memberOf(ctx: GatewayContext, s: OpSession, groupID: string, userId: string) {
  const [m] = await ctx.groups.members(s.sdkAppId, groupID, { userIds: [userId] });
  return m;
}

async function requireSelf(ctx: GatewayContext, s: OpSession, group: Group): Promise<GroupMember> {
  const me = await memberOf(ctx, s, group.groupId, s.userId);
  if (!me) throw new GatewayError(Code.NoPermission, `you are not a member of group "${group.groupId}"`);
  return me;
}

function tip(
  ctx: GatewayContext,
  s: OpSession,
  group: Group,
  t: Omit<GroupTip, 'opMember'>,
  gone?: string[],
) {
  return sendGroupTip(
    ctx.messaging,
    ctx.log,
    {
      sdkAppId: s.sdkAppId,
      groupId: group.groupId,
      groupType: group.type,
      source: 'sdk',
      senderInstanceId: s.instanceId,
      ...(gone ? { formerMembers: gone } : {}),
    },
    { ...t, opMember: s.userId },
  );
}

/** A group lifecycle callback caused by a client; a failure to queue it is only logged. */
async function notify(
  ctx: GatewayContext,
  s: OpSession,
  command: GroupEventCallback,
  body: Record<string, unknown>,
): Promise<void> {
  try {
    await ctx.messaging.callbacks?.groupEvent(s.sdkAppId, command, body, {
      ClientIP: s.clientIp,
      OptPlatform: optPlatform(s.platform),
    });
  } catch (err) {
    ctx.log.error({ err, command }, 'group callback could not be queued');
  }
}
const memberList = (ids: string[]) => ids.map((Member_Account) => ({ Member_Account }));

function customData(info: Record<string, string>, kind: 'group' | 'member'): CustomData {
  const data = customDataOf(
    Object.entries(info).map(([Key, Value]) => ({ Key, Value })),
    kind,
  );
  if (typeof data === 'string')
    throw new GatewayError(GatewayErrorCode.InvalidParameters, `customInfo: ${data}`);
  return data;
}

/** V2TIMGroupInfo as the SDK shows it; `me` adds the caller's role and join time. */
function groupInfo(g: Group, memberCount: number, me: GroupMember | undefined): Record<string, unknown> {
  return {
    groupID: g.groupId,
    groupType: g.type,
    groupName: g.name,
    introduction: g.introduction,
    notification: g.notification,
    faceURL: g.faceUrl,
    owner: g.owner ?? '',
    createTime: Math.floor(g.createdAt / 1000),
    lastInfoTime: g.lastInfoTime || Math.floor(g.createdAt / 1000),
    memberCount,
    memberMaxCount: g.maxMemberNum,
    groupAddOpt: ADD_OPT[g.applyJoinOption],
    allMuted: g.shutUpAll,
    customInfo: g.appDefinedData,
    role: me ? ROLE_NUMBER[me.role] : 0,
    joinTime: me?.joinTime ?? 0,
  };
}

function memberInfo(m: GroupMember, nowSeconds: number): Record<string, unknown> {
  return {
    userID: m.userId,
    nameCard: m.nameCard,
    role: ROLE_NUMBER[m.role],
    joinTime: m.joinTime,
    muteUntil: m.shutUpUntil > nowSeconds ? m.shutUpUntil : 0,
    customInfo: m.appMemberDefinedData,
  };
}

/** Adds members (already checked allowed), answering V2TIM's per-user results; 10014 over the limit. */
async function addMembers(ctx: GatewayContext, s: OpSession, group: Group, ids: string[]) {
  const unique = [...new Set(ids)];
  const found = await ctx.accounts.existing(s.sdkAppId, unique);
  const already = new Set(
    (await ctx.groups.members(s.sdkAppId, group.groupId, { userIds: unique })).map((m) => m.userId),
  );
  const fresh = unique.filter((id) => found.has(id) && !already.has(id));
  const count = await ctx.groups.memberCount(s.sdkAppId, group.groupId);
  if (count + fresh.length > group.maxMemberNum)
    throw new GatewayError(Code.GroupFull, `the group holds at most ${group.maxMemberNum} members`);
  const { added } = await ctx.groups.addMembers(s.sdkAppId, group.groupId, fresh);
  const addedSet = new Set(added);
  return {
    added,
    results: unique.map((userID) => ({
      userID,
      result: addedSet.has(userID)
        ? OperationResult.Success
        : already.has(userID)
          ? OperationResult.Invalid
          : OperationResult.Fail,
    })),
  };
}

export const groupOps: { [O in GroupOp]: GroupHandler<O> } = {
  async createGroup(ctx, s, d) {
    refuseType(d.groupType);
    if (d.groupID?.startsWith('@TGS#'))
      throw new GatewayError(10015, 'a custom groupID must not start with @TGS#');
    const members = (d.memberList ?? []).filter((m) => m.userID !== s.userId);
    if (members.length + 1 > MAX_GROUP_MEMBERS)
      throw new GatewayError(Code.GroupFull, `a group holds at most ${MAX_GROUP_MEMBERS} members`);
    const ids = members.map((m) => m.userID);
    const found = await ctx.accounts.existing(s.sdkAppId, ids);
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0)
      throw new GatewayError(Code.AccountNotFound, `accounts do not exist: ${missing.join(', ')}`);
    const appDefinedData = d.customInfo ? customData(d.customInfo, 'group') : {};
    const id = await ctx.groups.create(s.sdkAppId, {
      groupId: d.groupID,
      type: d.groupType,
      name: d.groupName,
      owner: s.userId,
      members: members.map((m) => ({ userId: m.userID, role: m.role === 300 ? 'Admin' : 'Member' })),
      profile: {
        introduction: d.introduction ?? '',
        notification: d.notification ?? '',
        faceUrl: d.faceURL ?? '',
        appDefinedData,
      },
    });
    if (!id) throw new GatewayError(Code.GroupIdTaken, `groupID "${d.groupID}" is already in use`);
    await notify(ctx, s, 'Group.CallbackAfterCreateGroup', {
      GroupId: id,
      Operator_Account: s.userId,
      Owner_Account: s.userId,
      Type: d.groupType,
      Name: d.groupName,
      MemberList: memberList(ids),
      UserDefinedDataList: Object.entries(appDefinedData).map(([Key, Value]) => ({ Key, Value })),
    });
    return { groupID: id };
  },

  async joinGroup(ctx, s, { groupID, message }) {
    const group = await requireGroup(ctx, s, groupID);
    if (await memberOf(ctx, s, groupID, s.userId))
      throw new GatewayError(Code.AlreadyMember, `you are already a member of group "${groupID}"`);
    if (isWork(group))
      throw new GatewayError(Code.NoPermission, 'a Work group is joined only when a member invites you');
    if (group.applyJoinOption === 'DisableApply')
      throw new GatewayError(
        Code.NoPermission,
        `group "${groupID}" does not take join requests (DisableApply)`,
      );
    if (group.applyJoinOption === 'NeedPermission') {
      // A request: kept until an owner or admin answers it; they are told now.
      await ctx.groupJoinRequests.put(s.sdkAppId, groupID, s.userId, message ?? '');
      await sendJoinApplicationNotice(
        ctx.messaging,
        { ...tipTarget(s, group), receivers: await managersOf(ctx, s, groupID) },
        s.userId,
        { type: 'JoinApplication', applicant: s.userId, opReason: message ?? '' },
      ).catch((err) => ctx.log.error({ err, groupId: groupID }, 'join request notice could not be sent'));
      return { pending: true };
    }
    if (message)
      throw new GatewayError(
        GatewayErrorCode.InvalidParameters,
        `message: group "${groupID}" lets anyone join (FreeAccess), so no admin reads a request message; send "" or leave it out`,
      );
    if ((await ctx.groups.memberCount(s.sdkAppId, groupID)) >= group.maxMemberNum)
      throw new GatewayError(Code.GroupFull, `the group holds at most ${group.maxMemberNum} members`);
    await ctx.groups.addMembers(s.sdkAppId, groupID, [s.userId]);
    await tip(ctx, s, group, { type: GroupTipType.Join, memberList: [s.userId] });
    await notify(ctx, s, 'Group.CallbackAfterNewMemberJoin', {
      GroupId: groupID,
      Type: group.type,
      JoinType: 'Apply',
      Operator_Account: s.userId,
      NewMemberList: memberList([s.userId]),
    });
    return {};
  },

  async getGroupApplicationList(ctx, s) {
    const { groups } = await ctx.groups.joinedGroups(s.sdkAppId, s.userId, {
      offset: 0,
      withHuge: false,
      withInactive: true,
    });
    const managed = groups.filter((g) => isManager(g.member)).map((g) => g.group.groupId);
    const requests = await ctx.groupJoinRequests.list(s.sdkAppId, managed, s.userId);
    return {
      applications: requests.map((r) => ({
        groupID: r.groupId,
        fromUser: r.userId,
        requestMsg: r.message,
        addTime: r.addTime,
        /** V2TIMGroupApplicationType 0: a request to join. */
        applicationType: 0,
      })),
    };
  },

  async acceptGroupApplication(ctx, s, { groupID, userID, reason }) {
    const group = await requireGroup(ctx, s, groupID);
    await requireManager(ctx, s, group);
    if ((await ctx.groups.memberCount(s.sdkAppId, groupID)) >= group.maxMemberNum)
      throw new GatewayError(Code.GroupFull, `the group holds at most ${group.maxMemberNum} members`);
    const request = await ctx.groupJoinRequests.take(s.sdkAppId, groupID, userID);
    if (!request)
      throw new GatewayError(Code.NoRequest, `no request of "${userID}" to join "${groupID}" is pending`);
    const { added } = await ctx.groups.addMembers(s.sdkAppId, groupID, [userID]);
    // Added meanwhile by other means (add_group_member): the request was answered already.
    if (added.length === 0)
      throw new GatewayError(Code.AlreadyMember, `"${userID}" is already a member of group "${groupID}"`);
    // The new member and everyone else see it join; the applicant is told its request was accepted.
    await sendGroupTip(ctx.messaging, ctx.log, tipTarget(s, group), {
      type: GroupTipType.Join,
      memberList: [userID],
      opMember: s.userId,
    });
    await sendJoinApplicationNotice(
      ctx.messaging,
      { ...tipTarget(s, group), receivers: [userID] },
      s.userId,
      {
        type: 'ApplicationProcessed',
        isAgreeJoin: true,
        opReason: reason ?? '',
      },
    ).catch((err) => ctx.log.error({ err, groupId: groupID }, 'join answer could not be sent'));
    await notify(ctx, s, 'Group.CallbackAfterNewMemberJoin', {
      GroupId: groupID,
      Type: group.type,
      JoinType: 'Apply',
      Operator_Account: s.userId,
      NewMemberList: memberList([userID]),
    });
    return {};
  },

  async refuseGroupApplication(ctx, s, { groupID, userID, reason }) {
    const group = await requireGroup(ctx, s, groupID);
    await requireManager(ctx, s, group);
    const request = await ctx.groupJoinRequests.take(s.sdkAppId, groupID, userID);
    if (!request)
      throw new GatewayError(Code.NoRequest, `no request of "${userID}" to join "${groupID}" is pending`);
    // The applicant is not a member, so no group notice reaches it: a live event to its online devices
    // (V2TIM's onApplicationProcessed with isAgreeJoin false; offline, getGroupApplicationList no longer lists it).
    ctx.router.sendEvent(s.sdkAppId, userID, {
      type: 'event',
      event: 'groupApplicationProcessed',
      data: { groupID, opUser: s.userId, isAgreeJoin: false, opReason: reason ?? '' },
    });
    return {};
  },

  async quitGroup(ctx, s, { groupID }) {
    const group = await requireGroup(ctx, s, groupID);
    const me = await requireSelf(ctx, s, group);
    if (me.role === 'Owner' && !isWork(group))
      throw new GatewayError(
        Code.OwnerCannotQuit,
        `the owner cannot leave a ${group.type} group: transfer the ownership or dismiss the group`,
      );
    await ctx.groups.removeMembers(s.sdkAppId, groupID, [s.userId]);
    await tip(ctx, s, group, { type: GroupTipType.Quit, memberList: [s.userId] }, [s.userId]);
    await notify(ctx, s, 'Group.CallbackAfterMemberExit', {
      GroupId: groupID,
      Type: group.type,
      ExitType: 'Quit',
      Operator_Account: s.userId,
      ExitMemberList: memberList([s.userId]),
    });
    return {};
  },

  async inviteUserToGroup(ctx, s, { groupID, userList }) {
    const group = await requireGroup(ctx, s, groupID);
    await requireSelf(ctx, s, group);
    if (!isWork(group))
      throw new GatewayError(
        Code.NoPermission,
        `members of a ${group.type} group cannot invite: the administrator adds members (add_group_member)`,
      );
    const { added, results } = await addMembers(ctx, s, group, userList);
    if (added.length > 0) {
      await tip(ctx, s, group, { type: GroupTipType.Invite, memberList: added });
      await notify(ctx, s, 'Group.CallbackAfterNewMemberJoin', {
        GroupId: groupID,
        Type: group.type,
        JoinType: 'Invited',
        Operator_Account: s.userId,
        NewMemberList: memberList(added),
      });
    }
    return { results };
  },

  async kickGroupMember(ctx, s, { groupID, memberList: ids, reason }) {
    const group = await requireGroup(ctx, s, groupID);
    const me = await requireSelf(ctx, s, group);
    const unique = [...new Set(ids)];
    const targets = await ctx.groups.members(s.sdkAppId, groupID, { userIds: unique });
    if (isWork(group) && me.role !== 'Owner')
      throw new GatewayError(Code.NoPermission, 'only the owner removes members of a Work group');
    if (!isManager(me)) throw new GatewayError(Code.NoPermission, 'only the owner and admins remove members');
    for (const t of targets) {
      if (t.userId === s.userId)
        throw new GatewayError(Code.NoPermission, 'you cannot remove yourself: use quitGroup');
      if (t.role === 'Owner') throw new GatewayError(Code.NoPermission, 'the owner cannot be removed');
      if (t.role === 'Admin' && me.role !== 'Owner')
        throw new GatewayError(Code.NoPermission, `only the owner removes an admin ("${t.userId}")`);
    }
    const gone = targets.map((t) => t.userId);
    if (gone.length > 0) {
      await ctx.groups.removeMembers(s.sdkAppId, groupID, gone);
      await tip(
        ctx,
        s,
        group,
        { type: GroupTipType.Kicked, memberList: gone, ...(reason ? { reason } : {}) },
        gone,
      );
      await notify(ctx, s, 'Group.CallbackAfterMemberExit', {
        GroupId: groupID,
        Type: group.type,
        ExitType: 'Kicked',
        Operator_Account: s.userId,
        ExitMemberList: memberList(gone),
      });
    }
    const goneSet = new Set(gone);
    return {
      results: unique.map((userID) => ({
        userID,
        result: goneSet.has(userID) ? OperationResult.Success : OperationResult.Invalid,
      })),
    };
  },

  async getGroupsInfo(ctx, s, { groupIDList }) {
    const found = await ctx.groups.getMany(s.sdkAppId, groupIDList);
    const results = [];
    for (const groupID of groupIDList) {
      const g = found.get(groupID);
      if (!g) {
        results.push({
          groupID,
          resultCode: Code.NotFound,
          resultMessage: `group "${groupID}" does not exist`,
        });
        continue;
      }
      const me = await memberOf(ctx, s, groupID, s.userId);
      if (!me && (isWork(g) || g.type === 'Community' || g.type === 'AVChatRoom')) {
        results.push({
          groupID,
          resultCode: Code.NoPermission,
          resultMessage: `only members see the profile of a ${g.type} group`,
        });
        continue;
      }
      const count = await ctx.groups.memberCount(s.sdkAppId, groupID);
      results.push({ groupID, resultCode: 0, resultMessage: '', info: groupInfo(g, count, me) });
    }
    return { results };
  },

  async setGroupInfo(ctx, s, d) {
    const group = await requireGroup(ctx, s, d.groupID);
    const me = await requireSelf(ctx, s, group);
    // Work groups: every member changes the profile; Public and Meeting: the owner and admins. Muting
    // everyone and the join option: the owner and admins in every group.
    if (!isWork(group) && !isManager(me))
      throw new GatewayError(Code.NoPermission, `only the owner and admins change a ${group.type} group`);
    if ((d.allMuted !== undefined || d.groupAddOpt !== undefined) && !isManager(me))
      throw new GatewayError(Code.NoPermission, 'only the owner and admins mute everyone or set groupAddOpt');
    if ((d.groupAddOpt === 1 || d.groupAddOpt === 2) && isWork(group))
      throw new GatewayError(Code.NoPermission, 'a Work group is joined only by invitation');
    const patch: GroupProfilePatch = {
      name: d.groupName,
      introduction: d.introduction,
      notification: d.notification,
      faceUrl: d.faceURL,
      shutUpAll: d.allMuted,
      applyJoinOption: d.groupAddOpt === undefined ? undefined : APPLY_JOIN_OPTION_OF[d.groupAddOpt],
      appDefinedData: d.customInfo ? customData(d.customInfo, 'group') : undefined,
    };
    let r: Awaited<ReturnType<typeof modifyGroupProfile>>;
    try {
      r = await modifyGroupProfile(ctx.groups, s.sdkAppId, d.groupID, patch);
    } catch (err) {
      if (err instanceof V4Error) throw new GatewayError(err.code, err.message);
      throw err;
    }
    if (r.changes.length > 0)
      await tip(ctx, s, r.after, { type: GroupTipType.GroupInfoChange, groupChangeInfoList: r.changes });
    return {};
  },

  async getGroupMemberList(ctx, s, { groupID, filter, nextSeq, count }) {
    const group = await requireGroup(ctx, s, groupID);
    await requireSelf(ctx, s, group);
    const roles: MemberRole[] | undefined =
      filter === 1 ? ['Owner'] : filter === 2 ? ['Admin'] : filter === 4 ? ['Member'] : undefined;
    const page = await ctx.groups.members(s.sdkAppId, groupID, {
      limit: count + 1,
      offset: nextSeq,
      ...(roles ? { roles } : {}),
    });
    const now = Math.floor(ctx.now() / 1000);
    return {
      nextSeq: page.length > count ? nextSeq + count : 0,
      memberInfoList: page.slice(0, count).map((m) => memberInfo(m, now)),
    };
  },

  async muteGroupMember(ctx, s, { groupID, userID, seconds }) {
    const group = await requireGroup(ctx, s, groupID);
    const me = await requireSelf(ctx, s, group);
    if (!mutableGroupType(group.type))
      throw new GatewayError(Code.NoPermission, `members of a ${group.type} group cannot be muted`);
    if (!isManager(me)) throw new GatewayError(Code.NoPermission, 'only the owner and admins mute members');
    const target = await memberOf(ctx, s, groupID, userID);
    if (!target) throw new GatewayError(Code.NoPermission, `"${userID}" is not a member of the group`);
    if (target.role === 'Owner') throw new GatewayError(Code.NoPermission, 'the owner cannot be muted');
    if (target.role === 'Admin' && me.role !== 'Owner')
      throw new GatewayError(Code.NoPermission, 'only the owner mutes an admin');
    const until = seconds === 0 ? 0 : Math.floor(ctx.now() / 1000) + seconds;
    await ctx.groups.setShutUp(s.sdkAppId, groupID, [userID], until);
    await tip(ctx, s, group, {
      type: GroupTipType.MemberInfoChange,
      memberChangeInfoList: [{ userID, muteTime: seconds }],
    });
    return {};
  },
};
