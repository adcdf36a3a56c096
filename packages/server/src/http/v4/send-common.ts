// Pieces shared by the v4 send commands (openim/sendmsg, batchsendmsg, group send_group_msg).
import { z } from 'zod';
import type { SendCallbacks } from '../../messaging/callbacks.js';
import { type MsgBody, msgBody, offlinePushInfo } from '../../messaging/message-types.js';
import { MessagingError } from '../../messaging/messages.js';
import { checkedInHandler, type V4Context, V4Error } from './command.js';

export const uint32 = z.number().int().min(0).max(4_294_967_295);
export const MAX_BODY_BYTES = 12 * 1024;
export const flag = z.union([z.literal(0), z.literal(1)]);

/** SendMsgControl values; each is implemented (messaging/messages.ts, message-store.ts, receive-options.ts). */
export const SEND_MSG_CONTROLS = ['NoUnread', 'NoLastMsg', 'WithMuteNotifications'] as const;
/**
 * ForbidCallbackControl values: the send triggers no before-send / after-send message callback
 * (messaging/callbacks.ts).
 */
export const FORBID_CALLBACK_CONTROLS = [
  'ForbidBeforeSendMsgCallback',
  'ForbidAfterSendMsgCallback',
] as const;

/** Fields every send command accepts (Tencent's names). */
export const sendFields = {
  From_Account: z.string().min(1).optional(),
  MsgBody: checkedInHandler(z.array(z.unknown()), msgBody),
  OfflinePushInfo: offlinePushInfo.optional(),
  ForbidCallbackControl: z.array(z.enum(FORBID_CALLBACK_CONTROLS)).optional(),
  SendMsgControl: z.array(z.enum(SEND_MSG_CONTROLS)).optional(),
  CloudCustomData: z.string().optional(),
  /** Refused when 1 (sendRefusals). */
  SupportMessageExtension: flag.optional(),
  /** Refused when 1 (sendRefusals). */
  IsNeedReadReceipt: flag.optional(),
};

/** The send fields Pushline refuses (V4Command.refused). */
export const sendRefusals = [
  {
    field: 'SupportMessageExtension',
    refuses: (b: { SupportMessageExtension?: 0 | 1 | undefined }) => b.SupportMessageExtension === 1,
    why: 'Pushline has no message extensions (key-value extensions of a sent message); send 0 or leave it out',
  },
  {
    field: 'IsNeedReadReceipt',
    refuses: (b: { IsNeedReadReceipt?: 0 | 1 | undefined }) => b.IsNeedReadReceipt === 1,
    why: 'Pushline has no message read receipts; send 0 or leave it out',
  },
];

/** Validates the elements; throws `invalidCode` for a bad element and `tooLongCode` past `maxBytes`. */
export function parseMsgBody(
  raw: unknown[],
  opts: { invalidCode: number; tooLongCode: number; maxBytes: number },
): MsgBody {
  const parsed = msgBody.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `MsgBody.${issue.path.join('.')}` : 'MsgBody';
    throw new V4Error(opts.invalidCode, `invalid ${where}: ${issue?.message ?? 'invalid element'}`);
  }
  const size = Buffer.byteLength(JSON.stringify(parsed.data));
  if (size > opts.maxBytes) {
    throw new V4Error(opts.tooLongCode, `MsgBody is ${size} bytes; at most ${opts.maxBytes}`);
  }
  return parsed.data;
}

/** Request JSON larger than Tencent's 12 KB: 93000. */
export function checkRequestSize(body: unknown): void {
  const size = Buffer.byteLength(JSON.stringify(body));
  if (size > MAX_BODY_BYTES)
    throw new V4Error(93000, `request JSON is ${size} bytes; at most ${MAX_BODY_BYTES}`);
}

/** The message callbacks a REST send triggers: both, unless ForbidCallbackControl forbids them. */
export function restCallbacks(
  ctx: V4Context,
  forbid: readonly (typeof FORBID_CALLBACK_CONTROLS)[number][] | undefined,
): SendCallbacks {
  return {
    origin: { ClientIP: ctx.clientIp, OptPlatform: 'RESTAPI' },
    before: !forbid?.includes('ForbidBeforeSendMsgCallback'),
    after: !forbid?.includes('ForbidAfterSendMsgCallback'),
    operator: ctx.identifier,
  };
}

export async function asV4<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof MessagingError) throw new V4Error(err.code, err.message);
    throw err;
  }
}
