// The relationship chain: friends (one row per direction) and blocklists, with Tencent's rules
// (docs/internals/tencent-im.md#relationship-chain). Every write runs in one transaction and bumps the change
// counter of each user whose list changed (friend_get's StandardSequence, black_list_get's CurruentSequence).
import type { Kysely, Transaction } from 'kysely';
import { ALLOW_TYPES, type AllowType, DEFAULT_ALLOW_TYPE } from '../apps/profiles.js';
import type { Database } from '../store/schema.js';
import type { Friend } from './friend.js';
import { FriendChanges, type FriendNotices } from './friend-notices.js';
import {
  dropRequestsBetween,
  dropRequestsOf,
  type FriendRequest,
  putRequest,
  requestsOf,
  takeRequest,
} from './friend-requests.js';

/** Tencent's relationship-chain codes (ResultCode of an item, or ErrorCode of the request). */
export const SnsCode = {
  /** The request could not be read: a missing field, a value of the wrong type or outside its set. */
  InvalidRequest: 30001,
  /** The account does not exist. */
  AccountNotFound: 30003,
  /** The user's own friend list is full. */
  FriendLimit: 30010,
  /** The peer's friend list is full. */
  PeerFriendLimit: 30014,
  /** The peer is in the user's own blocklist. */
  PeerBlocked: 30515,
  /** The peer accepts no friend requests (AllowType_Type_DenyAny). */
  DenyAny: 30516,
  /** The user is in the peer's blocklist. */
  BlockedByPeer: 30525,
  /** The peer must confirm (AllowType_Type_NeedConfirm): a friend request is pending (friend-requests.ts). */
  NeedConfirm: 30539,
  /** The two are not friends (friend_delete, friend_get_list) or the peer is not in the blocklist. */
  NoRelation: 31704,
} as const;

/** Friends per user (Tencent's default cap). */
export const MAX_FRIENDS = 3000;
/** Accounts per request of the list commands (friend_add, friend_delete, friend_check, black_list_*). */
export const MAX_ITEMS = 1000;
/** Friend-list groups per friend, and bytes of each name. */
export const MAX_GROUP_NAME_BYTES = 30;
export const MAX_REMARK_BYTES = 96;
export const MAX_ADD_WORDING_BYTES = 256;
/** AddSource is `AddSource_Type_` then a keyword of letters, at most 8 bytes. */
export const ADD_SOURCE_RE = /^AddSource_Type_[A-Za-z]{1,8}$/;

export interface FriendInput {
  userId: string;
  remark: string;
  remarkTime?: number;
  groups: string[];
  addSource: string;
  addWording: string;
  /** UNIX seconds; absent = now. */
  addTime?: number;
}

export type { Friend } from './friend.js';

export interface ItemResult {
  userId: string;
  code: number;
  info: string;
}

export type Relation = 'none' | 'aWithB' | 'bWithA' | 'both';

type Db = Kysely<Database> | Transaction<Database>;

