// Stored receive options: per peer (`c2c_<peer>`), per group (`group_<id>`) and the global DND window.
import { type Kysely, sql } from 'kysely';
import { inList, listParam } from '../store/bulk.js';
import { reuse } from '../store/compiled.js';
import { isSqlite } from '../store/db.js';
import type { Database } from '../store/schema.js';
import type { GlobalDnd } from './receive-options.js';

export function c2cTarget(peer: string): string {
  return `c2c_${peer}`;
}
export function groupTarget(groupId: string): string {
  return `group_${groupId}`;
}

export interface StoredDnd extends GlobalDnd {
  /** admin_set_do_not_disturb Level (0 or 1), 0 when set from the SDK. */
  level: number;
}

/**
 * What a send's receivers set, read once per send: their option for the conversation (`target`) and their
 * global DND, as one statement (a UNION of both tables' rows, each marked with its source) rather than two.
 * Built once (store/compiled.ts); `users` is a store/bulk.ts listParam.
 */
const receiversQuery = reuse((db: Kysely<Database>, sdkAppId: number, users: unknown, target: string) =>
  db
    .selectFrom('receive_options')
    .select([
      sql.lit('option').as('source'),
      'user_id',
      'opt',
      sql<number | null>`null`.as('start_time'),
      sql<number | null>`null`.as('duration'),
      sql<string | null>`null`.as('repeat'),
      sql<number | null>`null`.as('level'),
    ])
    .where('sdkappid', '=', sdkAppId)
    .where(inList(isSqlite(db), 'user_id', users, 'text'))
    .where('target', '=', target)
    .unionAll(
      db
        .selectFrom('dnd_settings')
        .select([sql.lit('dnd').as('source'), 'user_id', 'opt', 'start_time', 'duration', 'repeat', 'level'])
        .where('sdkappid', '=', sdkAppId)
        .where(inList(isSqlite(db), 'user_id', users, 'text')),
    ),
);
const dndOfQuery = reuse((db: Kysely<Database>, sdkAppId: number, users: unknown) =>
  db
    .selectFrom('dnd_settings')
    .selectAll()
    .where('sdkappid', '=', sdkAppId)
    .where(inList(isSqlite(db), 'user_id', users, 'text')),
);

export class ReceiveSettings {
  constructor(private readonly db: Kysely<Database>) {}

  /** Sets one option for several targets (a target named twice counts once); opt 0 (Receive) removes the row. */
  async setOpt(sdkAppId: number, userId: string, list: string[], opt: number): Promise<void> {
    const targets = [...new Set(list)];
    if (targets.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('receive_options')
        .where('sdkappid', '=', sdkAppId)
        .where('user_id', '=', userId)
        .where('target', 'in', targets)
        .execute();
      if (opt === 0) return;
      await trx
        .insertInto('receive_options')
        .values(targets.map((target) => ({ sdkappid: sdkAppId, user_id: userId, target, opt })))
        .execute();
    });
  }

  /**
   * What each of a send's receivers set: the option for `target` (`opts`; users without one are absent:
   * Receive) and the global DND (`dnds`; absent: none), in one read.
   */
  async ofReceivers(sdkAppId: number, userIds: string[], target: string): Promise<ReceiversSettings> {
    const opts = new Map<string, number>();
    const dnds = new Map<string, StoredDnd>();
    if (userIds.length === 0) return { opts, dnds };
    const { rows } = await receiversQuery(this.db, sdkAppId, listParam(isSqlite(this.db), userIds), target);
    for (const r of rows) {
      if (r.source === 'option') opts.set(r.user_id, r.opt);
      else dnds.set(r.user_id, storedDnd(r as DndRow));
    }
    return { opts, dnds };
  }

  /** The options one user set for the given targets. */
  async optsOf(sdkAppId: number, userId: string, targets: string[]): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('receive_options')
      .select(['target', 'opt'])
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', '=', userId)
      .where('target', 'in', targets)
      .execute();
    return new Map(rows.map((r) => [r.target, r.opt]));
  }

  async setDnd(sdkAppId: number, userId: string, dnd: StoredDnd): Promise<void> {
    const values = {
      opt: dnd.opt,
      start_time: dnd.startTime,
      duration: dnd.duration,
      repeat: dnd.repeat,
      level: dnd.level,
    };
    await this.db
      .insertInto('dnd_settings')
      .values({ sdkappid: sdkAppId, user_id: userId, ...values })
      .onConflict((oc) => oc.columns(['sdkappid', 'user_id']).doUpdateSet(values))
      .execute();
  }

  async dndOf(sdkAppId: number, userIds: string[]): Promise<Map<string, StoredDnd>> {
    if (userIds.length === 0) return new Map();
    const { rows } = await dndOfQuery(this.db, sdkAppId, listParam(isSqlite(this.db), userIds));
    return new Map(rows.map((r) => [r.user_id, storedDnd(r)]));
  }
}

export interface ReceiversSettings {
  opts: Map<string, number>;
  dnds: Map<string, StoredDnd>;
}

interface DndRow {
  opt: number;
  start_time: number;
  duration: number;
  repeat: string;
  level: number;
}

function storedDnd(r: DndRow): StoredDnd {
  return {
    opt: r.opt,
    startTime: r.start_time,
    duration: r.duration,
    repeat: r.repeat as StoredDnd['repeat'],
    level: r.level,
  };
}
