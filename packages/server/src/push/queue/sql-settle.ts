// Settling leased jobs in bulk: one statement per lease token and chunk of jobs, all in the caller's
// transaction, so that settling 100k jobs costs a few dozen statements rather than 100k, and a whole
// dispatched batch (settleBatch) commits with the record of its outcomes.
import { type Kysely, sql } from 'kysely';
import { idIn, inList, listParam, rowsTable } from '../../store/bulk.js';
import { reuse } from '../../store/compiled.js';
import { isSqlite } from '../../store/db.js';
import type { Database } from '../../store/schema.js';
import { settlePacked, splitPacked } from './sql-packs.js';
import type { LeasedJob, SettleBatch, SettleResult } from './types.js';

/** Jobs per statement. */
export const BULK_CHUNK = 5000;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size));
  return parts;
}

/**
 * Groups `items` by lease token; `apply` settles one chunk in `trx` and returns the IDs it actually changed.
 * Adds the settled IDs to `done` and returns the result of these items.
 */
export async function settleByToken<T extends { job: LeasedJob }>(
  trx: Kysely<Database>,
  items: readonly T[],
  apply: (trx: Kysely<Database>, token: string, ids: number[], items: T[]) => Promise<number[]>,
  done: Set<string> = new Set(),
): Promise<SettleResult> {
  if (items.length === 0) return { settled: 0, stale: [] };
  const byToken = new Map<string, T[]>();
  for (const item of items) {
    const group = byToken.get(item.job.leaseToken);
    if (group) group.push(item);
    else byToken.set(item.job.leaseToken, [item]);
  }
  let settled = 0;
  for (const [token, group] of byToken) {
    for (const part of chunk(group, BULK_CHUNK)) {
      const ids = part.map((i) => Number(i.job.id));
      for (const id of await apply(trx, token, ids, part)) {
        done.add(String(id));
        settled++;
      }
    }
  }
  const stale = items.map((i) => i.job.id).filter((id) => !done.has(id));
  return { settled, stale };
}

/** Jobs in rows changed by a statement `returning push_count` (a packed row holds several). */
export function jobCount(rows: readonly { push_count: number }[]): number {
  let n = 0;
  for (const r of rows) n += Number(r.push_count);
  return n;
}

/** Removes settled jobs (acknowledged: sent or finally answered). */
export function deleteLeased(
  trx: Kysely<Database>,
  sqlite: boolean,
  jobs: readonly LeasedJob[],
  done?: Set<string>,
): Promise<SettleResult> {
  return settleByToken(
    trx,
    jobs.map((job) => ({ job })),
    async (t, token, ids) => {
      const { rows } = await deleteLeasedQuery(t, listParam(sqlite, ids), token);
      return rows.map((r) => r.id);
    },
    done,
  );
}

/** Built once (store/compiled.ts): it runs with every settlement. `ids`: a JSON array on SQLite, else an array. */
const deleteLeasedQuery = reuse((db: Kysely<Database>, ids: unknown, token: string) =>
  db
    .deleteFrom('push_jobs')
    .where(inList(isSqlite(db), 'id', ids, 'bigint'))
    .where('lease_token', '=', token)
    .returning('id'),
);

/** Jobs of a certificate that are waiting (not under a live lease) become held. */
export async function holdWaiting(
  trx: Kysely<Database>,
  certificateId: number,
  error: string,
  now: number,
): Promise<number> {
  // Jobs under a live lease stay with their worker, which holds them when it meets the same error.
  const rows = await trx
    .updateTable('push_jobs')
    .set({ status: 'held', lease_token: null, lease_owner: null, last_error: error, settled_at: now })
    .where('certificate_id', '=', certificateId)
    .where('status', '=', 'queued')
    .where((eb) => eb.or([eb('lease_token', 'is', null), eb('next_attempt_at', '<=', now)]))
    .returning('push_count')
    .execute();
  return jobCount(rows);
}

/**
 * A whole dispatched batch in `trx`: every kind of settlement, then the certificates to hold. Returns the IDs
 * settled (the caller records their outcomes in the same transaction) and the stale ones.
 */
export async function settleBatch(
  trx: Kysely<Database>,
  sqlite: boolean,
  now: number,
  whole: SettleBatch,
): Promise<{ done: Set<string>; stale: string[] }> {
  const done = new Set<string>();
  const { plain: batch, packed } = splitPacked(whole, now);
  const stale = await settlePacked(trx, sqlite, packed, done);
  const collect = (r: SettleResult) => {
    stale.push(...r.stale);
  };
  collect(await deleteLeased(trx, sqlite, batch.acks ?? [], done));
  const updates = (status: 'queued' | 'held' | 'dead', settledAt: number | null, rows: LeasedRowUpdate[]) =>
    updateLeasedRows(trx, sqlite, rows, status, settledAt, done).then(collect);
  await updates(
    'queued',
    null,
    (batch.retries ?? []).map((i) => ({
      job: i.job,
      nextAttemptAt: now + Math.max(0, i.delayMs),
      error: i.error,
      attemptsAdd: 1,
    })),
  );
  await updates(
    'queued',
    null,
    (batch.releases ?? []).map((i) => ({
      job: i.job,
      nextAttemptAt: now + Math.max(0, i.delayMs),
      error: i.job.lastError,
      attemptsAdd: 0,
    })),
  );
  await updates(
    'dead',
    now,
    (batch.deadLetters ?? []).map((i) => ({
      job: i.job,
      nextAttemptAt: now,
      error: i.error,
      answer: i.lastAnswer ?? null,
      attemptsAdd: 1,
    })),
  );
  await updates(
    'held',
    now,
    (batch.holds ?? []).map((i) => ({
      job: i.job,
      nextAttemptAt: now,
      error: i.error,
      attemptsAdd: i.answered ? 1 : 0,
    })),
  );
  for (const { certificateId, error } of whole.holdCertificates ?? [])
    await holdWaiting(trx, certificateId, error, now);
  return { done, stale };
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
  trx: Kysely<Database>,
  sqlite: boolean,
  updates: readonly LeasedRowUpdate[],
  status: 'queued' | 'held' | 'dead',
  settledAt: number | null,
  done?: Set<string>,
): Promise<SettleResult> {
  return settleByToken(
    trx,
    updates,
    async (t, token, ids, part) => {
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
        lease_owner = null,
        next_attempt_at = v.at,
        last_error = v.err,
        last_answer = coalesce(v.answer, push_jobs.last_answer),
        attempts = push_jobs.attempts + v.inc,
        settled_at = cast(${settledAt} as bigint)
      from ${rowsTable(sqlite, 'v', UPDATE_COLUMNS, rows)}
      where push_jobs.id = v.job_id and push_jobs.lease_token = ${token}${sqlite ? sql`` : sql` and ${idIn(false, 'push_jobs.id', ids)}`}
      returning push_jobs.id`.execute(t);
      return result.rows.map((r) => Number(r.id));
    },
    done,
  );
}
