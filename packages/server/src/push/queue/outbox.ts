// The push queue of a scale-out deployment: the SQL queue as a transactional outbox in front of the Redis
// queue.
//
// Why an outbox: a message lives in the database and its push jobs in Redis, and no transaction spans both.
// So the jobs commit to the database's `push_jobs` table in the message's own transaction, exactly as on one
// node: when the send API answers, message and jobs are durable together (or neither is). A relay on every
// node then leases committed jobs from the table, adds them to Redis and deletes them from the table:
//   - a relay that dies after adding to Redis but before the delete leaves its lease to expire; another relay
//     adds the jobs again under the same outbox ID, which Redis keeps once (RedisPushQueue.enqueueRelayed);
//     the jobs are not due in Redis until the delete committed (`releaseRelayed`), so none of them can have been
//     sent and forgotten by Redis when it is relayed again;
//   - Redis down: jobs wait in the table (and count as ready in `stats`) until it is back.
// Leasing, settling and dead letters then happen in Redis, off the database.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { PushTask } from '../types.js';
import type { RedisPushQueue } from './redis-queue.js';
import type { SqlPushQueue } from './sql-queue.js';
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
  TransactionalPushQueue,
} from './types.js';

export interface OutboxOptions {
  /** Jobs moved per relay step (default 1000). */
  batchSize?: number;
  /** How long a relay step may take before another node relays the same jobs again (default 60 s). */
  visibilityMs?: number;
  /** Pause between polls of an empty outbox (default 100 ms); `kick()` wakes the relay at once. */
  idleMs?: number;
  onError?: (err: unknown) => void;
  /** This node's ID (push/dispatch/nodes.ts): relay leases carry it, so a successor reclaims them at once. */
  owner?: string;
}

export class OutboxPushQueue implements TransactionalPushQueue {
  readonly kind = 'redis' as const;
  readonly #outbox: SqlPushQueue;
  readonly #redis: RedisPushQueue;
  readonly #o: Required<OutboxOptions>;
  #running: Promise<void> | undefined;
  #stopping = false;
  #wake: (() => void) | undefined;
  #kicked = false;
  readonly #relayedListeners: ((count: number) => void)[] = [];

  constructor(outbox: SqlPushQueue, redis: RedisPushQueue, opts: OutboxOptions = {}) {
    this.#outbox = outbox;
    this.#redis = redis;
    this.#o = { batchSize: 1000, visibilityMs: 60_000, idleMs: 100, onError: () => {}, owner: '', ...opts };
  }

  /** Writes the jobs to the outbox table in the caller's transaction (see enqueueWith of the SQL queue). */
  enqueueWith(
    executor: Kysely<Database>,
    tasks: readonly PushTask[],
    opts?: EnqueueOptions,
  ): Promise<string[]> {
    return this.#outbox.enqueueWith(executor, tasks, opts);
  }

  /** Returns the outbox IDs; the jobs get Redis IDs when relayed. */
  async enqueue(tasks: readonly PushTask[], opts?: EnqueueOptions): Promise<string[]> {
    const ids = await this.#outbox.enqueue(tasks, opts);
    this.kick();
    return ids;
  }

