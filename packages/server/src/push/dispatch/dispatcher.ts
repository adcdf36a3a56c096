// Dispatch: leases push jobs in batches, groups them by certificate, sends each group through its channel and
// settles every job by its outcome — done, retried with exponential backoff and jitter (honouring the vendor's
// Retry-After), dead-lettered after the last attempt, or held while its certificate is paused.
//
// A group's settlement is ONE commit (docs/delivery.md "Settlement"): the queue changes and, through
// `record`, everything the outcomes imply (trace stages, counters, webhook events, binding removals, the
// certificate pause) are written in the same database transaction. A crash before that commit leaves the jobs
// leased and unrecorded — they are sent again (the bounded duplicates of at-least-once delivery); a crash
// after it leaves nothing to redo. The after-commit callbacks (onOutcome...) only feed memory: metrics, tests.

import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { laneOf, type QueueLane } from '../queue/lanes.js';
import type { InsertLease, LeasedJob, PushQueue } from '../queue/types.js';
import type { PushOutcome, PushTask } from '../types.js';
import { DeviceOrder, type DeviceTurn } from './device-order.js';
import { HandOffs } from './hand-off.js';
import { type SettledEvent, Settlement } from './settlement.js';
import { type RateLimit, type SendBudgets, TokenBuckets } from './token-bucket.js';
import type {
  CertificateState,
  DispatchChannels,
  DispatchOutcome,
  OutcomeInfo,
  RecordedAnswer,
} from './types.js';

/** How long wake() lets new jobs gather before an idle worker leases them. */
const WAKE_AFTER_MS = 5;

export interface DispatcherOptions {
  queue: PushQueue;
  channels: DispatchChannels;
  /** This node's ID: leases carry it so that its successor or the surviving nodes can reclaim them. */
  owner?: string;
  /** Jobs per lease (default 500, as `pushBatchSize`). */
  batchSize?: number;
  /** How long a leased batch stays invisible to other workers; must exceed the slowest send (default 60 s). */
  visibilityMs?: number;
  /** Batches in flight at once (default 4). */
  concurrency?: number;
  /**
   * Batches in flight that may carry one certificate's jobs of one lane (default: half of `concurrency`, at
   * least 1): its broadcasts (push tasks) and its other pushes (chat, calls, badges...) have a share each
   * (see `shareOf`). The other batches lease only other certificates' jobs of that lane, so that a large
   * fan-out, or a slow vendor, never holds every batch while other certificates' pushes wait behind it in the
   * queue; and an app's chat pushes, handed off with their message or leased from the direct lane, go out
   * beside its own broadcast.
   */
  perCertificate?: number;
  /** Send attempts before a job becomes a dead letter (default 8). */
  maxAttempts?: number;
  /** First retry delay; doubles per attempt, with jitter (default 2 s). */
  backoffBaseMs?: number;
  /** Longest retry delay from backoff (a vendor's Retry-After may ask for longer) (default 5 min). */
  backoffMaxMs?: number;
  /** Pause between polls of an empty queue (default 200 ms). */
  idleMs?: number;
  /** Vendor quota per certificate; undefined = unlimited. */
  rateLimit?: (certificateId: number) => RateLimit | undefined | Promise<RateLimit | undefined>;
  /** Where the budgets of `rateLimit` live: this node's memory by default, Redis with several nodes. */
  buckets?: SendBudgets;
  /**
   * Writes what the settled jobs' outcomes mean, in the transaction that settles them (see the file comment).
   * `events` are the jobs actually settled by this call (not those whose lease passed to another worker).
   */
  record?: (trx: Kysely<Database>, events: SettledEvent[], settlement: Settlement) => Promise<void>;
  /**
   * The recorded answer of re-leased jobs (the Redis queue settles after the database commit, so a crash in
   * between brings back a job whose outcome is already recorded): keyed by job ID, for the jobs whose answer
   * to their current attempt is recorded. Such jobs are settled as recorded, without sending.
   */
  recordedAnswers?: (jobs: LeasedJob[]) => Promise<Map<string, RecordedAnswer>>;
  /** After the commit of a settlement (`record` written). */
  onCommitted?: (settlement: Settlement, events: SettledEvent[]) => void;
  /** After the commit: jobs deferred by the rate limit (released without counting an attempt). */
  onThrottled?: (tasks: PushTask[], delayMs: number) => void;
  /** After the commit: every settled job. */
  onOutcome?: (task: PushTask, outcome: DispatchOutcome, info: OutcomeInfo) => void;
  /** After the commit: a settled job whose token the vendor declared gone. */
  onInvalidToken?: (task: PushTask, code: string) => void | Promise<void>;
  /** After the commit: the vendor refused a certificate's credential (its jobs are held). */
  onCredentialError?: (certificateId: number, code: string) => void | Promise<void>;
  /** For ringing pushes (PushTask.ringsFor): has the invitation ended for that invitee? */
  callEnded?: (sdkAppId: number, ring: { inviteId: string; userId: string }) => Promise<boolean>;
  /** For chat pushes (PushTask.recallable): was each one's message recalled (answers in the same order)? */
  recalled?: (sdkAppId: number, refs: { msgKey: string; userId: string }[]) => Promise<boolean[]>;
  onError?: (err: unknown, context: string) => void;
  now?: () => number;
  random?: () => number;
}

