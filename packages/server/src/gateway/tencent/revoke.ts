// revokeMessage of Tencent's SDK (`openim.msgwithdraw`, `group_open_http_svc.group_msg_recall`) through Pushline's own
// revokeMessage (gateway/ops.ts, messaging/recall.ts): the same time limit, refusals and retraction of
// pushes. Every device holding the message learns of it — `@pushline/sdk` ones by their `messageRevoked`
// event, Tencent-SDK ones by the notice below.

import type { GatewayContext } from '../context.js';
import type { Session } from '../handler.js';
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

/**
 * `GroupId`, `MsgSeqList: [{MsgSeq}]` (the SDK recalls one at a time). The group's MsgSeq names the message
 * in the user's inbox; Pushline's recall decides whether the user may (its own, or any as owner or admin).
 */
export async function revokeGroup(ctx: GatewayContext, s: Session, body: Body, fail: ErrorOf): Promise<Body> {
  const groupId = body.GroupId;
  if (typeof groupId !== 'string' || groupId === '')
    throw fail(TencentCode.InvalidParameters, 'GroupId is required');
  const list = Array.isArray(body.MsgSeqList) ? body.MsgSeqList : [];
  const seqs = list.map((i) => (i && typeof i === 'object' ? (i as Body).MsgSeq : undefined));
  if (seqs.length === 0 || seqs.length > 20 || !seqs.every(isUint))
    throw fail(TencentCode.InvalidParameters, 'MsgSeqList must hold 1 to 20 {MsgSeq}');
  const results: Body[] = [];
  for (const seq of seqs as number[]) {
    const [entry] = await ctx.inbox.groupHistory(s.sdkAppId, s.userId, groupId, seq, 1);
    if (entry?.message.msgSeq !== seq) throw fail(10030, `group "${groupId}" has no message ${seq} for you`);
    await viaPushline(
      () =>
        sessionOps.revokeMessage(ctx, s, {
          conversationId: `group_${groupId}`,
          msgKey: entry.message.msgKey,
        }),
      fail,
    );
    results.push({ MsgSeq: seq, RetCode: 0 });
  }
  return { RecallRetList: results };
}

/** The `messageRevoked` event of messaging/recall.ts. */
interface Revoked {
  msgKey: string;
  msgSeq: number;
  type: string;
  from: string;
  to?: string;
  groupId?: string;
  /** Who recalled it (the sender, or the app's administrator). */
  revoker: string;
}

/**
 * The `im_open_push.msg_push` event that tells the SDK a one-to-one message was recalled (C2C notices are
 * event 10; the SDK finds the message by MsgSeq and MsgRandom and emits MESSAGE_REVOKED), or of a group.
 * Undefined for an event this gateway cannot read.
 */
export function revokedNotice(sdkAppId: number, data: unknown): Body | undefined {
  const r = data as Revoked;
  if (r?.type === 'group' && typeof r.groupId === 'string') return groupRevokedNotice(r);
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

/**
 * A group recall: a group tip (`msg_push` event 5) whose body lists the recalled MsgSeqs; the SDK marks the
 * message recalled in the group's conversation and emits MESSAGE_REVOKED.
 */
function groupRevokedNotice(r: Revoked): Body {
  return {
    Event: 5,
    GroupTips: [
      {
        GroupInfo: { GroupId: r.groupId },
        RevokerInfo: { Revoker_Account: r.revoker },
        MsgBody: { GroupWithdrawInfoArray: [{ GroupId: r.groupId, MsgSeq: r.msgSeq }] },
      },
    ],
  };
}
