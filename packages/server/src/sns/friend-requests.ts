// Pending friend requests (Tencent's "pendency"): friend_add / addFriend to an account whose AllowType is
// AllowType_Type_NeedConfirm stores one, answered 30539. The peer consents by accepting it (the SDK's
// acceptFriendApplication) or by adding the requester back (friend_add / addFriend the other way); it refuses
// with refuseFriendApplication. A blocklist between the two, either account's deletion, or the two becoming
// friends removes it. Helpers over a transaction of RelationService (relations.ts).
import type { FriendApplicationView } from '@pushline/contracts';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface FriendRequest {
  from: string;
  to: string;
  /** The requester asked for both lists (Add_Type_Both). */
  both: boolean;
  /** What the requester wants its own list to hold for the peer. */
  remark: string;
  groupName: string;
  addSource: string;
  addWording: string;
  /** UNIX seconds. */
  addTime: number;
}

/** V2TIMFriendApplication.type: the viewer received the request, or sent it. */
export const APPLICATION_COME_IN = 1;
export const APPLICATION_SEND_OUT = 2;

/**
 * A pending request as the SDKs show it to one side (V2TIMFriendApplication): `userID` is the other side.
 * @pushline/contracts' shape, shared with the SDK.
 */
export type { FriendApplicationView };

/** The view of request `r` for the side that sees `other`, with `other`'s profile. */
export function applicationView(
  r: FriendRequest,
  other: string,
  type: number,
  profile: { nick?: string | undefined; faceUrl?: string | undefined } | undefined,
): FriendApplicationView {
  return {
    userID: other,
    nickName: profile?.nick ?? '',
    faceUrl: profile?.faceUrl ?? '',
    addTime: r.addTime,
    addSource: r.addSource,
    addWording: r.addWording,
    type,
  };
}

type Row = Database['sns_friend_requests'];

function toRequest(r: Row): FriendRequest {
  return {
    from: r.from_id,
    to: r.to_id,
    both: Number(r.both) === 1,
    remark: r.remark,
    groupName: r.group_name,
    addSource: r.add_source,
    addWording: r.add_wording,
    addTime: Number(r.add_time),
  };
}

/** Stores `request`, replacing an earlier one in the same direction (its wording and time are the latest). */
export async function putRequest(db: Db, sdkAppId: number, request: FriendRequest): Promise<void> {
  const values = {
    both: request.both ? 1 : 0,
    remark: request.remark,
    group_name: request.groupName,
    add_source: request.addSource,
    add_wording: request.addWording,
    add_time: request.addTime,
  };
  await db
    .insertInto('sns_friend_requests')
    .values({ sdkappid: sdkAppId, from_id: request.from, to_id: request.to, ...values })
    .onConflict((oc) => oc.columns(['sdkappid', 'from_id', 'to_id']).doUpdateSet(values))
    .execute();
}

/** Removes and answers the pending request from `from` to `to`, if any. */
export async function takeRequest(
  db: Db,
  sdkAppId: number,
  from: string,
  to: string,
): Promise<FriendRequest | undefined> {
  const row = await db
    .deleteFrom('sns_friend_requests')
    .where('sdkappid', '=', sdkAppId)
    .where('from_id', '=', from)
    .where('to_id', '=', to)
    .returningAll()
    .executeTakeFirst();
  return row ? toRequest(row) : undefined;
}

/** Removes the requests between `userId` and any of `peers`, both directions; returns them as [from, to]. */
export async function dropRequestsBetween(
  db: Db,
  sdkAppId: number,
  userId: string,
  peers: string[],
): Promise<[string, string][]> {
  if (peers.length === 0) return [];
  const dropped = await db
    .deleteFrom('sns_friend_requests')
    .where('sdkappid', '=', sdkAppId)
    .where((eb) =>
      eb.or([
        eb.and([eb('from_id', '=', userId), eb('to_id', 'in', peers)]),
        eb.and([eb('to_id', '=', userId), eb('from_id', 'in', peers)]),
      ]),
    )
    .returning(['from_id', 'to_id'])
    .execute();
  return dropped.map((r) => [r.from_id, r.to_id]);
}

/** Removes every request from or to these accounts (deleted accounts). */
export async function dropRequestsOf(db: Db, sdkAppId: number, userIds: string[]) {
  if (userIds.length === 0) return;
  await db
    .deleteFrom('sns_friend_requests')
    .where('sdkappid', '=', sdkAppId)
    .where((eb) => eb.or([eb('from_id', 'in', userIds), eb('to_id', 'in', userIds)]))
    .execute();
}

/** The requests `userId` received and sent, newest first. */
export async function requestsOf(
  db: Db,
  sdkAppId: number,
  userId: string,
): Promise<{ incoming: FriendRequest[]; outgoing: FriendRequest[] }> {
  const rows = await db
    .selectFrom('sns_friend_requests')
    .selectAll()
    .where('sdkappid', '=', sdkAppId)
    .where((eb) => eb.or([eb('from_id', '=', userId), eb('to_id', '=', userId)]))
    .orderBy('add_time', 'desc')
    .orderBy('from_id')
    .execute();
  const all = rows.map(toRequest);
  return { incoming: all.filter((r) => r.to === userId), outgoing: all.filter((r) => r.from === userId) };
}
