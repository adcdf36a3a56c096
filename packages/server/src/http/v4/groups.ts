// group_open_http_svc: create_group, add_group_member, delete_group_member, destroy_group,
// get_group_member_info, modify_group_member_info, send_group_msg
// (docs/internals/tencent-im.md#groups-and-group-messages).
import { z } from 'zod';
import type { AccountsService } from '../../apps/accounts.js';
import { GROUP_TYPES, type GroupsService, MAX_GROUP_MEMBERS, MEMBER_ROLES } from '../../messaging/groups.js';
import { AT_ALL, DEFAULT_LIFETIME_SECONDS, type MessagingService } from '../../messaging/messages.js';
import { MSG_FLAGS } from '../../messaging/receive-options.js';
import { targetedReceivers } from '../../messaging/targeted.js';
import { defineCommand, type V4Command, V4Error } from './command.js';
import { asV4, checkRequestSize, parseMsgBody, sendFields, uint32 } from './send-common.js';

export const GroupError = {
  Internal: 10002,
  InvalidParameter: 10004,
  NoPermission: 10007,
  NotFound: 10010,
  GroupFull: 10014,
  InvalidGroupId: 10015,
  AccountNotFound: 10019,
  GroupIdTaken: 10021,
  TooLong: 80002,
} as const;

const MAX_GROUP_MSG_BYTES = 8000;
const invalid = { default: GroupError.InvalidParameter };
const groupId = z.string().min(1).max(48);

export interface GroupCommandDeps {
  accounts: AccountsService;
  groups: GroupsService;
  messaging: MessagingService;
}

