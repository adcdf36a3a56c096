// Packed push jobs of the SQL queue: the jobs of one certificate from one fan-out page share a `push_jobs` row
// (enqueue with `packUpTo`), so that a page of 500 devices costs one row to insert, lease and delete instead of
// 500 — the queue's share of a large push's database work (bench/README.md "What limits it").
//
// A packed row's tasks are a JSON array in `push_job_packs`, written once (the row itself is rewritten by each
// lease, and SQLite rewrites a whole record on UPDATE); job N of row R has the ID "R.N". Such a row is leased
// whole, and nothing else changes for the dispatcher: it gets one LeasedJob per push and settles each one.
// Settling a packed row:
// - every job it still holds is settled at once (the usual case: a dispatched certificate group): the row is
//   deleted, and each job that needs another attempt (retry, release) or stays for inspection (dead letter,
//   hold) becomes an ordinary row of its own, with the attempts, lease count and times it had;
// - only some of them (a caller settling jobs one by one): their slots become `null`, `push_count` goes down,
//   and the row stays leased with the rest.
// Both happen in the settling transaction, so a crash leaves either the row as it was or the settlement done.
//
// The tasks' text has two formats; readers take both:
// 1. a JSON array of the tasks (null for a settled slot);
// 2. `{"requests": [...], "common": {...}, "tasks": [...]}`: each vendor request once, the fields every task
//    shares (app, certificate, kind, push task) once, and each task with the rest — its PushID, token and the
//    index of its request in `requests`. A fan-out renders one request per certificate and badge number
//    (push/render/index.ts), so a page of 500 devices usually stores one request instead of 500 copies: a
//    quarter of format 1's text for the benchmark's APNs page, and after reading, the jobs share one request
//    object again — the send worker gets it once per batch and serialises its payload once
//    (push/vendors/apns/receipt-fields.ts).
// A node writes format 2 only while every live node reads it (push/dispatch/nodes.ts `packFormat`), so a
// cluster upgraded one node at a time never hands such a row to a node of the version before.
import type { Kysely } from 'kysely';
import { idIn, withValues } from '../../store/bulk.js';
import type { Database } from '../../store/schema.js';
import type { PushTask, VendorRequest } from '../types.js';
import { laneOf } from './lanes.js';
import type { LeasedJob, SettleBatch } from './types.js';

/** Most jobs per packed row (callers ask for the dispatcher's batch size, default 500). */
export const MAX_PACK = 1_000;

/** The row and slot of a packed job's ID ("R.N"); undefined for an ordinary job's ID ("R"). */
export function packedSlot(id: string): { row: number; slot: number } | undefined {
  const dot = id.indexOf('.');
  if (dot < 0) return undefined;
  return { row: Number(id.slice(0, dot)), slot: Number(id.slice(dot + 1)) };
}

/** The task text of a packed row in `push_jobs`: its tasks are in `push_job_packs`. */
export const PACKED_TASK = '[]';

/** A packed row's tasks in format 2 (see the file comment). */
interface SharedRequestsPack {
  requests: VendorRequest[];
  /** The fields every task of the row has, with the same value (app, certificate, kind, push task...). */
  common?: Partial<PushTask>;
  /** Each task without its common fields, naming its request by index. */
  tasks: ((Partial<Omit<PushTask, 'request'>> & { request: number }) | null)[];
}

/** Fields that are never common: they tell the devices' pushes apart (and `request` is listed apart). */
const OWN_FIELDS: ReadonlySet<string> = new Set(['pushId', 'token', 'request']);

/**
 * The text of a packed row's tasks: format 2 (`sharedRequests`: requests listed once, found by identity —
 * the render's, or a decoded pack's — and the fields all tasks share written once) or format 1.
 */
