// Global mutes (openconfigsvr/setnospeaking, getnospeaking): an account muted for C2C messages, group
// messages or both, until a time or for ever. The end is stored, so a mute lifts itself when its time passes
// (checked against the server clock on every send). docs/internals/tencent-im.md#global-mute.
import type { Kysely } from 'kysely';
import { reuse } from '../store/compiled.js';
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
    const row = (await muteQuery(this.db, sdkAppId, userId)).rows[0];
    const now = this.now();
    const left = (until: number | undefined) => {
      const u = Number(until ?? 0);
      if (u === FOREVER) return MUTE_FOREVER;
      return u > now ? Math.ceil((u - now) / 1000) : 0;
    };
    return { c2c: left(row?.c2c_until), group: left(row?.group_until) };
  }
}
