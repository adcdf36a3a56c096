// getMessageList of Tencent's SDK beyond what it received while running: `openim.getroammsg` (one-to-one)
// and `group_open_http_svc.group_msg_get` (groups), read from the user's inbox — the history
// `@pushline/sdk` reads, with the sender's client time so the SDK recognises the messages it already has.
import type { GatewayContext } from '../context.js';
import { c2cHistoryMessage, groupMessage, TencentCode } from './frames.js';

type Body = Record<string, unknown>;
type ErrorOf = (code: number, message: string) => Error;

/** Most messages one answer holds; the SDK asks for 15 (C2C) or 21 (groups) by default. */
const MAX_PAGE = 100;

function pageSize(v: unknown, key: string, fail: ErrorOf): number {
  if (v === undefined) return 15;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    throw fail(TencentCode.InvalidParameters, `${key} must be a positive integer`);
  return Math.min(v, MAX_PAGE);
}

interface Viewer {
  sdkAppId: number;
  userId: string;
}

/**
 * One page of the conversation with `Peer_Account`, older than the previous page. The cookie the SDK echoes
 * back (`MsgKey`) is the inbox seq of the oldest message sent so far; the first page has none. Only older
 * pages are served (GetDirection 0): newer messages reach the SDK by push and getmsg.
 */
export async function c2cRoam(ctx: GatewayContext, v: Viewer, body: Body, fail: ErrorOf): Promise<Body> {
  const peer = body.Peer_Account;
  if (typeof peer !== 'string' || peer === '')
    throw fail(TencentCode.InvalidParameters, 'Peer_Account is required');
  if (body.GetDirection !== undefined && body.GetDirection !== 0)
    throw fail(
      TencentCode.NotImplemented,
      'Pushline serves history older than a message only (GetDirection 0); newer messages arrive by push and getmsg',
    );
  const count = pageSize(body.MaxCnt, 'MaxCnt', fail);
  const cookie = body.MsgKey;
  let before: number | undefined;
  if (typeof cookie === 'string' && cookie !== '') {
    if (!/^\d{1,15}$/.test(cookie))
      throw fail(TencentCode.InvalidParameters, 'MsgKey must be the MsgKey of the previous page');
    before = Number(cookie);
  }
  const entries = await ctx.inbox.history(v.sdkAppId, v.userId, `c2c_${peer}`, count + 1, before);
  const page = entries.slice(0, count).reverse();
  const oldest = page[0];
  return {
    Complete: entries.length > count ? 0 : 1,
    MsgKey: oldest ? String(oldest.seq) : typeof cookie === 'string' ? cookie : '',
    LastMsgTime: oldest ? oldest.message.msgTime : 0,
    MsgList: page.map((e) => c2cHistoryMessage(v.sdkAppId, e)),
  };
}

/**
 * Messages of a group the user is in, from MsgSeq `ReqMsgSeq` down: `ReqMsgNumber` of them as the user
 * keeps the group (from when it joined). `NextReqMsgSeq` is where the next page starts; `IsFinished` 2 when
 * nothing older is left.
 */
export async function groupRoam(ctx: GatewayContext, v: Viewer, body: Body, fail: ErrorOf): Promise<Body> {
  const groupId = body.GroupId;
  if (typeof groupId !== 'string' || groupId === '')
    throw fail(TencentCode.InvalidParameters, 'GroupId is required');
  if (body.ReqMsgSeqList !== undefined)
    throw fail(TencentCode.NotImplemented, 'Pushline does not fetch group messages by a list of MsgSeq');
  const group = await ctx.groups.get(v.sdkAppId, groupId);
  if (!group) throw fail(10010, `group "${groupId}" does not exist`);
  const [me] = await ctx.groups.members(v.sdkAppId, groupId, { userIds: [v.userId] });
  if (!me) throw fail(10007, `you are not a member of group "${groupId}"`);
  const count = pageSize(body.ReqMsgNumber, 'ReqMsgNumber', fail);
  const top = body.ReqMsgSeq;
  if (top !== undefined && (typeof top !== 'number' || !Number.isInteger(top)))
    throw fail(TencentCode.InvalidParameters, 'ReqMsgSeq must be an integer');
  const entries = await ctx.inbox.groupHistory(
    v.sdkAppId,
    v.userId,
    groupId,
    top ?? Number.MAX_SAFE_INTEGER,
    count + 1,
  );
  const page = entries.slice(0, count);
  const finished = entries.length <= count;
  const oldestSeq = page.at(-1)?.message.msgSeq ?? 0;
  return {
    GroupId: groupId,
    IsFinished: finished ? 2 : 0,
    NextReqMsgSeq: finished ? 0 : oldestSeq - 1,
    RspMsgList: page.map((e) => groupMessage(v.sdkAppId, e, group.type)),
  };
}