export class RelationService {
  #notices: FriendNotices | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number,
  ) {}

  /** Who tells the users' online devices of changed friend requests, friend lists and blocklists. */
  setNotices(notices: FriendNotices): void {
    this.#notices = notices;
  }

  /** Announces a committed command's changes; a failure only loses live notices, so it is not thrown. */
  async #announce(sdkAppId: number, changes: FriendChanges): Promise<void> {
    await this.#notices?.announce(sdkAppId, changes).catch(() => undefined);
  }

  /**
   * friend_add / SDK addFriend: for each peer, adds it to `userId`'s list (and, `both`, `userId` to the peer's),
   * unless a blocklist stands between them or the peer's AllowType refuses (`force` skips AllowType only).
   */
  async add(
    sdkAppId: number,
    userId: string,
    items: FriendInput[],
    opts: { both: boolean; force: boolean },
  ): Promise<ItemResult[]> {
    const peers = [...new Set(items.map((i) => i.userId))];
    const changes = new FriendChanges();
    const out = await this.db.transaction().execute(async (trx) => {
      const [accounts, blockedByMe, blockingMe] = await Promise.all([
        allowTypes(trx, sdkAppId, peers),
        blockedAmong(trx, sdkAppId, userId, peers),
        blockersAmong(trx, sdkAppId, userId, peers),
      ]);
      const results: ItemResult[] = [];
      const changed = new Set<string>();
      const done = new Set<string>();
      for (const item of items) {
        const peer = item.userId;
        const fail = (code: number, info: string) => results.push({ userId: peer, code, info });
        if (done.has(peer)) {
          fail(SnsCode.InvalidRequest, `To_Account "${peer}" is given more than once`);
          continue;
        }
        done.add(peer);
        if (peer === userId) {
          fail(SnsCode.InvalidRequest, 'an account cannot add itself as a friend');
          continue;
        }
        const allow = accounts.get(peer);
        if (allow === undefined) {
          fail(SnsCode.AccountNotFound, `account "${peer}" does not exist`);
          continue;
        }
        if (blockedByMe.has(peer)) {
          fail(SnsCode.PeerBlocked, `"${peer}" is in "${userId}"'s blocklist`);
          continue;
        }
        if (blockingMe.has(peer)) {
          fail(SnsCode.BlockedByPeer, `"${userId}" is in "${peer}"'s blocklist`);
          continue;
        }
        // The peer asked first: adding it back is the consent to its pending request, whatever its AllowType.
        const asked = await takeRequest(trx, sdkAppId, peer, userId);
        if (!asked && !opts.force && allow === 'AllowType_Type_DenyAny') {
          fail(SnsCode.DenyAny, `"${peer}" accepts no friend requests (AllowType_Type_DenyAny)`);
          continue;
        }
        if (!asked && !opts.force && allow === 'AllowType_Type_NeedConfirm') {
          const request: FriendRequest = {
            from: userId,
            to: peer,
            both: opts.both,
            remark: item.remark,
            groupName: item.groups[0] ?? '',
            addSource: item.addSource,
            addWording: item.addWording,
            addTime: Math.floor(this.now() / 1000),
          };
          await putRequest(trx, sdkAppId, request);
          changes.requestsAdded.push(request);
          fail(
            SnsCode.NeedConfirm,
            `"${peer}" must confirm friend requests (AllowType_Type_NeedConfirm): the request is pending until "${peer}" accepts it or adds "${userId}" back`,
          );
          continue;
        }
        // Friends now (or about to be): a request this way is answered.
        const mineAsked = await takeRequest(trx, sdkAppId, userId, peer);
        const mine = await this.#insert(trx, sdkAppId, userId, item);
        if (typeof mine === 'number') {
          if (asked) await putRequest(trx, sdkAppId, asked);
          fail(mine, `"${userId}"'s friend list is full (${MAX_FRIENDS})`);
          continue;
        }
        if (opts.both || asked?.both) {
          // The peer's side as its own request described it, when it made one.
          const theirs = await this.#insert(
            trx,
            sdkAppId,
            peer,
            asked
              ? requesterSide(asked)
              : {
                  userId,
                  remark: '',
                  groups: [],
                  addSource: item.addSource,
                  addWording: '',
                },
          );
          if (typeof theirs === 'number') {
            // Undo this peer's half: the two directions succeed together.
            if (mine) await removeFriend(trx, sdkAppId, userId, peer);
            if (asked) await putRequest(trx, sdkAppId, asked);
            fail(SnsCode.PeerFriendLimit, `"${peer}"'s friend list is full (${MAX_FRIENDS})`);
            continue;
          }
          if (theirs) {
            changed.add(peer);
            changes.friendsAdded.push([peer, userId]);
          }
        }
        if (mine) {
          changed.add(userId);
          changes.friendsAdded.push([userId, peer]);
        }
        if (asked) changes.requestsDeleted.push([peer, userId]);
        if (mineAsked) changes.requestsDeleted.push([userId, peer]);
        results.push({ userId: peer, code: 0, info: '' });
      }
      await bumpSeq(trx, sdkAppId, [...changed], 'friend_seq');
      return results;
    });
    await this.#announce(sdkAppId, changes);
    return out;
  }

  /** The friend requests `userId` received (incoming) and sent (outgoing), newest first. */
  async requests(sdkAppId: number, userId: string) {
    return requestsOf(this.db, sdkAppId, userId);
  }

  /**
   * The SDK's acceptFriendApplication: `userId` accepts `requester`'s pending request. The requester's list
   * gets `userId` (with the request's remark and group); `both` (V2TIM_FRIEND_ACCEPT_AGREE_AND_ADD) also puts
   * the requester in `userId`'s list. 31704 when no request is pending.
   */
  async acceptRequest(
    sdkAppId: number,
    userId: string,
    requester: string,
    both: boolean,
  ): Promise<ItemResult> {
    const changes = new FriendChanges();
    const out = await this.db.transaction().execute(async (trx) => {
      const asked = await takeRequest(trx, sdkAppId, requester, userId);
      if (!asked) return noRequest(requester, requester, userId);
      const theirs = await this.#insert(trx, sdkAppId, requester, requesterSide(asked));
      if (typeof theirs === 'number') {
        await putRequest(trx, sdkAppId, asked);
        return {
          userId: requester,
          code: SnsCode.PeerFriendLimit,
          info: `"${requester}"'s friend list is full`,
        };
      }
      let mine: boolean | number = false;
      if (both) {
        mine = await this.#insert(trx, sdkAppId, userId, {
          userId: requester,
          remark: '',
          groups: [],
          addSource: asked.addSource,
          addWording: '',
        });
        if (typeof mine === 'number') {
          if (theirs) await removeFriend(trx, sdkAppId, requester, userId);
          await putRequest(trx, sdkAppId, asked);
          return { userId: requester, code: SnsCode.FriendLimit, info: `"${userId}"'s friend list is full` };
        }
      }
      // Any request the other way is answered too.
      const reverse = await takeRequest(trx, sdkAppId, userId, requester);
      await bumpSeq(trx, sdkAppId, [...(theirs ? [requester] : []), ...(mine ? [userId] : [])], 'friend_seq');
      changes.requestsDeleted.push([requester, userId]);
      if (reverse) changes.requestsDeleted.push([userId, requester]);
      if (theirs) changes.friendsAdded.push([requester, userId]);
      if (mine) changes.friendsAdded.push([userId, requester]);
      return { userId: requester, code: 0, info: '' };
    });
    await this.#announce(sdkAppId, changes);
    return out;
  }

  /**
   * The SDK's refuseFriendApplication (`userId` refuses `peer`'s request) and deleteFriendApplication
   * (`incoming`: the one `peer` sent, else the one `userId` sent to `peer`). 31704 when none is pending.
   */
  async dropRequest(sdkAppId: number, userId: string, peer: string, incoming: boolean): Promise<ItemResult> {
    const [from, to] = incoming ? [peer, userId] : [userId, peer];
    const taken = await takeRequest(this.db, sdkAppId, from, to);
    if (!taken) return noRequest(peer, from, to);
    const changes = new FriendChanges();
    changes.requestsDeleted.push([from, to]);
    await this.#announce(sdkAppId, changes);
    return { userId: peer, code: 0, info: '' };
  }

  /** friend_import: one-way, no AllowType check; an existing friend is answered as such. */
  async import(sdkAppId: number, userId: string, items: FriendInput[]): Promise<ItemResult[]> {
    const changes = new FriendChanges();
    const out = await this.db.transaction().execute(async (trx) => {
      const peers = [...new Set(items.map((i) => i.userId))];
      const [accounts, blockedByMe, blockingMe] = await Promise.all([
        allowTypes(trx, sdkAppId, peers),
        blockedAmong(trx, sdkAppId, userId, peers),
        blockersAmong(trx, sdkAppId, userId, peers),
      ]);
      const results: ItemResult[] = [];
      const done = new Set<string>();
      let changed = false;
      for (const item of items) {
        const peer = item.userId;
        const fail = (code: number, info: string) => results.push({ userId: peer, code, info });
        if (done.has(peer)) fail(SnsCode.InvalidRequest, `To_Account "${peer}" is given more than once`);
        else if (peer === userId) fail(SnsCode.InvalidRequest, 'an account cannot add itself as a friend');
        else if (!accounts.has(peer)) fail(SnsCode.AccountNotFound, `account "${peer}" does not exist`);
        else if (blockedByMe.has(peer)) fail(SnsCode.PeerBlocked, `"${peer}" is in "${userId}"'s blocklist`);
        else if (blockingMe.has(peer)) fail(SnsCode.BlockedByPeer, `"${userId}" is in "${peer}"'s blocklist`);
        else {
          const r = await this.#insert(trx, sdkAppId, userId, item);
          if (typeof r === 'number') fail(r, `"${userId}"'s friend list is full (${MAX_FRIENDS})`);
          else {
            changed ||= r;
            if (r) changes.friendsAdded.push([userId, peer]);
            results.push({ userId: peer, code: 0, info: '' });
          }
        }
        done.add(peer);
      }
      if (changed) await bumpSeq(trx, sdkAppId, [userId], 'friend_seq');
      return results;
    });
    await this.#announce(sdkAppId, changes);
    return out;
  }

  /** Inserts one direction; false when it existed (left as it was), a code when the list is full. */
  async #insert(
    trx: Transaction<Database>,
    sdkAppId: number,
    userId: string,
    item: Omit<FriendInput, 'userId'> & { userId: string },
  ): Promise<boolean | number> {
    const existing = await trx
      .selectFrom('sns_friends')
      .select('friend_id')
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', '=', userId)
      .where('friend_id', '=', item.userId)
      .executeTakeFirst();
    if (existing) return false;
    const count = await friendCount(trx, sdkAppId, userId);
    if (count >= MAX_FRIENDS) return SnsCode.FriendLimit;
    const now = Math.floor(this.now() / 1000);
    await trx
      .insertInto('sns_friends')
      .values({
        sdkappid: sdkAppId,
        user_id: userId,
        friend_id: item.userId,
        remark: item.remark,
        remark_time: item.remarkTime ?? (item.remark ? now : 0),
        group_names: JSON.stringify(item.groups),
        add_source: item.addSource,
        add_wording: item.addWording,
        add_time: item.addTime ?? now,
      })
      .execute();
    return true;
  }

  /** friend_delete: removes each peer from the list (`both`: and the user from the peer's). */
  async delete(sdkAppId: number, userId: string, peers: string[], both: boolean): Promise<ItemResult[]> {
    const changes = new FriendChanges();
    const out = await this.db.transaction().execute(async (trx) => {
      const accounts = await allowTypes(trx, sdkAppId, peers);
      const results: ItemResult[] = [];
      const changed = new Set<string>();
      for (const peer of peers) {
        if (!accounts.has(peer)) {
          results.push({
            userId: peer,
            code: SnsCode.AccountNotFound,
            info: `account "${peer}" does not exist`,
          });
          continue;
        }
        const mine = await removeFriend(trx, sdkAppId, userId, peer);
        const theirs = both ? await removeFriend(trx, sdkAppId, peer, userId) : false;
        if (mine) {
          changed.add(userId);
          changes.friendsDeleted.push([userId, peer]);
        }
        if (theirs) {
          changed.add(peer);
          changes.friendsDeleted.push([peer, userId]);
        }
        if (!mine && !theirs)
          results.push({
            userId: peer,
            code: SnsCode.NoRelation,
            info: `"${peer}" is not in "${userId}"'s friend list`,
          });
        else results.push({ userId: peer, code: 0, info: '' });
      }
      await bumpSeq(trx, sdkAppId, [...changed], 'friend_seq');
      return results;
    });
    await this.#announce(sdkAppId, changes);
    return out;
  }

  /** friend_delete_all: empties the list (`both`: and removes the user from each friend's list). */
  async deleteAll(sdkAppId: number, userId: string, both: boolean): Promise<void> {
    const changes = new FriendChanges();
    await this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('sns_friends')
        .select('friend_id')
        .where('sdkappid', '=', sdkAppId)
        .where('user_id', '=', userId)
        .execute();
      const peers = rows.map((r) => r.friend_id);
      await trx
        .deleteFrom('sns_friends')
        .where('sdkappid', '=', sdkAppId)
        .where('user_id', '=', userId)
        .execute();
      const changed = peers.length ? [userId] : [];
      for (const peer of peers) changes.friendsDeleted.push([userId, peer]);
      if (both && peers.length) {
        const reverse = await trx
          .selectFrom('sns_friends')
          .select('user_id')
          .where('sdkappid', '=', sdkAppId)
          .where('user_id', 'in', peers)
          .where('friend_id', '=', userId)
          .execute();
        await trx
          .deleteFrom('sns_friends')
          .where('sdkappid', '=', sdkAppId)
          .where('user_id', 'in', peers)
          .where('friend_id', '=', userId)
          .execute();
        changed.push(...reverse.map((r) => r.user_id));
        for (const r of reverse) changes.friendsDeleted.push([r.user_id, userId]);
      }
      await bumpSeq(trx, sdkAppId, changed, 'friend_seq');
    });
    await this.#announce(sdkAppId, changes);
  }

  /** How each peer relates to `userId`: aWithB = the peer is in userId's list, bWithA = the other way. */
  async check(sdkAppId: number, userId: string, peers: string[]): Promise<Map<string, Relation>> {
    return relations(this.db, 'sns_friends', 'friend_id', sdkAppId, userId, peers);
  }

  /** The whole friend list, oldest first. */
  async list(sdkAppId: number, userId: string): Promise<Friend[]> {
    const rows = await this.db
      .selectFrom('sns_friends')
      .selectAll()
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', '=', userId)
      .orderBy('add_time')
      .orderBy('friend_id')
      .execute();
    return rows.map(toFriend);
  }

  /** These peers as friends of `userId` (absent: not a friend). */
  async friends(sdkAppId: number, userId: string, peers: string[]): Promise<Map<string, Friend>> {
    if (peers.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('sns_friends')
      .selectAll()
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', '=', userId)
      .where('friend_id', 'in', [...new Set(peers)])
      .execute();
    return new Map(rows.map((r) => [r.friend_id, toFriend(r)]));
  }

  async sequences(sdkAppId: number, userId: string): Promise<{ friend: number; black: number }> {
    const row = await this.db
      .selectFrom('sns_sequences')
      .select(['friend_seq', 'black_seq'])
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return { friend: Number(row?.friend_seq ?? 0), black: Number(row?.black_seq ?? 0) };
  }

  /**
   * black_list_add: blocks each peer; a friendship between the two ends in both directions (as in Tencent).
   * Blocking an account already blocked succeeds and keeps the first time.
   */
  async block(sdkAppId: number, userId: string, peers: string[]): Promise<ItemResult[]> {
    const changes = new FriendChanges();
    const out = await this.db.transaction().execute(async (trx) => {
      const accounts = await allowTypes(trx, sdkAppId, peers);
      const already = await blockedAmong(trx, sdkAppId, userId, peers);
      const results: ItemResult[] = [];
      const friendChanged = new Set<string>();
      let blocked = false;
      const now = Math.floor(this.now() / 1000);
      for (const peer of peers) {
        if (peer === userId) {
          results.push({
            userId: peer,
            code: SnsCode.InvalidRequest,
            info: 'an account cannot block itself',
          });
          continue;
        }
        if (!accounts.has(peer)) {
          results.push({
            userId: peer,
            code: SnsCode.AccountNotFound,
            info: `account "${peer}" does not exist`,
          });
          continue;
        }
        if (!already.has(peer)) {
          await trx
            .insertInto('sns_blocklist')
            .values({ sdkappid: sdkAppId, user_id: userId, blocked_id: peer, added_at: now })
            .execute();
          already.add(peer);
          blocked = true;
          changes.blocked.push([userId, peer]);
        }
        if (await removeFriend(trx, sdkAppId, userId, peer)) {
          friendChanged.add(userId);
          changes.friendsDeleted.push([userId, peer]);
        }
        if (await removeFriend(trx, sdkAppId, peer, userId)) {
          friendChanged.add(peer);
          changes.friendsDeleted.push([peer, userId]);
        }
        changes.requestsDeleted.push(...(await dropRequestsBetween(trx, sdkAppId, userId, [peer])));
        results.push({ userId: peer, code: 0, info: '' });
      }
      await bumpSeq(trx, sdkAppId, [...friendChanged], 'friend_seq');
      if (blocked) await bumpSeq(trx, sdkAppId, [userId], 'black_seq');
      return results;
    });
    await this.#announce(sdkAppId, changes);
    return out;
  }

  /** black_list_delete: unblocks each peer. */
  async unblock(sdkAppId: number, userId: string, peers: string[]): Promise<ItemResult[]> {
    const changes = new FriendChanges();
    const out = await this.db.transaction().execute(async (trx) => {
      const results: ItemResult[] = [];
      let changed = false;
      for (const peer of peers) {
        const r = await trx
          .deleteFrom('sns_blocklist')
          .where('sdkappid', '=', sdkAppId)
          .where('user_id', '=', userId)
          .where('blocked_id', '=', peer)
          .executeTakeFirst();
        if (Number(r.numDeletedRows) > 0) {
          changed = true;
          changes.unblocked.push([userId, peer]);
          results.push({ userId: peer, code: 0, info: '' });
        } else
          results.push({
            userId: peer,
            code: SnsCode.NoRelation,
            info: `"${peer}" is not in "${userId}"'s blocklist`,
          });
      }
      if (changed) await bumpSeq(trx, sdkAppId, [userId], 'black_seq');
      return results;
    });
    await this.#announce(sdkAppId, changes);
    return out;
  }

  /** The blocklist, oldest first: `limit` entries from `start`. */
  async blocklist(
    sdkAppId: number,
    userId: string,
    start: number,
    limit: number,
  ): Promise<{ items: { userId: string; addedAt: number }[]; total: number }> {
    const [rows, total] = await Promise.all([
      this.db
        .selectFrom('sns_blocklist')
        .select(['blocked_id', 'added_at'])
        .where('sdkappid', '=', sdkAppId)
        .where('user_id', '=', userId)
        .orderBy('added_at')
        .orderBy('blocked_id')
        .offset(start)
        .limit(limit)
        .execute(),
      this.db
        .selectFrom('sns_blocklist')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('sdkappid', '=', sdkAppId)
        .where('user_id', '=', userId)
        .executeTakeFirst(),
    ]);
    return {
      items: rows.map((r) => ({ userId: r.blocked_id, addedAt: Number(r.added_at) })),
      total: Number(total?.n ?? 0),
    };
  }

  /** How each peer relates to `userId` by blocklists: aWithB = userId blocked the peer. */
  async checkBlocked(sdkAppId: number, userId: string, peers: string[]): Promise<Map<string, Relation>> {
    return relations(this.db, 'sns_blocklist', 'blocked_id', sdkAppId, userId, peers);
  }

  /** Deleted accounts: their lists and their places in others' lists go. */
  async forget(sdkAppId: number, userIds: string[]): Promise<void> {
    if (userIds.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('sns_friends')
        .where('sdkappid', '=', sdkAppId)
        .where((eb) => eb.or([eb('user_id', 'in', userIds), eb('friend_id', 'in', userIds)]))
        .execute();
      await trx
        .deleteFrom('sns_blocklist')
        .where('sdkappid', '=', sdkAppId)
        .where((eb) => eb.or([eb('user_id', 'in', userIds), eb('blocked_id', 'in', userIds)]))
        .execute();
      await trx
        .deleteFrom('sns_sequences')
        .where('sdkappid', '=', sdkAppId)
        .where('user_id', 'in', userIds)
        .execute();
      await trx
        .deleteFrom('account_mutes')
        .where('sdkappid', '=', sdkAppId)
        .where('user_id', 'in', userIds)
        .execute();
      await dropRequestsOf(trx, sdkAppId, userIds);
    });
  }
}

