// The embedded push queue: the `push_jobs` table (migration 0030) on SQLite or PostgreSQL. A job is `queued`
// (ready, delayed or leased — a lease is a token plus a next-attempt time in the future), `held` (its
// certificate is paused) or `dead`. Settled jobs are deleted. See types.ts for the delivery guarantees.
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { withValues } from '../../store/bulk.js';
import { isSqlite } from '../../store/db.js';
import type { Database } from '../../store/schema.js';
import type { PushTask } from '../types.js';
import { listDead, purgeDead, queueStats, requeueDead } from './sql-dead-letters.js';
import { LEASED_COLUMNS, toJob } from './sql-rows.js';
import {
  deleteLeased,
  holdWaiting,
  type LeasedRowUpdate,
  settleBatch,
  updateLeasedRows,
} from './sql-settle.js';
import type {
  DeadFilter,
  DeadLetterItem,
  DeadPage,
  EnqueueOptions,
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
}

const MAX_LEASE = 10_000;

export class SqlPushQueue implements PushQueue {
  readonly kind = 'sql' as const;
  readonly #db: Kysely<Database>;
  readonly #now: () => number;
  readonly #sqlite: boolean;
  #closed = false;

  constructor(db: Kysely<Database>, opts: SqlQueueOptions = {}) {
    this.#db = db;
    this.#now = opts.now ?? Date.now;
    this.#sqlite = isSqlite(db);
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
    const now = this.#now();
    const at = now + Math.max(0, opts.delayMs ?? 0);
    const insertAll = async (trx: Kysely<Database>) => {
      const inserted = await withValues<{ id: number }>(
        trx,
        {
          key: 'push_jobs',
          text: (values) =>
            'insert into push_jobs (push_id, sdkappid, certificate_id, task, group_key, next_attempt_at, created_at) ' +
            `${values} returning id`,
        },
        7,
        tasks.map((t) => [
          t.pushId,
          t.sdkAppId,
          t.certificateId,
          JSON.stringify(t),
          opts.groupKey ?? null,
          at,
          now,
        ]),
      );
      // One INSERT numbers its rows in the order of its source, so ascending IDs map back to `tasks` (each
      // chunk's IDs are above the previous chunk's).
      return inserted
        .map((r) => Number(r.id))
        .sort((a, b) => a - b)
        .map(String);
    };
    return executor.isTransaction ? insertAll(executor) : executor.transaction().execute(insertAll);
  }