export function encodePack(tasks: readonly (PushTask | null)[], sharedRequests: boolean): string {
  if (!sharedRequests) return JSON.stringify(tasks);
  const present = tasks.filter((t): t is PushTask => t !== null);
  const common: Record<string, unknown> = {};
  const first = present[0] as Record<string, unknown> | undefined;
  if (first)
    for (const key of Object.keys(first)) {
      const value = first[key];
      if (OWN_FIELDS.has(key) || (value !== null && typeof value === 'object')) continue;
      if (present.every((t) => (t as unknown as Record<string, unknown>)[key] === value)) common[key] = value;
    }
  const indexOf = new Map<VendorRequest, number>();
  const requests: VendorRequest[] = [];
  const slim = tasks.map((task) => {
    if (task === null) return null;
    let index = indexOf.get(task.request);
    if (index === undefined) {
      index = requests.length;
      requests.push(task.request);
      indexOf.set(task.request, index);
    }
    const own: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(task)) if (!Object.hasOwn(common, key)) own[key] = value;
    own.request = index;
    return own as SharedRequestsPack['tasks'][number];
  });
  return JSON.stringify({ requests, common, tasks: slim } satisfies SharedRequestsPack);
}

/** A packed row's tasks, from either format; the tasks of format 2 share their request objects. */
export function decodePack(text: string): { tasks: (PushTask | null)[]; sharedRequests: boolean } {
  const parsed = JSON.parse(text) as (PushTask | null)[] | SharedRequestsPack;
  if (Array.isArray(parsed)) return { tasks: parsed, sharedRequests: false };
  const { requests, common = {}, tasks } = parsed;
  for (const task of tasks) {
    if (task === null) continue;
    const request = requests[task.request];
    if (request === undefined)
      throw new Error(`packed task ${task.pushId} names request ${task.request}, not stored`);
    Object.assign(task, common);
    (task as unknown as PushTask).request = request;
  }
  return { tasks: tasks as unknown as (PushTask | null)[], sharedRequests: true };
}

/** Stores the tasks of packed rows (just inserted, in the same transaction), in format 2 if `sharedRequests`. */
export async function writePacks(
  trx: Kysely<Database>,
  packs: readonly { id: number; tasks: readonly PushTask[] }[],
  sharedRequests: boolean,
): Promise<void> {
  if (packs.length === 0) return;
  await withValues(
    trx,
    { key: 'push_job_packs', text: (values) => `insert into push_job_packs (job_id, tasks) ${values}` },
    2,
    packs.map((p) => [p.id, encodePack(p.tasks, sharedRequests)]),
  );
}

/** The task arrays of packed rows, by row ID. */
export async function readPacks(
  db: Kysely<Database>,
  sqlite: boolean,
  ids: readonly number[],
): Promise<Map<number, (PushTask | null)[]>> {
  const out = new Map<number, (PushTask | null)[]>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('push_job_packs')
    .select(['job_id', 'tasks'])
    .where(idIn(sqlite, 'job_id', ids))
    .execute();
  for (const r of rows) out.set(Number(r.job_id), decodePack(r.tasks).tasks);
  return out;
}

/** One row to insert: the tasks it holds and where each came from in the enqueued list. */
export interface RowPlan {
  tasks: PushTask[];
  positions: number[];
  packed: boolean;
}

/**
 * The rows for `tasks`: with `packUpTo` above 1, each certificate's tasks of each lane (lanes.ts) in order,
 * that many per row (a certificate with one task gets an ordinary row); otherwise one ordinary row per task.
 */
export function planRows(tasks: readonly PushTask[], packUpTo = 1): RowPlan[] {
  const size = Math.min(Math.floor(packUpTo), MAX_PACK);
  if (!(size > 1)) return tasks.map((t, i) => ({ tasks: [t], positions: [i], packed: false }));
  const byShare = new Map<string, RowPlan>();
  const rows: RowPlan[] = [];
  for (const [i, task] of tasks.entries()) {
    const share = `${task.certificateId}:${laneOf(task)}`;
    let row = byShare.get(share);
    if (!row || row.tasks.length >= size) {
      row = { tasks: [], positions: [], packed: true };
      byShare.set(share, row);
      rows.push(row);
    }
    row.tasks.push(task);
    row.positions.push(i);
  }
  for (const row of rows) if (row.tasks.length === 1) row.packed = false;
  return rows;
}

