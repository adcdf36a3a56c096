// Accounts (users) of an app. Importing is idempotent: re-importing updates the profile fields given.
import type { Kysely } from 'kysely';
import { inList, listParam } from '../store/bulk.js';
import { reuse } from '../store/compiled.js';
import { isSqlite } from '../store/db.js';
import type { Database } from '../store/schema.js';
import { InvalidUserIdError, userIdProblem } from './user-id.js';

export { isValidUserId, MAX_USER_ID_BYTES, userIdProblem } from './user-id.js';

export interface Account {
  userId: string;
  nick: string;
  faceUrl: string;
  createdAt: number;
  /** UNIX seconds of the last kick, or null. */
  kickedAt: number | null;
}

export interface AccountProfile {
  userId: string;
  nick?: string | undefined;
  faceUrl?: string | undefined;
}

/** One account by ID: read by every REST call (its administrator) and send; built once (store/compiled.ts). */
const accountQuery = reuse((db: Kysely<Database>, sdkAppId: number, userId: string) =>
  db.selectFrom('accounts').selectAll().where('sdkappid', '=', sdkAppId).where('user_id', '=', userId),
);

/** Nicknames of the existing ones among some accounts (`users`: store/bulk.ts listParam): every send's check. */
const nicksQuery = reuse((db: Kysely<Database>, sdkAppId: number, users: unknown) =>
  db
    .selectFrom('accounts')
    .select(['user_id', 'nick'])
    .where('sdkappid', '=', sdkAppId)
    .where(inList(isSqlite(db), 'user_id', users, 'text')),
);

export class AccountsService {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Imports (or re-imports) accounts in one transaction. Every door checks UserIDs first (user-id.ts); an
   * invalid one reaching this point throws InvalidUserIdError and nothing is written.
   */
  async import(sdkAppId: number, profiles: AccountProfile[]): Promise<void> {
    if (profiles.length === 0) return;
    for (const p of profiles) {
      const problem = userIdProblem(p.userId);
      if (problem) throw new InvalidUserIdError(p.userId, problem);
    }
    const now = Date.now();
    await this.db.transaction().execute(async (trx) => {
      for (const p of profiles) {
        const update: { nick?: string; face_url?: string } = {};
        if (p.nick !== undefined) update.nick = p.nick;
        if (p.faceUrl !== undefined) update.face_url = p.faceUrl;
        await trx
          .insertInto('accounts')
          .values({
            sdkappid: sdkAppId,
            user_id: p.userId,
            nick: p.nick ?? '',
            face_url: p.faceUrl ?? '',
            created_at: now,
            kicked_at: null,
          })
          .onConflict((oc) =>
            Object.keys(update).length > 0
              ? oc.columns(['sdkappid', 'user_id']).doUpdateSet(update)
              : oc.columns(['sdkappid', 'user_id']).doNothing(),
          )
          .execute();
      }
    });
  }

  async get(sdkAppId: number, userId: string): Promise<Account | undefined> {
    const row = (await accountQuery(this.db, sdkAppId, userId)).rows[0];
    return row
      ? {
          userId: row.user_id,
          nick: row.nick,
          faceUrl: row.face_url,
          createdAt: row.created_at,
          kickedAt: row.kicked_at,
        }
      : undefined;
  }

  /** Which of the given user IDs exist. */
  async existing(sdkAppId: number, userIds: string[]): Promise<Set<string>> {
    return new Set((await this.nicks(sdkAppId, userIds)).keys());
  }

  /**
   * Which of the given user IDs exist, with their nicknames ('' = none): the send's existence check, whose
   * row also gives the push its sender's nickname (no second read of the sender's account).
   */
  async nicks(sdkAppId: number, userIds: string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    const { rows } = await nicksQuery(this.db, sdkAppId, listParam(isSqlite(this.db), userIds));
    return new Map(rows.map((r) => [r.user_id, r.nick]));
  }

  /** Deletes the given accounts in one transaction; returns the IDs that existed. */
  async delete(sdkAppId: number, userIds: string[]): Promise<Set<string>> {
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('accounts')
        .select('user_id')
        .where('sdkappid', '=', sdkAppId)
        .where('user_id', 'in', userIds)
        .execute();
      const found = new Set(rows.map((r) => r.user_id));
      if (found.size > 0) {
        await trx
          .deleteFrom('accounts')
          .where('sdkappid', '=', sdkAppId)
          .where('user_id', 'in', [...found])
          .execute();
      }
      return found;
    });
  }

  /**
   * Invalidates every UserSig of the user issued up to now. Returns false if the account does not exist.
   * Ending live sessions and removing push bindings is the gateway's part (it listens for kicks).
   */
  async kick(sdkAppId: number, userId: string, nowSeconds = Math.floor(Date.now() / 1000)): Promise<boolean> {
    const result = await this.db
      .updateTable('accounts')
      .set({ kicked_at: nowSeconds })
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
