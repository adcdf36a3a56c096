// The embedded push queue: the `push_jobs` table (migration 0030) on SQLite or PostgreSQL. A job is `queued`
// (ready, delayed or leased — a lease is a token plus a next-attempt time in the future), `held` (its
// certificate is paused) or `dead`. Settled jobs are deleted. See types.ts for the delivery guarantees, and
// sql-packs.ts for rows that hold a fan-out page's jobs of one certificate (enqueue with `packUpTo`).
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { withValues } from '../../store/bulk.js';
import { reuse } from '../../store/compiled.js';
import { isSqlite } from '../../store/db.js';
import type { Transact } from '../../store/group-commit.js';
import type { Database } from '../../store/schema.js';
import type { PushTask } from '../types.js';
import { laneOf, type QueueLane } from './lanes.js';
import { listDead, purgeDead, queueStats, requeueDead } from './sql-dead-letters.js';
import { PACKED_TASK, planRows, readPacks, writePacks } from './sql-packs.js';
import { LEASED_COLUMNS, leasedJobs } from './sql-rows.js';
import { holdWaiting, jobCount, settleBatch } from './sql-settle.js';
import type {
  DeadFilter,
  DeadLetterItem,
  DeadPage,
  EnqueueOptions,
  InsertLease,
  LeasedJob,
  LeaseOptions,
  PushQueue,
  QueueStats,
  RetryItem,
  SettleBatch,
  SettleRecord,
  SettleResult,
} from './types.js';

export interface SqlQueueOptions {
  /** Clock in UNIX ms; tests inject one. */
  now?: () => number;
  /**
   * Runs a settlement's transaction: on SQLite the database's group commit (store/group-commit.ts), so a
   * settlement shares its COMMIT with the sends and settlements of the same moment; by default a transaction
   * of its own.
   */
  transact?: Transact;
}

const MAX_LEASE = 10_000;

/** Which lanes have a due job: a row per such lane (the lease's own condition, on the due index). */
const dueLanesQuery = reuse((db: Kysely<Database>, now: number) => {
  const anyDue = (broadcast: 0 | 1) =>
    db
      .selectFrom('push_jobs')
      .select('broadcast')
      // Literals, as in the partial index's own condition and its leading column, so every plan may use it.
      .where(sql<boolean>`status = 'queued' and broadcast = ${sql.lit(broadcast)}`)
      .where('next_attempt_at', '<=', now)
      .limit(1);
  return db
    .selectFrom(anyDue(0).as('direct'))
    .select('broadcast')
    .unionAll(db.selectFrom(anyDue(1).as('broadcast')).select('broadcast'));
});
/** Rows past `4 × max` a lease that excludes certificates looks at (redis-scripts.ts LEASE: the same). */
const LOOK_AHEAD = 1_000;

export class SqlPushQueue implements PushQueue {
  readonly kind = 'sql' as const;
  readonly #db: Kysely<Database>;
  readonly #now: () => number;
  readonly #sqlite: boolean;
  readonly #transact: Transact;
  #closed = false;

  constructor(db: Kysely<Database>, opts: SqlQueueOptions = {}) {
    this.#db = db;
    this.#now = opts.now ?? Date.now;
    this.#sqlite = isSqlite(db);
    this.#transact = opts.transact ?? ((work) => db.transaction().execute(work));
  }

  /** The database this queue works on. */
  get database(): Kysely<Database> {
    return this.#db;
  }

