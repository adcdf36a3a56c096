// The SDK's friend, blocklist and conversation-list methods (V2TIM's names), over the same services as the
// REST API's sns/* and recentcontact/* (sns/relations.ts, messaging/recent-contacts.ts). A client acts on its
// own lists only, and cannot force a friendship past the peer's AllowType.
import { RecentContactsError } from '../messaging/recent-contacts.js';
import { parseConversationId } from '../messaging/view.js';
import {
  APPLICATION_COME_IN,
  APPLICATION_SEND_OUT,
  applicationView,
  type FriendRequest,
} from '../sns/friend-requests.js';
import {
  ADD_SOURCE_RE,
  type ItemResult,
  MAX_ADD_WORDING_BYTES,
  MAX_GROUP_NAME_BYTES,
  MAX_REMARK_BYTES,
  type Relation,
} from '../sns/relations.js';
import type { Handler } from './handler.js';
import { GatewayError, GatewayErrorCode } from './protocol.js';
import { userInfo } from './user-info.js';

/** V2TIMFriendCheckResult.resultType: no relation, in my list, in theirs, both. */
const RESULT_TYPES: Record<Relation, number> = { none: 0, aWithB: 1, bWithA: 2, both: 3 };

export const snsOps: {
  getFriendList: Handler<'getFriendList'>;
  addFriend: Handler<'addFriend'>;
  deleteFromFriendList: Handler<'deleteFromFriendList'>;
  checkFriend: Handler<'checkFriend'>;
  addToBlackList: Handler<'addToBlackList'>;
  deleteFromBlackList: Handler<'deleteFromBlackList'>;
  getBlackList: Handler<'getBlackList'>;
  getFriendApplicationList: Handler<'getFriendApplicationList'>;
  acceptFriendApplication: Handler<'acceptFriendApplication'>;
  refuseFriendApplication: Handler<'refuseFriendApplication'>;
  deleteFriendApplication: Handler<'deleteFriendApplication'>;
  pinConversation: Handler<'pinConversation'>;
  deleteConversation: Handler<'deleteConversation'>;
} = {
  async getFriendList(ctx, s) {
    const friends = await ctx.relations.list(s.sdkAppId, s.userId);
    const profiles = await ctx.profiles.profiles(
      s.sdkAppId,
      friends.map((f) => f.userId),
    );
    return {
      friends: friends.map((f) => ({
        userID: f.userId,
        friendRemark: f.remark,
        friendGroups: f.groups,
        addSource: f.addSource,
        addWording: f.addWording,
        addTime: f.addTime,
        ...(profiles.has(f.userId) ? { userFullInfo: userInfo(profiles.get(f.userId)!) } : {}),
      })),
    };
  },

  async addFriend(ctx, s, a) {
    const remark = a.friendRemark ?? '';
    const wording = a.addWording ?? '';
    const group = a.friendGroup ?? '';
    const source = `AddSource_Type_${a.addSource ?? 'Unknown'}`;
    if (Buffer.byteLength(remark) > MAX_REMARK_BYTES)
      invalid('friendRemark', `at most ${MAX_REMARK_BYTES} bytes`);
    if (Buffer.byteLength(wording) > MAX_ADD_WORDING_BYTES)
      invalid('addWording', `at most ${MAX_ADD_WORDING_BYTES} bytes`);
    if (Buffer.byteLength(group) > MAX_GROUP_NAME_BYTES)
      invalid('friendGroup', `at most ${MAX_GROUP_NAME_BYTES} bytes`);
    if (!ADD_SOURCE_RE.test(source)) invalid('addSource', '1 to 8 letters');
    const [result] = await ctx.relations.add(
      s.sdkAppId,
      s.userId,
      [{ userId: a.userID, remark, groups: group ? [group] : [], addSource: source, addWording: wording }],
      { both: (a.addType ?? 2) === 2, force: false },
    );
    return { result: operationResult(result!) };
  },

  async deleteFromFriendList(ctx, s, { userIDList, deleteType }) {
    const results = await ctx.relations.delete(
      s.sdkAppId,
      s.userId,
      [...new Set(userIDList)],
      (deleteType ?? 2) === 2,
    );
    return { results: results.map(operationResult) };
  },

  async checkFriend(ctx, s, { userIDList, checkType }) {
    const peers = [...new Set(userIDList)];
    const rel = await ctx.relations.check(s.sdkAppId, s.userId, peers);
    const single = checkType === 1;
    return {
      results: peers.map((userID) => {
        const r = rel.get(userID) ?? 'none';
        const type = single ? (r === 'aWithB' || r === 'both' ? 1 : 0) : RESULT_TYPES[r];
        return { userID, resultCode: 0, resultInfo: '', resultType: type };
      }),
    };
  },

  async addToBlackList(ctx, s, { userIDList }) {
    const results = await ctx.relations.block(s.sdkAppId, s.userId, [...new Set(userIDList)]);
    return { results: results.map(operationResult) };
  },

  async deleteFromBlackList(ctx, s, { userIDList }) {
    const results = await ctx.relations.unblock(s.sdkAppId, s.userId, [...new Set(userIDList)]);
    return { results: results.map(operationResult) };
  },

  async getBlackList(ctx, s) {
    const { items } = await ctx.relations.blocklist(s.sdkAppId, s.userId, 0, Number.MAX_SAFE_INTEGER);
    const profiles = await ctx.profiles.profiles(
      s.sdkAppId,
      items.map((i) => i.userId),
    );
    return {
      users: items.map((i) => ({
        userID: i.userId,
        addTime: i.addedAt,
        ...(profiles.has(i.userId) ? { userFullInfo: userInfo(profiles.get(i.userId)!) } : {}),
      })),
    };
  },

  async getFriendApplicationList(ctx, s) {
    const { incoming, outgoing } = await ctx.relations.requests(s.sdkAppId, s.userId);
    const peers = [...incoming.map((r) => r.from), ...outgoing.map((r) => r.to)];
    const profiles = await ctx.profiles.profiles(s.sdkAppId, [...new Set(peers)]);
    const application = (userID: string, r: FriendRequest, type: number) =>
      applicationView(r, userID, type, profiles.get(userID));
    return {
      applications: [
        ...incoming.map((r) => application(r.from, r, APPLICATION_COME_IN)),
        ...outgoing.map((r) => application(r.to, r, APPLICATION_SEND_OUT)),
      ],
    };
  },

  async acceptFriendApplication(ctx, s, { userID, responseType }) {
    const r = await ctx.relations.acceptRequest(s.sdkAppId, s.userId, userID, (responseType ?? 1) === 1);
    return { result: operationResult(r) };
  },

  async refuseFriendApplication(ctx, s, { userID }) {
    return { result: operationResult(await ctx.relations.dropRequest(s.sdkAppId, s.userId, userID, true)) };
  },

  async deleteFriendApplication(ctx, s, { userID, type }) {
    const incoming = type === APPLICATION_COME_IN;
    return {
      result: operationResult(await ctx.relations.dropRequest(s.sdkAppId, s.userId, userID, incoming)),
    };
  },

  async pinConversation(ctx, s, { conversationId, isPinned }) {
    conversation(conversationId);
    try {
      await ctx.recentContacts.pin(s.sdkAppId, s.userId, [conversationId], isPinned);
    } catch (err) {
      if (err instanceof RecentContactsError)
        throw new GatewayError(GatewayErrorCode.InvalidParameters, err.message);
      throw err;
    }
    return {};
  },

  async deleteConversation(ctx, s, { conversationId }) {
    conversation(conversationId);
    // V2TIM's deleteConversation deletes the conversation's roaming messages too.
    await ctx.recentContacts.delete(s.sdkAppId, s.userId, conversationId, true);
    return {};
  },
};

/** V2TIMFriendOperationResult. */
function operationResult(r: ItemResult): Record<string, unknown> {
  return { userID: r.userId, resultCode: r.code, resultInfo: r.info };
}

function invalid(field: string, why: string): never {
  throw new GatewayError(GatewayErrorCode.InvalidParameters, `invalid ${field}: ${why}`);
}

function conversation(id: string): void {
  if (!parseConversationId(id)) invalid('conversationId', 'must be c2c_<userID> or group_<groupID>');
}
