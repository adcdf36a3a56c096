// Global mutes (openconfigsvr/setnospeaking, getnospeaking): an account muted for C2C messages, group
// messages or both, until a time or for ever. The end is stored, so a mute lifts itself when its time passes
// (checked against the server clock on every send). docs/internals/tencent-im.md#global-mute.
import { type Kysely, sql } from 'kysely';
import { inList, listParam } from '../store/bulk.js';
import { reuse } from '../store/compiled.js';
import { isSqlite } from '../store/db.js';
import type { Database } from '../store/schema.js';

/** Seconds meaning "for ever" (0xFFFFFFFF). */
export const MUTE_FOREVER = 4_294_967_295;
/** Stored end of a mute for ever. */
const FOREVER = -1;

export interface MuteState {
  /** Seconds left (MUTE_FOREVER for ever; 0 = not muted). */
  c2c: number;
  group: number;
}

/** Read by every send (its sender's mute): built once (store/compiled.ts). */
const muteQuery = reuse((db: Kysely<Database>, sdkAppId: number, userId: string) =>
  db
    .selectFrom('account_mutes')
    .select(['c2c_until', 'group_until'])
    .where('sdkappid', '=', sdkAppId)
    .where('user_id', '=', userId),
);

/** MuteService.c2cSendChecks: the mute row (if any) and one row per blocker, each marked with its source. */
const c2cChecksQuery = reuse((db: Kysely<Database>, sdkAppId: number, from: string, to: unknown) =>
  db
    .selectFrom('account_mutes')
    .select((eb) => [
      sql.lit('mute').as('source'),
      sql<string | null>`null`.as('user_id'),
      eb.ref('c2c_until').$castTo<number | null>().as('c2c_until'),
      eb.ref('group_until').$castTo<number | null>().as('group_until'),
    ])
    .where('sdkappid', '=', sdkAppId)
    .where('user_id', '=', from)
    .unionAll(
      db
        .selectFrom('sns_blocklist')
        .select([
          sql.lit('blocker').as('source'),
          'user_id',
          sql<number | null>`null`.as('c2c_until'),
          sql<number | null>`null`.as('group_until'),
        ])
        .where('sdkappid', '=', sdkAppId)
        .where('blocked_id', '=', from)
        .where(inList(isSqlite(db), 'user_id', to, 'text')),
    ),
);

export class MuteService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number,
  ) {}

  /** Sets the given durations (seconds; 0 lifts, MUTE_FOREVER = for ever); an absent one is left as it is. */
  async set(sdkAppId: number, userId: string, c2c?: number, group?: number): Promise<void> {
    const now = this.now();
    const end = (seconds: number) =>
      seconds === 0 ? 0 : seconds >= MUTE_FOREVER ? FOREVER : now + seconds * 1000;
    const values: { c2c_until?: number; group_until?: number } = {};
    if (c2c !== undefined) values.c2c_until = end(c2c);
    if (group !== undefined) values.group_until = end(group);
    await this.db
      .insertInto('account_mutes')
      .values({ sdkappid: sdkAppId, user_id: userId, c2c_until: 0, group_until: 0, ...values })
      .onConflict((oc) => oc.columns(['sdkappid', 'user_id']).doUpdateSet(values))
      .execute();
  }

  async get(sdkAppId: number, userId: string): Promise<MuteState> {
    return this.#state((await muteQuery(this.db, sdkAppId, userId)).rows[0]);
  }

  /**
   * A C2C send's checks (sns/guard.ts) in one read: the sender's mute, and the receivers among `to` that
   * blocked the sender (relations.ts keeps the blocklists; this reads them for the send only).
   */
  async c2cSendChecks(
    sdkAppId: number,
    from: string,
    to: string[],
  ): Promise<{ mute: MuteState; blockers: Set<string> }> {
    const { rows } = await c2cChecksQuery(
      this.db,
      sdkAppId,
      from,
      listParam(isSqlite(this.db), [...new Set(to)]),
    );
    const blockers = new Set<string>();
    let mute: { c2c_until: number | null; group_until: number | null } | undefined;
    for (const r of rows) {
      if (r.source === 'mute') mute = r;
      else if (r.user_id !== null) blockers.add(r.user_id);
    }
    return { mute: this.#state(mute), blockers };
  }

  /** Seconds left of a stored mute row's mutes (0 = not muted), by the server clock. */
  #state(row: { c2c_until: number | null; group_until: number | null } | undefined): MuteState {
    const now = this.now();
    const left = (until: number | null | undefined) => {
      const u = Number(until ?? 0);
      if (u === FOREVER) return MUTE_FOREVER;
      return u > now ? Math.ceil((u - now) / 1000) : 0;
    };
    return { c2c: left(row?.c2c_until), group: left(row?.group_until) };
  }
}
