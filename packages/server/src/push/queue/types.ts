// The durable push queue between push/render (which enqueues one job per notification) and push/dispatch
// (which leases jobs, sends them through the channels and settles them). Every implementation (the SQL table
// in sql-queue.ts, later Redis) passes the same contract suite: test/helpers/queue-contract.ts.
//
// Delivery is at-least-once:
// - `enqueue` resolves only after the jobs are committed; a crash after that never loses them.
// - `lease` hands jobs out for a visibility timeout. A job whose lease expires before it is settled (the
//   worker crashed or stalled) becomes leasable again, so it may be sent twice. Duplicates are bounded by the
//   jobs leased at the moment of the crash.
// - Settling (`settle`, or one kind at a time: `ack`, `retry`, `release`, `deadLetter`, `hold`) checks the
//   lease token. A settle that arrives after the lease expired still succeeds as long as no other worker
//   re-leased the job; once another worker holds it, the stale settle changes nothing and the job is reported
//   in `stale` — the new holder owns it.
// - `settle` takes a whole dispatched batch and a `record` callback that writes what the outcomes mean (traces,
//   counters, webhooks, binding removals) in a database transaction: the SQL queue runs it in the very
//   transaction that changes the jobs, so a job and the record of its outcome commit together or not at all.
//   The Redis queue runs it in a transaction it commits before it touches Redis, so Redis never holds the only
//   copy of an outcome; what `record` writes must then be idempotent per push and attempt (a crash between the
//   two steps replays the settlement).
// - A lease may name its owner (a node ID, see push/dispatch/nodes.ts): `reclaimOwner` makes every job still
//   leased by that owner leasable now — how a node restarted on the same data, or the survivors of a dead
//   node, recover its jobs without waiting for the visibility timeout.
// - Order: a lease takes the due jobs of the direct lane first, then those of the broadcast lane (lanes.ts);
//   within a lane, in order of their next-attempt time, then of enqueue. With several workers and retries
//   there is no strict order; a notification is independent of its neighbours.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { PushTask } from '../types.js';
import type { QueueLane } from './lanes.js';

export interface EnqueueOptions {
  /** Delay before the first attempt, in ms (default 0). */
  delayMs?: number;
  /** Tracing reference shared by the jobs, e.g. a message key or a push task ID. */
  groupKey?: string;
  /**
   * The jobs may share storage: the SQL queue keeps each certificate's jobs of the call in rows of up to this
   * many (at most 1,000), each leased whole — so a lease hands out more than its `max` when its first row holds
   * more. Give the dispatcher's batch size, so that the jobs in flight stay within batch size x concurrency.
   * For fan-out pages, whose jobs go out together anyway. Queues without such storage (Redis) ignore it.
   */
  packUpTo?: number;
  /**
   * Packed rows list each vendor request once, however many of their jobs carry it (pack format 2,
   * push/queue/sql-packs.ts). Only while every live node reads that format (NodeLiveness.packFormat).
   */
  sharedRequests?: boolean;
}

/** A job as stored: the task plus the queue's bookkeeping. Times are UNIX ms. */
export interface QueueJob {
  /** Queue-assigned ID, unique within the queue. */
  id: string;
  task: PushTask;
  groupKey: string | null;
  /** Failed attempts so far (`retry` and `deadLetter` count one each). */
  attempts: number;
  /** How many times the job was leased, including leases lost to crashes or expiry. */
  leaseCount: number;
  /** Earliest time the job may be (re)attempted; while leased, the lease expiry. */
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
}

export interface LeasedJob extends QueueJob {
  /** Proves ownership when settling; a new lease of the same job gets a new token. */
  leaseToken: string;
  leaseExpiresAt: number;
}

export interface DeadJob extends QueueJob {
  deadAt: number;
  /** The last vendor answer (status, reason...), for the console. */
  lastAnswer: string | null;
}

export interface LeaseOptions {
  /** Do not hand out jobs of these certificates (e.g. paused ones), in either lane. */
  excludeCertificateIds?: readonly number[];
  /** Do not hand out these certificates' jobs of one lane (the dispatcher's full shares, lanes.ts). */
  excludeLanes?: { readonly [lane in QueueLane]?: readonly number[] };
  /** The node taking the lease; `reclaimOwner(owner)` gives its unsettled leases back. */
  owner?: string;
}

export interface RetryItem {
  job: LeasedJob;
  /** From now until the next attempt. */
  delayMs: number;
  error: string;
}

export interface DeadLetterItem {
  job: LeasedJob;
  error: string;
  lastAnswer?: string;
}

export interface HoldItem {
  job: LeasedJob;
  error: string;
  /** The hold follows a vendor answer (a credential error): it counts an attempt, like a retry. */
  answered?: boolean;
}

export interface ReleaseItem {
  job: LeasedJob;
  /** From now until the job is leasable again. */
  delayMs: number;
}

/** Everything one dispatched batch does to its jobs, applied by `settle` at once. */
export interface SettleBatch {
  acks?: readonly LeasedJob[];
  retries?: readonly RetryItem[];
  deadLetters?: readonly DeadLetterItem[];
  holds?: readonly HoldItem[];
  releases?: readonly ReleaseItem[];
  /** Certificates whose waiting jobs are parked as well (see `holdCertificate`). */
  holdCertificates?: readonly { certificateId: number; error: string }[];
}

