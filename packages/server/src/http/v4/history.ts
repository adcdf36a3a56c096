// Message history and edits for the administrator: openim/admin_getroammsg (one-to-one history in a time
// range), group_open_http_svc/group_msg_get_simple (group history by MsgSeq), openim/modify_c2c_msg and
// openim/modify_group_msg (replace a stored message's MsgBody and/or CloudCustomData). Fields, limits and
// codes: docs/internals/tencent-im.md#message-history-and-edits.
import { z } from 'zod';
import type { AccountsService } from '../../apps/accounts.js';
import type { GroupsService } from '../../messaging/groups.js';
import {
  type GroupHistoryEntry,
  type HistoryService,
  MAX_GROUP_HISTORY,
  type MessagePatch,
  type StoredMessage,
} from '../../messaging/history.js';
import { defineCommand, type V4Command, V4Error } from './command.js';
import { GroupError } from './group-fields.js';
import { checkRequestSize, flag, MAX_BODY_BYTES, parseMsgBody, uint32 } from './send-common.js';

/** Codes of the one-to-one commands (Tencent's openim codes). */
export const C2CHistoryError = {
  /** A field missing, of the wrong type or out of range. */
  Invalid: 90001,
  BodyInvalid: 90002,
  ToAccount: 90003,
  BodyNotArray: 90007,
  FormatInvalid: 90010,
  AccountNotFound: 90048,
  /** The message to modify does not exist (Tencent's "message does not exist"). */
  NoSuchMessage: 20026,
  TooLong: 80002,
} as const;

/** Codes of the group commands besides GroupError. */
export const GroupHistoryError = {
  /** The group message to modify does not exist (Tencent's code for a group message that is not there). */
  NoSuchMessage: 10030,
} as const;

const MAX_GROUP_MSG_BYTES = 8000;
/** Tencent keeps no history of AVChatRoom groups: neither group history nor edits exist for them. */
const NO_HISTORY = 'AVChatRoom';

export interface HistoryCommandDeps {
  accounts: AccountsService;
  groups: GroupsService;
  history: HistoryService;
}

const topicRefusal = {
  field: 'TopicId',
  refuses: (b: { TopicId?: string | undefined }) => b.TopicId !== undefined,
  why: 'Pushline has no Community topics; leave it out',
};

/** At least one of MsgBody and CloudCustomData, validated as a send validates them. */
function patchOf(
  body: { MsgBody?: unknown[] | undefined; CloudCustomData?: string | undefined },
  codes: { invalid: number; body: number; tooLong: number; maxBytes: number },
): MessagePatch {
  if (body.MsgBody === undefined && body.CloudCustomData === undefined) {
    throw new V4Error(codes.invalid, 'give MsgBody, CloudCustomData or both: there is nothing to modify');
  }
  const patch: MessagePatch = {};
  if (body.MsgBody !== undefined) {
    patch.body = parseMsgBody(body.MsgBody, {
      invalidCode: codes.body,
      tooLongCode: codes.tooLong,
      maxBytes: codes.maxBytes,
    });
  }
  if (body.CloudCustomData !== undefined) patch.cloudCustomData = body.CloudCustomData;
  checkRequestSize(body);
  return patch;
}

function roamItem(m: StoredMessage): Record<string, unknown> {
  return {
    From_Account: m.from_account,
    To_Account: m.to_account,
    MsgSeq: m.msg_seq,
    MsgRandom: m.msg_random,
    MsgTimeStamp: m.msg_time,
    // Recalled messages leave the users' histories (messaging/recall.ts), so none is answered here; there
    // are no read receipts: every message is a plain one, receipted by nobody.
    MsgFlagBits: 0,
    IsPeerRead: 0,
    MsgKey: m.msg_key,
    MsgBody: JSON.parse(m.body),
    ...(m.cloud_custom_data !== null ? { CloudCustomData: m.cloud_custom_data } : {}),
  };
}