/** Where a settled job goes: out of the queue, or into a row of its own in `status`. */
type Destination =
  | 'gone'
  | {
      status: 'queued' | 'held' | 'dead';
      nextAttemptAt: number;
      error: string | null;
      answer: string | null;
      attemptsAdd: 0 | 1;
      settledAt: number | null;
    };

interface PackedFate {
  job: LeasedJob;
  slot: number;
  to: Destination;
}

/**
 * Splits a settlement into the ordinary jobs' part (settled by sql-settle.ts as before) and the fates of
 * packed jobs, with what each means for its own row (the same rules as sql-settle.ts settleBatch).
 */
export function splitPacked(batch: SettleBatch, now: number): { plain: SettleBatch; packed: PackedFate[] } {
  const packed: PackedFate[] = [];
  const keep = <T extends { job: LeasedJob }>(
    items: readonly T[] | undefined,
    to: (item: T) => Destination,
  ) =>
    (items ?? []).filter((item) => {
      const at = packedSlot(item.job.id);
      if (!at) return true;
      packed.push({ job: item.job, slot: at.slot, to: to(item) });
      return false;
    });
  const plain: SettleBatch = {
    acks: keep(
      (batch.acks ?? []).map((job) => ({ job })),
      () => 'gone',
    ).map((i) => i.job),
    retries: keep(batch.retries, (i) => ({
      status: 'queued',
      nextAttemptAt: now + Math.max(0, i.delayMs),
      error: i.error,
      answer: null,
      attemptsAdd: 1,
      settledAt: null,
    })),
    releases: keep(batch.releases, (i) => ({
      status: 'queued',
      nextAttemptAt: now + Math.max(0, i.delayMs),
      error: i.job.lastError,
      answer: null,
      attemptsAdd: 0,
      settledAt: null,
    })),
    deadLetters: keep(batch.deadLetters, (i) => ({
      status: 'dead',
      nextAttemptAt: now,
      error: i.error,
      answer: i.lastAnswer ?? null,
      attemptsAdd: 1,
      settledAt: now,
    })),
    holds: keep(batch.holds, (i) => ({
      status: 'held',
      nextAttemptAt: now,
      error: i.error,
      answer: null,
      attemptsAdd: i.answered ? 1 : 0,
      settledAt: now,
    })),
  };
  return { plain, packed };
}

/**
 * Settles packed jobs in `trx` (see the file comment); adds the IDs it settled to `done` and returns the stale
 * ones (their row is gone or leased by someone else, or the job was settled already).
 */
export async function settlePacked(
  trx: Kysely<Database>,
  sqlite: boolean,
  fates: readonly PackedFate[],
  done: Set<string>,
): Promise<string[]> {
  if (fates.length === 0) return [];
  const byToken = new Map<string, Map<number, PackedFate[]>>();
  for (const fate of fates) {
    const row = packedSlot(fate.job.id)!.row;
    let rows = byToken.get(fate.job.leaseToken);
    if (!rows) {
      rows = new Map();
      byToken.set(fate.job.leaseToken, rows);
    }
    const list = rows.get(row);
    if (list) list.push(fate);
    else rows.set(row, [fate]);
  }
  const settled: PackedFate[] = [];
  for (const [token, rows] of byToken) {
    const ids = [...rows.keys()];
    const held = await trx
      .selectFrom('push_jobs')
      .select(['id', 'push_count', 'pack_size'])
      .where(idIn(sqlite, 'id', ids))
      .where('lease_token', '=', token)
      .execute();
    const whole: number[] = [];
    for (const r of held) {
      const list = rows.get(Number(r.id))!;
      const slots = new Set(list.map((f) => f.slot));
      // Never settled in parts and every slot named: the whole row goes, without reading it.
      if (
        r.push_count === r.pack_size &&
        slots.size === r.pack_size &&
        list.every((f) => f.slot < r.pack_size)
      )
        whole.push(Number(r.id));
      else settled.push(...(await settleSlots(trx, sqlite, Number(r.id), token, list)));
    }
    if (whole.length > 0) {
      // The lease token again: on PostgreSQL another node may have re-leased a row since it was read.
      const deleted = await trx
        .deleteFrom('push_jobs')
        .where(idIn(sqlite, 'id', whole))
        .where('lease_token', '=', token)
        .returning('id')
        .execute();
      for (const d of deleted) settled.push(...uniqueSlots(rows.get(Number(d.id))!));
      if (deleted.length > 0)
        await trx
          .deleteFrom('push_job_packs')
          .where(
            idIn(
              sqlite,
              'job_id',
              deleted.map((d) => Number(d.id)),
            ),
          )
          .execute();
    }
  }
  await insertOwnRows(trx, settled);
  for (const f of settled) done.add(f.job.id);
  return fates.map((f) => f.job.id).filter((id) => !done.has(id));
}

