// Requests to join a group whose ApplyJoinOption is NeedPermission: the SDK's joinGroup stores one, the
// group's owner and admins list them (getGroupApplicationList) and accept or refuse them
// (gateway/group-ops.ts). A newer request of the same user replaces the older one.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

export interface GroupJoinRequest {
  groupId: string;
  userId: string;
  message: string;
  /** UNIX seconds. */
  addTime: number;
}

export class GroupJoinRequests {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number,
  ) {}

  async put(sdkAppId: number, groupId: string, userId: string, message: string): Promise<void> {
    const values = { message, add_time: Math.floor(this.now() / 1000) };
    await this.db
      .insertInto('group_join_requests')
      .values({ sdkappid: sdkAppId, group_id: groupId, user_id: userId, ...values })
      .onConflict((oc) => oc.columns(['sdkappid', 'group_id', 'user_id']).doUpdateSet(values))
      .execute();
  }

  /** Removes and answers the request of `userId` to join `groupId`, if any. */
  async take(sdkAppId: number, groupId: string, userId: string): Promise<GroupJoinRequest | undefined> {
    const row = await this.db
      .deleteFrom('group_join_requests')
      .where('sdkappid', '=', sdkAppId)
      .where('group_id', '=', groupId)
      .where('user_id', '=', userId)
      .returningAll()
      .executeTakeFirst();
    return row ? toRequest(row) : undefined;
  }

  /** Deleted accounts: their requests go. */
  async forget(sdkAppId: number, userIds: string[]): Promise<void> {
    if (userIds.length === 0) return;
    await this.db
      .deleteFrom('group_join_requests')
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', 'in', userIds)
      .execute();
  }

  /** The requests to join these groups, and those `userId` made, newest first. */
  async list(sdkAppId: number, groupIds: string[], userId: string): Promise<GroupJoinRequest[]> {
    const rows = await this.db
      .selectFrom('group_join_requests')
      .selectAll()
      .where('sdkappid', '=', sdkAppId)
      .where((eb) =>
        groupIds.length > 0
          ? eb.or([eb('group_id', 'in', groupIds), eb('user_id', '=', userId)])
          : eb('user_id', '=', userId),
      )
      .orderBy('add_time', 'desc')
      .orderBy('group_id')
      .orderBy('user_id')
      .execute();
    return rows.map(toRequest);
  }
}

function toRequest(r: Database['group_join_requests']): GroupJoinRequest {
  return { groupId: r.group_id, userId: r.user_id, message: r.message, addTime: Number(r.add_time) };
}
