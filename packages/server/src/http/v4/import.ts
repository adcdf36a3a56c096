// Importing history from Tencent IM or another system: openim/importmsg (one one-to-one message with its
// original time). Fields, limits and codes: docs/internals/tencent-im.md#importing-messages.
import { z } from 'zod';
import type { AccountsService } from '../../apps/accounts.js';
import type { GroupsService } from '../../messaging/groups.js';
import { GROUP_LIMITS, GROUP_TYPES, MAX_GROUP_MEMBERS } from '../../messaging/groups.js';
import { GroupImportError, type ImportService } from '../../messaging/import.js';
import { defineCommand, type V4Command, V4Error } from './command.js';
import { bytes, customData, dataOf, GroupError } from './group-fields.js';
import { checkRequestSize, MAX_BODY_BYTES, parseMsgBody, sendFields, uint32 } from './send-common.js';

/** Tencent's openim codes for importmsg (the mapping of each check is our reading where Tencent ties none). */
export const ImportError = {
  Invalid: 90001,
  BodyInvalid: 90002,
  ToAccount: 90003,
  MsgRandom: 90005,
  MsgTimeStamp: 90006,
  BodyNotArray: 90007,
  FormatInvalid: 90010,
  ToNotRegistered: 90012,
  FromNotFound: 90048,
  TooLong: 80002,
} as const;

/** Most messages one import_group_msg request holds (Tencent's limit). */
export const MAX_GROUP_IMPORT = 7;
/** Most members one import_group_member request holds (Tencent's limit). */
export const MAX_MEMBER_IMPORT = 300;
const MAX_GROUP_MSG_BYTES = 8000;

export interface ImportCommandDeps {
  accounts: AccountsService;
  groups: GroupsService;
  imports: ImportService;
}