  async enqueue(tasks: readonly PushTask[], opts: EnqueueOptions = {}): Promise<string[]> {
    this.#open();
    return this.enqueueWith(this.#db, tasks, opts);
  }

  /**
   * Enqueues through `executor`: pass the caller's transaction so that a message and its push jobs commit
   * together. Given the plain database, the jobs are inserted in one transaction of their own.
   */
  async enqueueWith(
    executor: Kysely<Database>,
    tasks: readonly PushTask[],
    opts: EnqueueOptions = {},
  ): Promise<string[]> {
    if (tasks.length === 0) return [];
    return (await this.#insert(executor, tasks, opts)).ids;
  }

  async enqueueLeasedWith(
    executor: Kysely<Database>,
    tasks: readonly PushTask[],
    opts: Omit<EnqueueOptions, 'delayMs'>,
    lease: InsertLease,
  ): Promise<LeasedJob[]> {
    if (tasks.length === 0) return [];
    const { ids, now, at } = await this.#insert(executor, tasks, opts, lease);
    const groupKey = opts.groupKey ?? null;
    return tasks.map((task, i) => ({
      id: ids[i]!,
      task,
      groupKey,
      attempts: 0,
      leaseCount: 1,
      nextAttemptAt: at,
      lastError: null,
      createdAt: now,
      leaseToken: lease.token,
      leaseExpiresAt: at,
    }));
  }

  /**
   * Inserts the jobs through `executor` (the caller's transaction, or one of their own), leased under `lease`
   * when given: its token and owner, one lease counted, leasable again when it expires.
   */
  async #insert(
    executor: Kysely<Database>,
    tasks: readonly PushTask[],
    opts: EnqueueOptions,
    lease?: InsertLease,
  ): Promise<{ ids: string[]; now: number; at: number }> {
    const now = this.#now();
    const at = lease ? now + Math.max(1, lease.visibilityMs) : now + Math.max(0, opts.delayMs ?? 0);
    const rows = planRows(tasks, opts.packUpTo);
    const columns =
      'push_id, sdkappid, certificate_id, broadcast, task, group_key, next_attempt_at, created_at, push_count, pack_size' +
      (lease ? ', lease_token, lease_owner, lease_count' : '');
    const insertAll = async (trx: Kysely<Database>) => {
      const inserted = await withValues<{ id: number }>(
        trx,
        {
          key: lease ? 'push_jobs_leased' : 'push_jobs',
          text: (values) => `insert into push_jobs (${columns}) ${values} returning id`,
        },
        lease ? 13 : 10,
        rows.map((row) => {
          // A row's tasks share their certificate and lane (planRows).
          const first = row.tasks[0]!;
          const values: unknown[] = [
            first.pushId,
            first.sdkAppId,
            first.certificateId,
            laneOf(first) === 'broadcast' ? 1 : 0,
            row.packed ? PACKED_TASK : JSON.stringify(first),
            opts.groupKey ?? null,
            at,
            now,
            row.tasks.length,
            row.tasks.length,
          ];
          if (lease) values.push(lease.token, lease.owner ?? null, 1);
          return values;
        }),
      );
      // One INSERT numbers its rows in the order of its source, so ascending IDs map back to `rows` (each
      // chunk's IDs are above the previous chunk's).
      const rowIds = inserted.map((r) => Number(r.id)).sort((a, b) => a - b);
      await writePacks(
        trx,
        rows.flatMap((row, i) => (row.packed ? [{ id: rowIds[i]!, tasks: row.tasks }] : [])),
        opts.sharedRequests ?? false,
      );
      const ids = new Array<string>(tasks.length);
      for (const [i, row] of rows.entries()) {
        for (const [slot, position] of row.positions.entries())
          ids[position] = row.packed ? `${rowIds[i]}.${slot}` : String(rowIds[i]);
      }
      return ids;
    };
    const ids = executor.isTransaction
      ? await insertAll(executor)
      : await executor.transaction().execute(insertAll);
    return { ids, now, at };
  }

  async lease(max: number, visibilityMs: number, opts: LeaseOptions = {}): Promise<LeasedJob[]> {
    this.#open();
    const limit = Math.min(Math.max(0, Math.floor(max)), MAX_LEASE);
    if (limit === 0) return [];
    const now = this.#now();
    const token = randomUUID();
    const expiresAt = now + Math.max(1, visibilityMs);
    // Most leases of an idle or handed-off dispatcher find nothing due: a look into the due index settles
    // that for a few µs, where the lease statement (a window over the picked rows, then the UPDATE) costs
    // ~45 µs on SQLite even when it changes nothing, and on PostgreSQL a transaction. It also tells which
    // lanes to walk: most leases find jobs in one lane only, and one lane's walk costs less than two.
    const lanes = (await dueLanesQuery(this.#db, now)).rows.map(
      (r): QueueLane => (Number(r.broadcast) === 1 ? 'broadcast' : 'direct'),
    );
    if (lanes.length === 0) return [];
    const leaseWith = (db: Kysely<Database>) =>
      db
        .updateTable('push_jobs')
        .set((eb) => ({
          lease_token: token,
          lease_owner: opts.owner ?? null,
          next_attempt_at: expiresAt,
          lease_count: eb('lease_count', '+', 1),
        }))
        .where(this.#due(now, limit, opts, lanes))
        .returning(LEASED_COLUMNS)
        .execute();
    const rows = this.#sqlite
      ? await leaseWith(this.#db)
      : await this.#db.transaction().execute(async (trx) => {
          // Until PostgreSQL first analyzes a fresh queue table it guesses it tiny, then sorts every due row
          // to pick a batch. Walking the due index in order is right at any size, so insist on it. The
          // window's small sort of the picked rows then looks enormously expensive to the planner, which
          // would JIT-compile the statement (~200 ms per lease): no JIT for it.
          await sql`select set_config('enable_sort', 'off', true), set_config('jit', 'off', true)`.execute(
            trx,
          );
          return leaseWith(trx);
        });
    // A packed row's tasks are written once and change only under its lease: read after the lease is taken.
    const packs = await readPacks(
      this.#db,
      this.#sqlite,
      rows.filter((r) => r.pack_size > 1).map((r) => Number(r.id)),
    );
    return rows.sort((a, b) => a.id - b.id).flatMap((r) => leasedJobs(r, token, expiresAt, packs));
  }

  /**
   * The rows a lease takes: the oldest due ones of the direct lane, then of the broadcast lane (lanes.ts; only
   * `lanes`, those the look before found due jobs in), as many as hold at most `limit` jobs together (a packed
   * row holds several; the first row is taken whatever it holds). Each lane's due rows are picked first,
   * `limit` of them at most, and only then summed: a window over every due row would read the whole backlog.
   */
  #due(now: number, limit: number, opts: LeaseOptions, lanes: readonly QueueLane[]) {
    // SQLite has one writer at a time, so the lease's statement is atomic on its own. Concurrent PostgreSQL
    // nodes skip each other's candidate rows instead of waiting or colliding; `= any(array(...))` makes the
    // planner look the picked rows up by primary key.
    const lock = this.#sqlite ? sql`` : sql` for update skip locked`;
    const lane = (name: QueueLane) => {
      const flag = sql.lit(name === 'broadcast' ? 1 : 0);
      const oldest = (count: number) => sql`select id, push_count, next_attempt_at, certificate_id, broadcast
        from push_jobs where status = 'queued' and broadcast = ${flag} and next_attempt_at <= ${now}
        order by next_attempt_at, id limit ${count}${lock}`;
      // Excluded certificates (paused, or filling their share of the dispatcher's batches for this lane) are
      // looked past within a window of the lane's oldest due rows, as the Redis queue does: a lease never reads
      // the whole backlog of a certificate that has queued a million pushes.
      const excluded = [...(opts.excludeCertificateIds ?? []), ...(opts.excludeLanes?.[name] ?? [])];
      return excluded.length === 0
        ? oldest(limit)
        : sql`select * from (${oldest(limit * 4 + LOOK_AHEAD)}) as ahead
            where certificate_id not in (${sql.join(excluded)})
            order by next_attempt_at, id limit ${limit}`;
    };
    const due =
      lanes.length === 1
        ? lane(lanes[0]!)
        : sql`select * from (${lane('direct')}) as direct
            union all select * from (${lane('broadcast')}) as broadcast`;
    const picked = sql`select id from (
        select id, push_count, sum(push_count) over (order by broadcast, next_attempt_at, id) as upto
        from (${due}) as due
      ) as counted where upto <= ${limit} or upto = push_count`;
    return this.#sqlite ? sql<boolean>`id in (${picked})` : sql<boolean>`id = any(array(${picked}))`;
  }

  async settle(batch: SettleBatch, record?: SettleRecord): Promise<SettleResult> {
    this.#open();
    const now = this.#now();
    return this.#transact(async (trx) => {
      const { done, stale } = await settleBatch(trx, this.#sqlite, now, batch);
      await record?.(trx, done);
      return { settled: done.size, stale };
    });
  }