  async lease(max: number, visibilityMs: number, opts: LeaseOptions = {}): Promise<LeasedJob[]> {
    this.#open();
    const limit = Math.min(Math.max(0, Math.floor(max)), MAX_LEASE);
    if (limit === 0) return [];
    const now = this.#now();
    const token = randomUUID();
    const expiresAt = now + Math.max(1, visibilityMs);
    const excluded = opts.excludeCertificateIds ?? [];
    const leaseWith = (db: Kysely<Database>) =>
      db
        .updateTable('push_jobs')
        .set((eb) => ({
          lease_token: token,
          lease_owner: opts.owner ?? null,
          next_attempt_at: expiresAt,
          lease_count: eb('lease_count', '+', 1),
        }))
        .where((eb) => {
          let due = eb
            .selectFrom('push_jobs')
            .select('id')
            .where('status', '=', 'queued')
            .where('next_attempt_at', '<=', now);
          if (excluded.length > 0) due = due.where('certificate_id', 'not in', excluded);
          due = due.orderBy('next_attempt_at').orderBy('id').limit(limit);
          // SQLite has one writer at a time, so the statement is atomic on its own. Concurrent PostgreSQL nodes
          // skip each other's candidate rows instead of waiting or colliding; `= any(array(...))` makes the
          // planner look the picked rows up by primary key.
          return this.#sqlite
            ? eb('id', 'in', due)
            : sql<boolean>`id = any(array(${due.forUpdate().skipLocked()}))`;
        })
        .returning(LEASED_COLUMNS)
        .execute();
    const rows = this.#sqlite
      ? await leaseWith(this.#db)
      : await this.#db.transaction().execute(async (trx) => {
          // Until PostgreSQL first analyzes a fresh queue table it guesses it tiny, then sorts every due row
          // to pick a batch. Walking the due index in order is right at any size, so insist on it.
          await sql`set local enable_sort = off`.execute(trx);
          return leaseWith(trx);
        });
    return rows
      .sort((a, b) => a.id - b.id)
      .map((r) => ({ ...toJob(r, expiresAt), leaseToken: token, leaseExpiresAt: expiresAt }));
  }

  async settle(batch: SettleBatch, record?: SettleRecord): Promise<SettleResult> {
    this.#open();
    const now = this.#now();
    return this.#db.transaction().execute(async (trx) => {
      const { done, stale } = await settleBatch(trx, this.#sqlite, now, batch);
      await record?.(trx, done);
      return { settled: done.size, stale };
    });
  }

  async reclaimOwner(owner: string): Promise<number> {
    this.#open();
    // A leased job is queued with a token; its next-attempt time is the lease expiry, brought back to now.
    const r = await this.#db
      .updateTable('push_jobs')
      .set({ lease_token: null, lease_owner: null, next_attempt_at: this.#now() })
      .where('lease_owner', '=', owner)
      .where('status', '=', 'queued')
      .where('lease_token', 'is not', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async ack(jobs: readonly LeasedJob[]): Promise<SettleResult> {
    this.#open();
    return this.#db.transaction().execute((trx) => deleteLeased(trx, this.#sqlite, jobs));
  }

  async retry(items: readonly RetryItem[]): Promise<SettleResult> {
    this.#open();
    const now = this.#now();
    return this.#update(
      items.map((i) => ({
        job: i.job,
        nextAttemptAt: now + Math.max(0, i.delayMs),
        error: i.error,
        attemptsAdd: 1,
      })),
      'queued',
      null,
    );
  }

  async release(jobs: readonly LeasedJob[], delayMs = 0): Promise<SettleResult> {
    this.#open();
    const at = this.#now() + Math.max(0, delayMs);
    return this.#update(
      jobs.map((job) => ({ job, nextAttemptAt: at, error: job.lastError, attemptsAdd: 0 })),
      'queued',
      null,
    );
  }

  async deadLetter(items: readonly DeadLetterItem[]): Promise<SettleResult> {
    this.#open();
    const now = this.#now();
    return this.#update(
      items.map((i) => ({
        job: i.job,
        nextAttemptAt: now,
        error: i.error,
        answer: i.lastAnswer ?? null,
        attemptsAdd: 1,
      })),
      'dead',
      now,
    );
  }

  async hold(jobs: readonly LeasedJob[], error: string): Promise<SettleResult> {
    this.#open();
    const now = this.#now();
    return this.#update(
      jobs.map((job) => ({ job, nextAttemptAt: now, error, attemptsAdd: 0 })),
      'held',
      now,
    );
  }

  async holdCertificate(certificateId: number, error: string): Promise<number> {
    this.#open();
    return holdWaiting(this.#db, certificateId, error, this.#now());
  }

  async resumeCertificate(certificateId: number): Promise<number> {
    this.#open();
    const r = await this.#db
      .updateTable('push_jobs')
      .set({ status: 'queued', next_attempt_at: this.#now(), settled_at: null })
      .where('certificate_id', '=', certificateId)
      .where('status', '=', 'held')
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
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

  #update(
    rows: LeasedRowUpdate[],
    status: 'queued' | 'held' | 'dead',
    settledAt: number | null,
  ): Promise<SettleResult> {
    return this.#db
      .transaction()
      .execute((trx) => updateLeasedRows(trx, this.#sqlite, rows, status, settledAt));
  }

  #open(): void {
    if (this.#closed) throw new Error('the push queue is closed');
  }
}
