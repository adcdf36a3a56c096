// group_open_http_svc: create_group, add_group_member, delete_group_member, destroy_group,
// get_group_member_info, modify_group_member_info, send_group_msg, and the group management commands of
// group-admin.ts (docs/internals/tencent-im.md#groups-and-group-messages, #group-management).
import { z } from 'zod';
import type { AccountsService } from '../../apps/accounts.js';
import type { GroupEventCallback } from '../../apps/settings.js';
import { GroupTipType, sendGroupTip } from '../../messaging/group-tips.js';
import {
  type CustomData,
  customDataFits,
  customDataList,
  GROUP_LIMITS,
  GROUP_TYPES,
  type GroupsService,
  MAX_GROUP_MEMBERS,
  MEMBER_ROLES,
  muteReason,
} from '../../messaging/groups.js';
import { MESSAGE_PRIORITIES } from '../../messaging/message-types.js';
import { AT_ALL, DEFAULT_LIFETIME_SECONDS, type MessagingService } from '../../messaging/messages.js';
import { MSG_FLAGS } from '../../messaging/receive-options.js';
import { targetedReceivers } from '../../messaging/targeted.js';
import { defineCommand, type V4Command, type V4Context, V4Error } from './command.js';
import { groupAdminCommands } from './group-admin.js';
import {
  bytes,
  customData,
  DEFAULT_MEMBER_FIELDS,
  dataOf,
  GroupError,
  memberInfoFilter,
  memberView,
  refusedMemberFilter,
  requireMutable,
} from './group-fields.js';
import {
  asV4,
  checkRequestSize,
  flag,
  parseMsgBody,
  restCallbacks,
  sendFields,
  sendRefusals,
  uint32,
} from './send-common.js';

const MAX_GROUP_MSG_BYTES = 8000;
const invalid = { default: GroupError.InvalidParameter };
const groupId = z.string().min(1).max(48);
const nonEmpty = (s: string | undefined) => s !== undefined && s !== '';

export interface GroupCommandDeps {
  accounts: AccountsService;
  groups: GroupsService;
  messaging: MessagingService;
}

