// Invitations and their invitees in the database: what the server-side timeout needs to survive a
// restart, and what addInvitedSignaling reads back. State changes are conditional updates, so two
// answers (or an answer and the timeout sweep, or two nodes) never both win.
import type { Kysely } from 'kysely';
import type { OfflinePushInfo } from '../messaging/message-types.js';
import type { Database } from '../store/schema.js';
import type { SignalingInfo } from './envelope.js';

export type InviteeStatus = 'pending' | 'timing-out' | 'accepted' | 'rejected' | 'cancelled' | 'timeout';

export interface StoredInvite {
  sdkAppId: number;
  inviteId: string;
  inviter: string;
  groupId: string;
  inviteeList: string[];
  data: string;
  timeout: number;
  onlineOnly: boolean;
  offlinePushInfo?: OfflinePushInfo;
  createdAt: number;
  expiresAt: number | null;
  /** Each invitee's state. */
  invitees: Map<string, InviteeStatus>;
}

/** A sweeper that claimed a timeout but died is replaced after this long. */
export const CLAIM_TTL_MS = 60_000;

export class InviteStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(invite: Omit<StoredInvite, 'invitees'>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('signaling_invites')
        .values({
          sdkappid: invite.sdkAppId,
          invite_id: invite.inviteId,
          inviter: invite.inviter,
          group_id: invite.groupId,
          invitee_list: JSON.stringify(invite.inviteeList),
          data: invite.data,
          timeout: invite.timeout,
          online_only: invite.onlineOnly ? 1 : 0,
          offline_push_info: invite.offlinePushInfo ? JSON.stringify(invite.offlinePushInfo) : null,
          created_at: invite.createdAt,
          expires_at: invite.expiresAt,
        })
        .execute();
      await trx
        .insertInto('signaling_invitees')
        .values(
          invite.inviteeList.map((userId) => ({
            sdkappid: invite.sdkAppId,
            invite_id: invite.inviteId,
            user_id: userId,
            status: 'pending',
            expires_at: invite.expiresAt,
            claimed_at: null,
            updated_at: invite.createdAt,
          })),
        )
        .execute();
    });
  }

  /** Undoes `create` when the invitation message could not be sent. */
  async remove(sdkAppId: number, inviteId: string): Promise<void> {
    await this.db
      .deleteFrom('signaling_invitees')
      .where('sdkappid', '=', sdkAppId)
      .where('invite_id', '=', inviteId)
      .execute();
    await this.db
      .deleteFrom('signaling_invites')
      .where('sdkappid', '=', sdkAppId)
      .where('invite_id', '=', inviteId)
      .execute();
  }

  /** One invitee's state, or undefined when the invitation or the invitee is unknown. */
  async inviteeStatus(
    sdkAppId: number,
    inviteId: string,
    userId: string,
  ): Promise<InviteeStatus | undefined> {
    const row = await this.db
      .selectFrom('signaling_invitees')
      .select('status')
      .where('sdkappid', '=', sdkAppId)
      .where('invite_id', '=', inviteId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row?.status as InviteeStatus | undefined;
  }

  async get(sdkAppId: number, inviteId: string): Promise<StoredInvite | undefined> {
    const row = await this.db
      .selectFrom('signaling_invites')
      .selectAll()
      .where('sdkappid', '=', sdkAppId)
      .where('invite_id', '=', inviteId)
      .executeTakeFirst();
    if (!row) return undefined;
    const invitees = await this.db
      .selectFrom('signaling_invitees')
      .select(['user_id', 'status'])
      .where('sdkappid', '=', sdkAppId)
      .where('invite_id', '=', inviteId)
      .execute();
    return toInvite(row, invitees);
  }

  /**
   * Moves the given invitees (all when `userIds` is null) from `pending` to `to`, unless the invitation
   * expired by `now`. Returns the invitees it moved.
   */
  async settle(
    sdkAppId: number,
    inviteId: string,
    userIds: string[] | null,
    to: 'accepted' | 'rejected' | 'cancelled',
    now: number,
  ): Promise<string[]> {
    return this.db.transaction().execute(async (trx) => {
      let q = trx
        .selectFrom('signaling_invitees')
        .select('user_id')
        .where('sdkappid', '=', sdkAppId)
        .where('invite_id', '=', inviteId)
        .where('status', '=', 'pending')
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]));
      if (userIds) q = q.where('user_id', 'in', userIds);
      const candidates = (await q.execute()).map((r) => r.user_id);
      const moved: string[] = [];
      for (const userId of candidates) {
        const r = await trx
          .updateTable('signaling_invitees')
          .set({ status: to, updated_at: now })
          .where('sdkappid', '=', sdkAppId)
          .where('invite_id', '=', inviteId)
          .where('user_id', '=', userId)
          .where('status', '=', 'pending')
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 1) moved.push(userId);
      }
      return moved;
    });
  }

  /** Invitees whose time is up (or whose timeout claim was abandoned), oldest first. */
  async due(now: number, limit: number): Promise<{ sdkAppId: number; inviteId: string; userId: string }[]> {
    const rows = await this.db
      .selectFrom('signaling_invitees')
      .select(['sdkappid', 'invite_id', 'user_id'])
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'pending'), eb('expires_at', '<=', now)]),
          eb.and([eb('status', '=', 'timing-out'), eb('claimed_at', '<=', now - CLAIM_TTL_MS)]),
        ]),
      )
      .orderBy('expires_at')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ sdkAppId: r.sdkappid, inviteId: r.invite_id, userId: r.user_id }));
  }

  /** Takes the timeout of one invitee for this sweeper; false when someone else did (or it was answered). */
  async claimTimeout(sdkAppId: number, inviteId: string, userId: string, now: number): Promise<boolean> {
    const r = await this.db
      .updateTable('signaling_invitees')
      .set({ status: 'timing-out', claimed_at: now, updated_at: now })
      .where('sdkappid', '=', sdkAppId)
      .where('invite_id', '=', inviteId)
      .where('user_id', '=', userId)
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'pending'), eb('expires_at', '<=', now)]),
          eb.and([eb('status', '=', 'timing-out'), eb('claimed_at', '<=', now - CLAIM_TTL_MS)]),
        ]),
      )
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** The timeout message is sent: the invitee is done. */
  async finishTimeout(sdkAppId: number, inviteId: string, userId: string, now: number): Promise<void> {
    await this.db
      .updateTable('signaling_invitees')
      .set({ status: 'timeout', updated_at: now })
      .where('sdkappid', '=', sdkAppId)
      .where('invite_id', '=', inviteId)
      .where('user_id', '=', userId)
      .where('status', '=', 'timing-out')
      .execute();
  }

  /** Sending the timeout failed: let the next sweep try again. */
  async releaseTimeout(sdkAppId: number, inviteId: string, userId: string): Promise<void> {
    await this.db
      .updateTable('signaling_invitees')
      .set({ status: 'pending', claimed_at: null })
      .where('sdkappid', '=', sdkAppId)
      .where('invite_id', '=', inviteId)
      .where('user_id', '=', userId)
      .where('status', '=', 'timing-out')
      .execute();
  }

  /** Invitations still ringing for this user (pending and unexpired), oldest first. */
  async pendingFor(sdkAppId: number, userId: string, now: number): Promise<StoredInvite[]> {
    const ids = await this.db
      .selectFrom('signaling_invitees')
      .select('invite_id')
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', '=', userId)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .execute();
    const invites: StoredInvite[] = [];
    for (const { invite_id } of ids) {
      const invite = await this.get(sdkAppId, invite_id);
      if (invite) invites.push(invite);
    }
    return invites.sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Deletes invitations older than `before` that nobody waits for any more. */
  async purge(before: number): Promise<number> {
    const r = await this.db
      .deleteFrom('signaling_invites')
      .where('created_at', '<', before)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('signaling_invitees as i')
              .select('i.user_id')
              .whereRef('i.sdkappid', '=', 'signaling_invites.sdkappid')
              .whereRef('i.invite_id', '=', 'signaling_invites.invite_id')
              .where('i.status', 'in', ['pending', 'timing-out']),
          ),
        ),
      )
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

/** The envelope of an invitation with another action. */
export function infoOf(
  invite: StoredInvite,
  actionType: SignalingInfo['actionType'],
  data?: string,
): SignalingInfo {
  return {
    businessID: 1,
    inviteID: invite.inviteId,
    groupID: invite.groupId,
    inviter: invite.inviter,
    inviteeList: invite.inviteeList,
    data: data ?? invite.data,
    timeout: invite.timeout,
    actionType,
  };
}

function toInvite(
  row: Database['signaling_invites'],
  invitees: { user_id: string; status: string }[],
): StoredInvite {
  return {
    sdkAppId: row.sdkappid,
    inviteId: row.invite_id,
    inviter: row.inviter,
    groupId: row.group_id,
    inviteeList: JSON.parse(row.invitee_list) as string[],
    data: row.data,
    timeout: row.timeout,
    onlineOnly: row.online_only === 1,
    ...(row.offline_push_info
      ? { offlinePushInfo: JSON.parse(row.offline_push_info) as OfflinePushInfo }
      : {}),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    invitees: new Map(invitees.map((i) => [i.user_id, i.status as InviteeStatus])),
  };
}