/**
 * Writes what a settlement means in the database transaction `trx`. `settled`: the IDs of the jobs whose
 * settlement takes effect (SQL queue: those whose lease was still the caller's; Redis queue: every job of
 * the batch, since Redis is settled after the commit).
 */
export type SettleRecord = (trx: Kysely<Database>, settled: ReadonlySet<string>) => Promise<void>;

export interface SettleResult {
  /** Jobs this call settled. */
  settled: number;
  /** Jobs whose lease had passed to another worker (or that were already settled): left unchanged. */
  stale: string[];
}

export interface DeadFilter {
  /** Dead letters are per app: the console never sees another app's jobs. */
  sdkAppId: number;
  certificateId?: number;
}

export interface DeadPage {
  jobs: DeadJob[];
  /** Pass as `after` for the next page; absent on the last page. */
  next?: string;
}

export interface QueueStats {
  /** Leasable now (including jobs whose lease expired). */
  ready: number;
  /** Waiting for their next-attempt time. */
  delayed: number;
  /** Leased and not yet settled. */
  leased: number;
  /** Held because their certificate is paused. */
  held: number;
  dead: number;
  /** Enqueue time of the oldest leasable job: how far the dispatcher lags behind. */
  oldestReadyCreatedAt: number | null;
}

export interface PushQueue {
  readonly kind: 'sql' | 'redis';

  /** Adds the jobs; resolves once they are durable. Returns their IDs in the order of `tasks`. */
  enqueue(tasks: readonly PushTask[], opts?: EnqueueOptions): Promise<string[]>;

  /** Leases up to `max` jobs whose next-attempt time has come, for `visibilityMs`. */
  lease(max: number, visibilityMs: number, opts?: LeaseOptions): Promise<LeasedJob[]>;

  /**
   * Applies a dispatched batch's settlement and, with `record`, writes what it means in the same database
   * transaction (SQL queue) or in one committed just before (Redis queue, which has no database of its own
   * and refuses `record` when used without the outbox).
   */
  settle(batch: SettleBatch, record?: SettleRecord): Promise<SettleResult>;

  /** Makes the jobs still leased by `owner` leasable now; returns how many. */
  reclaimOwner(owner: string): Promise<number>;

  /** Done (sent, or finally rejected): the jobs leave the queue. */
  ack(jobs: readonly LeasedJob[]): Promise<SettleResult>;

  /** A failed attempt: counts it and schedules the next one. */
  retry(items: readonly RetryItem[]): Promise<SettleResult>;

  /** Gives the jobs back without counting an attempt (graceful stop, rate limit), after `delayMs`. */
  release(jobs: readonly LeasedJob[], delayMs?: number): Promise<SettleResult>;

  /** Gives up: counts the attempt and keeps the job as a dead letter for inspection and requeue. */
  deadLetter(items: readonly DeadLetterItem[]): Promise<SettleResult>;

  /**
   * Parks leased jobs of a paused certificate: they are not leased again until `resumeCertificate`. Held jobs
   * keep their attempt count (`settle` can count one for a hold that follows a vendor answer).
   */
  hold(jobs: readonly LeasedJob[], error: string): Promise<SettleResult>;

  /** Also parks the certificate's waiting (not leased) jobs; returns how many. A rare, table-wide update. */
  holdCertificate(certificateId: number, error: string): Promise<number>;

  /** Makes the certificate's held jobs leasable now; returns how many. */
  resumeCertificate(certificateId: number): Promise<number>;

  listDead(filter: DeadFilter, opts?: { limit?: number; after?: string }): Promise<DeadPage>;

  /** Puts dead jobs back with zero attempts (all of the filter's jobs, or just `ids`); returns how many. */
  requeueDead(filter: DeadFilter, ids?: readonly string[]): Promise<number>;

  /** Deletes dead jobs (all of the filter's jobs, or just `ids`); returns how many. */
  purgeDead(filter: DeadFilter, ids?: readonly string[]): Promise<number>;

  /** Counts, for the whole queue or one app. Reads every job row: for the console, not a hot loop. */
  stats(filter?: { sdkAppId?: number }): Promise<QueueStats>;

  close(): Promise<void>;
}

/**
 * A queue whose jobs can commit in the caller's database transaction, so that a message and its push jobs
 * commit together: the SQL queue, and the outbox in front of the Redis queue (outbox.ts).
 */
export interface TransactionalPushQueue extends PushQueue {
  enqueueWith(
    executor: Kysely<Database>,
    tasks: readonly PushTask[],
    opts?: EnqueueOptions,
  ): Promise<string[]>;
  /**
   * Enqueues the jobs already leased under `lease` (as if `lease` had just taken them), for the caller's
   * dispatcher to send right after the commit without a lease statement (dispatch/hand-off.ts). A crash
   * before they are settled leaves them leased by `lease.owner`: reclaimed like any lease of a dead node.
   * Queues whose jobs reach their store only after the commit (the Redis queue's outbox) lack it.
   */
  enqueueLeasedWith?(
    executor: Kysely<Database>,
    tasks: readonly PushTask[],
    opts: Omit<EnqueueOptions, 'delayMs'>,
    lease: InsertLease,
  ): Promise<LeasedJob[]>;
}

/** A lease taken by the insert of the jobs it covers (TransactionalPushQueue.enqueueLeasedWith). */
export interface InsertLease {
  /** The lease token the jobs are settled with. */
  token: string;
  /** The node taking the lease (see LeaseOptions.owner). */
  owner?: string;
  visibilityMs: number;
}