export function groupCommands(deps: GroupCommandDeps): V4Command[] {
  const { accounts, groups, messaging } = deps;
  const nowSeconds = () => Math.floor(messaging.now() / 1000);
  async function requireGroup(sdkAppId: number, id: string) {
    const group = await groups.get(sdkAppId, id);
    if (!group) throw new V4Error(GroupError.NotFound, `group "${id}" does not exist`);
    return group;
  }
  /** A group lifecycle callback of a REST command, after the change; a failure to queue it is only logged. */
  async function notify(
    ctx: V4Context,
    command: GroupEventCallback,
    body: Record<string, unknown>,
  ): Promise<void> {
    try {
      await messaging.callbacks?.groupEvent(ctx.app.sdkAppId, command, body, {
        ClientIP: ctx.clientIp,
        OptPlatform: 'RESTAPI',
      });
    } catch (err) {
      ctx.log.error({ err, command }, 'group callback could not be queued');
    }
  }
  const memberList = (ids: string[]) => ids.map((Member_Account) => ({ Member_Account }));
  /** A group tip from a REST command (the administrator is its operator). */
  const tip = (
    ctx: V4Context,
    group: { groupId: string; type: string },
    t: Omit<Parameters<typeof sendGroupTip>[3], 'opMember'>,
    formerMembers?: string[],
  ) =>
    sendGroupTip(
      messaging,
      ctx.log,
      {
        sdkAppId: ctx.app.sdkAppId,
        groupId: group.groupId,
        groupType: group.type,
        source: 'rest',
        ...(formerMembers ? { formerMembers } : {}),
      },
      { ...t, opMember: ctx.identifier },
    );
  async function requireAccounts(sdkAppId: number, ids: string[]) {
    const found = await accounts.existing(sdkAppId, ids);
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw new V4Error(GroupError.AccountNotFound, `accounts do not exist: ${missing.join(', ')}`);
    }
  }

  return [
    defineCommand({
      name: 'group_open_http_svc/create_group',
      body: z.object({
        Owner_Account: z.string().min(1).optional(),
        Type: z.enum(GROUP_TYPES),
        GroupId: groupId.optional(),
        Name: bytes(GROUP_LIMITS.name, 'Name').pipe(z.string().min(1)),
        MemberList: z
          .array(
            z.object({
              Member_Account: z.string().min(1),
              Role: z.enum(['Admin', 'Member']).optional(),
              AppMemberDefinedData: customData.optional(),
            }),
          )
          .max(500)
          .optional(),
        Introduction: bytes(GROUP_LIMITS.introduction, 'Introduction').optional(),
        Notification: bytes(GROUP_LIMITS.notification, 'Notification').optional(),
        FaceUrl: bytes(GROUP_LIMITS.faceUrl, 'FaceUrl').optional(),
        MaxMemberCount: z.number().int().min(1).max(MAX_GROUP_MEMBERS).optional(),
        /** The name modify_group_base_info uses; some clients send it to create_group too. */
        MaxMemberNum: z.number().int().min(1).max(MAX_GROUP_MEMBERS).optional(),
        ApplyJoinOption: z.enum(['FreeAccess', 'NeedPermission', 'DisableApply']).optional(),
        InviteJoinOption: z.enum(['FreeAccess', 'NeedPermission', 'DisableInvite']).optional(),
        AppDefinedData: customData.optional(),
        SupportTopic: flag.optional(),
      }),
      examples: [{ Type: 'Work', GroupId: 'team', Name: 'Team' }],
      invalid: { default: GroupError.InvalidParameter, fields: { GroupId: GroupError.InvalidGroupId } },
      refused: [
        {
          field: 'InviteJoinOption',
          refuses: (b) => b.InviteJoinOption !== undefined && b.InviteJoinOption !== 'DisableInvite',
          why: 'Pushline has no invitations by members (members are added with add_group_member); leave it out or send DisableInvite',
        },
        {
          field: 'SupportTopic',
          refuses: (b) => b.SupportTopic === 1,
          why: 'Pushline has no Community topics; send 0 or leave it out',
        },
      ],
      async handle(ctx, body) {
        const { app } = ctx;
        if (body.GroupId?.startsWith('@TGS#')) {
          throw new V4Error(GroupError.InvalidGroupId, 'a custom GroupId must not start with @TGS#');
        }
        const members = body.MemberList ?? [];
        const maxMemberNum = body.MaxMemberNum ?? body.MaxMemberCount ?? MAX_GROUP_MEMBERS;
        const appDefinedData = dataOf('AppDefinedData', body.AppDefinedData ?? [], 'group');
        const memberData = members.map((m) =>
          dataOf('MemberList[].AppMemberDefinedData', m.AppMemberDefinedData ?? [], 'member'),
        );
        const count = new Set([
          ...members.map((m) => m.Member_Account),
          ...(body.Owner_Account ? [body.Owner_Account] : []),
        ]).size;
        if (count > maxMemberNum)
          throw new V4Error(GroupError.GroupFull, `${count} members but MaxMemberNum is ${maxMemberNum}`);
        await requireAccounts(app.sdkAppId, [
          ...(body.Owner_Account ? [body.Owner_Account] : []),
          ...members.map((m) => m.Member_Account),
        ]);
        const id = await groups.create(app.sdkAppId, {
          groupId: body.GroupId,
          type: body.Type,
          name: body.Name,
          owner: body.Owner_Account,
          members: members.map((m, i) => ({
            userId: m.Member_Account,
            role: m.Role,
            appMemberDefinedData: memberData[i]!,
          })),
          profile: {
            introduction: body.Introduction ?? '',
            notification: body.Notification ?? '',
            faceUrl: body.FaceUrl ?? '',
            maxMemberNum,
            ...(body.ApplyJoinOption ? { applyJoinOption: body.ApplyJoinOption } : {}),
            appDefinedData,
          },
        });
        if (!id) throw new V4Error(GroupError.GroupIdTaken, `GroupId "${body.GroupId}" is already in use`);
        await notify(ctx, 'Group.CallbackAfterCreateGroup', {
          GroupId: id,
          Operator_Account: ctx.identifier,
          Owner_Account: body.Owner_Account ?? '',
          Type: body.Type,
          Name: body.Name,
          MemberList: memberList(
            members.map((m) => m.Member_Account).filter((m) => m !== body.Owner_Account),
          ),
          UserDefinedDataList: customDataList(appDefinedData),
        });
        return { GroupId: id };
      },
    }),

    defineCommand({
      name: 'group_open_http_svc/add_group_member',
      body: z.object({
        GroupId: groupId,
        /** 1: no group tip announces the new members. */
        Silence: flag.optional(),
        MemberList: z
          .array(z.object({ Member_Account: z.string().min(1) }))
          .min(1)
          .max(300),
      }),
      invalid,
      async handle(ctx, body) {
        const { app } = ctx;
        const group = await requireGroup(app.sdkAppId, body.GroupId);
        const ids = body.MemberList.map((m) => m.Member_Account);
        const found = await accounts.existing(app.sdkAppId, ids);
        const count = await groups.memberCount(app.sdkAppId, body.GroupId);
        const already = await groups.members(app.sdkAppId, body.GroupId, { userIds: [...found] });
        if (count + found.size - already.length > group.maxMemberNum) {
          throw new V4Error(GroupError.GroupFull, `the group holds at most ${group.maxMemberNum} members`);
        }
        const { added } = await groups.addMembers(
          app.sdkAppId,
          body.GroupId,
          ids.filter((id) => found.has(id)),
        );
        const addedSet = new Set(added);
        if (added.length > 0 && body.Silence !== 1)
          await tip(ctx, group, { type: GroupTipType.Invite, memberList: added });
        if (added.length > 0) {
          await notify(ctx, 'Group.CallbackAfterNewMemberJoin', {
            GroupId: body.GroupId,
            Type: group.type,
            JoinType: 'Invited',
            Operator_Account: ctx.identifier,
            NewMemberList: memberList(added),
          });
        }
        return {
          MemberList: ids.map((id) => ({
            Member_Account: id,
            // 0 = failed (no such account), 1 = added, 2 = already a member
            Result: !found.has(id) ? 0 : addedSet.has(id) ? 1 : 2,
          })),
        };
      },
    }),

    defineCommand({
      name: 'group_open_http_svc/delete_group_member',
      body: z.object({
        GroupId: groupId,
        /** 1: no group tip announces the removal. */
        Silence: flag.optional(),
        /** Travels in the group tip about the removal (its `reason`). */
        Reason: bytes(GROUP_LIMITS.introduction, 'Reason').optional(),
        MemberToDel_Account: z.array(z.string().min(1)).min(1).max(100),
      }),
      invalid,
      async handle(ctx, body) {
        const { app } = ctx;
        const group = await requireGroup(app.sdkAppId, body.GroupId);
        const leaving = await groups.members(app.sdkAppId, body.GroupId, {
          userIds: body.MemberToDel_Account,
        });
        await groups.removeMembers(app.sdkAppId, body.GroupId, body.MemberToDel_Account);
        if (leaving.length > 0 && body.Silence !== 1) {
          const gone = leaving.map((m) => m.userId);
          await tip(
            ctx,
            group,
            { type: GroupTipType.Kicked, memberList: gone, ...(body.Reason ? { reason: body.Reason } : {}) },
            gone,
          );
        }
        if (leaving.length > 0) {
          await notify(ctx, 'Group.CallbackAfterMemberExit', {
            GroupId: body.GroupId,
            Type: group.type,
            ExitType: 'Kicked',
            Operator_Account: ctx.identifier,
            ExitMemberList: memberList(leaving.map((m) => m.userId)),
          });
        }
        return {};
      },
    }),

    defineCommand({
      name: 'group_open_http_svc/destroy_group',
      body: z.object({ GroupId: groupId }),
      invalid,
      async handle(ctx, body) {
        const { app } = ctx;
        const group = await groups.get(app.sdkAppId, body.GroupId);
        const members = group ? await groups.members(app.sdkAppId, body.GroupId) : [];
        if (!(await groups.destroy(app.sdkAppId, body.GroupId))) {
          throw new V4Error(GroupError.NotFound, `group "${body.GroupId}" does not exist`);
        }
        await notify(ctx, 'Group.CallbackAfterGroupDestroyed', {
          GroupId: body.GroupId,
          Operator_Account: ctx.identifier,
          Type: group?.type ?? '',
          Owner_Account: group?.owner ?? '',
          Name: group?.name ?? '',
          MemberList: memberList(members.map((m) => m.userId)),
        });
        return {};
      },
    }),

    defineCommand({
      name: 'group_open_http_svc/get_group_member_info',
      body: z.object({
        GroupId: groupId,
        Limit: z.number().int().min(0).max(6000).optional(),
        Offset: z.number().int().min(0).optional(),
        /** Only these member fields (Member_Account always). */
        MemberInfoFilter: memberInfoFilter.optional(),
        /** Only members with these roles; MemberNum stays the group's member count. */
        MemberRoleFilter: z.array(z.enum(MEMBER_ROLES)).optional(),
        AppDefinedDataFilter_GroupMember: z.array(z.string()).optional(),
        /** Community groups page with Next in Tencent IM; Pushline pages every group with Offset. */
        Next: z.string().optional(),
      }),
      invalid,
      refused: [
        refusedMemberFilter(),
        {
          field: 'Next',
          refuses: (b) => nonEmpty(b.Next),
          why: 'Pushline pages the members of every group with Limit and Offset; leave Next out or empty',
        },
      ],
      async handle({ app }, body) {
        await requireGroup(app.sdkAppId, body.GroupId);
        const total = await groups.memberCount(app.sdkAppId, body.GroupId);
        const members = await groups.members(app.sdkAppId, body.GroupId, {
          limit: body.Limit || MAX_GROUP_MEMBERS,
          offset: body.Offset ?? 0,
          ...(body.MemberRoleFilter?.length ? { roles: body.MemberRoleFilter } : {}),
        });
        const keys = body.AppDefinedDataFilter_GroupMember;
        const fields = body.MemberInfoFilter
          ? ['Member_Account' as const, ...body.MemberInfoFilter.filter((f) => f !== 'Member_Account')]
          : [...DEFAULT_MEMBER_FIELDS, ...(keys?.length ? ['AppMemberDefinedData' as const] : [])];
        const now = nowSeconds();
        return {
          MemberNum: total,
          MemberList: members.map((m) => memberView(m, fields, now, keys?.length ? keys : undefined)),
        };
      },
    }),

    defineCommand({
      name: 'group_open_http_svc/modify_group_member_info',
      body: z.object({
        GroupId: groupId,
        Member_Account: z.string().min(1),
        Role: z.enum(MEMBER_ROLES).exclude(['Owner']).optional(),
        MsgFlag: z.enum(MSG_FLAGS).optional(),
        NameCard: z
          .string()
          .refine((n) => Buffer.byteLength(n) <= 50, 'NameCard is at most 50 bytes')
          .optional(),
        /** Seconds to mute the member (MuteTime in newer clients); 0 lifts a mute. */
        ShutUpTime: uint32.optional(),
        MuteTime: uint32.optional(),
        AppMemberDefinedData: customData.optional(),
      }),
      invalid,
      async handle(ctx, body) {
        const { app } = ctx;
        const group = await requireGroup(app.sdkAppId, body.GroupId);
        const [member] = await groups.members(app.sdkAppId, body.GroupId, { userIds: [body.Member_Account] });
        if (!member) {
          throw new V4Error(GroupError.NoPermission, `"${body.Member_Account}" is not a member of the group`);
        }
        const muteTime = body.ShutUpTime ?? body.MuteTime;
        if (muteTime !== undefined && muteTime > 0) requireMutable(group.type);
        if (body.Role !== undefined && member.role === 'Owner')
          throw new V4Error(GroupError.NoPermission, "the owner's role changes only with change_group_owner");
        let data: CustomData | undefined;
        if (body.AppMemberDefinedData) {
          const patch = dataOf('AppMemberDefinedData', body.AppMemberDefinedData, 'member');
          if (!customDataFits(member.appMemberDefinedData, patch, 'member'))
            throw new V4Error(
              GroupError.InvalidParameter,
              `AppMemberDefinedData: at most ${GROUP_LIMITS.memberDataKeys} keys per member`,
            );
          data = patch;
        }
        const until = muteTime === undefined ? undefined : muteTime === 0 ? 0 : nowSeconds() + muteTime;
        const ok = await groups.modifyMember(app.sdkAppId, body.GroupId, body.Member_Account, {
          role: body.Role,
          msgFlag: body.MsgFlag,
          nameCard: body.NameCard,
          shutUpUntil: until,
          appMemberDefinedData: data,
        });
        if (!ok)
          throw new V4Error(GroupError.NoPermission, `"${body.Member_Account}" is not a member of the group`);
        if (body.Role !== undefined && body.Role !== member.role)
          await tip(ctx, group, {
            type: body.Role === 'Admin' ? GroupTipType.SetAdmin : GroupTipType.CancelAdmin,
            memberList: [body.Member_Account],
          });
        if (muteTime !== undefined)
          await tip(ctx, group, {
            type: GroupTipType.MemberInfoChange,
            memberChangeInfoList: [{ userID: body.Member_Account, muteTime }],
          });
        return {};
      },
    }),

    defineCommand({
      name: 'group_open_http_svc/send_group_msg',
      body: z.object({
        ...sendFields,
        GroupId: groupId,
        Random: uint32,
        /** Validated only: Pushline delivers every message, it never discards by priority. */
        MsgPriority: z.enum(MESSAGE_PRIORITIES).optional(),
        /** send_group_msg's name for IsNeedReadReceipt. */
        NeedReadReceipt: flag.optional(),
        OnlineOnlyFlag: z.number().int().min(0).max(1).optional(),
        GroupAtInfo: z
          .array(
            z.object({
              GroupAtAllFlag: z.number().int().min(0).max(1),
              GroupAt_Account: z.string().optional(),
            }),
          )
          .optional(),
        /** A targeted group message: only these members receive it (messaging/targeted.ts). */
        To_Account: z.array(z.string()).optional(),
        TopicId: z.string().optional(),
      }),
      examples: [
        { GroupId: 'team', Random: 1, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'x' } }] },
      ],
      invalid,
      refused: [
        ...sendRefusals,
        {
          field: 'NeedReadReceipt',
          refuses: (b) => b.NeedReadReceipt === 1,
          why: 'Pushline has no message read receipts; send 0 or leave it out',
        },
        {
          field: 'TopicId',
          refuses: (b) => b.TopicId !== undefined,
          why: 'Pushline has no Community topics; leave it out',
        },
      ],
      async handle(ctx, body) {
        const { app } = ctx;
        const elements = parseMsgBody(body.MsgBody, {
          invalidCode: GroupError.InvalidParameter,
          tooLongCode: GroupError.TooLong,
          maxBytes: MAX_GROUP_MSG_BYTES,
        });
        checkRequestSize(body);
        const group = await requireGroup(app.sdkAppId, body.GroupId);
        const from = body.From_Account ?? app.adminIdentifier;
        if (body.From_Account !== undefined && from !== app.adminIdentifier) {
          await requireAccounts(app.sdkAppId, [from]);
          const [member] = await groups.members(app.sdkAppId, body.GroupId, { userIds: [from] });
          if (!member)
            throw new V4Error(GroupError.NoPermission, `From_Account "${from}" is not a group member`);
          const muted = muteReason(group, member, nowSeconds());
          if (muted) throw new V4Error(GroupError.Muted, muted);
        }
        const at = (body.GroupAtInfo ?? []).map((a) =>
          a.GroupAtAllFlag === 1 ? AT_ALL : (a.GroupAt_Account ?? ''),
        );
        const receivers =
          body.To_Account === undefined
            ? undefined
            : await asV4(
                targetedReceivers(groups, app.sdkAppId, group, body.To_Account, {
                  field: 'To_Account',
                  mentions: at.length > 0,
                }),
              );
        const r = await asV4(
          messaging.send({
            sdkAppId: app.sdkAppId,
            source: 'rest',
            from,
            target: { kind: 'group', groupId: body.GroupId, ...(receivers ? { receivers } : {}) },
            body: elements,
            offlinePushInfo: body.OfflinePushInfo,
            lifeTime: DEFAULT_LIFETIME_SECONDS,
            onlineOnly: body.OnlineOnlyFlag === 1,
            msgRandom: body.Random,
            cloudCustomData: body.CloudCustomData,
            sendMsgControl: body.SendMsgControl ?? [],
            syncOtherMachine: from === app.adminIdentifier ? 2 : 1,
            atAccounts: at.filter((a) => a !== ''),
            callbacks: restCallbacks(ctx, body.ForbidCallbackControl),
          }),
        );
        return { MsgTime: r.msgTime, MsgSeq: r.msgSeq, MsgId: r.msgId };
      },
    }),
    ...groupAdminCommands({ ...deps, requireGroup, requireAccounts, tip, notify, nowSeconds }),
  ];
}
