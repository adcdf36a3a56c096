// openim/sendmsg and openim/batchsendmsg (docs/internals/tencent-im.md#sending-c2c-messages).
import { z } from 'zod';
import type { AccountsService } from '../../apps/accounts.js';
import {
  DEFAULT_LIFETIME_SECONDS,
  MAX_LIFETIME_SECONDS,
  type MessagingService,
} from '../../messaging/messages.js';
import { defineCommand, RestError, type V4Command, type V4Context, V4Error } from './command.js';
import {
  asV4,
  checkRequestSize,
  MAX_BODY_BYTES,
  parseMsgBody,
  restCallbacks,
  sendFields,
  sendRefusals,
  uint32,
} from './send-common.js';

export const MAX_BATCH_RECIPIENTS = 500;

const MsgError = {
  BodyInvalid: 90002,
  ToAccount: 90003,
  MsgRandom: 90005,
  BodyNotArray: 90007,
  FormatInvalid: 90010,
  BatchTooLarge: 90011,
  ToNotRegistered: 90012,
  LifeTimeTooLong: 90026,
  SyncOtherMachine: 90031,
  LifeTimeNotInt: 90044,
  FromNotFound: 90048,
  TooLong: 80002,
} as const;

const common = {
  ...sendFields,
  SyncOtherMachine: z.number().int().min(1).max(2).optional(),
  MsgLifeTime: z.number().int().min(0).optional(),
  MsgSeq: uint32.optional(),
  MsgRandom: uint32,
};

const invalidFields = {
  To_Account: MsgError.ToAccount,
  MsgRandom: MsgError.MsgRandom,
  MsgBody: MsgError.BodyNotArray,
  MsgLifeTime: MsgError.LifeTimeNotInt,
  SyncOtherMachine: MsgError.SyncOtherMachine,
  OfflinePushInfo: MsgError.FormatInvalid,
  SendMsgControl: MsgError.FormatInvalid,
  ForbidCallbackControl: MsgError.FormatInvalid,
  CloudCustomData: MsgError.FormatInvalid,
  SupportMessageExtension: MsgError.FormatInvalid,
  IsNeedReadReceipt: MsgError.FormatInvalid,
};
/** A field Pushline refuses (sendRefusals): the request does not match what Pushline can send. */
const invalid = { default: MsgError.BodyInvalid, fields: invalidFields, refused: MsgError.FormatInvalid };

export interface MessageCommandDeps {
  accounts: AccountsService;
  messaging: MessagingService;
}

type CommonBody = z.infer<z.ZodObject<typeof common>>;

/**
 * Checks shared by both commands; returns the sender, the parsed body and which of `receivers` exist (looked
 * up in the same query as the sender: one read per send instead of two).
 */
async function prepare(
  deps: MessageCommandDeps,
  ctx: V4Context,
  body: CommonBody,
  receivers: readonly string[],
) {
  const lifeTime = body.MsgLifeTime ?? DEFAULT_LIFETIME_SECONDS;
  if (lifeTime > MAX_LIFETIME_SECONDS) {
    throw new V4Error(
      MsgError.LifeTimeTooLong,
      `MsgLifeTime is at most ${MAX_LIFETIME_SECONDS} seconds (7 days)`,
    );
  }
  const elements = parseMsgBody(body.MsgBody, {
    invalidCode: MsgError.BodyInvalid,
    tooLongCode: MsgError.TooLong,
    maxBytes: MAX_BODY_BYTES,
  });
  checkRequestSize(body);
  const from = body.From_Account ?? ctx.app.adminIdentifier;
  const fromIsAdmin = from === ctx.app.adminIdentifier;
  const found = await deps.accounts.nicks(ctx.app.sdkAppId, [
    ...new Set(fromIsAdmin ? receivers : [from, ...receivers]),
  ]);
  const senderNick = fromIsAdmin ? undefined : found.get(from);
  if (!fromIsAdmin && senderNick === undefined) {
    throw new V4Error(MsgError.FromNotFound, `From_Account "${from}" does not exist`);
  }
  return { from, lifeTime, elements, found, senderNick };
}