/** A group history entry: the message (IsPlaceMsg 2 when recalled), or its placeholder. */
function groupEntry(e: GroupHistoryEntry, withRecalled: boolean): Record<string, unknown> {
  if (!e.message) return { MsgSeq: e.msgSeq, IsPlaceMsg: 1, MsgBody: [] };
  // Recalled: its MsgSeq says so; its content only with WithRecalledMsg 1.
  if (e.message.recalled_at !== null && !withRecalled)
    return { MsgSeq: e.msgSeq, IsPlaceMsg: 2, MsgBody: [] };
  return groupItem(e.message);
}

function groupItem(m: StoredMessage): Record<string, unknown> {
  return {
    From_Account: m.from_account,
    IsPlaceMsg: m.recalled_at !== null ? 2 : 0,
    MsgBody: JSON.parse(m.body),
    MsgRandom: m.msg_random,
    MsgSeq: m.msg_seq,
    MsgTimeStamp: m.msg_time,
    ...(m.cloud_custom_data !== null ? { CloudCustomData: m.cloud_custom_data } : {}),
    // A targeted group message names the only members who see it, so that an app showing this
    // administrator's view to members shows it to those alone (docs/rest-api.md#targeted-group-messages).
    ...(m.receivers !== null ? { To_Account: JSON.parse(m.receivers) } : {}),
  };
}

