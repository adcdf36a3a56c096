// The frames of Tencent's own client SDK (`@tencentcloud/chat`, docs/internals/tencent-sdk-protocol.md):
// `{head, body}` JSON, requests matched to answers by `head.servcmd` + `head.seq`, the body in the REST
// API's PascalCase. This module parses them and turns Pushline's stored messages into the SDK's shape.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Platform } from '../../devices/login-policy.js';
import type { InboxEntry } from '../../messaging/inbox.js';
import { groupTipItem, tipOf } from './group-tips.js';
import type { SdkMessage } from './sdk-message.js';

/** Codes the SDK reacts to (read from the 3.6.6 package), and the ones Pushline answers with. */
export const TencentCode = {
  /** A request the gateway does not implement: the SDK rejects that call only. */
  NotImplemented: 60009,
  /** A frame the gateway cannot read (not JSON, no head). */
  BadFrame: 60003,
  InvalidParameters: 6017,
  NotLoggedIn: 6014,
  /** Answering heartbeat/hello with this and a KickType makes the SDK emit KICKED_OUT. */
  KickedOut: 1002,
  /** The SDK emits SDK_NOT_READY + userSig expired and logs out. */
  UserSigExpired: 70001,
  TooManyRequests: 7008,
  Internal: 70500,
} as const;

/** KickType of `stat_forceoffline` and of the 1002 answer. */
export const KickType = { MultipleAccount: 1, MultipleDevice: 2, RestApi: 3 } as const;

export const requestHead = z.looseObject({
  servcmd: z.string().min(3).max(128),
  seq: z.union([z.number().int(), z.string().max(32)]),
  sdkappid: z.union([z.number().int(), z.string().max(16)]).optional(),
  identifier: z.string().max(256).optional(),
  usersig: z.string().max(2048).optional(),
  a2: z.string().max(2048).optional(),
});
export type RequestHead = z.infer<typeof requestHead>;

export const requestFrame = z.object({
  head: requestHead,
  body: z.record(z.string(), z.unknown()).optional(),
});
export type RequestFrame = z.infer<typeof requestFrame>;

// ---- a2: the session key the SDK logs in again with after a reconnect ----

interface A2Claims {
  /** SDKAppID, user, instance, the login's session ID, expiry (UNIX seconds, the UserSig's). */
  a: number;
  u: string;
  i: string;
  s: string;
  e: number;
}

function a2Mac(secretKey: string, payload: string): Buffer {
  return createHmac('sha256', secretKey).update(`pushline-a2\n${payload}`).digest();
}