function sendRequest(ctx: V4Context, body: CommonBody, p: Awaited<ReturnType<typeof prepare>>) {
  return {
    sdkAppId: ctx.app.sdkAppId,
    source: 'rest' as const,
    from: p.from,
    ...(p.senderNick !== undefined ? { senderNick: p.senderNick } : {}),
    body: p.elements,
    offlinePushInfo: body.OfflinePushInfo,
    lifeTime: p.lifeTime,
    msgSeq: body.MsgSeq,
    msgRandom: body.MsgRandom,
    cloudCustomData: body.CloudCustomData,
    sendMsgControl: body.SendMsgControl ?? [],
    // The administrator has no devices: nothing to sync to.
    syncOtherMachine: (p.from === ctx.app.adminIdentifier ? 2 : (body.SyncOtherMachine ?? 1)) as 1 | 2,
  };
}

export function messageCommands(deps: MessageCommandDeps): V4Command[] {
  return [
    defineCommand({
      name: 'openim/sendmsg',
      body: z.object({ ...common, To_Account: z.string().min(1) }),
      invalid,
      examples: [
        {
          From_Account: 'sam',
          To_Account: 'alice',
          MsgRandom: 1,
          MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }],
        },
      ],
      refused: sendRefusals,
      async handle(ctx, body) {
        const p = await prepare(deps, ctx, body, [body.To_Account]);
        if (!p.found.has(body.To_Account)) {
          throw new V4Error(MsgError.ToNotRegistered, `To_Account "${body.To_Account}" is not registered`);
        }
        const r = await asV4(
          deps.messaging.send({
            ...sendRequest(ctx, body, p),
            target: { kind: 'c2c', to: [body.To_Account] },
            onlineOnly: false,
            callbacks: restCallbacks(ctx, body.ForbidCallbackControl),
          }),
        );
        return { MsgTime: r.msgTime, MsgKey: r.msgKey, MsgId: r.msgId };
      },
    }),

    defineCommand({
      name: 'openim/batchsendmsg',
      body: z.object({
        ...common,
        To_Account: z.array(z.string().min(1)).min(1),
        OnlineOnlyFlag: z.number().int().min(0).max(1).optional(),
      }),
      invalid,
      refused: sendRefusals,
      async handle(ctx, body) {
        if (body.To_Account.length > MAX_BATCH_RECIPIENTS) {
          throw new V4Error(
            MsgError.BatchTooLarge,
            `To_Account holds ${body.To_Account.length} accounts; at most ${MAX_BATCH_RECIPIENTS}`,
          );
        }
        const targets = [...new Set(body.To_Account)];
        const p = await prepare(deps, ctx, body, targets);
        const found = p.found;
        const existing = targets.filter((id) => found.has(id));
        const ErrorList: { To_Account: string; ErrorCode: number }[] = targets
          .filter((id) => !found.has(id))
          .map((id) => ({ To_Account: id, ErrorCode: RestError.AccountNotFound }));
        const request = (to: string[]) => ({
          ...sendRequest(ctx, body, p),
          target: { kind: 'c2c' as const, to },
          onlineOnly: body.OnlineOnlyFlag === 1,
        });
        // A muted sender is refused outright; receivers that blocked the sender (or fail the friend check)
        // are listed with their code and the others get the message.
        const refused = await deps.messaging.refusals(request(existing));
        const whole = refused.get('');
        if (whole) throw new V4Error(whole.code, whole.message);
        for (const [id, err] of refused) ErrorList.push({ To_Account: id, ErrorCode: err.code });
        const to = existing.filter((id) => !refused.has(id));
        if (to.length === 0) return { MsgKey: '', ErrorList };
        const r = await asV4(deps.messaging.send(request(to)));
        return { MsgKey: r.msgKey, ErrorList };
      },
    }),
  ];
}