/** The first fate of each slot (settling one job twice in one call counts once). */
function uniqueSlots(list: readonly PackedFate[]): PackedFate[] {
  const seen = new Set<number>();
  return list.filter((f) => !seen.has(f.slot) && seen.add(f.slot));
}

/** Some of a row's jobs: their slots become null; the row goes once none is left. Returns the settled fates. */
async function settleSlots(
  trx: Kysely<Database>,
  sqlite: boolean,
  row: number,
  token: string,
  list: readonly PackedFate[],
): Promise<PackedFate[]> {
  // PostgreSQL: two settlements of parts of one row (same lease) must not both rewrite the tasks from the
  // same read; the row lock makes the second wait for the first. SQLite has one writer at a time.
  if (!sqlite)
    await trx
      .selectFrom('push_jobs')
      .select('id')
      .where('id', '=', row)
      .where('lease_token', '=', token)
      .forUpdate()
      .execute();
  const r = await trx
    .selectFrom('push_job_packs')
    .select('tasks')
    .where('job_id', '=', row)
    .executeTakeFirst();
  if (!r) return [];
  // Rewritten below in the format it was read in: the nodes that wrote it read it.
  const { tasks, sharedRequests } = decodePack(r.tasks);
  const settled = uniqueSlots(list).filter((f) => tasks[f.slot] != null);
  if (settled.length === 0) return [];
  for (const f of settled) tasks[f.slot] = null;
  const left = tasks.filter((t) => t !== null).length;
  // The row first, by its lease token: only while the lease is still the caller's does the pack change.
  const changed =
    left === 0
      ? await trx
          .deleteFrom('push_jobs')
          .where('id', '=', row)
          .where('lease_token', '=', token)
          .executeTakeFirst()
      : await trx
          .updateTable('push_jobs')
          .set({ push_count: left })
          .where('id', '=', row)
          .where('lease_token', '=', token)
          .executeTakeFirst();
  const count = 'numDeletedRows' in changed ? changed.numDeletedRows : changed.numUpdatedRows;
  if (Number(count) === 0) return [];
  if (left === 0) await trx.deleteFrom('push_job_packs').where('job_id', '=', row).execute();
  else
    await trx
      .updateTable('push_job_packs')
      .set({ tasks: encodePack(tasks, sharedRequests) })
      .where('job_id', '=', row)
      .execute();
  return settled;
}

const OWN_ROW_COLUMNS =
  'push_id, sdkappid, certificate_id, broadcast, task, group_key, status, attempts, lease_count, next_attempt_at, last_error, last_answer, created_at, settled_at';

/** Each settled job that stays in the queue, as an ordinary row carrying what it had. */
async function insertOwnRows(trx: Kysely<Database>, settled: readonly PackedFate[]): Promise<void> {
  const rows: unknown[][] = [];
  for (const { job, to } of settled) {
    if (to === 'gone') continue;
    rows.push([
      job.task.pushId,
      job.task.sdkAppId,
      job.task.certificateId,
      laneOf(job.task) === 'broadcast' ? 1 : 0,
      JSON.stringify(job.task),
      job.groupKey,
      to.status,
      job.attempts + to.attemptsAdd,
      job.leaseCount,
      Math.round(to.nextAttemptAt),
      to.error,
      to.answer,
      job.createdAt,
      to.settledAt,
    ]);
  }
  if (rows.length === 0) return;
  await withValues(
    trx,
    { key: 'push_jobs_own_rows', text: (values) => `insert into push_jobs (${OWN_ROW_COLUMNS}) ${values}` },
    14,
    rows,
  );
}
