// group_open_http_svc group management: get_group_info, modify_group_base_info, get_joined_group_list,
// get_role_in_group, forbid_send_msg, get_group_muted_account, change_group_owner,
// send_group_system_notification, get_appid_group_list (docs/internals/tencent-im.md#group-management).
import { z } from 'zod';
import type { AccountsService } from '../../apps/accounts.js';
import type { GroupEventCallback } from '../../apps/settings.js';
import {
  type GroupInfoChange,
  GroupInfoChangeType,
  type GroupTip,
  GroupTipType,
  sendGroupSystemNotification,
} from '../../messaging/group-tips.js';
import {
  APPLY_JOIN_OPTIONS,
  customDataFits,
  customDataList,
  GROUP_LIMITS,
  GROUP_TYPES,
  type Group,
  type GroupProfilePatch,
  type GroupsService,
  MAX_GROUP_MEMBERS,
} from '../../messaging/groups.js';
import type { MessagingService } from '../../messaging/messages.js';
import { defineCommand, type V4Command, type V4Context, V4Error } from './command.js';
import {
  bytes,
  customData,
  dataOf,
  GroupError,
  KEPT_MEMBER_FIELDS,
  memberInfoFilter,
  memberView,
  refusedMemberFilter,
  requireMutable,
} from './group-fields.js';
import { asV4, flag, uint32 } from './send-common.js';

export interface GroupAdminDeps {
  accounts: AccountsService;
  groups: GroupsService;
  messaging: MessagingService;
  requireGroup(sdkAppId: number, id: string): Promise<Group>;
  requireAccounts(sdkAppId: number, ids: string[]): Promise<void>;
  tip(
    ctx: V4Context,
    group: { groupId: string; type: string },
    t: Omit<GroupTip, 'opMember'>,
    formerMembers?: string[],
  ): Promise<void>;
  notify(ctx: V4Context, command: GroupEventCallback, body: Record<string, unknown>): Promise<void>;
  nowSeconds(): number;
}

const groupId = z.string().min(1).max(48);
const SYSTEM_NOTIFICATION_MAX_BYTES = 8000;

/** Tencent's GroupBaseInfoFilter names. */
export const BASE_INFO_FIELDS = [
  'Type',
  'Name',
  'Introduction',
  'Notification',
  'FaceUrl',
  'CreateTime',
  'Owner_Account',
  'LastInfoTime',
  'LastMsgTime',
  'NextMsgSeq',
  'MemberNum',
  'MaxMemberNum',
  'ApplyJoinOption',
  'ShutUpAllMember',
  'InfoSeq',
] as const;
type BaseInfoField = (typeof BASE_INFO_FIELDS)[number];
interface GroupStats {
  memberNum: number;
  lastMsgTime: number;
}
const BASE_FIELDS: Record<BaseInfoField, (g: Group, st: GroupStats) => unknown> = {
  Type: (g) => g.type,
  Name: (g) => g.name,
  Introduction: (g) => g.introduction,
  Notification: (g) => g.notification,
  FaceUrl: (g) => g.faceUrl,
  CreateTime: (g) => Math.floor(g.createdAt / 1000),
  Owner_Account: (g) => g.owner ?? '',
  LastInfoTime: (g) => g.lastInfoTime || Math.floor(g.createdAt / 1000),
  LastMsgTime: (_g, st) => st.lastMsgTime,
  NextMsgSeq: (g) => g.nextMsgSeq,
  MemberNum: (_g, st) => st.memberNum,
  MaxMemberNum: (g) => g.maxMemberNum,
  ApplyJoinOption: (g) => g.applyJoinOption,
  ShutUpAllMember: (g) => (g.shutUpAll ? 'On' : 'Off'),
  InfoSeq: (g) => g.infoSeq,
};
const baseInfoFilter = z.array(z.enum(BASE_INFO_FIELDS));
/** get_joined_group_list's SelfInfoFilter: the user's membership. */
const SELF_INFO_FIELDS = ['Role', 'JoinTime', 'MsgFlag', 'ShutUpUntil', 'NameCard', 'UnreadMsgNum'] as const;

