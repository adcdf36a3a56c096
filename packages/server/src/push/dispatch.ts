// Dispatch: leases push jobs in batches, groups them by certificate, sends each group through its channel and
// settles every job by its outcome — done, retried with exponential backoff and jitter (honouring the vendor's
// Retry-After), dead-lettered after the last attempt, or held while its certificate is paused.

import { Settlement } from './dispatch-settlement.js';
import type { LeasedJob, PushQueue } from './queue/types.js';
import { type RateLimit, type SendBudgets, TokenBuckets } from './token-bucket.js';
import type { PushOutcome, PushTask } from './types.js';

export type CertificateState = 'active' | 'paused' | 'missing';

/** How long wake() lets new jobs gather before an idle worker leases them. */
const WAKE_AFTER_MS = 5;

/** What dispatch needs from the channels: one send per certificate, and whether a certificate may send. */
export interface ChannelRegistry {
  /** One outcome per task, in order. The tasks all belong to `certificateId`. */
  send(certificateId: number, tasks: PushTask[]): Promise<PushOutcome[]>;
  /** Called once per certificate and batch; may cache. */
  certificateStatus(certificateId: number): Promise<CertificateState>;
}

/** A channel's outcome, or what dispatch decided without sending. */
export type DispatchOutcome =
  | PushOutcome
  | { kind: 'expired' } // notAfter passed before it could go
  | { kind: 'call-ended' } // a ringing push whose invitation ended before it could go
  | { kind: 'no-certificate' } // the certificate was deleted
  | { kind: 'certificate-paused' }; // held without sending

export interface OutcomeInfo {
  jobId: string;
  /** 1 for the first send attempt. */
  attempt: number;
  /** What happened to the job. */
  action: 'done' | 'retry' | 'dead-letter' | 'hold';
  /** For `retry`: when the job comes back. */
  delayMs?: number;
}

export interface DispatcherOptions {
  queue: PushQueue;
  channels: ChannelRegistry;
  /** Jobs per lease (default 1000). */
  batchSize?: number;
  /** How long a leased batch stays invisible to other workers; must exceed the slowest send (default 60 s). */
  visibilityMs?: number;
  /** Batches in flight at once (default 2). */
  concurrency?: number;
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
  /** Jobs deferred by the rate limit (released without counting an attempt), and for how long. */
  onThrottled?: (tasks: PushTask[], delayMs: number) => void;
  /** Every settled job, for traces and statistics. */
  onOutcome?: (task: PushTask, outcome: DispatchOutcome, info: OutcomeInfo) => void;
  /** The vendor says the token is gone: remove the binding. */
  onInvalidToken?: (task: PushTask, code: string) => void | Promise<void>;
  /** The vendor refused the credential: pause the certificate (its jobs are already held). */
  onCredentialError?: (certificateId: number, code: string) => void | Promise<void>;
  /** For ringing pushes (PushTask.ringsFor): has the invitation ended for that invitee? */
  callEnded?: (sdkAppId: number, ring: { inviteId: string; userId: string }) => Promise<boolean>;
  onError?: (err: unknown, context: string) => void;
  now?: () => number;
  random?: () => number;
}

export class Dispatcher {
  readonly #o: Required<
    Omit<
      DispatcherOptions,
      | 'rateLimit'
      | 'buckets'
      | 'onThrottled'
      | 'callEnded'
      | 'onOutcome'
      | 'onInvalidToken'
      | 'onCredentialError'
    >
  > &
    DispatcherOptions;
  readonly #buckets: SendBudgets;
  #running = false;
  #workers: Promise<void>[] = [];
  readonly #sleepers = new Set<() => void>();
  #wakeTimer: NodeJS.Timeout | undefined;

  constructor(opts: DispatcherOptions) {
    this.#o = {
      batchSize: 1000,
      visibilityMs: 60_000,
      concurrency: 2,
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
  }