/** A stateless a2: the claims and an HMAC under the app's UserSig key (any node can check it). */
export function issueA2(secretKey: string, claims: A2Claims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${a2Mac(secretKey, payload).toString('base64url')}`;
}

/** The claims of an a2 if its MAC is right; expiry is the caller's to check. */
export function readA2(
  a2: string,
  secretKey: (sdkAppId: number) => string | undefined,
): A2Claims | undefined {
  const [payload, mac] = a2.split('.');
  if (!payload || !mac) return undefined;
  let claims: A2Claims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as A2Claims;
  } catch {
    return undefined;
  }
  if (
    typeof claims?.a !== 'number' ||
    typeof claims.u !== 'string' ||
    typeof claims.i !== 'string' ||
    typeof claims.s !== 'string' ||
    typeof claims.e !== 'number'
  )
    return undefined;
  const key = secretKey(claims.a);
  if (!key) return undefined;
  const want = a2Mac(key, payload);
  const got = Buffer.from(mac, 'base64url');
  return got.length === want.length && timingSafeEqual(got, want) ? claims : undefined;
}

/** A stable numeric TinyId per user (the SDK only echoes it in its heads). */
export function tinyIdOf(sdkAppId: number, userId: string): string {
  const h = createHash('sha256').update(`${sdkAppId}\u0000${userId}`).digest();
  return (h.readBigUInt64BE(0) >> 12n).toString();
}

/**
 * The login's platform from the socket URL. The SDK's `platform` is the build: 15 is the uni-app native
 * build, which also names the phone's OS in `host` (`android`, `ios`; other builds put the page's host
 * there). Every other build — Web, Node, mini programs, React Native, whose sockets do not say which phone
 * they run on — is treated as Web.
 */
export function platformOf(sdkPlatform: string | null, host: string | null): Platform {
  if (sdkPlatform === UNI_NATIVE_APP) {
    if (host === 'android') return 'Android';
    if (host === 'ios') return 'iPhone';
  }
  return 'Web';
}

/** The SDK's platform code of its uni-app native build. */
const UNI_NATIVE_APP = '15';

// ---- messages as the SDK reads them (getmsg MsgList, msg_push C2cMsgArray / GroupMsgArray, history) ----

/**
 * Fields of every message. The SDK names a message `<TinyId>-<MsgClientTime>-<MsgRandom>` and drops one whose
 * name it has seen: the sender's TinyID and client time make a message pushed, caught up and read from
 * history the same message, and the one the sending SDK made locally. Messages from other front doors have no
 * client time; their server time stands in, the same on every path.
 */
function common(sdkAppId: number, { message: m, clientTime }: SdkMessage): Record<string, unknown> {
  return {
    From_Account: m.from,
    TinyId: tinyIdOf(sdkAppId, m.from),
    MsgClientTime: clientTime ?? m.msgTime,
    MsgSeq: m.msgSeq,
    MsgRandom: m.msgRandom,
    MsgTimeStamp: m.msgTime,
    MsgKey: m.msgKey,
    MsgBody: m.body,
    // The edit version the SDK edits from (modifyMessage) and compares modification notices with.
    MsgVersion: m.version ?? 0,
    ...(m.cloudCustomData !== undefined ? { CloudCustomData: m.cloudCustomData } : {}),
    ...(m.offlinePushInfo !== undefined ? { OfflinePushInfo: m.offlinePushInfo } : {}),
  };
}

/**
 * A C2C message for `viewer`. A message the viewer sent (from another device) is marked IsSyncMsg with
 * From/To swapped, which the SDK swaps back.
 */
export function c2cMessage(sdkAppId: number, viewer: string, e: SdkMessage): Record<string, unknown> {
  const m = e.message;
  const mine = m.from === viewer;
  return {
    ...common(sdkAppId, e),
    From_Account: mine ? m.to : m.from,
    To_Account: mine ? m.from : m.to,
    IsSyncMsg: mine ? 1 : 0,
    ClientSeq: m.msgSeq,
  };
}

/** A C2C message of getroammsg: From and To as sent (history needs no swap; the SDK reads `flow` from them). */
export function c2cHistoryMessage(sdkAppId: number, e: SdkMessage): Record<string, unknown> {
  return { ...common(sdkAppId, e), To_Account: e.message.to, ClientSeq: e.message.msgSeq };
}

/** A group message; the SDK files it under `GroupInfo` (its groupProfile) and drops it without one. */
export function groupMessage(sdkAppId: number, e: SdkMessage, groupType: string): Record<string, unknown> {
  const m = e.message;
  return {
    ...common(sdkAppId, e),
    GroupInfo: { GroupId: m.groupId, GroupType: groupType },
    GroupId: m.groupId,
    ToGroupId: m.groupId,
    ClientSeq: m.msgSeq,
    ...(m.atUserList ? { GroupAtInfo: m.atUserList.map((a) => ({ GroupAt_Account: a })) } : {}),
  };
}

/**
 * `im_open_push.msg_push` events: C2C messages are event 9, group messages event 3, group tips event 4
 * (the SDK's own tip items, group-tips.ts).
 */
export function pushEvents(
  sdkAppId: number,
  viewer: string,
  entries: InboxEntry[],
  groupTypes: ReadonlyMap<string, string>,
): Record<string, unknown>[] {
  const c2c = entries.filter((e) => e.message.type === 'c2c').map((e) => c2cMessage(sdkAppId, viewer, e));
  const group: Record<string, unknown>[] = [];
  const tips: Record<string, unknown>[] = [];
  for (const e of entries) {
    if (e.message.type !== 'group') continue;
    const type = groupTypes.get(e.message.groupId ?? '') ?? 'Work';
    const tip = tipOf(e);
    if (tip) tips.push(groupTipItem(e, tip, type));
    else group.push(groupMessage(sdkAppId, e, type));
  }
  return [
    ...(c2c.length > 0 ? [{ Event: 9, C2cMsgArray: c2c }] : []),
    ...(group.length > 0 ? [{ Event: 3, GroupMsgArray: group }] : []),
    ...(tips.length > 0 ? [{ Event: 4, GroupTips: tips }] : []),
  ];
}
