// User tags: free-form strings (≤ 50 bytes) attached to accounts, used by tag pushes (TagsAnd/TagsOr).
// Every write is one transaction; accounts that do not exist are reported per user and left untouched.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { AudienceError, AudienceLimits, byteLength, PushErrorCode } from './errors.js';

export interface UserTags {
  userId: string;
  tags: string[];
}

/** A user the write did not apply to, with Tencent's per-user code (70107 unknown account, 90032 too many tags). */
export interface UserFailure {
  userId: string;
  code: number;
  message: string;
}

const ACCOUNT_NOT_FOUND = 70107;

/** Checks one tag's shape: non-empty (90040) and at most 50 bytes (90020). */
export function checkTag(tag: string): void {
  if (tag === '') throw AudienceError.keyed(PushErrorCode.EmptyTag, 'audienceTagEmpty');
  if (byteLength(tag) > AudienceLimits.maxTagBytes) {
    throw AudienceError.keyed(PushErrorCode.TagTooLong, 'audienceTagTooLong', {
      tag,
      bytes: byteLength(tag),
      max: AudienceLimits.maxTagBytes,
    });
  }
}

/** Checks the number of accounts in one request (1..100, else 90018 / 90001). */
export function checkAccountCount(field: string, count: number): void {
  if (count === 0) throw new AudienceError(PushErrorCode.Format, `${field} must not be empty`);
  if (count > AudienceLimits.maxAccountsPerRequest) {
    throw new AudienceError(
      PushErrorCode.TooManyAccounts,
      `${field} holds ${count} accounts; at most ${AudienceLimits.maxAccountsPerRequest} per request`,
    );
  }
}

/** Validates an add/remove request and merges repeated users; throws AudienceError before anything is written. */
function normalize(
  entries: UserTags[],
  maxPerEntry: number = AudienceLimits.maxTagsPerRequest,
): Map<string, string[]> {
  checkAccountCount('UserTags', entries.length);
  const merged = new Map<string, Set<string>>();
  for (const e of entries) {
    if (e.tags.length === 0) throw new AudienceError(PushErrorCode.Format, `Tags of "${e.userId}" is empty`);
    if (e.tags.length > maxPerEntry) {
      throw new AudienceError(
        PushErrorCode.TooManyTags,
        `"${e.userId}" has ${e.tags.length} tags in this request; at most ${maxPerEntry}`,
      );
    }
    for (const t of e.tags) checkTag(t);
    const set = merged.get(e.userId) ?? new Set<string>();
    for (const t of e.tags) set.add(t);
    merged.set(e.userId, set);
  }
  return new Map([...merged].map(([u, s]) => [u, [...s]]));
}

export function unknownAccount(userId: string): UserFailure {
  return { userId, code: ACCOUNT_NOT_FOUND, message: `account "${userId}" does not exist` };
}

