// The Redis push queue for many nodes: the same contract as the SQL queue (types.ts), kept in Redis by Lua
// scripts (redis-scripts.ts), each one atomic, so concurrent nodes never lease the same job twice.
//
// Keys, under a prefix (default `pushline:queue:`):
//   j:<id>      hash: task JSON, app, certificate, group, attempts, leases, last error, created, status
//               (q queued / h held / d dead), next attempt, lease token, dead time, last answer, lane (b = 1:
//               broadcast)
//   due, bdue   sorted sets of queued jobs by next-attempt time, one per lane (lanes.ts): the direct lane's
//               and the broadcast lane's; a leased job's score is its lease expiry, so an expired lease is
//               simply due again (crash recovery needs no sweeper)
//   leased      sorted set of leased jobs by lease expiry (for the counts)
//   cq:<cert>   set of a certificate's queued jobs (holdCertificate)
//   held, hc:<cert>, dead, da:<app>   held and dead jobs, in total and per certificate / app
//   ext         outbox ID -> job ID, so that relaying a job twice keeps one (outbox.ts)
//   seq         the job ID counter
//
// Why not BullMQ's own job model: the contract leases batches with one visibility timeout, skips paused
// certificates, holds and resumes a certificate's jobs, pages dead letters per app and runs on an injected
// clock; BullMQ hands out one job per call on its own clock and lock renewals. The Lua scripts here are small
// and do exactly what the contract says.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { closeRedis, openRedis } from '../../store/redis.js';
import type { PushTask } from '../types.js';
import { laneOf, QUEUE_LANES } from './lanes.js';
import {
  DEAD_OP,
  ENQUEUE,
  HOLD_CERTIFICATE,
  LEASE,
  LIST_DEAD,
  RECLAIM_OWNER,
  RELEASE_RELAYED,
  RESUME_CERTIFICATE,
  SETTLE,
  STATS_SLICE,
} from './redis-scripts.js';
import { parseId } from './sql-rows.js';
import type {
  DeadFilter,
  DeadJob,
  DeadLetterItem,
  DeadPage,
  EnqueueOptions,
  LeasedJob,
  LeaseOptions,
  PushQueue,
  QueueJob,
  QueueStats,
  RetryItem,
  SettleBatch,
  SettleRecord,
  SettleResult,
} from './types.js';

export interface RedisQueueOptions {
  /** Key prefix; every node of one deployment uses the same (default `pushline:queue:`). */
  prefix?: string;
  /** Clock in UNIX ms; tests inject one. Nodes' clocks should agree to within a small part of the lease. */
  now?: () => number;
  /** Close the connection in `close()` (default: only when the queue opened it from a URL). */
  ownsConnection?: boolean;
}

/** A task to enqueue with what the outbox relay keeps from its first life. */
export interface RelayedTask {
  task: PushTask;
  /** Idempotency key: the same key enqueued twice yields one job. */
  externalId: string;
  createdAt: number;
  groupKey: string | null;
}

const MAX_LEASE = 10_000;
/** Jobs per script call: keeps each script short so that Redis stays responsive to other clients. */
const CHUNK = 1_000;
/** Jobs counted per script call in `stats`. */
const STATS_SLICE_SIZE = 5_000;

type JobFields = [string, string, string | null, string, string, string | null, string, ...(string | null)[]];

export class RedisPushQueue implements PushQueue {
  readonly kind = 'redis' as const;
  readonly #redis: Redis;
  readonly #ownsConnection: boolean;
  readonly #prefix: string;
  readonly #now: () => number;
  #closed = false;

  /** `redis`: a URL (the queue opens its own connection) or an open connection. */
  constructor(redis: string | Redis, opts: RedisQueueOptions = {}) {
    this.#ownsConnection = opts.ownsConnection ?? typeof redis === 'string';
    this.#redis = typeof redis === 'string' ? openRedis(redis, 'pushline-queue') : redis;
    this.#prefix = opts.prefix ?? 'pushline:queue:';
    this.#now = opts.now ?? Date.now;
  }