export function historyCommands({ accounts, groups, history }: HistoryCommandDeps): V4Command[] {
  async function historyGroup(sdkAppId: number, groupId: string, what: string) {
    const group = await groups.get(sdkAppId, groupId);
    if (!group) throw new V4Error(GroupError.NotFound, `group "${groupId}" does not exist`);
    if (group.type === NO_HISTORY) {
      throw new V4Error(
        GroupError.InvalidParameter,
        `${NO_HISTORY} groups keep no message history (as in Tencent IM): no ${what}`,
      );
    }
    return group;
  }

  return [
    defineCommand({
      name: 'openim/admin_getroammsg',
      body: z.object({
        Operator_Account: z.string().min(1),
        Peer_Account: z.string().min(1),
        MaxCnt: z.number().int().min(1),
        MinTime: uint32,
        MaxTime: uint32,
        LastMsgKey: z.string().min(1).optional(),
      }),
      invalid: { default: C2CHistoryError.Invalid },
      async handle(ctx, body) {
        if (body.MinTime > body.MaxTime) {
          throw new V4Error(
            C2CHistoryError.Invalid,
            `MinTime (${body.MinTime}) is after MaxTime (${body.MaxTime})`,
          );
        }
        const found = await accounts.existing(ctx.app.sdkAppId, [body.Operator_Account]);
        if (!found.has(body.Operator_Account)) {
          throw new V4Error(
            C2CHistoryError.AccountNotFound,
            `Operator_Account "${body.Operator_Account}" does not exist`,
          );
        }
        const page = await history.c2cRoam(ctx.app.sdkAppId, {
          operator: body.Operator_Account,
          peer: body.Peer_Account,
          maxCnt: body.MaxCnt,
          minTime: body.MinTime,
          maxTime: body.MaxTime,
          lastMsgKey: body.LastMsgKey,
        });
        if (!page) {
          throw new V4Error(
            C2CHistoryError.Invalid,
            `LastMsgKey "${body.LastMsgKey}" is not a message of this conversation: pass the LastMsgKey of the previous answer`,
          );
        }
        const oldest = page.messages[0];
        return {
          Complete: page.complete ? 1 : 0,
          MsgCnt: page.messages.length,
          LastMsgTime: oldest?.msg_time ?? 0,
          LastMsgKey: oldest?.msg_key ?? '',
          MsgList: page.messages.map(roamItem),
        };
      },
    }),

    defineCommand({
      name: 'group_open_http_svc/group_msg_get_simple',
      body: z.object({
        GroupId: z.string().min(1),
        ReqMsgNumber: z.number().int().min(1),
        ReqMsgSeq: uint32.optional(),
        WithRecalledMsg: flag.optional(),
        TopicId: z.string().optional(),
      }),
      invalid: { default: GroupError.InvalidParameter },
      refused: [topicRefusal],
      async handle(ctx, body) {
        await historyGroup(ctx.app.sdkAppId, body.GroupId, 'group history');
        const latest = (await history.latestGroupSeq(ctx.app.sdkAppId, body.GroupId)) ?? 0;
        const top = Math.min(body.ReqMsgSeq ?? latest, latest);
        const bottom = Math.max(1, top - Math.min(body.ReqMsgNumber, MAX_GROUP_HISTORY) + 1);
        const entries = await history.groupHistory(ctx.app.sdkAppId, body.GroupId, top, bottom);
        const list = entries.map((e) => groupEntry(e, body.WithRecalledMsg === 1));
        // Tencent: 1 = the whole requested range was answered; 0 = more than 20 asked, only 20 answered;
        // 2 = the same, and every answered message is gone. A range that reaches MsgSeq 1 within 20 is whole.
        const truncated = Math.max(1, top - body.ReqMsgNumber + 1) < bottom;
        const IsFinished = !truncated ? 1 : entries.length > 0 && entries.every((e) => !e.message) ? 2 : 0;
        return { GroupId: body.GroupId, IsFinished, RspMsgList: list };
      },
    }),

    defineCommand({
      name: 'openim/modify_c2c_msg',
      body: z.object({
        From_Account: z.string().min(1),
        To_Account: z.string().min(1),
        MsgKey: z.string().min(1),
        MsgBody: z.array(z.unknown()).optional(),
        CloudCustomData: z.string().optional(),
      }),
      invalid: {
        default: C2CHistoryError.Invalid,
        fields: {
          To_Account: C2CHistoryError.ToAccount,
          MsgBody: C2CHistoryError.BodyNotArray,
          CloudCustomData: C2CHistoryError.FormatInvalid,
        },
      },
      async handle(ctx, body) {
        const patch = patchOf(body, {
          invalid: C2CHistoryError.Invalid,
          body: C2CHistoryError.BodyInvalid,
          tooLong: C2CHistoryError.TooLong,
          maxBytes: MAX_BODY_BYTES,
        });
        const edited = await history.modify(
          ctx.app.sdkAppId,
          { kind: 'c2c', from: body.From_Account, to: body.To_Account, msgKey: body.MsgKey },
          patch,
        );
        if (!edited) {
          throw new V4Error(
            C2CHistoryError.NoSuchMessage,
            `no stored message "${body.MsgKey}" from "${body.From_Account}" to "${body.To_Account}" (never sent, online only, or expired)`,
          );
        }
        return {};
      },
    }),

    defineCommand({
      name: 'openim/modify_group_msg',
      body: z.object({
        GroupId: z.string().min(1),
        MsgSeq: uint32,
        MsgBody: z.array(z.unknown()).optional(),
        CloudCustomData: z.string().optional(),
        TopicId: z.string().optional(),
      }),
      invalid: { default: GroupError.InvalidParameter },
      refused: [topicRefusal],
      async handle(ctx, body) {
        const patch = patchOf(body, {
          invalid: GroupError.InvalidParameter,
          body: GroupError.InvalidParameter,
          tooLong: GroupError.TooLong,
          maxBytes: MAX_GROUP_MSG_BYTES,
        });
        await historyGroup(ctx.app.sdkAppId, body.GroupId, 'message edits');
        const edited = await history.modify(
          ctx.app.sdkAppId,
          { kind: 'group', groupId: body.GroupId, msgSeq: body.MsgSeq },
          patch,
        );
        if (!edited) {
          throw new V4Error(
            GroupHistoryError.NoSuchMessage,
            `group "${body.GroupId}" has no stored message with MsgSeq ${body.MsgSeq} (never sent, online only, or expired)`,
          );
        }
        return {};
      },
    }),
  ];
}