export class TagStore {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Adds tags; a user who would hold more than 100 tags is refused (90032) and keeps the tags they had.
   * With `replace` (timpush/add_tag "Replace":1) each user's tags become exactly the given ones (up to 100).
   */
  async add(
    sdkAppId: number,
    entries: UserTags[],
    opts: { replace?: boolean } = {},
    now = Date.now(),
  ): Promise<UserFailure[]> {
    const wanted = normalize(
      entries,
      opts.replace ? AudienceLimits.maxTagsPerUser : AudienceLimits.maxTagsPerRequest,
    );
    return this.db.transaction().execute(async (trx) => {
      const userIds = [...wanted.keys()];
      const known = await existingAccounts(trx, sdkAppId, userIds);
      if (opts.replace) {
        const present = userIds.filter((id) => known.has(id));
        if (present.length > 0) {
          await trx
            .deleteFrom('user_tags')
            .where('sdkappid', '=', sdkAppId)
            .where('user_id', 'in', present)
            .execute();
        }
      }
      const held = await trx
        .selectFrom('user_tags')
        .select(['user_id', 'tag'])
        .where('sdkappid', '=', sdkAppId)
        .where('user_id', 'in', userIds)
        .execute();
      const heldBy = new Map<string, Set<string>>();
      for (const r of held) heldBy.set(r.user_id, (heldBy.get(r.user_id) ?? new Set()).add(r.tag));

      const failures: UserFailure[] = [];
      const rows: Database['user_tags'][] = [];
      for (const [userId, tags] of wanted) {
        if (!known.has(userId)) {
          failures.push(unknownAccount(userId));
          continue;
        }
        const have = heldBy.get(userId) ?? new Set<string>();
        const fresh = tags.filter((t) => !have.has(t));
        if (have.size + fresh.length > AudienceLimits.maxTagsPerUser) {
          failures.push({
            userId,
            code: PushErrorCode.TooManyTags,
            message: `"${userId}" would hold ${have.size + fresh.length} tags; at most ${AudienceLimits.maxTagsPerUser}: remove some first`,
          });
          continue;
        }
        for (const tag of fresh) rows.push({ sdkappid: sdkAppId, user_id: userId, tag, created_at: now });
      }
      if (rows.length > 0) {
        await trx
          .insertInto('user_tags')
          .values(rows)
          .onConflict((oc) => oc.columns(['sdkappid', 'user_id', 'tag']).doNothing())
          .execute();
      }
      return failures;
    });
  }

  /** Removes the given tags (tags a user does not hold are ignored). */
  async remove(sdkAppId: number, entries: UserTags[]): Promise<UserFailure[]> {
    const wanted = normalize(entries);
    return this.db.transaction().execute(async (trx) => {
      const known = await existingAccounts(trx, sdkAppId, [...wanted.keys()]);
      const failures: UserFailure[] = [];
      for (const [userId, tags] of wanted) {
        if (!known.has(userId)) {
          failures.push(unknownAccount(userId));
          continue;
        }
        await trx
          .deleteFrom('user_tags')
          .where('sdkappid', '=', sdkAppId)
          .where('user_id', '=', userId)
          .where('tag', 'in', tags)
          .execute();
      }
      return failures;
    });
  }

  /** Removes every tag of the given users. */
  async removeAll(sdkAppId: number, userIds: string[]): Promise<UserFailure[]> {
    checkAccountCount('To_Account', userIds.length);
    const ids = [...new Set(userIds)];
    return this.db.transaction().execute(async (trx) => {
      const known = await existingAccounts(trx, sdkAppId, ids);
      const present = ids.filter((id) => known.has(id));
      if (present.length > 0) {
        await trx
          .deleteFrom('user_tags')
          .where('sdkappid', '=', sdkAppId)
          .where('user_id', 'in', present)
          .execute();
      }
      return ids.filter((id) => !known.has(id)).map(unknownAccount);
    });
  }

  /** The tags of each existing user (sorted), in request order, plus the unknown accounts. */
  async get(sdkAppId: number, userIds: string[]): Promise<{ users: UserTags[]; failures: UserFailure[] }> {
    checkAccountCount('To_Account', userIds.length);
    const ids = [...new Set(userIds)];
    const known = await existingAccounts(this.db, sdkAppId, ids);
    const rows = await this.db
      .selectFrom('user_tags')
      .select(['user_id', 'tag'])
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', 'in', ids)
      .orderBy('tag')
      .execute();
    const byUser = new Map<string, string[]>();
    for (const r of rows) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), r.tag]);
    return {
      users: ids.filter((id) => known.has(id)).map((userId) => ({ userId, tags: byUser.get(userId) ?? [] })),
      failures: ids.filter((id) => !known.has(id)).map(unknownAccount),
    };
  }
}

export async function existingAccounts(
  db: Kysely<Database>,
  sdkAppId: number,
  userIds: string[],
): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('accounts')
    .select('user_id')
    .where('sdkappid', '=', sdkAppId)
    .where('user_id', 'in', userIds)
    .execute();
  return new Set(rows.map((r) => r.user_id));
}