export function importCommands(deps: ImportCommandDeps): V4Command[] {
  return [
    defineCommand({
      name: 'openim/importmsg',
      body: z.object({
        // Tencent accepts 2 (history: no unread, nothing sent to devices) and 5 (real time: unread counted).
        SyncFromOldSystem: z.union([z.literal(2), z.literal(5)]),
        From_Account: z.string().min(1),
        To_Account: z.string().min(1),
        MsgSeq: uint32,
        MsgRandom: uint32,
        MsgTimeStamp: uint32,
        MsgBody: sendFields.MsgBody,
        CloudCustomData: z.string().optional(),
      }),
      invalid: {
        default: ImportError.Invalid,
        fields: {
          To_Account: ImportError.ToAccount,
          MsgRandom: ImportError.MsgRandom,
          MsgTimeStamp: ImportError.MsgTimeStamp,
          MsgBody: ImportError.BodyNotArray,
          CloudCustomData: ImportError.FormatInvalid,
        },
      },
      async handle(ctx, body) {
        const elements = parseMsgBody(body.MsgBody, {
          invalidCode: ImportError.BodyInvalid,
          tooLongCode: ImportError.TooLong,
          maxBytes: MAX_BODY_BYTES,
        });
        checkRequestSize(body);
        const found = await deps.accounts.existing(ctx.app.sdkAppId, [body.From_Account, body.To_Account]);
        if (!found.has(body.From_Account)) {
          throw new V4Error(ImportError.FromNotFound, `From_Account "${body.From_Account}" does not exist`);
        }
        if (!found.has(body.To_Account)) {
          throw new V4Error(ImportError.ToNotRegistered, `To_Account "${body.To_Account}" is not registered`);
        }
        await deps.imports.importC2C({
          sdkAppId: ctx.app.sdkAppId,
          mode: body.SyncFromOldSystem,
          from: body.From_Account,
          to: body.To_Account,
          msgSeq: body.MsgSeq,
          msgRandom: body.MsgRandom,
          msgTime: body.MsgTimeStamp,
          body: elements,
          cloudCustomData: body.CloudCustomData,
        });
        return {};
      },
    }),

    defineCommand({
      name: 'group_open_http_svc/import_group',
      body: z.object({
        Owner_Account: z.string().min(1).optional(),
        Type: z.enum(GROUP_TYPES),
        GroupId: z.string().min(1).max(48).optional(),
        Name: bytes(GROUP_LIMITS.name, 'Name').pipe(z.string().min(1)),
        Introduction: bytes(GROUP_LIMITS.introduction, 'Introduction').optional(),
        Notification: bytes(GROUP_LIMITS.notification, 'Notification').optional(),
        FaceUrl: bytes(GROUP_LIMITS.faceUrl, 'FaceUrl').optional(),
        MaxMemberCount: z.number().int().min(1).max(MAX_GROUP_MEMBERS).optional(),
        ApplyJoinOption: z.enum(['FreeAccess', 'NeedPermission', 'DisableApply']).optional(),
        CreateTime: uint32.optional(),
        AppDefinedData: customData.optional(),
      }),
      invalid: {
        default: GroupError.InvalidParameter,
        fields: { GroupId: GroupError.InvalidGroupId },
      },
      async handle(ctx, body) {
        const sdkAppId = ctx.app.sdkAppId;
        if (body.GroupId?.startsWith('@TGS#')) {
          throw new V4Error(GroupError.InvalidGroupId, 'a custom GroupId must not start with @TGS#');
        }
        const createTime = body.CreateTime ?? Math.floor(Date.now() / 1000);
        if (body.CreateTime !== undefined && body.CreateTime * 1000 > Date.now()) {
          throw new V4Error(GroupError.InvalidParameter, `CreateTime ${body.CreateTime} is in the future`);
        }
        const appDefinedData = dataOf('AppDefinedData', body.AppDefinedData ?? [], 'group');
        if (body.Owner_Account) {
          const found = await deps.accounts.existing(sdkAppId, [body.Owner_Account]);
          if (!found.has(body.Owner_Account)) {
            throw new V4Error(
              GroupError.AccountNotFound,
              `Owner_Account "${body.Owner_Account}" does not exist`,
            );
          }
        }
        const id = await deps.groups.create(sdkAppId, {
          groupId: body.GroupId,
          type: body.Type,
          name: body.Name,
          owner: body.Owner_Account,
          members: [],
          profile: {
            introduction: body.Introduction ?? '',
            notification: body.Notification ?? '',
            faceUrl: body.FaceUrl ?? '',
            maxMemberNum: body.MaxMemberCount ?? MAX_GROUP_MEMBERS,
            ...(body.ApplyJoinOption ? { applyJoinOption: body.ApplyJoinOption } : {}),
            appDefinedData,
          },
          createdAt: createTime * 1000,
        });
        if (!id) throw new V4Error(GroupError.GroupIdTaken, `GroupId "${body.GroupId}" is already in use`);
        return { GroupId: id };
      },
    }),

    defineCommand({
      name: 'group_open_http_svc/import_group_member',
      body: z.object({
        GroupId: z.string().min(1).max(48),
        MemberList: z
          .array(
            z.object({
              Member_Account: z.string().min(1),
              Role: z.enum(['Admin', 'Member']).optional(),
              JoinTime: uint32.optional(),
              UnreadMsgNum: uint32.optional(),
            }),
          )
          .min(1)
          .max(MAX_MEMBER_IMPORT),
      }),
      invalid: { default: GroupError.InvalidParameter },
      async handle(ctx, body) {
        const sdkAppId = ctx.app.sdkAppId;
        const group = await deps.groups.get(sdkAppId, body.GroupId);
        if (!group) throw new V4Error(GroupError.NotFound, `group ${body.GroupId} does not exist`);
        // Tencent's answer for an AVChatRoom group, which keeps no history.
        if (group.type === 'AVChatRoom') {
          throw new V4Error(GroupError.NoPermission, 'AVChatRoom groups take no member import');
        }
        const nowSeconds = Math.floor(Date.now() / 1000);
        const created = Math.floor(group.createdAt / 1000);
        for (const m of body.MemberList) {
          if (m.JoinTime !== undefined && (m.JoinTime > nowSeconds || m.JoinTime < created)) {
            throw new V4Error(
              GroupError.InvalidParameter,
              `JoinTime ${m.JoinTime} of "${m.Member_Account}" is before the group's creation (${created}) or in the future`,
            );
          }
        }
        const unique = [...new Map(body.MemberList.map((m) => [m.Member_Account, m])).values()];
        const found = await deps.accounts.existing(
          sdkAppId,
          unique.map((m) => m.Member_Account),
        );
        const count = await deps.groups.memberCount(sdkAppId, body.GroupId);
        const candidates = unique.filter((m) => found.has(m.Member_Account));
        const present = new Set(
          (
            await deps.groups.members(sdkAppId, body.GroupId, {
              userIds: candidates.map((m) => m.Member_Account),
            })
          ).map((m) => m.userId),
        );
        const adding = candidates.filter((m) => !present.has(m.Member_Account));
        if (count + adding.length > group.maxMemberNum) {
          throw new V4Error(GroupError.GroupFull, `the group holds at most ${group.maxMemberNum} members`);
        }
        const results = await deps.imports.importGroupMembers(
          sdkAppId,
          body.GroupId,
          candidates.map((m) => ({
            userId: m.Member_Account,
            role: m.Role ?? 'Member',
            joinTime: m.JoinTime ?? nowSeconds,
            unread: m.UnreadMsgNum ?? 0,
          })),
        );
        return {
          MemberList: body.MemberList.map((m) => ({
            Member_Account: m.Member_Account,
            Result: results.get(m.Member_Account) ?? 0,
          })),
        };
      },
    }),

    defineCommand({
      name: 'group_open_http_svc/import_group_msg',
      body: z.object({
        GroupId: z.string().min(1).max(48),
        RecentContactFlag: z.union([z.literal(0), z.literal(1)]).optional(),
        MsgList: z
          .array(
            z.object({
              From_Account: z.string().min(1),
              SendTime: uint32,
              Random: uint32.optional(),
              MsgBody: sendFields.MsgBody,
            }),
          )
          .min(1)
          .max(MAX_GROUP_IMPORT),
      }),
      invalid: { default: GroupError.InvalidParameter },
      async handle(ctx, body) {
        const sdkAppId = ctx.app.sdkAppId;
        const list = body.MsgList.map((m) => ({
          from: m.From_Account,
          sendTime: m.SendTime,
          random: m.Random ?? 0,
          body: parseMsgBody(m.MsgBody, {
            invalidCode: GroupError.InvalidParameter,
            tooLongCode: GroupError.TooLong,
            maxBytes: MAX_GROUP_MSG_BYTES,
          }),
        }));
        const group = await deps.groups.get(sdkAppId, body.GroupId);
        if (!group) throw new V4Error(GroupError.NotFound, `group ${body.GroupId} does not exist`);
        // Tencent's answer for an AVChatRoom group, which keeps no history.
        if (group.type === 'AVChatRoom') {
          throw new V4Error(GroupError.NoPermission, 'AVChatRoom groups keep no history to import into');
        }
        const senders = [...new Set(list.map((m) => m.from))];
        const found = await deps.accounts.existing(sdkAppId, senders);
        const missing = senders.filter((id) => !found.has(id));
        if (missing.length > 0) {
          throw new V4Error(
            GroupError.InvalidParameter,
            `From_Account ${missing.map((id) => `"${id}"`).join(', ')} does not exist`,
          );
        }
        try {
          const results = await deps.imports.importGroup(
            sdkAppId,
            body.GroupId,
            body.RecentContactFlag === 1,
            list,
            Math.floor(group.createdAt / 1000),
          );
          return {
            ImportMsgResult: results.map((r) => ({ MsgSeq: r.msgSeq, MsgTime: r.msgTime, Result: r.result })),
          };
        } catch (err) {
          if (err instanceof GroupImportError) {
            throw new V4Error(
              err.reason === 'no-group' ? GroupError.NotFound : GroupError.InvalidParameter,
              err.message,
            );
          }
          throw err;
        }
      },
    }),
  ];
}
