// Read-only commands the Tencent SDK sends right after login, answered from Pushline's state in the REST
// API's shapes: profiles, joined groups and the conversation list (the relationship chain is in sns.ts).
import { ALLOW_TYPE_TAG, IMAGE_TAG, NICK_TAG } from '../../apps/profiles.js';
import type { GatewayContext } from '../context.js';

type Body = Record<string, unknown>;

export interface QueryScope {
  sdkAppId: number;
  userId: string;
}

const MAX_PROFILES = 100;
const MAX_GROUP_PAGE = 1000;

/** profile.portrait_get_all: `UserItem: [{To_Account}]` → `UserProfileItem` with every tag set. */
export async function portraitGetAll(ctx: GatewayContext, s: QueryScope, body: Body): Promise<Body> {
  const items = Array.isArray(body.UserItem) ? body.UserItem : [];
  const ids = [
    ...new Set(
      items
        .map((i) => (i && typeof i === 'object' ? (i as Body).To_Account : undefined))
        .filter((id): id is string => typeof id === 'string' && id !== ''),
    ),
  ].slice(0, MAX_PROFILES);
  const found = await ctx.profiles.profiles(s.sdkAppId, ids);
  return {
    UserProfileItem: ids.map((id) => {
      const p = found.get(id);
      if (!p) return { To_Account: id, ResultCode: 40006, ResultInfo: `account "${id}" does not exist` };
      return {
        To_Account: id,
        StandardSequence: 0,
        CustomSequence: 0,
        ResultCode: 0,
        ResultInfo: '',
        ProfileItem: [
          { Tag: NICK_TAG, Value: p.nick },
          { Tag: IMAGE_TAG, Value: p.faceUrl },
          { Tag: ALLOW_TYPE_TAG, Value: p.allowType },
          ...Object.entries(p.custom).map(([Tag, Value]) => ({ Tag, Value })),
        ],
      };
    }),
  };
}

/** group_open_http_svc.get_joined_group_list: the user's groups with their own member record. */
export async function joinedGroups(ctx: GatewayContext, s: QueryScope, body: Body): Promise<Body> {
  const limit = clampInt(body.Limit, 1, MAX_GROUP_PAGE, MAX_GROUP_PAGE);
  const offset = clampInt(body.Offset, 0, Number.MAX_SAFE_INTEGER, 0);
  const { total, groups } = await ctx.groups.joinedGroups(s.sdkAppId, s.userId, {
    limit,
    offset,
    withHuge: true,
    withInactive: true,
  });
  return {
    TotalCount: total,
    GroupIdList: groups.map(({ group: g, member: me }) => ({
      GroupId: g.groupId,
      Type: g.type,
      Name: g.name,
      Owner_Account: g.owner ?? '',
      CreateTime: g.createdAt,
      NextMsgSeq: g.nextMsgSeq,
      SelfInfo: {
        Role: me.role,
        MsgFlag: me.msgFlag,
        JoinTime: me.joinTime,
        NameCard: me.nameCard,
      },
    })),
  };
}

/**
 * group_open_http_svc.get_group_self_member_info (the SDK's group profile): per group ID, the group and the
 * user's own member record; 10010 for a group that does not exist, 10007 for one the user is not in.
 */
export async function groupProfiles(ctx: GatewayContext, s: QueryScope, body: Body): Promise<Body> {
  const ids = Array.isArray(body.GroupIdList)
    ? [...new Set(body.GroupIdList.filter((g): g is string => typeof g === 'string' && g !== ''))].slice(
        0,
        50,
      )
    : [];
  const GroupInfo = [];
  for (const id of ids) {
    const g = await ctx.groups.get(s.sdkAppId, id);
    const [me] = g ? await ctx.groups.members(s.sdkAppId, id, { userIds: [s.userId] }) : [];
    if (!g) GroupInfo.push({ GroupId: id, ErrorCode: 10010, ErrorInfo: `group "${id}" does not exist` });
    else if (!me)
      GroupInfo.push({ GroupId: id, ErrorCode: 10007, ErrorInfo: `not a member of group "${id}"` });
    else
      GroupInfo.push({
        GroupId: id,
        ErrorCode: 0,
        ErrorInfo: '',
        Type: g.type,
        Name: g.name,
        Owner_Account: g.owner ?? '',
        CreateTime: g.createdAt,
        MemberNum: await ctx.groups.memberCount(s.sdkAppId, id),
        MaxMemberNum: g.maxMemberNum,
        Introduction: g.introduction,
        Notification: g.notification,
        FaceUrl: g.faceUrl,
        ApplyJoinOption: g.applyJoinOption,
        ShutUpAllMember: g.shutUpAll ? 'On' : 'Off',
        AppDefinedData: Object.entries(g.appDefinedData).map(([Key, Value]) => ({ Key, Value })),
        NextMsgSeq: g.nextMsgSeq,
        SelfInfo: { Role: me.role, MsgFlag: me.msgFlag, JoinTime: me.joinTime, NameCard: me.nameCard },
      });
  }
  return { GroupInfo };
}

/**
 * recentcontact.page_get: the whole conversation list in one page (CompleteFlag 1), newest first. C2C
 * items are Type 1 with To_Account, group items Type 2 with ToAccount = the group ID (the SDK's own names).
 */
export async function conversationPage(ctx: GatewayContext, s: QueryScope): Promise<Body> {
  const list = await ctx.inbox.conversations(s.sdkAppId, s.userId);
  const items = list.map((c): Body => {
    const group = c.conversationId.startsWith('group_');
    const target = c.conversationId.slice(group ? 6 : 4);
    const m = c.lastMessage;
    const last = m
      ? {
          Time: m.msgTime,
          MsgSeq: m.msgSeq,
          LastMsg: {
            MsgBody: m.body,
            MsgVersion: m.version ?? 0,
            ...(m.cloudCustomData ? { CloudCustomData: m.cloudCustomData } : {}),
          },
        }
      : { Time: Math.floor(c.updatedAt / 1000), LastMsg: { MsgBody: [] } };
    return group
      ? { Type: 2, ToAccount: target, UnreadMsgCount: c.unread, MsgGroupFromAccount: m?.from ?? '', ...last }
      : {
          Type: 1,
          To_Account: target,
          UnreadMsgCount: c.unread,
          LastC2CMsgFromAccount: m?.from ?? '',
          ...last,
        };
  });
  return {
    SessionItem: items,
    CompleteFlag: 1,
    TimeStamp: 0,
    StartIndex: 0,
    TopTimeStamp: 0,
    TopStartIndex: 0,
  };
}

function clampInt(v: unknown, min: number, max: number, fallback: number): number {
  return typeof v === 'number' && Number.isInteger(v) ? Math.min(max, Math.max(min, v)) : fallback;
}
