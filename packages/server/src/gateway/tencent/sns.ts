// The relationship chain of Tencent's SDK (`sns.*`: friends, friend requests, friend groups, blocklist)
// through the handlers `@pushline/sdk` uses (gateway/sns-ops.ts) and the lists REST sns/* reads
// (sns/relations.ts). Bodies and answers in the REST API's shapes, which the SDK renames to its own: a
// list of accounts is `To_Account`, results are `ResultItem: [{To_Account, ResultCode, ResultInfo}]`.
// A blocked sender's messages are refused by the send guard (sns/guard.ts), on every door alike.
import { SNS_TAGS, snsValue } from '../../http/v4/sns.js';
import {
  APPLICATION_COME_IN,
  APPLICATION_SEND_OUT,
  type FriendApplicationView,
} from '../../sns/friend-requests.js';
import { type Friend, SnsCode } from '../../sns/relations.js';
import type { GatewayContext } from '../context.js';
import type { Session } from '../handler.js';
import { TencentCode } from './frames.js';
import { type ErrorOf, runOp } from './via-pushline.js';

type Body = Record<string, unknown>;

/** The SDK's own friend field names: it reads the add wording as Tag_SNS_IM_Wording (REST: _AddWording). */
const SDK_TAGS: Record<string, string> = { ...SNS_TAGS, AddWording: 'Tag_SNS_IM_Wording' };

const PENDENCY_COME_IN = 'Pendency_Type_ComeIn';
const PENDENCY_SEND_OUT = 'Pendency_Type_SendOut';
/** The SDK's pendency types by V2TIMFriendApplication.type. */
const PENDENCY_TYPES: Record<number, string> = {
  [APPLICATION_COME_IN]: PENDENCY_COME_IN,
  [APPLICATION_SEND_OUT]: PENDENCY_SEND_OUT,
};
const CHECK_RELATIONS = ['NoRelation', 'AWithB', 'BWithA', 'BothWay'];

/** Every standard friend field of one friend, as `{Tag, Value}` items with the SDK's tag names. */
function friendFields(f: Friend): Body[] {
  return Object.entries(SNS_TAGS).map(([name, tag]) => ({ Tag: SDK_TAGS[name], Value: snsValue(f, tag) }));
}

/** sns.friend_get: the whole friend list in one page, each with every standard friend field. */
export async function friendGet(ctx: GatewayContext, s: Session): Promise<Body> {
  const [friends, seq] = await Promise.all([
    ctx.relations.list(s.sdkAppId, s.userId),
    ctx.relations.sequences(s.sdkAppId, s.userId),
  ]);
  return {
    UserDataItem: friends.map((f) => ({ To_Account: f.userId, ValueItem: friendFields(f) })),
    StandardSequence: seq.friend,
    CustomSequence: 0,
    FriendNum: friends.length,
    CompleteFlag: 1,
    NextStartIndex: 0,
  };
}

/**
 * sns.friend_get_specified (the SDK's getFriendProfile, and how it reads friends a FriendListMod push added):
 * `To_Account: [...]`; each with every standard friend field, or a ResultCode when not a friend.
 */
export async function friendGetSpecified(ctx: GatewayContext, s: Session, body: Body, fail: ErrorOf) {
  if (body.From_Account !== undefined && body.From_Account !== s.userId)
    throw fail(TencentCode.InvalidParameters, 'From_Account must be you: read your own friends');
  const peers = body.To_Account;
  if (!Array.isArray(peers) || peers.length === 0 || !peers.every((p) => typeof p === 'string' && p !== ''))
    throw fail(TencentCode.InvalidParameters, 'To_Account must list the friends to read');
  const friends = await ctx.relations.friends(s.sdkAppId, s.userId, peers as string[]);
  return {
    InfoItem: (peers as string[]).map((peer) => {
      const f = friends.get(peer);
      return f
        ? { To_Account: peer, ResultCode: 0, ResultInfo: '', SnsProfileItem: friendFields(f) }
        : {
            To_Account: peer,
            ResultCode: SnsCode.NoRelation,
            ResultInfo: `"${peer}" is not in your friend list`,
          };
    }),
  };
}

/** sns.group_get: the friend groups, named by the friends' Tag_SNS_IM_Group values. */
export async function friendGroupGet(ctx: GatewayContext, s: Session): Promise<Body> {
  const groups = new Map<string, string[]>();
  for (const f of await ctx.relations.list(s.sdkAppId, s.userId))
    for (const g of f.groups) groups.set(g, [...(groups.get(g) ?? []), f.userId]);
  const seq = await ctx.relations.sequences(s.sdkAppId, s.userId);
  return {
    ResultItem: [...groups].map(([GroupName, members]) => ({
      GroupName,
      FriendNumber: members.length,
      To_Account: members,
    })),
    CurrentSequence: seq.friend,
  };
}

/**
 * sns.friend_add: `AddFriendItem: [{To_Account, Remark, GroupName, AddSource, AddWording}]`, `AddType`.
 * The SDK adds one at a time; 30539 (the peer must confirm) is a success for it: the request is pending.
 */
