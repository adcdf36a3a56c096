// openim/admin_msgwithdraw and group_open_http_svc/group_msg_recall (docs/internals/tencent-im.md#recall):
// the administrator recalls a C2C message by MsgKey, or up to 10 group messages by MsgSeq, at any age while
// the message is kept. The message leaves history and sync, online devices get `messageRevoked`, queued
// pushes of it are not sent and delivered notifications are retracted (messaging/recall.ts, push/engine).
import { z } from 'zod';
import type { AccountsService } from '../../apps/accounts.js';
import type { GroupsService } from '../../messaging/groups.js';
import { RecallError, type RecallRefusal, type RecallService } from '../../messaging/recall.js';
import { defineCommand, type V4Command, V4Error } from './command.js';
import { GroupError } from './group-fields.js';

/** Tencent's codes of admin_msgwithdraw. */
export const WithdrawError = {
  ToAccount: 90003,
  FromAccount: 90008,
  NotFound: 20022,
  AlreadyRecalled: 20023,
  InvalidMsgKey: 90054,
} as const;

/** Tencent's RetCode of one MsgSeq in group_msg_recall's RecallRetList: 10030, the message to recall does
 *  not exist (a message recalled before is gone too). */
export const GroupRecallRet = { Ok: 0, NotFound: 10030 } as const;

/** At most 10 messages per group_msg_recall request. */
export const MAX_GROUP_RECALL = 10;

/** `<MsgSeq>_<MsgRandom>_<MsgTime>`, as sendmsg answers it. */
const MSG_KEY = /^\d{1,10}_\d{1,10}_\d{1,10}$/;

export interface RecallCommandDeps {
  accounts: AccountsService;
  groups: GroupsService;
  recall: RecallService;
}

export function recallCommands(deps: RecallCommandDeps): V4Command[] {
  return [
    defineCommand({
      name: 'openim/admin_msgwithdraw',
      body: z.object({
        From_Account: z.string().min(1),
        To_Account: z.string().min(1),
        MsgKey: z.string(),
      }),
      invalid: {
        default: WithdrawError.InvalidMsgKey,
        fields: { From_Account: WithdrawError.FromAccount, To_Account: WithdrawError.ToAccount },
      },
      async handle(ctx, body) {
        const sdkAppId = ctx.app.sdkAppId;
        if (!MSG_KEY.test(body.MsgKey))
          throw new V4Error(
            WithdrawError.InvalidMsgKey,
            'MsgKey is not a MsgKey: <MsgSeq>_<MsgRandom>_<MsgTime>',
          );
        const found = await deps.accounts.existing(sdkAppId, [body.From_Account, body.To_Account]);
        if (!found.has(body.From_Account) && body.From_Account !== ctx.app.adminIdentifier)
          throw new V4Error(WithdrawError.FromAccount, `From_Account "${body.From_Account}" does not exist`);
        if (!found.has(body.To_Account))
          throw new V4Error(WithdrawError.ToAccount, `To_Account "${body.To_Account}" does not exist`);
        try {
          await deps.recall.recall(
            sdkAppId,
            { kind: 'c2c', from: body.From_Account, to: body.To_Account, msgKey: body.MsgKey },
            { kind: 'admin' },
          );
        } catch (err) {
          if (!(err instanceof RecallError)) throw err;
          const code: Partial<Record<RecallRefusal, number>> = {
            'not-found': WithdrawError.NotFound,
            'already-recalled': WithdrawError.AlreadyRecalled,
          };
          throw new V4Error(code[err.reason] ?? WithdrawError.NotFound, err.message);
        }
        return {};
      },
    }),

    defineCommand({
      name: 'group_open_http_svc/group_msg_recall',
      body: z.object({
        GroupId: z.string().min(1).max(48),
        MsgSeqList: z.array(z.object({ MsgSeq: z.number().int().min(0).max(4_294_967_295) })).min(1),
        TopicId: z.string().optional(),
      }),
      invalid: { default: GroupError.InvalidParameter, fields: { GroupId: GroupError.InvalidGroupId } },
      refused: [
        {
          field: 'TopicId',
          refuses: (body) => body.TopicId !== undefined,
          why: 'Pushline has no community topics; leave it out',
        },
      ],
      async handle(ctx, body) {
        const sdkAppId = ctx.app.sdkAppId;
        if (body.MsgSeqList.length > MAX_GROUP_RECALL)
          throw new V4Error(
            GroupError.InvalidParameter,
            `MsgSeqList holds ${body.MsgSeqList.length} messages; at most ${MAX_GROUP_RECALL} per request`,
          );
        const group = await deps.groups.get(sdkAppId, body.GroupId);
        if (!group) throw new V4Error(GroupError.NotFound, `group "${body.GroupId}" does not exist`);
        const RecallRetList: { MsgSeq: number; RetCode: number }[] = [];
        for (const { MsgSeq } of body.MsgSeqList) {
          let RetCode: number = GroupRecallRet.Ok;
          try {
            await deps.recall.recall(
              sdkAppId,
              { kind: 'group', groupId: body.GroupId, msgSeq: MsgSeq },
              {
                kind: 'admin',
              },
            );
          } catch (err) {
            if (!(err instanceof RecallError)) throw err;
            RetCode = GroupRecallRet.NotFound;
          }
          RecallRetList.push({ MsgSeq, RetCode });
        }
        return { RecallRetList };
      },
    }),
  ];
}
