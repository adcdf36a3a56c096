// Settling leased jobs in bulk: one statement per lease token and chunk of jobs, all in one transaction, so
// that settling 100k jobs costs a few dozen statements rather than 100k.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../store/schema.js';
import { idIn, rowsTable } from './sql-bulk.js';
import type { LeasedJob, SettleResult } from './types.js';

/** Jobs per statement. */
export const BULK_CHUNK = 5000;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size));
  return parts;
}

/** Groups `items` by lease token; `apply` settles one chunk and returns the IDs it actually changed. */
export async function settleByToken<T extends { job: LeasedJob }>(
  db: Kysely<Database>,
  items: readonly T[],
  apply: (trx: Kysely<Database>, token: string, ids: number[], items: T[]) => Promise<number[]>,
): Promise<SettleResult> {
  if (items.length === 0) return { settled: 0, stale: [] };
  const byToken = new Map<string, T[]>();
  for (const item of items) {
    const group = byToken.get(item.job.leaseToken);
    if (group) group.push(item);
    else byToken.set(item.job.leaseToken, [item]);
  }
  const done = new Set<number>();
  await db.transaction().execute(async (trx) => {
    for (const [token, group] of byToken) {
      for (const part of chunk(group, BULK_CHUNK)) {
        const ids = part.map((i) => Number(i.job.id));
        for (const id of await apply(trx, token, ids, part)) done.add(Number(id));
      }
    }
  });
  const stale = items.map((i) => i.job.id).filter((id) => !done.has(Number(id)));
  return { settled: done.size, stale };
}

export interface LeasedRowUpdate {
  job: LeasedJob;
  nextAttemptAt: number;
  error: string | null;
  answer?: string | null;
  attemptsAdd: 0 | 1;
}

const UPDATE_COLUMNS = [
  ['job_id', 'bigint'],
  ['at', 'bigint'],
  ['err', 'text'],
  ['answer', 'text'],
  ['inc', 'integer'],
] as const;

// Settling matches on ID and lease token only: only queued jobs carry a token (held, dead and settled ones
// have none), and a `status` condition would lead SQLite's planner to walk the status index instead of
// looking the IDs up. PostgreSQL's planner needs the explicit ID list to do the same (SQLite's must not get
// it: it would then scan the batch once per row).

/**
 * Moves leased jobs to `status` with a per-job next-attempt time, error and answer, in one UPDATE per chunk
 * joined to the batch's rows. Only rows still holding the caller's lease token change.
 */
export function updateLeasedRows(
  db: Kysely<Database>,
  sqlite: boolean,
  updates: readonly LeasedRowUpdate[],
  status: 'queued' | 'held' | 'dead',
  settledAt: number | null,
): Promise<SettleResult> {
  return settleByToken(db, updates, async (trx, token, ids, part) => {
    const rows = part.map((u) => [
      Number(u.job.id),
      Math.round(u.nextAttemptAt),
      u.error,
      u.answer ?? null,
      u.attemptsAdd,
    ]);
    const result = await sql<{ id: number }>`
      update push_jobs set
        status = ${status},
        lease_token = null,
        next_attempt_at = v.at,
        last_error = v.err,
        last_answer = coalesce(v.answer, push_jobs.last_answer),
        attempts = push_jobs.attempts + v.inc,
        settled_at = cast(${settledAt} as bigint)
      from ${rowsTable(sqlite, 'v', UPDATE_COLUMNS, rows)}
      where push_jobs.id = v.job_id and push_jobs.lease_token = ${token}${sqlite ? sql`` : sql` and ${idIn(false, 'push_jobs.id', ids)}`}
      returning push_jobs.id`.execute(trx);
    return result.rows.map((r) => Number(r.id));
  });
}
