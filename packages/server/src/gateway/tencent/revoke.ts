// revokeMessage of Tencent's SDK for one-to-one messages (`openim.msgwithdraw`) through Pushline's own
// revokeMessage (gateway/ops.ts, messaging/recall.ts): the same time limit, refusals and retraction of
// pushes. Every device holding the message learns of it — `@pushline/sdk` ones by their `messageRevoked`
// event, Tencent-SDK ones by the notice below.

import type { GatewayContext } from '../context.js';
import type { Session } from '../ops.js';
import { sessionOps } from '../ops.js';
import { TencentCode, tinyIdOf } from './frames.js';
import { type ErrorOf, viaPushline } from './via-pushline.js';

type Body = Record<string, unknown>;

const isUint = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 53;

/** `MsgInfo: {From_Account, To_Account, MsgSeq, MsgRandom, MsgTimeStamp}`: the three numbers are its MsgKey. */
export async function revokeC2C(ctx: GatewayContext, s: Session, body: Body, fail: ErrorOf): Promise<Body> {
  const info = body.MsgInfo;
  if (!info || typeof info !== 'object') throw fail(TencentCode.InvalidParameters, 'MsgInfo is required');
  const {
    From_Account: from,
    To_Account: to,
    MsgSeq: seq,
    MsgRandom: random,
    MsgTimeStamp: time,
  } = info as Body;
  if (from !== undefined && from !== s.userId)
    throw fail(20022, 'only the sender recalls a one-to-one message: From_Account must be you');
  if (typeof to !== 'string' || to === '')
    throw fail(TencentCode.InvalidParameters, 'MsgInfo.To_Account is required');
  if (!isUint(seq) || !isUint(random) || !isUint(time))
    throw fail(TencentCode.InvalidParameters, 'MsgInfo needs MsgSeq, MsgRandom and MsgTimeStamp');
  await viaPushline(
    () =>
      sessionOps.revokeMessage(ctx, s, { conversationId: `c2c_${to}`, msgKey: `${seq}_${random}_${time}` }),
    fail,
  );
  return {};
}

/** The `messageRevoked` event of messaging/recall.ts. */
interface Revoked {
  msgKey: string;
  msgSeq: number;
  type: string;
  from: string;
  to?: string;
  /** Who recalled it (the sender, or the app's administrator). */
  revoker: string;
}

/**
 * The `im_open_push.msg_push` event that tells the SDK a one-to-one message was recalled (C2C notices are
 * event 10; the SDK finds the message by MsgSeq and MsgRandom and emits MESSAGE_REVOKED). Undefined for
 * what this gateway does not announce (group recalls).
 */
export function revokedNotice(sdkAppId: number, data: unknown): Body | undefined {
  const r = data as Revoked;
  if (r?.type !== 'c2c' || typeof r.msgKey !== 'string') return undefined;
  const [, random, time] = r.msgKey.split('_').map(Number);
  return {
    Event: 10,
    C2cNotifyMsgArray: [
      {
        WithdrawC2cMsgNotify: {
          C2cWithdrawInfoArray: [
            {
              From_Account: r.from,
              To_Account: r.to,
              MsgSeq: r.msgSeq,
              MsgRandom: random,
              MsgTimeStamp: time,
              TinyId: tinyIdOf(sdkAppId, r.from),
              // The SDK looks up the revoker's profile before it emits MESSAGE_REVOKED.
              RevokerInfo: { Revoker_Account: r.revoker },
            },
          ],
        },
      },
    ],
  };
}
