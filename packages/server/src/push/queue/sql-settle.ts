// Settling leased jobs in bulk: one statement per lease token and chunk of IDs, all in one transaction, so
// that settling 100k jobs costs about a hundred statements rather than 100k.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { LeasedJob, SettleResult } from './types.js';

/** IDs per statement: the widest row below binds 5 parameters, far under both databases' limits. */
const SETTLE_CHUNK = 1000;

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
      for (const part of chunk(group, SETTLE_CHUNK)) {
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

/**
 * Moves leased jobs to `status` with per-job next-attempt time, error and answer, in one UPDATE per chunk
 * joined to a VALUES list (the same SQL runs on SQLite >= 3.33 and PostgreSQL). Only rows still holding the
 * caller's lease token change.
 */
export function updateLeasedRows(
  db: Kysely<Database>,
  updates: readonly LeasedRowUpdate[],
  status: 'queued' | 'held' | 'dead',
  settledAt: number | null,
): Promise<SettleResult> {
  return settleByToken(db, updates, async (trx, token, _ids, part) => {
    const values = sql.join(
      part.map(
        (u) =>
          sql`(cast(${Number(u.job.id)} as bigint), cast(${u.nextAttemptAt} as bigint), cast(${u.error} as text), cast(${u.answer ?? null} as text), cast(${u.attemptsAdd} as integer))`,
      ),
    );
    const result = await sql<{ id: number }>`
      with v(job_id, at, err, answer, inc) as (values ${values})
      update push_jobs set
        status = ${status},
        lease_token = null,
        next_attempt_at = v.at,
        last_error = v.err,
        last_answer = coalesce(v.answer, push_jobs.last_answer),
        attempts = push_jobs.attempts + v.inc,
        settled_at = cast(${settledAt} as bigint)
      from v
      where push_jobs.id = v.job_id and push_jobs.lease_token = ${token} and push_jobs.status = 'queued'
      returning id`.execute(trx);
    return result.rows.map((r) => Number(r.id));
  });
}
