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

  add(key: CounterKey, count = 1): void {
    const hour = Math.floor(key.at / HOUR_MS) * 3600;
    const row: PushStatsHourlyTable = {
      sdkappid: key.sdkAppId,
      hour,
      kind: key.kind,
      task_id: key.taskId ?? '',
      vendor: key.vendor ?? '',
      outcome: key.outcome,
      code: key.code ?? '',
      count,
    };
    const id = `${row.sdkappid}\u0000${hour}\u0000${row.kind}\u0000${row.task_id}\u0000${row.vendor}\u0000${row.outcome}\u0000${row.code}`;
    const existing = this.#pending.get(id);
    if (existing) existing.count += count;
    else this.#pending.set(id, row);
  }

  get size(): number {
    return this.#pending.size;
  }

  /** Takes the pending rows; give them back with `restore` if writing them failed. */
  take(): PushStatsHourlyTable[] {
    const rows = [...this.#pending.values()];
    this.#pending = new Map();
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