export function groupAdminCommands(deps: GroupAdminDeps): V4Command[] {
  const { groups, messaging, requireGroup, requireAccounts, tip, nowSeconds } = deps;
  // Inside the function: groups.ts (GroupError) imports this module.
  const invalid = { default: GroupError.InvalidParameter };

  async function stats(sdkAppId: number, ids: string[]): Promise<Map<string, GroupStats>> {
    const times = await groups.lastMsgTimes(sdkAppId, ids);
    const out = new Map<string, GroupStats>();
    for (const id of ids)
      out.set(id, { memberNum: await groups.memberCount(sdkAppId, id), lastMsgTime: times.get(id) ?? 0 });
    return out;
  }
  const baseInfo = (g: Group, st: GroupStats, fields: readonly BaseInfoField[]) =>
    Object.fromEntries(fields.map((f) => [f, BASE_FIELDS[f](g, st)]));

  return [
    defineCommand({
      name: 'group_open_http_svc/get_group_info',
      body: z.object({
        GroupIdList: z.array(groupId).min(1).max(50),
        ResponseFilter: z
          .object({
            GroupBaseInfoFilter: baseInfoFilter.optional(),
            MemberInfoFilter: memberInfoFilter.optional(),
            AppDefinedDataFilter_Group: z.array(z.string()).optional(),
            AppDefinedDataFilter_GroupMember: z.array(z.string()).optional(),
          })
          .optional(),
      }),
      invalid,
      refused: [
        {
          ...refusedMemberFilter(),
          field: 'ResponseFilter.MemberInfoFilter',
          refuses: (b) =>
            refusedMemberFilter().refuses({ MemberInfoFilter: b.ResponseFilter?.MemberInfoFilter }),
        },
      ],
      async handle({ app }, body) {
        const ids = [...new Set(body.GroupIdList)];
        const found = await groups.getMany(app.sdkAppId, ids);
        const st = await stats(app.sdkAppId, [...found.keys()]);
        const f = body.ResponseFilter;
        // Without ResponseFilter: everything. With it: the base fields it names (all if it names none), and
        // custom data and members only when their filter is given.
        const base = f?.GroupBaseInfoFilter ?? BASE_INFO_FIELDS;
        const groupKeys = f ? f.AppDefinedDataFilter_Group : undefined;
        const memberKeys = f?.AppDefinedDataFilter_GroupMember;
        const memberFields = !f
          ? KEPT_MEMBER_FIELDS
          : f.MemberInfoFilter
            ? ([
                'Member_Account',
                ...f.MemberInfoFilter.filter((x) => x !== 'Member_Account' && x !== 'AppMemberDefinedData'),
                ...(memberKeys || f.MemberInfoFilter.includes('AppMemberDefinedData')
                  ? (['AppMemberDefinedData'] as const)
                  : []),
              ] as const)
            : memberKeys
              ? (['Member_Account', 'AppMemberDefinedData'] as const)
              : undefined;
        const now = nowSeconds();
        const GroupInfo = [];
        for (const id of body.GroupIdList) {
          const g = found.get(id);
          if (!g) {
            GroupInfo.push({
              GroupId: id,
              ErrorCode: GroupError.NotFound,
              ErrorInfo: `group "${id}" does not exist`,
            });
            continue;
          }
          const info: Record<string, unknown> = {
            GroupId: id,
            ErrorCode: 0,
            ErrorInfo: '',
            ...baseInfo(g, st.get(id)!, base),
          };
          if (!f || groupKeys) info.AppDefinedData = customDataList(g.appDefinedData, groupKeys);
          if (memberFields) {
            const members = await groups.members(app.sdkAppId, id);
            info.MemberList = members.map((m) => memberView(m, memberFields, now, memberKeys));
          }
          GroupInfo.push(info);
        }
        return { GroupInfo };
      },
    }),

    defineCommand({
      name: 'group_open_http_svc/modify_group_base_info',
      body: z.object({
        GroupId: groupId,
        Name: bytes(GROUP_LIMITS.name, 'Name').pipe(z.string().min(1)).optional(),
        Introduction: bytes(GROUP_LIMITS.introduction, 'Introduction').optional(),
        Notification: bytes(GROUP_LIMITS.notification, 'Notification').optional(),
        FaceUrl: bytes(GROUP_LIMITS.faceUrl, 'FaceUrl').optional(),
        MaxMemberNum: z.number().int().min(1).max(MAX_GROUP_MEMBERS).optional(),
        ApplyJoinOption: z.enum(APPLY_JOIN_OPTIONS).optional(),
        ShutUpAllMember: z.enum(['On', 'Off']).optional(),
        InviteJoinOption: z.enum(['FreeAccess', 'NeedPermission', 'DisableInvite']).optional(),
        AppDefinedData: customData.optional(),
      }),
      invalid,
      refused: [
        {
          field: 'InviteJoinOption',
          refuses: (b) => b.InviteJoinOption !== undefined && b.InviteJoinOption !== 'DisableInvite',
          why: 'Pushline keeps no invitation option (Work group members invite, in other groups only the administrator adds members); leave it out or send DisableInvite',
        },
      ],
      async handle(ctx, body) {
        const { app } = ctx;
        const patch: GroupProfilePatch = {
          name: body.Name,
          introduction: body.Introduction,
          notification: body.Notification,
          faceUrl: body.FaceUrl,
          maxMemberNum: body.MaxMemberNum,
          applyJoinOption: body.ApplyJoinOption,
          shutUpAll: body.ShutUpAllMember === undefined ? undefined : body.ShutUpAllMember === 'On',
          appDefinedData: body.AppDefinedData
            ? dataOf('AppDefinedData', body.AppDefinedData, 'group')
            : undefined,
        };
        const r = await modifyGroupProfile(groups, app.sdkAppId, body.GroupId, patch);
        if (r.changes.length > 0)
          await tip(ctx, r.after, { type: GroupTipType.GroupInfoChange, groupChangeInfoList: r.changes });
        return {};
      },
    }),

    defineCommand({
      name: 'group_open_http_svc/get_joined_group_list',
      body: z.object({
        Member_Account: z.string().min(1),
        Limit: z.number().int().min(1).max(10_000).optional(),
        Offset: z.number().int().min(0).optional(),
        GroupType: z.enum(GROUP_TYPES).optional(),
        /** 1: AVChatRoom groups too. */
        WithHugeGroups: flag.optional(),
        /** 1: Work/Private groups without any message yet too. */
        WithNoActiveGroups: flag.optional(),
        ResponseFilter: z
          .object({
            GroupBaseInfoFilter: baseInfoFilter.optional(),
            SelfInfoFilter: z.array(z.enum(SELF_INFO_FIELDS)).optional(),
          })
          .optional(),
      }),
      invalid,
      refused: [
        {
          field: 'ResponseFilter.SelfInfoFilter',
          refuses: (b) => (b.ResponseFilter?.SelfInfoFilter ?? []).includes('UnreadMsgNum'),
          why: 'Pushline keeps unread counts per device conversation, not in group membership; ask for Role, JoinTime, MsgFlag, ShutUpUntil or NameCard',
        },
      ],
      async handle({ app }, body) {
        await requireAccounts(app.sdkAppId, [body.Member_Account]);
        const { total, groups: joined } = await groups.joinedGroups(app.sdkAppId, body.Member_Account, {
          limit: body.Limit,
          offset: body.Offset ?? 0,
          type: body.GroupType,
          withHuge: body.WithHugeGroups === 1,
          withInactive: body.WithNoActiveGroups === 1,
        });
        const base = body.ResponseFilter?.GroupBaseInfoFilter ?? [];
        const self = body.ResponseFilter?.SelfInfoFilter ?? [];
        const st =
          base.length > 0
            ? await stats(
                app.sdkAppId,
                joined.map((j) => j.group.groupId),
              )
            : undefined;
        const now = nowSeconds();
        return {
          TotalCount: total,
          GroupIdList: joined.map(({ group, member }) => ({
            GroupId: group.groupId,
            ...(st ? baseInfo(group, st.get(group.groupId)!, base) : {}),
            ...(self.length > 0
              ? {
                  SelfInfo: memberView(
                    member,
                    self.filter((x) => x !== 'UnreadMsgNum'),
                    now,
                  ),
                }
              : {}),
          })),
        };
      },
    }),

    defineCommand({
      name: 'group_open_http_svc/get_role_in_group',
      body: z.object({ GroupId: groupId, User_Account: z.array(z.string().min(1)).min(1).max(500) }),
      invalid,
      async handle({ app }, body) {
        await requireGroup(app.sdkAppId, body.GroupId);
        const members = await groups.members(app.sdkAppId, body.GroupId, { userIds: body.User_Account });
        const roles = new Map(members.map((m) => [m.userId, m.role]));
        return {
          UserIdList: body.User_Account.map((id) => ({
            Member_Account: id,
            Role: roles.get(id) ?? 'NotMember',
          })),
        };
      },
    }),

    defineCommand({
      name: 'group_open_http_svc/forbid_send_msg',
      body: z
        .object({
          GroupId: groupId,
          Members_Account: z.array(z.string().min(1)).min(1).max(500),
          /** Seconds; 0 lifts the mute. MuteTime is the newer name. */
          ShutUpTime: uint32.optional(),
          MuteTime: uint32.optional(),
        })
        .refine((b) => b.ShutUpTime !== undefined || b.MuteTime !== undefined, {
          message: 'give ShutUpTime (or MuteTime)',
          path: ['ShutUpTime'],
        }),
      invalid,
      async handle(ctx, body) {
        const { app } = ctx;
        const group = await requireGroup(app.sdkAppId, body.GroupId);
        const seconds = (body.ShutUpTime ?? body.MuteTime)!;
        if (seconds > 0) requireMutable(group.type);
        const ids = [...new Set(body.Members_Account)];
        const members = await groups.members(app.sdkAppId, body.GroupId, { userIds: ids });
        const missing = ids.filter((id) => !members.some((m) => m.userId === id));
        if (missing.length > 0)
          throw new V4Error(GroupError.NoPermission, `not members of the group: ${missing.join(', ')}`);
        await groups.setShutUp(app.sdkAppId, body.GroupId, ids, seconds === 0 ? 0 : nowSeconds() + seconds);
        await tip(ctx, group, {
          type: GroupTipType.MemberInfoChange,
          memberChangeInfoList: ids.map((userID) => ({ userID, muteTime: seconds })),
        });
        return {};
      },
    }),

    defineCommand({
      name: 'group_open_http_svc/get_group_muted_account',
      body: z.object({ GroupId: groupId }),
      invalid,
      async handle({ app }, body) {
        await requireGroup(app.sdkAppId, body.GroupId);
        const muted = await groups.mutedMembers(app.sdkAppId, body.GroupId, nowSeconds());
        return {
          GroupId: body.GroupId,
          ShuttedUinList: muted.map((m) => ({ Member_Account: m.userId, ShuttedUntil: m.shutUpUntil })),
        };
      },
    }),

    defineCommand({
      name: 'group_open_http_svc/change_group_owner',
      body: z.object({ GroupId: groupId, NewOwner_Account: z.string().min(1) }),
      invalid,
      async handle(ctx, body) {
        const { app } = ctx;
        const group = await requireGroup(app.sdkAppId, body.GroupId);
        if (group.type === 'AVChatRoom')
          throw new V4Error(GroupError.NoPermission, 'an AVChatRoom group has no ownership to transfer');
        await requireAccounts(app.sdkAppId, [body.NewOwner_Account]);
        if (group.owner === body.NewOwner_Account) return {};
        if (!(await groups.changeOwner(app.sdkAppId, body.GroupId, body.NewOwner_Account)))
          throw new V4Error(
            GroupError.NoPermission,
            `"${body.NewOwner_Account}" is not a member of the group: the new owner must be one`,
          );
        await tip(ctx, group, {
          type: GroupTipType.GroupInfoChange,
          groupChangeInfoList: [
            { type: GroupInfoChangeType.Owner, field: 'Owner_Account', value: body.NewOwner_Account },
          ],
        });
        return {};
      },
    }),

    defineCommand({
      name: 'group_open_http_svc/send_group_system_notification',
      body: z.object({
        GroupId: groupId,
        /** Only these members; absent or empty: every member. */
        ToMembers_Account: z.array(z.string().min(1)).max(500).optional(),
        Content: bytes(SYSTEM_NOTIFICATION_MAX_BYTES, 'Content').pipe(z.string().min(1)),
        TopicId: z.string().optional(),
      }),
      invalid,
      refused: [
        {
          field: 'TopicId',
          refuses: (b) => b.TopicId !== undefined,
          why: 'Pushline has no Community topics; leave it out',
        },
      ],
      async handle(ctx, body) {
        const { app } = ctx;
        const group = await requireGroup(app.sdkAppId, body.GroupId);
        const to = body.ToMembers_Account?.length ? [...new Set(body.ToMembers_Account)] : undefined;
        if (to) {
          if (group.type === 'AVChatRoom')
            throw new V4Error(
              GroupError.InvalidParameter,
              'ToMembers_Account: an AVChatRoom notification goes to every member; leave it out',
            );
          const members = await groups.members(app.sdkAppId, body.GroupId, { userIds: to });
          const missing = to.filter((id) => !members.some((m) => m.userId === id));
          if (missing.length > 0)
            throw new V4Error(
              GroupError.InvalidParameter,
              `ToMembers_Account: not members of the group: ${missing.join(', ')}`,
            );
        }
        await asV4(
          sendGroupSystemNotification(
            messaging,
            {
              sdkAppId: app.sdkAppId,
              groupId: body.GroupId,
              groupType: group.type,
              source: 'rest',
              ...(to ? { receivers: to } : {}),
            },
            ctx.identifier,
            body.Content,
          ),
        );
        return {};
      },
    }),

    defineCommand({
      name: 'group_open_http_svc/get_appid_group_list',
      body: z.object({
        Limit: z.number().int().min(1).max(10_000).optional(),
        /** Where to continue: the Next of the previous answer (0 = from the start). */
        Next: z.number().int().min(0).optional(),
        GroupType: z.enum(GROUP_TYPES).optional(),
      }),
      invalid,
      async handle({ app }, body) {
        const limit = body.Limit ?? 10_000;
        const offset = body.Next ?? 0;
        const page = await groups.appGroups(app.sdkAppId, { limit, offset, type: body.GroupType });
        const next = offset + page.groupIds.length;
        return {
          TotalCount: page.total,
          GroupIdList: page.groupIds.map((GroupId) => ({ GroupId })),
          Next: next >= page.total ? 0 : next,
        };
      },
    }),
  ];
}

