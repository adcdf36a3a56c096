// What one dispatched certificate group does to its jobs, collected while its send runs and then committed at
// once with the record of every outcome (queue.settle + the dispatcher's `record`, one transaction).
import type { DeadLetterItem, HoldItem, LeasedJob, ReleaseItem, RetryItem } from '../queue/types.js';
import type { PushTask } from '../types.js';
import type { DispatchOutcome, OutcomeInfo } from './types.js';

export interface SettledEvent {
  job: LeasedJob;
  outcome: DispatchOutcome;
  info: OutcomeInfo;
}

export interface ThrottledPush {
  task: PushTask;
  /** Until it comes back. */
  delayMs: number;
}

export class Settlement {
  /** The outcome of each job this settlement decides, to record once the jobs are settled. */
  readonly events: SettledEvent[] = [];
  /** Pushes deferred by their certificate's rate limit. */
  readonly throttled: ThrottledPush[] = [];
  /** Certificates whose credential the vendor refused, with the vendor's code. */
  readonly credentialErrors = new Map<number, string>();
  readonly batch: {
    acks: LeasedJob[];
    retries: RetryItem[];
    deadLetters: DeadLetterItem[];
    holds: HoldItem[];
    releases: ReleaseItem[];
    holdCertificates: { certificateId: number; error: string }[];
  } = {
    acks: [],
    retries: [],
    deadLetters: [],
    holds: [],
    releases: [],
    holdCertificates: [],
  };

  ack(job: LeasedJob, outcome: DispatchOutcome): void {
    this.batch.acks.push(job);
    this.#event(job, outcome, 'done');
  }

  retry(job: LeasedJob, delayMs: number, error: string, outcome: DispatchOutcome): void {
    this.batch.retries.push({ job, delayMs, error });
    this.#event(job, outcome, 'retry', delayMs);
  }

  deadLetter(job: LeasedJob, error: string, lastAnswer: string | undefined, outcome: DispatchOutcome): void {
    this.batch.deadLetters.push(lastAnswer === undefined ? { job, error } : { job, error, lastAnswer });
    this.#event(job, outcome, 'dead-letter');
  }

  /** Parks the job; `answered` when a vendor answer (credential error) caused it: that counts an attempt. */
  hold(job: LeasedJob, error: string, outcome: DispatchOutcome, answered = false): void {
    this.batch.holds.push({ job, error, answered });
    this.#event(job, outcome, 'hold');
  }

  /** Back to the queue without counting an attempt (rate limit, unknown certificate state). */
  release(job: LeasedJob, delayMs: number): void {
    this.batch.releases.push({ job, delayMs });
  }

  throttle(job: LeasedJob, delayMs: number, waitMs: number): void {
    this.release(job, delayMs);
    this.throttled.push({ task: job.task, delayMs: waitMs });
  }

  /** The vendor refused the certificate: park its waiting jobs too, and pause it. */
  credentialError(certificateId: number, code: string): void {
    if (this.credentialErrors.has(certificateId)) return;
    this.credentialErrors.set(certificateId, code);
    this.batch.holdCertificates.push({ certificateId, error: code });
  }

  /**
   * Settles a job whose outcome is already recorded (a settlement replayed after a crash): the queue catches
   * up with the record, and nothing is recorded again.
   */
  replay(job: LeasedJob, stage: string, code: string | null, backoffMs: number): void {
    const error = code ?? stage;
    if (stage === 'retry') this.batch.retries.push({ job, delayMs: backoffMs, error });
    else if (stage === 'failed') this.batch.deadLetters.push({ job, error, lastAnswer: error });
    else if (stage === 'credential-error') this.batch.holds.push({ job, error, answered: true });
    else this.batch.acks.push(job);
  }

  /** The events of the jobs that were settled. */
  settledEvents(settled: ReadonlySet<string>): SettledEvent[] {
    return this.events.filter((e) => settled.has(e.job.id));
  }

  get empty(): boolean {
    const b = this.batch;
    return (
      b.acks.length +
        b.retries.length +
        b.deadLetters.length +
        b.holds.length +
        b.releases.length +
        b.holdCertificates.length ===
      0
    );
  }

  #event(job: LeasedJob, outcome: DispatchOutcome, action: OutcomeInfo['action'], delayMs?: number): void {
    const info: OutcomeInfo = { jobId: job.id, attempt: job.attempts + 1, action };
    if (delayMs !== undefined) info.delayMs = delayMs;
    this.events.push({ job, outcome, info });
  }
}
