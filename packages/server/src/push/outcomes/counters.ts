// Hourly push counters per (app, hour, kind, task, vendor, outcome, code), aggregated in memory between
// flushes and added to push_stats_hourly with one upsert per distinct key.
import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Database, PushStatsHourlyTable } from '../../store/schema.js';

const HOUR_MS = 3_600_000;
const UPSERT_CHUNK = 500;

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

export async function upsertCounters(
  db: Kysely<Database> | Transaction<Database>,
  rows: PushStatsHourlyTable[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += UPSERT_CHUNK) {
    await db
      .insertInto('push_stats_hourly')
      .values(rows.slice(i, i + UPSERT_CHUNK))
      .onConflict((oc) =>
        oc
          .columns(['sdkappid', 'hour', 'kind', 'task_id', 'vendor', 'outcome', 'code'])
          .doUpdateSet({ count: sql<number>`push_stats_hourly.count + excluded.count` }),
      )
      .execute();
  }
}