/** The answer about `peer` when no request from `from` to `to` is pending. */
function noRequest(peer: string, from: string, to: string): ItemResult {
  return {
    userId: peer,
    code: SnsCode.NoRelation,
    info: `no friend request from "${from}" to "${to}" is pending`,
  };
}

/** What a request asks for the requester's own list: the peer, with the request's remark and group. */
function requesterSide(r: FriendRequest): FriendInput {
  return {
    userId: r.to,
    remark: r.remark,
    groups: r.groupName ? [r.groupName] : [],
    addSource: r.addSource,
    addWording: r.addWording,
  };
}

function toFriend(r: {
  friend_id: string;
  remark: string;
  remark_time: number;
  group_names: string;
  add_source: string;
  add_wording: string;
  add_time: number;
}): Friend {
  const groups = JSON.parse(r.group_names) as unknown;
  return {
    userId: r.friend_id,
    remark: r.remark,
    remarkTime: Number(r.remark_time),
    groups: Array.isArray(groups) ? groups.map(String) : [],
    addSource: r.add_source,
    addWording: r.add_wording,
    addTime: Number(r.add_time),
  };
}

/** The AllowType of each existing account among `userIds`. */
async function allowTypes(db: Db, sdkAppId: number, userIds: string[]): Promise<Map<string, AllowType>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('accounts')
    .select(['user_id', 'allow_type'])
    .where('sdkappid', '=', sdkAppId)
    .where('user_id', 'in', [...new Set(userIds)])
    .execute();
  return new Map(
    rows.map((r) => [
      r.user_id,
      (ALLOW_TYPES as readonly string[]).includes(r.allow_type)
        ? (r.allow_type as AllowType)
        : DEFAULT_ALLOW_TYPE,
    ]),
  );
}