/**
 * Changes a group's profile in one transaction and lists what changed (for the group tip). Checks the
 * member limit against the current members and the custom data key count; throws a V4Error (nothing
 * written) when refused, 10010 when the group does not exist.
 */
export async function modifyGroupProfile(
  groups: GroupsService,
  sdkAppId: number,
  id: string,
  patch: GroupProfilePatch,
): Promise<{ after: Group; changes: GroupInfoChange[] }> {
  const memberNum = patch.maxMemberNum !== undefined ? await groups.memberCount(sdkAppId, id) : 0;
  const r = await groups.modifyProfile(sdkAppId, id, patch, (before) => {
    if (patch.maxMemberNum !== undefined && patch.maxMemberNum < memberNum)
      throw new V4Error(
        GroupError.InvalidParameter,
        `MaxMemberNum: the group already has ${memberNum} members`,
      );
    if (patch.appDefinedData && !customDataFits(before.appDefinedData, patch.appDefinedData, 'group'))
      throw new V4Error(
        GroupError.InvalidParameter,
        `AppDefinedData: at most ${GROUP_LIMITS.groupDataKeys} keys per group`,
      );
  });
  if (!r) throw new V4Error(GroupError.NotFound, `group "${id}" does not exist`);
  const { before, after } = r;
  const changes: GroupInfoChange[] = [];
  const T = GroupInfoChangeType;
  const diff = (type: number, field: string, a: string | number | boolean, b: string | number | boolean) => {
    if (a !== b) changes.push({ type, field, value: b });
  };
  diff(T.Name, 'Name', before.name, after.name);
  diff(T.Introduction, 'Introduction', before.introduction, after.introduction);
  diff(T.Notification, 'Notification', before.notification, after.notification);
  diff(T.FaceUrl, 'FaceUrl', before.faceUrl, after.faceUrl);
  diff(T.MaxMemberNum, 'MaxMemberNum', before.maxMemberNum, after.maxMemberNum);
  diff(T.ApplyJoinOption, 'ApplyJoinOption', before.applyJoinOption, after.applyJoinOption);
  diff(T.ShutUpAll, 'ShutUpAllMember', before.shutUpAll, after.shutUpAll);
  for (const [key, value] of Object.entries(patch.appDefinedData ?? {}))
    if ((before.appDefinedData[key] ?? '') !== value)
      changes.push({ type: T.Custom, field: 'AppDefinedData', key, value });
  return { after, changes };
}
