// Row mapping shared by the SQL queue's files.
import type { Selectable } from 'kysely';
import type { PushJobsTable } from '../../store/schema.js';
import type { PushTask } from '../types.js';
import { BULK_CHUNK, chunk } from './sql-settle.js';
import type { LeasedJob, QueueJob } from './types.js';

/** What a lease reads back: everything but columns the task or the lease already tell. */
export const LEASED_COLUMNS = [
  'id',
  'task',
  'group_key',
  'attempts',
  'lease_count',
  'last_error',
  'created_at',
  'pack_size',
] as const;
export type JobRow = Pick<Selectable<PushJobsTable>, (typeof LEASED_COLUMNS)[number]>;

export function toJob(r: JobRow, nextAttemptAt: number): QueueJob {
  return {
    id: String(r.id),
    task: JSON.parse(r.task) as PushTask,
    groupKey: r.group_key,
    attempts: r.attempts,
    leaseCount: r.lease_count,
    nextAttemptAt: Number(nextAttemptAt),
    lastError: r.last_error,
    createdAt: Number(r.created_at),
  };
}

/**
 * The jobs a leased row holds: itself, or each unsettled job of a packed row, whose tasks `packs` has
 * (sql-packs.ts readPacks).
 */
export function leasedJobs(
  r: JobRow,
  token: string,
  expiresAt: number,
  packs: ReadonlyMap<number, readonly (PushTask | null)[]>,
): LeasedJob[] {
  const lease = { leaseToken: token, leaseExpiresAt: expiresAt };
  if (r.pack_size <= 1) return [{ ...toJob(r, expiresAt), ...lease }];
  const jobs: LeasedJob[] = [];
  for (const [slot, task] of (packs.get(Number(r.id)) ?? []).entries()) {
    if (task === null) continue;
    jobs.push({
      id: `${r.id}.${slot}`,
      task,
      groupKey: r.group_key,
      attempts: r.attempts,
      leaseCount: r.lease_count,
      nextAttemptAt: expiresAt,
      lastError: r.last_error,
      createdAt: Number(r.created_at),
      ...lease,
    });
  }
  return jobs;
}

export function parseId(id: string): number {
  const n = Number(id);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`not a push job ID: "${id}"`);
  return n;
}

/** `undefined` = one pass without an ID filter; otherwise the IDs in chunks. */
export function idParts(ids: readonly string[] | undefined): (number[] | undefined)[] {
  if (ids === undefined) return [undefined];
  return chunk(ids.map(parseId), BULK_CHUNK);
}