type Callbacks =
  | 'owner'
  | 'rateLimit'
  | 'buckets'
  | 'record'
  | 'recordedAnswers'
  | 'onCommitted'
  | 'onThrottled'
  | 'callEnded'
  | 'recalled'
  | 'onOutcome'
  | 'onInvalidToken'
  | 'onCredentialError';

export class Dispatcher {
  readonly #o: Required<Omit<DispatcherOptions, Callbacks>> & DispatcherOptions;
  readonly #buckets: SendBudgets;
  #running = false;
  #workers: Promise<void>[] = [];
  readonly #sleepers = new Set<() => void>();
  #wakeTimer: NodeJS.Timeout | undefined;
  /** Batches in flight that carry each share's jobs (`shareOf`). */
  readonly #inFlight = new Map<string, number>();
  #leasing: Promise<void> = Promise.resolve();
  /**
   * Until when (performance.now()) the queue is taken to hold nothing due: a lease found nothing, and nothing was
   * committed since (wake() clears it). See #leaseDue.
   */
  #nothingDueUntil = 0;
  /** Counts wake() calls, so that a lease that overlapped one does not conclude that nothing is due. */
  #wakes = 0;
  /** Jobs inserted leased to this dispatcher and committed, for the next batch to take (hand-off.ts). */
  readonly #handOffs = new HandOffs();
  /** A batch is to be woken for hand-offs at the end of this turn. */
  #handOffWake = false;
  /** Each device's pushes go to its vendor in lease order (device-order.ts). */
  readonly #deviceOrder = new DeviceOrder();