  async enqueue(tasks: readonly PushTask[], opts: EnqueueOptions = {}): Promise<string[]> {
    this.#open();
    const now = this.#now();
    const at = now + Math.max(0, opts.delayMs ?? 0);
    return this.#enqueue(
      at,
      opts.groupKey ?? null,
      tasks.map((task) => ({ task, externalId: '', createdAt: now, groupKey: null })),
    );
  }

  /**
   * Enqueues relayed jobs; a job whose `externalId` is already queued is not added again. With `holdMs` they
   * become due only then, or at `releaseRelayed` — which the relay calls once their outbox rows are deleted:
   * a job sent and acknowledged while its outbox row still existed would be relayed (and sent) again after a
   * crash, since an acknowledged job leaves no trace here.
   */
  async enqueueRelayed(items: readonly RelayedTask[], holdMs = 0): Promise<string[]> {
    this.#open();
    const ids: string[] = [];
    const at = this.#now() + Math.max(0, holdMs);
    // The script takes one group key per call: consecutive items with the same key go together.
    let start = 0;
    for (let i = 1; i <= items.length; i++) {
      if (i === items.length || items[i]!.groupKey !== items[start]!.groupKey) {
        ids.push(...(await this.#enqueue(at, items[start]!.groupKey, items.slice(start, i))));
        start = i;
      }
    }
    return ids;
  }

  /** Relayed jobs held by `enqueueRelayed` and never leased become due now; returns how many. */
  async releaseRelayed(ids: readonly string[]): Promise<number> {
    this.#open();
    let count = 0;
    for (let i = 0; i < ids.length; i += CHUNK) {
      const part = ids.slice(i, i + CHUNK);
      count += await RELEASE_RELAYED.run<number>(this.#redis, [
        this.#prefix,
        this.#now(),
        part.length,
        ...part,
      ]);
    }
    return count;
  }

  async #enqueue(at: number, groupKey: string | null, items: readonly RelayedTask[]): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < items.length; i += CHUNK) {
      const part = items.slice(i, i + CHUNK);
      const args: (string | number)[] = [this.#prefix, this.#now(), at, groupKey ?? '', part.length];
      for (const r of part) {
        args.push(
          JSON.stringify(r.task),
          r.task.sdkAppId,
          r.task.certificateId,
          r.createdAt,
          r.externalId,
          laneOf(r.task) === 'broadcast' ? 'b' : '',
        );
      }
      ids.push(...(await ENQUEUE.run<string[]>(this.#redis, args)).map(String));
    }
    return ids;
  }

  async lease(max: number, visibilityMs: number, opts: LeaseOptions = {}): Promise<LeasedJob[]> {
    this.#open();
    const limit = Math.min(Math.max(0, Math.floor(max)), MAX_LEASE);
    if (limit === 0) return [];
    const now = this.#now();
    const token = randomUUID();
    const expiresAt = now + Math.max(1, visibilityMs);
    const args: (string | number)[] = [this.#prefix, now, limit, expiresAt, token, opts.owner ?? ''];
    for (const lane of QUEUE_LANES) {
      const excluded = [...(opts.excludeCertificateIds ?? []), ...(opts.excludeLanes?.[lane] ?? [])];
      args.push(excluded.length, ...excluded);
    }
    const rows = await LEASE.run<JobFields[]>(this.#redis, args);
    return rows.map((r) => ({ ...toJob(r, expiresAt), leaseToken: token, leaseExpiresAt: expiresAt }));
  }

  /**
   * Applies a batch's settlement, one script call per kind and chunk. Without a database of its own this queue
   * takes no `record`: the outbox queue (outbox.ts) commits the record in the database first.
   */
  async settle(batch: SettleBatch, record?: SettleRecord): Promise<SettleResult> {
    if (record) throw new Error('the Redis queue records settlements through its outbox (OutboxPushQueue)');
    const now = this.#now();
    const results = [
      await this.ack(batch.acks ?? []),
      await this.retry(batch.retries ?? []),
      await this.#settle(
        'release',
        (batch.releases ?? []).map((i) => [i.job, now + Math.max(0, i.delayMs), '']),
      ),
      await this.deadLetter(batch.deadLetters ?? []),
      await this.#settle(
        'hold',
        (batch.holds ?? []).filter((i) => !i.answered).map((i) => [i.job, i.error, '']),
      ),
      await this.#settle(
        'holdn',
        (batch.holds ?? []).filter((i) => i.answered).map((i) => [i.job, i.error, '']),
      ),
    ];
    for (const { certificateId, error } of batch.holdCertificates ?? [])
      await this.holdCertificate(certificateId, error);
    return {
      settled: results.reduce((n, r) => n + r.settled, 0),
      stale: results.flatMap((r) => r.stale),
    };
  }

  async reclaimOwner(owner: string): Promise<number> {
    this.#open();
    return RECLAIM_OWNER.run<number>(this.#redis, [this.#prefix, this.#now(), owner]);
  }

  async ack(jobs: readonly LeasedJob[]): Promise<SettleResult> {
    return this.#settle(
      'ack',
      jobs.map((job) => [job, '', '']),
    );
  }

  async retry(items: readonly RetryItem[]): Promise<SettleResult> {
    const now = this.#now();
    return this.#settle(
      'retry',
      items.map((i) => [i.job, now + Math.max(0, i.delayMs), i.error]),
    );
  }

  async release(jobs: readonly LeasedJob[], delayMs = 0): Promise<SettleResult> {
    const at = this.#now() + Math.max(0, delayMs);
    return this.#settle(
      'release',
      jobs.map((job) => [job, at, '']),
    );
  }

  async deadLetter(items: readonly DeadLetterItem[]): Promise<SettleResult> {
    return this.#settle(
      'dead',
      items.map((i) => [i.job, i.error, i.lastAnswer === undefined ? '' : `=${i.lastAnswer}`]),
    );
  }

  async hold(jobs: readonly LeasedJob[], error: string): Promise<SettleResult> {
    return this.#settle(
      'hold',
      jobs.map((job) => [job, error, '']),
    );
  }

  async #settle(op: string, items: [LeasedJob, string | number, string][]): Promise<SettleResult> {
    this.#open();
    if (items.length === 0) return { settled: 0, stale: [] };
    const stale: string[] = [];
    for (let i = 0; i < items.length; i += CHUNK) {
      const part = items.slice(i, i + CHUNK);
      const args: (string | number)[] = [this.#prefix, this.#now(), op, part.length];
      for (const [job, a, b] of part) args.push(job.id, job.leaseToken, a, b);
      stale.push(...(await SETTLE.run<string[]>(this.#redis, args)).map(String));
    }
    return { settled: items.length - stale.length, stale };
  }

  async holdCertificate(certificateId: number, error: string): Promise<number> {
    this.#open();
    return HOLD_CERTIFICATE.run<number>(this.#redis, [this.#prefix, this.#now(), certificateId, error]);
  }

  async resumeCertificate(certificateId: number): Promise<number> {
    this.#open();
    return RESUME_CERTIFICATE.run<number>(this.#redis, [this.#prefix, this.#now(), certificateId]);
  }

  async listDead(filter: DeadFilter, opts: { limit?: number; after?: string } = {}): Promise<DeadPage> {
    this.#open();
    const limit = Math.min(Math.max(1, Math.floor(opts.limit ?? 100)), 1000);
    const after = opts.after === undefined ? '' : String(parseId(opts.after)).padStart(15, '0');
    const rows = await LIST_DEAD.run<JobFields[]>(this.#redis, [
      this.#prefix,
      filter.sdkAppId,
      filter.certificateId ?? '',
      after,
      limit,
    ]);
    const jobs = rows.slice(0, limit).map(
      (r): DeadJob => ({
        ...toJob(r, Number(r[9])),
        deadAt: Number(r[7]),
        lastAnswer: r[8] ?? null,
      }),
    );
    const last = jobs.at(-1);
    return rows.length > limit && last ? { jobs, next: last.id } : { jobs };
  }

  async requeueDead(filter: DeadFilter, ids?: readonly string[]): Promise<number> {
    return this.#deadOp('requeue', filter, ids);
  }

  async purgeDead(filter: DeadFilter, ids?: readonly string[]): Promise<number> {
    return this.#deadOp('purge', filter, ids);
  }

  async #deadOp(op: string, filter: DeadFilter, ids: readonly string[] | undefined): Promise<number> {
    this.#open();
    const base = [this.#prefix, this.#now(), op, filter.sdkAppId, filter.certificateId ?? ''];
    if (ids === undefined) return DEAD_OP.run<number>(this.#redis, [...base, -1]);
    const parsed = ids.map((id) => String(parseId(id)));
    let total = 0;
    for (let i = 0; i < parsed.length; i += CHUNK) {
      const part = parsed.slice(i, i + CHUNK);
      total += await DEAD_OP.run<number>(this.#redis, [...base, part.length, ...part]);
    }
    return total;
  }

  /** Walks the queue a slice at a time (see STATS_SLICE): exact when the queue is quiet, close otherwise. */
  async stats(filter: { sdkAppId?: number } = {}): Promise<QueueStats> {
    this.#open();
    const now = this.#now();
    const app = filter.sdkAppId ?? '';
    const total: QueueStats = {
      ready: 0,
      delayed: 0,
      leased: 0,
      held: 0,
      dead: 0,
      oldestReadyCreatedAt: null,
    };
    // Without an app filter, held jobs are simply counted.
    for (const set of app === '' ? ['due', 'bdue'] : ['due', 'bdue', 'held']) {
      for (let offset = 0; ; offset += STATS_SLICE_SIZE) {
        const [seen, ready, delayed, leased, held, oldest] = await STATS_SLICE.run<
          [number, number, number, number, number, string | null]
        >(this.#redis, [this.#prefix, now, app, set, offset, STATS_SLICE_SIZE]);
        total.ready += ready;
        total.delayed += delayed;
        total.leased += leased;
        total.held += held;
        if (
          oldest != null &&
          (total.oldestReadyCreatedAt === null || Number(oldest) < total.oldestReadyCreatedAt)
        )
          total.oldestReadyCreatedAt = Number(oldest);
        if (seen < STATS_SLICE_SIZE) break;
      }
    }
    const [heldAll, dead] = await this.#redis
      .multi()
      .zcard(`${this.#prefix}held`)
      .zcard(app === '' ? `${this.#prefix}dead` : `${this.#prefix}da:${app}`)
      .exec()
      .then((r) =>
        (r ?? []).map(([err, n]) => {
          if (err) throw err;
          return Number(n);
        }),
      );
    if (app === '') total.held = heldAll ?? 0;
    total.dead = dead ?? 0;
    return total;
  }

  /** Refuses further calls; closes the connection if the queue opened it. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsConnection) await closeRedis(this.#redis);
  }

  #open(): void {
    if (this.#closed) throw new Error('the push queue is closed');
  }
}

function toJob(r: JobFields, nextAttemptAt: number): QueueJob {
  return {
    id: String(r[0]),
    task: JSON.parse(r[1]) as PushTask,
    groupKey: r[2] ?? null,
    attempts: Number(r[3]),
    leaseCount: Number(r[4]),
    nextAttemptAt,
    lastError: r[5] ?? null,
    createdAt: Number(r[6]),
  };
}