export function groupCommands({ accounts, groups, messaging }: GroupCommandDeps): V4Command[] {
  async function requireGroup(sdkAppId: number, id: string) {
    const group = await groups.get(sdkAppId, id);
    if (!group) throw new V4Error(GroupError.NotFound, `group "${id}" does not exist`);
    return group;
  }
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
        Name: z
          .string()
          .min(1)
          .refine((n) => Buffer.byteLength(n) <= 100, 'Name is at most 100 bytes'),
        MemberList: z
          .array(
            z.object({ Member_Account: z.string().min(1), Role: z.enum(['Admin', 'Member']).optional() }),
          )
          .max(500)
          .optional(),
      }),
      invalid: { default: GroupError.InvalidParameter, fields: { GroupId: GroupError.InvalidGroupId } },
      async handle({ app }, body) {
        if (body.GroupId?.startsWith('@TGS#')) {
          throw new V4Error(GroupError.InvalidGroupId, 'a custom GroupId must not start with @TGS#');
        }
        const members = body.MemberList ?? [];
        await requireAccounts(app.sdkAppId, [
          ...(body.Owner_Account ? [body.Owner_Account] : []),
          ...members.map((m) => m.Member_Account),
        ]);
        const id = await groups.create(app.sdkAppId, {
          groupId: body.GroupId,
          type: body.Type,
          name: body.Name,
          owner: body.Owner_Account,
          members: members.map((m) => ({ userId: m.Member_Account, role: m.Role })),
        });
        if (!id) throw new V4Error(GroupError.GroupIdTaken, `GroupId "${body.GroupId}" is already in use`);
        return { GroupId: id };
      },
    }),

    defineCommand({
      name: 'group_open_http_svc/add_group_member',
      body: z.object({
        GroupId: groupId,
        Silence: z.number().int().optional(),
        MemberList: z
          .array(z.object({ Member_Account: z.string().min(1) }))
          .min(1)
          .max(300),
      }),
      invalid,
      async handle({ app }, body) {
        await requireGroup(app.sdkAppId, body.GroupId);
        const ids = body.MemberList.map((m) => m.Member_Account);
        const found = await accounts.existing(app.sdkAppId, ids);
        const count = await groups.memberCount(app.sdkAppId, body.GroupId);
        if (count + found.size > MAX_GROUP_MEMBERS) {
          throw new V4Error(GroupError.GroupFull, `a group holds at most ${MAX_GROUP_MEMBERS} members`);
        }
        const { added } = await groups.addMembers(
          app.sdkAppId,
          body.GroupId,
          ids.filter((id) => found.has(id)),
        );
        const addedSet = new Set(added);
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
        Silence: z.number().int().optional(),
        Reason: z.string().optional(),
        MemberToDel_Account: z.array(z.string().min(1)).min(1).max(100),
      }),
      invalid,
      async handle({ app }, body) {
        await requireGroup(app.sdkAppId, body.GroupId);
        await groups.removeMembers(app.sdkAppId, body.GroupId, body.MemberToDel_Account);
        return {};
      },
    }),

    defineCommand({
      name: 'group_open_http_svc/destroy_group',
      body: z.object({ GroupId: groupId }),
      invalid,
      async handle({ app }, body) {
        if (!(await groups.destroy(app.sdkAppId, body.GroupId))) {
          throw new V4Error(GroupError.NotFound, `group "${body.GroupId}" does not exist`);
        }
        return {};
      },
    }),

    defineCommand({
      name: 'group_open_http_svc/get_group_member_info',
      body: z.object({
        GroupId: groupId,
        Limit: z.number().int().min(0).max(6000).optional(),
        Offset: z.number().int().min(0).optional(),
        MemberInfoFilter: z.array(z.string()).optional(),
        MemberRoleFilter: z.array(z.string()).optional(),
      }),
      invalid,
      async handle({ app }, body) {
        await requireGroup(app.sdkAppId, body.GroupId);
        const total = await groups.memberCount(app.sdkAppId, body.GroupId);
        const members = await groups.members(app.sdkAppId, body.GroupId, {
          limit: body.Limit || MAX_GROUP_MEMBERS,
          offset: body.Offset ?? 0,
        });
        const roles = body.MemberRoleFilter;
        return {
          MemberNum: total,
          MemberList: members
            .filter((m) => !roles || roles.includes(m.role))
            .map((m) => ({
              Member_Account: m.userId,
              Role: m.role,
              JoinTime: m.joinTime,
              MsgSeq: 0,
              MsgFlag: m.msgFlag,
              LastSendMsgTime: 0,
              ShutUpUntil: 0,
              NameCard: m.nameCard,
            })),
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
      }),
      invalid,
      async handle({ app }, body) {
        await requireGroup(app.sdkAppId, body.GroupId);
        const ok = await groups.modifyMember(app.sdkAppId, body.GroupId, body.Member_Account, {
          role: body.Role,
          msgFlag: body.MsgFlag,
          nameCard: body.NameCard,
        });
        const [member] = await groups.members(app.sdkAppId, body.GroupId, { userIds: [body.Member_Account] });
        if (!ok || !member) {
          throw new V4Error(GroupError.NoPermission, `"${body.Member_Account}" is not a member of the group`);
        }
        return {};
      },
    }),

    defineCommand({
      name: 'group_open_http_svc/send_group_msg',
      body: z.object({
        ...sendFields,
        GroupId: groupId,
        Random: uint32,
        MsgPriority: z.string().optional(),
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
      invalid,
      async handle({ app }, body) {
        const elements = parseMsgBody(body.MsgBody, {
          invalidCode: GroupError.InvalidParameter,
          tooLongCode: GroupError.TooLong,
          maxBytes: MAX_GROUP_MSG_BYTES,
        });
        checkRequestSize(body);
        const group = await requireGroup(app.sdkAppId, body.GroupId);
        if (body.TopicId !== undefined)
          throw new V4Error(GroupError.InvalidParameter, 'TopicId: Pushline has no Community topics');
        const from = body.From_Account ?? app.adminIdentifier;
        if (body.From_Account !== undefined && from !== app.adminIdentifier) {
          await requireAccounts(app.sdkAppId, [from]);
          const [member] = await groups.members(app.sdkAppId, body.GroupId, { userIds: [from] });
          if (!member)
            throw new V4Error(GroupError.NoPermission, `From_Account "${from}" is not a group member`);
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
          }),
        );
        return { MsgTime: r.msgTime, MsgSeq: r.msgSeq };
      },
    }),
  ];
}