  async reclaimOwner(owner: string): Promise<number> {
    this.#open();
    // A leased job is queued with a token; its next-attempt time is the lease expiry, brought back to now.
    const rows = await this.#db
      .updateTable('push_jobs')
      .set({ lease_token: null, lease_owner: null, next_attempt_at: this.#now() })
      .where('lease_owner', '=', owner)
      .where('status', '=', 'queued')
      .where('lease_token', 'is not', null)
      .returning('push_count')
      .execute();
    return jobCount(rows);
  }

  ack(jobs: readonly LeasedJob[]): Promise<SettleResult> {
    return this.settle({ acks: jobs });
  }

  retry(items: readonly RetryItem[]): Promise<SettleResult> {
    return this.settle({ retries: items });
  }

  release(jobs: readonly LeasedJob[], delayMs = 0): Promise<SettleResult> {
    return this.settle({ releases: jobs.map((job) => ({ job, delayMs })) });
  }

  deadLetter(items: readonly DeadLetterItem[]): Promise<SettleResult> {
    return this.settle({ deadLetters: items });
  }

  hold(jobs: readonly LeasedJob[], error: string): Promise<SettleResult> {
    return this.settle({ holds: jobs.map((job) => ({ job, error })) });
  }

  async holdCertificate(certificateId: number, error: string): Promise<number> {
    this.#open();
    return holdWaiting(this.#db, certificateId, error, this.#now());
  }

  async resumeCertificate(certificateId: number): Promise<number> {
    this.#open();
    const rows = await this.#db
      .updateTable('push_jobs')
      .set({ status: 'queued', next_attempt_at: this.#now(), settled_at: null })
      .where('certificate_id', '=', certificateId)
      .where('status', '=', 'held')
      .returning('push_count')
      .execute();
    return jobCount(rows);
  }

  async listDead(filter: DeadFilter, opts: { limit?: number; after?: string } = {}): Promise<DeadPage> {
    this.#open();
    return listDead(this.#db, filter, opts);
  }

  async requeueDead(filter: DeadFilter, ids?: readonly string[]): Promise<number> {
    this.#open();
    return requeueDead(this.#db, this.#now(), filter, ids);
  }

  async purgeDead(filter: DeadFilter, ids?: readonly string[]): Promise<number> {
    this.#open();
    return purgeDead(this.#db, filter, ids);
  }

  async stats(filter: { sdkAppId?: number } = {}): Promise<QueueStats> {
    this.#open();
    return queueStats(this.#db, this.#now(), filter);
  }

  /** The queue does not own the database: closing only refuses further calls. */
  async close(): Promise<void> {
    this.#closed = true;
  }

  #open(): void {
    if (this.#closed) throw new Error('the push queue is closed');
  }
}