  constructor(opts: DispatcherOptions) {
    this.#o = {
      batchSize: 500,
      visibilityMs: 60_000,
      concurrency: 4,
      perCertificate: Math.max(1, Math.ceil((opts.concurrency ?? 4) / 2)),
      maxAttempts: 8,
      backoffBaseMs: 2_000,
      backoffMaxMs: 300_000,
      idleMs: 200,
      onError: () => {},
      now: Date.now,
      random: Math.random,
      ...opts,
    };
    this.#buckets = opts.buckets ?? new TokenBuckets(this.#o.now);
  }

  get running(): boolean {
    return this.#running;
  }

  /** Starts the worker loops. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#workers = Array.from({ length: Math.max(1, this.#o.concurrency) }, () => this.#work());
  }

  /** Stops leasing; resolves once the batches in flight are sent and settled. */
  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#wakeTimer);
    this.#wakeTimer = undefined;
    for (const wake of this.#sleepers) wake();
    await Promise.all(this.#workers);
    this.#workers = [];
    await this.#giveBack(this.#handOffs.take(this.#handOffs.size));
  }

  /**
   * A lease for jobs about to be inserted in a transaction (queue.enqueueLeasedWith) that this dispatcher
   * sends as soon as it can once they are committed: the jobs fit one batch with those already handed off.
   * Otherwise undefined: enqueue the jobs plainly and wake() the dispatcher. See hand-off.ts. They go with
   * the next batch to start — an idle one at once, else the next to finish — before anything the queue holds,
   * once their certificate's share for such pushes has room (handed-off jobs are a message's, a read's or a
   * badge's pushes, never a push task's): a chat push never waits behind a broadcast's backlog in the queue.
   */
  handOffLease(count: number): InsertLease | undefined {
    if (!this.#running) return undefined;
    if (this.#handOffs.size + count > this.#o.batchSize) return undefined;
    return {
      token: this.#handOffs.token,
      ...(this.#o.owner ? { owner: this.#o.owner } : {}),
      visibilityMs: this.#o.visibilityMs,
    };
  }

  /**
   * The committed jobs of a handOffLease: the next batch takes them without a lease. Jobs handed off in one
   * turn of the event loop (the sends of one group commit) go out together.
   */
  handOff(jobs: readonly LeasedJob[]): void {
    if (jobs.length === 0) return;
    if (!this.#running) {
      void this.#giveBack(jobs);
      return;
    }
    this.#handOffs.add(jobs);
    // One wake-up per turn, after the turn's hand-offs have all arrived (jobs may be waiting already, for a
    // certificate whose share is full: these new ones may be another's).
    if (this.#handOffWake) return;
    this.#handOffWake = true;
    setImmediate(() => {
      this.#handOffWake = false;
      this.#wakeOne();
    });
  }

  /** Handed-off jobs no batch will take (the dispatcher stopped): leasable again at once. */
  async #giveBack(jobs: readonly LeasedJob[]): Promise<void> {
    if (jobs.length === 0) return;
    try {
      await this.#o.queue.release(jobs);
    } catch (err) {
      // Still leased by this node: reclaimed at its next start, or by the other nodes when it is gone.
      this.#o.onError(err, `giving back ${jobs.length} handed-off jobs`);
    }
  }

  /**
   * New jobs were committed: one idle worker polls within WAKE_AFTER_MS rather than at the end of its idle
   * pause. The short delay lets a burst of sends share one lease instead of one lease per job; `now` skips it.
   */
  wake(opts: { now?: boolean } = {}): void {
    this.#wakes++;
    this.#nothingDueUntil = 0;
    if (opts.now) {
      // The first jobs of a fan-out: no gathering, an idle worker leases them on the next turn.
      this.#wakeOne();
      return;
    }
    if (this.#wakeTimer || this.#sleepers.size === 0) return;
    this.#wakeTimer = setTimeout(() => {
      this.#wakeTimer = undefined;
      this.#wakeOne();
    }, WAKE_AFTER_MS);
    this.#wakeTimer.unref();
  }

  /** Ends the idle pause of one sleeping batch, if any. */
  #wakeOne(): void {
    this.#sleepers.values().next().value?.();
  }

  /**
   * Leases one batch and dispatches it; returns how many jobs it handled (0 = nothing due that this batch may
   * take). Certificates that already fill their share of the batches in flight are left to them.
   */
  runOnce(): Promise<number> {
    return this.#runOnce(true);
  }

  /** runOnce; `lookAnyway`: lease even when a lease just found nothing and nothing was committed since. */
  async #runOnce(lookAnyway: boolean): Promise<number> {
    const { leased, byCertificate, shares, turns } = await this.#leaseInTurn(lookAnyway);
    if (leased.length === 0) return 0;
    const held = new Set(byCertificate.keys());
    const leave = (id: number) => {
      if (held.delete(id)) {
        this.#leaveShares(shares.get(id) ?? []);
        turns.get(id)?.done();
      }
    };
    try {
      const toSend = new Set(await this.#replayRecorded(leased));
      // Each certificate's jobs are settled as soon as its send returns: a slow vendor delays only its own.
      await Promise.all(
        [...byCertificate].map(async ([certificateId, group]) => {
          const settlement = new Settlement();
          try {
            await this.#dispatchGroup(
              certificateId,
              group.filter((j) => toSend.has(j)),
              settlement,
              turns.get(certificateId),
            );
          } finally {
            // The certificate's share counts requests to its vendor: free once they are answered, while the
            // settlement waits for its commit (on SQLite, the next group commit) — else the next message's
            // pushes could not be handed off meanwhile and would wait for a lease.
            leave(certificateId);
          }
          await this.#commit(settlement);
        }),
      );
    } finally {
      for (const id of [...held]) leave(id);
    }
    return leased.length;
  }

  /**
   * One lease at a time, its certificates counted in flight before the next lease picks what to exclude:
   * batches starting together would otherwise all see no certificate busy.
   */
  #leaseInTurn(lookAnyway: boolean): Promise<{
    leased: LeasedJob[];
    byCertificate: Map<number, LeasedJob[]>;
    /** The shares each certificate's group counts against (one or both of its two). */
    shares: Map<number, string[]>;
    /** Each certificate's group's turn for its devices, claimed in lease order. */
    turns: Map<number, DeviceTurn>;
  }> {
    const turn = this.#leasing.then(async () => {
      // A certificate whose share of a lane is full is left out of that lane (the queue keeps the two apart,
      // queue/lanes.ts): its chat pushes are still leased while its broadcast fills its share.
      const busy: { [lane in QueueLane]: number[] } = { direct: [], broadcast: [] };
      for (const [share, n] of this.#inFlight) {
        if (n < this.#o.perCertificate) continue;
        const { certificateId, lane } = shareParts(share);
        busy[lane].push(certificateId);
      }
      // Handed-off jobs first, those whose certificate's share for them has room.
      const handed =
        this.#handOffs.size > 0
          ? this.#handOffs.take(
              this.#o.batchSize,
              (job) => (this.#inFlight.get(shareOf(job.task)) ?? 0) < this.#o.perCertificate,
            )
          : [];
      const leased = handed.length > 0 ? handed : await this.#leaseDue(busy, lookAnyway);
      const byCertificate = new Map<number, LeasedJob[]>();
      for (const job of leased) {
        const group = byCertificate.get(job.task.certificateId);
        if (group) group.push(job);
        else byCertificate.set(job.task.certificateId, [job]);
      }
      const shares = new Map<number, string[]>();
      const turns = new Map<number, DeviceTurn>();
      for (const [id, group] of byCertificate) {
        const counted = [...new Set(group.map((j) => shareOf(j.task)))];
        for (const share of counted) this.#inFlight.set(share, (this.#inFlight.get(share) ?? 0) + 1);
        shares.set(id, counted);
        turns.set(id, this.#deviceOrder.claim(group.map((j) => j.task.token)));
      }
      return { leased, byCertificate, shares, turns };
    });
    this.#leasing = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  /**
   * The queue's due jobs — unless a lease found none less than idleMs ago and no job was committed since.
   * Under a stream of chat messages every batch takes jobs handed off with their insert (hand-off.ts), and
   * the lease each batch tried when it finished found nothing: at 1,000 sends/s ~390 looks a second into the
   * due index, 37 µs each on the main thread (bench/README.md "What limits it", 2026-12-06 sixth session).
   * Jobs committed by this node wake() the dispatcher, which lifts this at once; what becomes due with time
   * alone (a retry's backoff, an expired lease) or is queued by another process waits at most idleMs, as it
   * does for an idle dispatcher. Only with the SQL queue (see below). Timed with the monotonic clock, not
   * `now` (a test's clock may stand still). Only the worker loops skip a look; runOnce() called directly
   * always looks.
   */
  async #leaseDue(busy: { [lane in QueueLane]: number[] }, lookAnyway: boolean): Promise<LeasedJob[]> {
    const started = performance.now();
    if (!lookAnyway && started < this.#nothingDueUntil) return [];
    const wakes = this.#wakes;
    const leased = await this.#o.queue.lease(this.#o.batchSize, this.#o.visibilityMs, {
      ...(this.#o.owner ? { owner: this.#o.owner } : {}),
      ...(busy.direct.length + busy.broadcast.length > 0 ? { excludeLanes: busy } : {}),
    });
    // Certificates left out may have due jobs (their batch's end wakes the dispatcher); and jobs committed
    // while the lease ran may not have been visible to it. With Redis, committed jobs reach the queue later,
    // through the outbox's relay, which does not wake the dispatcher: every batch's end keeps looking there.
    if (
      leased.length === 0 &&
      busy.direct.length + busy.broadcast.length === 0 &&
      wakes === this.#wakes &&
      this.#o.queue.kind === 'sql'
    ) {
      this.#nothingDueUntil = started + this.#o.idleMs;
    }
    return leased;
  }

  #leaveShares(shares: readonly string[]): void {
    let freed = false;
    for (const share of shares) {
      const n = (this.#inFlight.get(share) ?? 1) - 1;
      if (n > 0) this.#inFlight.set(share, n);
      else this.#inFlight.delete(share);
      if (n + 1 >= this.#o.perCertificate) freed = true;
    }
    // A batch that found only busy certificates' jobs may be sleeping: their share is free again.
    // Nothing was committed: a lease that found nothing due with no certificate left out still stands.
    if (freed) this.#wakeOne();
  }

  /**
   * Jobs leased before (a retry, a release, or a lease lost in a crash) whose current attempt already has a
   * recorded answer are settled as recorded; returns the others, to send.
   */
  async #replayRecorded(jobs: LeasedJob[]): Promise<LeasedJob[]> {
    const again = jobs.filter((j) => j.leaseCount > 1);
    if (again.length === 0 || !this.#o.recordedAnswers) return jobs;
    let recorded: Map<string, RecordedAnswer>;
    try {
      recorded = await this.#o.recordedAnswers(again);
    } catch (err) {
      this.#o.onError(err, 'reading the recorded answers of re-leased jobs');
      return jobs;
    }
    if (recorded.size === 0) return jobs;
    const replay = new Settlement();
    for (const job of again) {
      const answer = recorded.get(job.id);
      if (answer) replay.replay(job, answer.stage, answer.code, this.backoffMs(job.attempts + 1));
    }
    await this.#commit(replay);
    return jobs.filter((j) => !recorded.has(j.id));
  }

  /** One commit: the queue changes and their record; then the in-memory callbacks. */
  async #commit(s: Settlement): Promise<void> {
    if (s.empty) return;
    const record = this.#o.record;
    let settled: SettledEvent[] = [];
    try {
      const result = await this.#o.queue.settle(s.batch, async (trx, ids) => {
        settled = s.settledEvents(ids);
        await record?.(trx, settled, s);
      });
      if (!record) settled = s.events.filter((e) => !result.stale.includes(e.job.id));
      if (result.stale.length > 0)
        this.#o.onError(
          new Error('stale lease'),
          `settling: ${result.stale.length} jobs had been leased again elsewhere`,
        );
    } catch (err) {
      // Nothing of it was written: the jobs come back when their lease expires (or is reclaimed).
      this.#o.onError(err, 'settling dispatched jobs');
      return;
    }
    this.#afterCommit(s, settled);
  }

  #afterCommit(s: Settlement, settled: SettledEvent[]): void {
    const call = (name: string, fn: () => unknown) => {
      try {
        const r = fn();
        if (r instanceof Promise) r.catch((err: unknown) => this.#o.onError(err, name));
      } catch (err) {
        this.#o.onError(err, name);
      }
    };
    call('onCommitted', () => this.#o.onCommitted?.(s, settled));
    for (const [delay, tasks] of groupThrottled(s))
      call('onThrottled', () => this.#o.onThrottled?.(tasks, delay));
    for (const e of settled) {
      call('onOutcome', () => this.#o.onOutcome?.(e.job.task, e.outcome, e.info));
      if (e.outcome.kind === 'invalid-token') {
        const code = e.outcome.code;
        call('onInvalidToken', () => this.#o.onInvalidToken?.(e.job.task, code));
      }
    }
    for (const [certificateId, code] of s.credentialErrors)
      call('onCredentialError', () => this.#o.onCredentialError?.(certificateId, code));
  }

  /** A ringing push whose invitation ended; when the answer cannot be read, it rings (a late ring is
   *  cleared by the follow-up; a lost one is not recoverable). */
  async #callEnded(task: PushTask): Promise<boolean> {
    if (!task.ringsFor || !this.#o.callEnded) return false;
    try {
      return await this.#o.callEnded(task.sdkAppId, task.ringsFor);
    } catch (err) {
      this.#o.onError(err, `reading the state of call invitation ${task.ringsFor.inviteId}`);
      return false;
    }
  }

  /** The group's chat pushes whose message was recalled (one query per group); when unreadable, none. */
  async #recalled(group: LeasedJob[]): Promise<Set<LeasedJob>> {
    const recallable = group.filter((j) => j.task.recallable);
    if (recallable.length === 0 || !this.#o.recalled) return new Set();
    try {
      const answers = await this.#o.recalled(
        recallable[0]!.task.sdkAppId,
        recallable.map((j) => j.task.recallable!),
      );
      return new Set(recallable.filter((_, i) => answers[i]));
    } catch (err) {
      this.#o.onError(err, 'reading which messages were recalled');
      return new Set();
    }
  }

  /** `turn`: the group's pushes to devices of batches leased before it go once those are answered. */
  async #dispatchGroup(
    certificateId: number,
    group: LeasedJob[],
    s: Settlement,
    turn?: DeviceTurn,
  ): Promise<void> {
    const earlier = turn?.earlier;
    if (earlier) {
      const waiting = turn.waiting;
      // The pushes to the waiting devices are decided after the wait: one that expires or is recalled
      // meanwhile is not sent.
      await Promise.all([
        this.#dispatchGroup(
          certificateId,
          group.filter((j) => !waiting.has(j.task.token)),
          s,
        ),
        earlier.then(() =>
          this.#dispatchGroup(
            certificateId,
            group.filter((j) => waiting.has(j.task.token)),
            s,
          ),
        ),
      ]);
      return;
    }
    if (group.length === 0) return;
    const now = this.#o.now();
    const live: LeasedJob[] = [];
    const recalled = await this.#recalled(group);
    for (const job of group) {
      if (job.task.notAfter !== undefined && job.task.notAfter <= now) s.ack(job, { kind: 'expired' });
      else if (job.task.ringsFor && (await this.#callEnded(job.task))) s.ack(job, { kind: 'call-ended' });
      else if (recalled.has(job)) s.ack(job, { kind: 'recalled' });
      else live.push(job);
    }
    if (live.length === 0) return;

    let state: CertificateState;
    try {
      state = await this.#o.channels.certificateStatus(certificateId);
    } catch (err) {
      this.#o.onError(err, `reading the status of certificate ${certificateId}`);
      for (const job of live) s.release(job, this.#o.backoffBaseMs);
      return;
    }
    if (state === 'missing') {
      for (const job of live) s.deadLetter(job, 'no-certificate', undefined, { kind: 'no-certificate' });
      return;
    }
    if (state === 'paused') {
      for (const job of live) s.hold(job, 'certificate paused', { kind: 'certificate-paused' });
      return;
    }
    if (state === 'discarding') {
      for (const job of live) s.ack(job, { kind: 'certificate-discarded' });
      return;
    }

    const batch = await this.#withinRateLimit(certificateId, live, s);
    if (batch.length === 0) return;

    let outcomes: PushOutcome[];
    try {
      outcomes = await this.#o.channels.send(
        certificateId,
        batch.map((j) => j.task),
      );
      if (outcomes.length !== batch.length)
        throw new Error(`channel answered ${outcomes.length} outcomes for ${batch.length} tasks`);
    } catch (err) {
      this.#o.onError(err, `sending ${batch.length} pushes of certificate ${certificateId}`);
      outcomes = batch.map(() => ({ kind: 'retry', code: 'send-failed' }));
    }

    for (const [i, job] of batch.entries()) {
      const outcome = outcomes[i]!;
      switch (outcome.kind) {
        case 'sent':
        case 'rejected':
        case 'invalid-token':
          s.ack(job, outcome);
          break;
        case 'credential-error':
          s.hold(job, outcome.code, outcome, true);
          s.credentialError(certificateId, outcome.code);
          break;
        case 'retry':
          this.#retry(job, outcome, s, now);
          break;
      }
    }
  }

  /** The jobs the certificate's budget lets go now; the others come back in bursts when it can take them. */
  async #withinRateLimit(certificateId: number, live: LeasedJob[], s: Settlement): Promise<LeasedJob[]> {
    let limit: RateLimit | undefined;
    try {
      limit = await this.#o.rateLimit?.(certificateId);
    } catch (err) {
      this.#o.onError(err, `reading the rate limit of certificate ${certificateId}`);
      for (const job of live) s.release(job, this.#o.backoffBaseMs);
      return [];
    }
    if (!limit) return live;
    const { granted, waitMs } = await this.#buckets.take(certificateId, live.length, limit);
    // Back in bursts, each when the bucket can take it, instead of all at once to be deferred again.
    const burst = Math.max(1, limit.burst ?? limit.perSecond);
    for (const [i, job] of live.slice(granted).entries()) {
      s.throttle(job, waitMs + Math.ceil((Math.floor(i / burst) * burst * 1000) / limit.perSecond), waitMs);
    }
    return live.slice(0, granted);
  }

  #retry(job: LeasedJob, outcome: Extract<PushOutcome, { kind: 'retry' }>, s: Settlement, now: number): void {
    const attempt = job.attempts + 1;
    if (attempt >= this.#o.maxAttempts) {
      s.deadLetter(job, `gave up after ${attempt} attempts`, outcome.code, outcome);
      return;
    }
    const delayMs = Math.max(this.backoffMs(attempt), outcome.afterMs ?? 0);
    if (job.task.notAfter !== undefined && now + delayMs > job.task.notAfter) s.ack(job, { kind: 'expired' });
    else s.retry(job, delayMs, outcome.code, outcome);
  }

  /** Delay after the `attempt`-th failure: base·2^(attempt-1), capped, half of it random ("equal jitter"). */
  backoffMs(attempt: number): number {
    const exp = Math.min(this.#o.backoffMaxMs, this.#o.backoffBaseMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(exp / 2 + (this.#o.random() * exp) / 2);
  }

  async #work(): Promise<void> {
    while (this.#running) {
      let handled = 0;
      try {
        handled = await this.#runOnce(false);
      } catch (err) {
        this.#o.onError(err, 'dispatching a batch');
      }
      if (handled === 0 && this.#running) await this.#sleep(this.#o.idleMs);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#sleepers.add(wake);
    });
  }
}

/**
 * The share of the batches in flight that a certificate's jobs count against: one per lane of the queue
 * (queue/lanes.ts) — its broadcasts (push tasks: all-member, tag, attribute, list pushes and large groups'
 * fan-outs) have one, its other pushes (chat, calls, badges, retractions) another. A broadcast of a million
 * devices thus fills only its own share, and a chat push of the same app is handed off, or leased, to one of
 * the other batches at once instead of waiting behind the broadcast (docs/delivery.md "A fair share for every
 * certificate").
 */
function shareOf(task: PushTask): string {
  return `${task.certificateId}:${laneOf(task)}`;
}

function shareParts(share: string): { certificateId: number; lane: QueueLane } {
  const colon = share.indexOf(':');
  return { certificateId: Number(share.slice(0, colon)), lane: share.slice(colon + 1) as QueueLane };
}

/** Throttled pushes by the wait their certificate's budget announced. */
function groupThrottled(s: Settlement): Map<number, PushTask[]> {
  const byDelay = new Map<number, PushTask[]>();
  for (const t of s.throttled) {
    const list = byDelay.get(t.delayMs);
    if (list) list.push(t.task);
    else byDelay.set(t.delayMs, [t.task]);
  }
  return byDelay;
}