export async function friendAdd(ctx: GatewayContext, s: Session, body: Body, fail: ErrorOf): Promise<Body> {
  const items = Array.isArray(body.AddFriendItem) ? (body.AddFriendItem as Body[]) : [];
  if (items.length !== 1 || !items[0] || typeof items[0] !== 'object')
    throw fail(TencentCode.InvalidParameters, 'AddFriendItem must hold one {To_Account, ...}');
  const { To_Account: to, Remark, GroupName, AddSource, AddWording } = items[0];
  const source = optString(AddSource, 'AddSource', fail);
  if (source !== undefined && !source.startsWith('AddSource_Type_'))
    throw fail(TencentCode.InvalidParameters, 'AddSource must be AddSource_Type_ followed by 1 to 8 letters');
  const group = optString(GroupName, 'GroupName', fail);
  const out = await runOp(
    ctx,
    s,
    'addFriend',
    {
      userID: account(to, fail),
      friendRemark: optString(Remark, 'Remark', fail),
      friendGroup: group === '' ? undefined : group,
      addWording: optString(AddWording, 'AddWording', fail),
      addSource: source?.slice('AddSource_Type_'.length),
      addType: addType(body.AddType, fail),
    },
    fail,
  );
  return resultItems([out.result]);
}

/** sns.friend_delete: `To_Account: [...]`, `DeleteType` Delete_Type_Single | Delete_Type_Both. */
export async function friendDelete(ctx: GatewayContext, s: Session, body: Body, fail: ErrorOf) {
  const type = body.DeleteType;
  if (type !== undefined && type !== 'Delete_Type_Single' && type !== 'Delete_Type_Both')
    throw fail(TencentCode.InvalidParameters, 'DeleteType must be Delete_Type_Single or Delete_Type_Both');
  const out = await runOp(
    ctx,
    s,
    'deleteFromFriendList',
    { userIDList: accounts(body.To_Account, fail), deleteType: type === 'Delete_Type_Single' ? 1 : 2 },
    fail,
  );
  return resultItems(out.results as unknown[]);
}

/** sns.friend_check: `To_Account: [...]`, `CheckType` CheckResult_Type_Single | _Both → `InfoItem`. */
export async function friendCheck(ctx: GatewayContext, s: Session, body: Body, fail: ErrorOf) {
  const type = body.CheckType;
  if (type !== undefined && type !== 'CheckResult_Type_Single' && type !== 'CheckResult_Type_Both')
    throw fail(
      TencentCode.InvalidParameters,
      'CheckType must be CheckResult_Type_Single or CheckResult_Type_Both',
    );
  const out = await runOp(
    ctx,
    s,
    'checkFriend',
    { userIDList: accounts(body.To_Account, fail), checkType: type === 'CheckResult_Type_Single' ? 1 : 2 },
    fail,
  );
  return {
    InfoItem: (out.results as { userID: string; resultType: number }[]).map((r) => ({
      To_Account: r.userID,
      Relation: `CheckResult_Type_${CHECK_RELATIONS[r.resultType]}`,
      ResultCode: 0,
      ResultInfo: '',
    })),
  };
}

/** sns.black_list_add / black_list_delete: `To_Account: [...]`. */
export async function blockChange(
  ctx: GatewayContext,
  s: Session,
  body: Body,
  block: boolean,
  fail: ErrorOf,
): Promise<Body> {
  const userIDList = accounts(body.To_Account, fail);
  const out = await runOp(ctx, s, block ? 'addToBlackList' : 'deleteFromBlackList', { userIDList }, fail);
  return resultItems(out.results as unknown[]);
}

/** sns.black_list_get: the whole blocklist, oldest first (the SDK pages while StartIndex is not 0). */
export async function blockList(ctx: GatewayContext, s: Session, fail: ErrorOf): Promise<Body> {
  const [out, seq] = await Promise.all([
    runOp(ctx, s, 'getBlackList', {}, fail),
    ctx.relations.sequences(s.sdkAppId, s.userId),
  ]);
  return {
    BlackListItem: (out.users as { userID: string; addTime: number }[]).map((u) => ({
      To_Account: u.userID,
      AddBlackTimeStamp: u.addTime,
    })),
    StartIndex: 0,
    // Tencent's spelling.
    CurruentSequence: seq.black,
  };
}