  /**
   * New jobs were committed: one idle worker polls within WAKE_AFTER_MS rather than at the end of its idle
   * pause. The short delay lets a burst of sends share one lease instead of one lease per job.
   */
  wake(): void {
    if (this.#wakeTimer || this.#sleepers.size === 0) return;
    this.#wakeTimer = setTimeout(() => {
      this.#wakeTimer = undefined;
      this.#sleepers.values().next().value?.();
    }, WAKE_AFTER_MS);
    this.#wakeTimer.unref();
  }

  /** Leases one batch and dispatches it; returns how many jobs it handled (0 = queue empty). */
  async runOnce(): Promise<number> {
    const jobs = await this.#o.queue.lease(this.#o.batchSize, this.#o.visibilityMs);
    if (jobs.length === 0) return 0;
    const byCertificate = new Map<number, LeasedJob[]>();
    for (const job of jobs) {
      const group = byCertificate.get(job.task.certificateId);
      if (group) group.push(job);
      else byCertificate.set(job.task.certificateId, [job]);
    }
    // Each certificate's jobs are settled as soon as its send returns: a slow vendor delays only its own.
    await Promise.all(
      [...byCertificate].map(async ([certificateId, group]) => {
        const settlement = new Settlement(this.#o.queue);
        const code = await this.#dispatchGroup(certificateId, group, settlement);
        await settlement.apply((context, err) => this.#o.onError(err, context));
        if (code !== undefined) {
          // Park the certificate's waiting jobs too, then let the owner pause it where the console shows it.
          await this.#callback('holding a certificate', async () => {
            await this.#o.queue.holdCertificate(certificateId, code);
          });
          await this.#callback('onCredentialError', () => this.#o.onCredentialError?.(certificateId, code));
        }
        for (const e of settlement.events) {
          try {
            this.#o.onOutcome?.(e.job.task, e.outcome, e.info);
          } catch (err) {
            this.#o.onError(err, 'onOutcome');
          }
        }
      }),
    );
    return jobs.length;
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

  /** Returns the credential-error code when the vendor refused the certificate. */
  async #dispatchGroup(
    certificateId: number,
    group: LeasedJob[],
    s: Settlement,
  ): Promise<string | undefined> {
    const now = this.#o.now();
    const live: LeasedJob[] = [];
    for (const job of group) {
      if (job.task.notAfter !== undefined && job.task.notAfter <= now) s.ack(job, { kind: 'expired' });
      else if (job.task.ringsFor && (await this.#callEnded(job.task))) s.ack(job, { kind: 'call-ended' });
      else live.push(job);
    }
    if (live.length === 0) return undefined;

    let state: CertificateState;
    try {
      state = await this.#o.channels.certificateStatus(certificateId);
    } catch (err) {
      this.#o.onError(err, `reading the status of certificate ${certificateId}`);
      for (const job of live) s.release(job, this.#o.backoffBaseMs);
      return undefined;
    }
    if (state === 'missing') {
      for (const job of live) s.deadLetter(job, 'no-certificate', undefined, { kind: 'no-certificate' });
      return undefined;
    }
    if (state === 'paused') {
      for (const job of live) s.hold(job, 'certificate paused', { kind: 'certificate-paused' });
      return undefined;
    }

    let batch = live;
    let limit: RateLimit | undefined;
    try {
      limit = await this.#o.rateLimit?.(certificateId);
    } catch (err) {
      this.#o.onError(err, `reading the rate limit of certificate ${certificateId}`);
      for (const job of live) s.release(job, this.#o.backoffBaseMs);
      return undefined;
    }
    if (limit) {
      const { granted, waitMs } = await this.#buckets.take(certificateId, live.length, limit);
      const deferred = live.slice(granted);
      // Back in bursts, each when the bucket can take it, instead of all at once to be deferred again.
      const burst = Math.max(1, limit.burst ?? limit.perSecond);
      for (const [i, job] of deferred.entries()) {
        s.release(job, waitMs + Math.ceil((Math.floor(i / burst) * burst * 1000) / limit.perSecond));
      }
      if (deferred.length > 0) {
        try {
          this.#o.onThrottled?.(
            deferred.map((j) => j.task),
            waitMs,
          );
        } catch (err) {
          this.#o.onError(err, 'onThrottled');
        }
      }
      batch = live.slice(0, granted);
      if (batch.length === 0) return undefined;
    }

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

    let credentialCode: string | undefined;
    for (const [i, job] of batch.entries()) {
      const outcome = outcomes[i]!;
      switch (outcome.kind) {
        case 'sent':
        case 'rejected':
          s.ack(job, outcome);
          break;
        case 'invalid-token':
          s.ack(job, outcome);
          await this.#callback('onInvalidToken', () => this.#o.onInvalidToken?.(job.task, outcome.code));
          break;
        case 'credential-error':
          s.hold(job, outcome.code, outcome);
          credentialCode ??= outcome.code;
          break;
        case 'retry':
          this.#retry(job, outcome, s, now);
          break;
      }
    }
    return credentialCode;
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

  async #callback(name: string, call: () => void | Promise<void>): Promise<void> {
    try {
      await call();
    } catch (err) {
      this.#o.onError(err, name);
    }
  }

  async #work(): Promise<void> {
    while (this.#running) {
      let handled = 0;
      try {
        handled = await this.runOnce();
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