  /** Starts relaying on this node. */
  start(): void {
    if (this.#running) return;
    this.#stopping = false;
    this.#running = this.#loop();
  }

  /**
   * Called after each relay step that made jobs due in Redis, with how many: the commit of those jobs woke
   * the node's dispatcher before they reached Redis, which would otherwise find them at its next poll.
   */
  onRelayed(listener: (count: number) => void): void {
    this.#relayedListeners.push(listener);
  }

  /** Jobs were committed: relay now instead of at the next poll. */
  kick(): void {
    this.#kicked = true;
    this.#wake?.();
  }

  /** Moves one batch of committed jobs to Redis; returns how many. */
  async relayOnce(): Promise<number> {
    const jobs = await this.#outbox.lease(
      this.#o.batchSize,
      this.#o.visibilityMs,
      this.#o.owner ? { owner: this.#o.owner } : {},
    );
    if (jobs.length === 0) return 0;
    // Held in Redis until the outbox rows are gone (see enqueueRelayed). If this node dies in between, its rows
    // come back when their lease expires (or its successor reclaims them) and a relay adds them again — under
    // the same outbox IDs, to the same held jobs, which that relay then releases. Only if no relay runs for
    // twice the lease do the held jobs become due on their own.
    const ids = await this.#redis.enqueueRelayed(
      jobs.map((j) => ({
        task: j.task,
        externalId: `outbox:${j.id}`,
        createdAt: j.createdAt,
        groupKey: j.groupKey,
      })),
      2 * this.#o.visibilityMs,
    );
    await this.#outbox.ack(jobs);
    await this.#redis.releaseRelayed(ids);
    for (const listener of this.#relayedListeners) {
      try {
        listener(jobs.length);
      } catch (err) {
        this.#o.onError(err);
      }
    }
    return jobs.length;
  }

  async #loop(): Promise<void> {
    let failures = 0;
    while (!this.#stopping) {
      this.#kicked = false;
      let moved = 0;
      try {
        moved = await this.relayOnce();
        failures = 0;
      } catch (err) {
        // The jobs stay in the table; report the first failure of a streak, then back off up to 5 s.
        if (failures++ === 0) this.#o.onError(err);
      }
      if (failures === 0 && (moved > 0 || this.#kicked)) continue;
      if (this.#stopping) break;
      const pauseMs = failures === 0 ? this.#o.idleMs : Math.min(5_000, this.#o.idleMs * 2 ** failures);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, pauseMs);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.#wake = done;
      });
      this.#wake = undefined;
    }
  }

  /** Stops relaying after the step in flight. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#running;
    this.#running = undefined;
  }

  lease(max: number, visibilityMs: number, opts?: LeaseOptions): Promise<LeasedJob[]> {
    return this.#redis.lease(max, visibilityMs, opts);
  }
  /**
   * The record commits in the database first, then Redis settles: a crash in between replays the settlement
   * (the job comes back to a dispatcher), never loses its record. `record` gets every job's ID, so what it
   * writes must be idempotent per push and attempt.
   */
  async settle(batch: SettleBatch, record?: SettleRecord): Promise<SettleResult> {
    if (record) {
      const all = new Set<string>();
      for (const list of [batch.acks, batch.retries, batch.deadLetters, batch.holds, batch.releases]) {
        for (const item of list ?? []) all.add('job' in item ? item.job.id : item.id);
      }
      await this.#outbox.database.transaction().execute((trx) => record(trx, all));
    }
    return this.#redis.settle(batch);
  }
  /** Jobs leased in Redis by `owner`, and outbox rows a relay of that owner had taken. */
  async reclaimOwner(owner: string): Promise<number> {
    return (await this.#redis.reclaimOwner(owner)) + (await this.#outbox.reclaimOwner(owner));
  }
  ack(jobs: readonly LeasedJob[]): Promise<SettleResult> {
    return this.#redis.ack(jobs);
  }
  retry(items: readonly RetryItem[]): Promise<SettleResult> {
    return this.#redis.retry(items);
  }
  release(jobs: readonly LeasedJob[], delayMs?: number): Promise<SettleResult> {
    return this.#redis.release(jobs, delayMs);
  }
  deadLetter(items: readonly DeadLetterItem[]): Promise<SettleResult> {
    return this.#redis.deadLetter(items);
  }
  hold(jobs: readonly LeasedJob[], error: string): Promise<SettleResult> {
    return this.#redis.hold(jobs, error);
  }
  /** Jobs still in the outbox reach Redis later; the dispatcher holds them when it meets the paused certificate. */
  holdCertificate(certificateId: number, error: string): Promise<number> {
    return this.#redis.holdCertificate(certificateId, error);
  }
  resumeCertificate(certificateId: number): Promise<number> {
    return this.#redis.resumeCertificate(certificateId);
  }
  listDead(filter: DeadFilter, opts?: { limit?: number; after?: string }): Promise<DeadPage> {
    return this.#redis.listDead(filter, opts);
  }
  requeueDead(filter: DeadFilter, ids?: readonly string[]): Promise<number> {
    return this.#redis.requeueDead(filter, ids);
  }
  purgeDead(filter: DeadFilter, ids?: readonly string[]): Promise<number> {
    return this.#redis.purgeDead(filter, ids);
  }

  /** Redis counts plus the jobs not relayed yet (ready or delayed as they wait in the outbox). */
  async stats(filter?: { sdkAppId?: number }): Promise<QueueStats> {
    const [r, o] = await Promise.all([this.#redis.stats(filter), this.#outbox.stats(filter)]);
    const oldest = [r.oldestReadyCreatedAt, o.oldestReadyCreatedAt].filter((v): v is number => v !== null);
    return {
      ready: r.ready + o.ready + o.leased,
      delayed: r.delayed + o.delayed,
      leased: r.leased,
      held: r.held + o.held,
      dead: r.dead + o.dead,
      oldestReadyCreatedAt: oldest.length > 0 ? Math.min(...oldest) : null,
    };
  }

  /** Stops the relay and closes both queues. */
  async close(): Promise<void> {
    await this.stop();
    await this.#redis.close();
    await this.#outbox.close();
  }
}

/** Only the queue kinds that relay have a relay to start and stop. */
export function isOutbox(queue: PushQueue): queue is OutboxPushQueue {
  return queue instanceof OutboxPushQueue;
}