/** sns.pendency_get: the pending friend requests, received and sent, in one page. */
export async function pendencyGet(ctx: GatewayContext, s: Session, body: Body, fail: ErrorOf) {
  const kind = body.PendencyType ?? 'Pendency_Type_Both';
  if (kind !== 'Pendency_Type_Both' && kind !== PENDENCY_COME_IN && kind !== PENDENCY_SEND_OUT)
    throw fail(TencentCode.InvalidParameters, 'PendencyType must be Pendency_Type_ComeIn, _SendOut or _Both');
  const out = await runOp(ctx, s, 'getFriendApplicationList', {}, fail);
  const items = (out.applications as FriendApplicationView[])
    .map((a) => ({ ...a, pendency: PENDENCY_TYPES[a.type]! }))
    .filter((a) => kind === 'Pendency_Type_Both' || a.pendency === kind);
  return {
    PendencyItem: items.map((a) => ({
      To_Account: a.userID,
      PendencyType: a.pendency,
      AddSource: a.addSource,
      AddWording: a.addWording,
      AddTime: a.addTime,
      Nick: a.nickName,
      Image: a.faceUrl,
    })),
    // Pushline keeps no read mark on requests: every received one counts as unread.
    UnreadPendencyCount: items.filter((a) => a.pendency === PENDENCY_COME_IN).length,
    StartTime: 0,
    CurrentSequence: 0,
  };
}

/**
 * sns.friend_response: `ResponseFriendItem: [{To_Account, ResponseAction, Remark, TagName}]`. Agree puts
 * the user in the requester's list, AgreeAndAdd in both, Reject drops the request.
 */
export async function friendResponse(ctx: GatewayContext, s: Session, body: Body, fail: ErrorOf) {
  const items = Array.isArray(body.ResponseFriendItem) ? (body.ResponseFriendItem as Body[]) : [];
  if (items.length !== 1 || !items[0] || typeof items[0] !== 'object')
    throw fail(
      TencentCode.InvalidParameters,
      'ResponseFriendItem must hold one {To_Account, ResponseAction}',
    );
  const { To_Account: to, ResponseAction: action, Remark, TagName } = items[0];
  // acceptFriendApplication of @pushline/sdk names no remark or group for the requester in the user's list.
  if (optString(Remark, 'Remark', fail) || optString(TagName, 'TagName', fail))
    throw fail(
      TencentCode.InvalidParameters,
      'Pushline accepts a friend request without a remark or group: leave remark and tag out, then updateFriend',
    );
  const userID = account(to, fail);
  let out: Body;
  if (action === 'Response_Action_Reject')
    out = await runOp(ctx, s, 'refuseFriendApplication', { userID }, fail);
  else if (action === 'Response_Action_Agree' || action === 'Response_Action_AgreeAndAdd')
    out = await runOp(
      ctx,
      s,
      'acceptFriendApplication',
      { userID, responseType: action === 'Response_Action_Agree' ? 0 : 1 },
      fail,
    );
  else
    throw fail(
      TencentCode.InvalidParameters,
      'ResponseAction must be Response_Action_Agree, Response_Action_AgreeAndAdd or Response_Action_Reject',
    );
  return resultItems([out.result]);
}

/** sns.pendency_delete: `PendencyType` (ComeIn: one the peer sent, SendOut: mine), `To_Account: [...]`. */
export async function pendencyDelete(ctx: GatewayContext, s: Session, body: Body, fail: ErrorOf) {
  const kind = body.PendencyType;
  if (kind !== PENDENCY_COME_IN && kind !== PENDENCY_SEND_OUT)
    throw fail(TencentCode.InvalidParameters, 'PendencyType must be Pendency_Type_ComeIn or _SendOut');
  const results: unknown[] = [];
  for (const userID of accounts(body.To_Account, fail)) {
    const out = await runOp(
      ctx,
      s,
      'deleteFriendApplication',
      { userID, type: kind === PENDENCY_COME_IN ? 1 : 2 },
      fail,
    );
    results.push(out.result);
  }
  return resultItems(results);
}

/** sns-ops.ts's V2TIMFriendOperationResult items as Tencent's ResultItem. */
function resultItems(results: unknown[]): Body {
  const items = results as { userID: string; resultCode: number; resultInfo: string }[];
  return {
    ResultItem: items.map((r) => ({
      To_Account: r.userID,
      ResultCode: r.resultCode,
      ResultInfo: r.resultInfo,
    })),
    Fail_Account: items.filter((r) => r.resultCode !== 0).map((r) => r.userID),
  };
}

function addType(v: unknown, fail: ErrorOf): 1 | 2 {
  if (v === undefined || v === '' || v === 'Add_Type_Both') return 2;
  if (v === 'Add_Type_Single') return 1;
  throw fail(TencentCode.InvalidParameters, 'AddType must be Add_Type_Single or Add_Type_Both');
}

function account(v: unknown, fail: ErrorOf): string {
  if (typeof v !== 'string' || v === '') throw fail(TencentCode.InvalidParameters, 'To_Account is required');
  return v;
}

function accounts(v: unknown, fail: ErrorOf): string[] {
  if (!Array.isArray(v) || v.length === 0 || !v.every((a) => typeof a === 'string'))
    throw fail(TencentCode.InvalidParameters, 'To_Account must be a list of UserIDs');
  return v as string[];
}

function optString(v: unknown, name: string, fail: ErrorOf): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw fail(TencentCode.InvalidParameters, `${name} must be a string`);
  return v;
}