/** Peers `userId` blocked. */
async function blockedAmong(db: Db, sdkAppId: number, userId: string, peers: string[]): Promise<Set<string>> {
  if (peers.length === 0) return new Set();
  const rows = await db
    .selectFrom('sns_blocklist')
    .select('blocked_id')
    .where('sdkappid', '=', sdkAppId)
    .where('user_id', '=', userId)
    .where('blocked_id', 'in', [...new Set(peers)])
    .execute();
  return new Set(rows.map((r) => r.blocked_id));
}

/** Peers that blocked `userId`. */
async function blockersAmong(
  db: Db,
  sdkAppId: number,
  userId: string,
  peers: string[],
): Promise<Set<string>> {
  if (peers.length === 0) return new Set();
  const rows = await db
    .selectFrom('sns_blocklist')
    .select('user_id')
    .where('sdkappid', '=', sdkAppId)
    .where('blocked_id', '=', userId)
    .where('user_id', 'in', [...new Set(peers)])
    .execute();
  return new Set(rows.map((r) => r.user_id));
}

async function relations(
  db: Db,
  table: 'sns_friends' | 'sns_blocklist',
  column: 'friend_id' | 'blocked_id',
  sdkAppId: number,
  userId: string,
  peers: string[],
): Promise<Map<string, Relation>> {
  const unique = [...new Set(peers)];
  const out = new Map<string, Relation>(unique.map((p) => [p, 'none']));
  if (unique.length === 0) return out;
  // biome-ignore lint/suspicious/noExplicitAny: the two tables share the shape read here
  const q = db as Kysely<any>;
  const [mine, theirs] = await Promise.all([
    q
      .selectFrom(table)
      .select(`${column} as peer`)
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', '=', userId)
      .where(column, 'in', unique)
      .execute() as Promise<{ peer: string }[]>,
    q
      .selectFrom(table)
      .select('user_id as peer')
      .where('sdkappid', '=', sdkAppId)
      .where(column, '=', userId)
      .where('user_id', 'in', unique)
      .execute() as Promise<{ peer: string }[]>,
  ]);
  for (const r of mine) out.set(r.peer, 'aWithB');
  for (const r of theirs) out.set(r.peer, out.get(r.peer) === 'aWithB' ? 'both' : 'bWithA');
  return out;
}

async function friendCount(db: Db, sdkAppId: number, userId: string): Promise<number> {
  const row = await db
    .selectFrom('sns_friends')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('sdkappid', '=', sdkAppId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

async function removeFriend(db: Db, sdkAppId: number, userId: string, peer: string): Promise<boolean> {
  const r = await db
    .deleteFrom('sns_friends')
    .where('sdkappid', '=', sdkAppId)
    .where('user_id', '=', userId)
    .where('friend_id', '=', peer)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

async function bumpSeq(
  db: Db,
  sdkAppId: number,
  userIds: string[],
  column: 'friend_seq' | 'black_seq',
): Promise<void> {
  for (const userId of [...new Set(userIds)].sort()) {
    await db
      .insertInto('sns_sequences')
      .values({ sdkappid: sdkAppId, user_id: userId, friend_seq: 0, black_seq: 0, [column]: 1 })
      .onConflict((oc) =>
        oc
          .columns(['sdkappid', 'user_id'])
          .doUpdateSet((eb) => ({ [column]: eb(`sns_sequences.${column}`, '+', 1) })),
      )
      .execute();
  }
}
