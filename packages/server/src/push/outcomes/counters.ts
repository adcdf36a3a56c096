// Hourly push counters per (app, hour, kind, task, vendor, outcome, code), aggregated in memory between
// flushes and added to push_stats_hourly with one upsert per distinct key.
import type { Kysely, Transaction } from 'kysely';
import { type ColumnType, type ValuesStatement, withValues } from '../../store/bulk.js';
import type { Database, PushStatsHourlyTable } from '../../store/schema.js';

const HOUR_MS = 3_600_000;

export interface CounterKey {
  sdkAppId: number;
  at: number;
  kind: string;
  taskId?: string | undefined;
  vendor?: string | undefined;
  outcome: string;
  code?: string | undefined;
}

export class HourlyCounters {
  #pending = new Map<string, PushStatsHourlyTable>();
  #last: PushStatsHourlyTable | undefined;

  add(key: CounterKey, count = 1): void {
    const hour = Math.floor(key.at / HOUR_MS) * 3600;
    const taskId = key.taskId ?? '';
    const vendor = key.vendor ?? '';
    const code = key.code ?? '';
    // Fan-out repeats one key many times in a row: skip building and hashing the key then.
    const last = this.#last;
    if (
      last &&
      last.sdkappid === key.sdkAppId &&
      last.hour === hour &&
      last.kind === key.kind &&
      last.task_id === taskId &&
      last.vendor === vendor &&
      last.outcome === key.outcome &&
      last.code === code
    ) {
      last.count += count;
      return;
    }
    const id = `${key.sdkAppId}|${hour}|${key.kind}|${taskId}|${vendor}|${key.outcome}|${code}`;
    const existing = this.#pending.get(id);
    if (existing) {
      existing.count += count;
      this.#last = existing;
      return;
    }
    const row: PushStatsHourlyTable = {
      sdkappid: key.sdkAppId,
      hour,
      kind: key.kind,
      task_id: taskId,
      vendor,
      outcome: key.outcome,
      code,
      count,
    };
    this.#pending.set(id, row);
    this.#last = row;
  }

  get size(): number {
    return this.#pending.size;
  }

  /** Takes the pending rows; give them back with `restore` if writing them failed. */
  take(): PushStatsHourlyTable[] {
    const rows = [...this.#pending.values()];
    this.#pending = new Map();
    this.#last = undefined;
    return rows;
  }

  restore(rows: PushStatsHourlyTable[]): void {
    for (const r of rows) {
      this.add(
        {
          sdkAppId: r.sdkappid,
          at: r.hour * 1000,
          kind: r.kind,
          taskId: r.task_id,
          vendor: r.vendor,
          outcome: r.outcome,
          code: r.code,
        },
        r.count,
      );
    }
  }
}

/**
 * Adds `rows` to the stored counters. Inside a group commit's share, go through batched-outcomes.ts
 * `writeCounters`, which sums them over the batch first.
 */
export async function upsertCounters(
  db: Kysely<Database> | Transaction<Database>,
  rows: PushStatsHourlyTable[],
): Promise<void> {
  if (rows.length === 0) return;
  // In key order: two nodes' transactions adding to the same counters take their row locks (PostgreSQL) in
  // the same order, so they wait for each other instead of deadlocking.
  const sorted = rows.map(counterValues).sort(compareKeys);
  // One statement text per row count (store/bulk.ts): this runs with every settlement and group commit, and
  // building it with the query builder cost more than running it.
  await withValues(db, UPSERT, COUNTER_COLUMNS.length, sorted);
}

const COUNTER_TYPES = {
  sdkappid: 'bigint',
  hour: 'bigint',
  kind: 'text',
  task_id: 'text',
  vendor: 'text',
  outcome: 'text',
  code: 'text',
  count: 'bigint',
} as const satisfies Record<keyof PushStatsHourlyTable, ColumnType>;
const COUNTER_COLUMNS = Object.keys(COUNTER_TYPES) as (keyof PushStatsHourlyTable)[];
const KEY_WIDTH = COUNTER_COLUMNS.length - 1;

const UPSERT: ValuesStatement = {
  key: 'push_stats_hourly',
  text: (values) =>
    `insert into push_stats_hourly (${COUNTER_COLUMNS.join(', ')}) ${values} ` +
    `on conflict (${COUNTER_COLUMNS.slice(0, KEY_WIDTH).join(', ')}) ` +
    'do update set count = push_stats_hourly.count + excluded.count',
  columnTypes: Object.values(COUNTER_TYPES),
};

function counterValues(r: PushStatsHourlyTable): unknown[] {
  return COUNTER_COLUMNS.map((c) => r[c]);
}

function compareKeys(a: readonly unknown[], b: readonly unknown[]): number {
  for (let i = 0; i < KEY_WIDTH; i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
