// The MsgId of a message: the identifier Tencent IM's message callbacks carry next to MsgKey
// (docs/internals/tencent-im.md#msgid). Tencent builds it as `<sender's numeric id>-<MsgTime>-<MsgRandom>`;
// Pushline has no numeric user ids, so the first part is derived from the app and the sender's UserID. It
// is computed, not stored: the same message always has the same MsgId (a resent duplicate answers the
// first one's), in the callbacks and in the sendmsg / send_group_msg answers.
import { hash } from 'node:crypto';

/** Below 2^62: a positive decimal that fits a signed 64-bit integer, like Tencent's. */
const MASK = (1n << 62n) - 1n;

export function msgIdOf(m: { sdkAppId: number; from: string; msgTime: number; msgRandom: number }): string {
  const digest = hash('sha256', `${m.sdkAppId}\u0000${m.from}`, 'buffer');
  const sender = digest.readBigUInt64BE(0) & MASK;
  return `${sender}-${m.msgTime}-${m.msgRandom}`;
}
