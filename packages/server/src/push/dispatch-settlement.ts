// What one dispatched batch does to its jobs, collected while the sends run and written to the queue in a
// few bulk calls afterwards.
import type { DispatchOutcome, OutcomeInfo } from './dispatch.js';
import type { DeadLetterItem, LeasedJob, PushQueue, RetryItem, SettleResult } from './queue/types.js';

export interface SettledEvent {
  job: LeasedJob;
  outcome: DispatchOutcome;
  info: OutcomeInfo;
}

export class Settlement {
  readonly events: SettledEvent[] = [];
  readonly #acks: LeasedJob[] = [];
  readonly #retries: RetryItem[] = [];
  readonly #dead: DeadLetterItem[] = [];
  readonly #holds = new Map<string, LeasedJob[]>();
  readonly #releases = new Map<number, LeasedJob[]>();

  constructor(private readonly queue: PushQueue) {}

  ack(job: LeasedJob, outcome: DispatchOutcome): void {
    this.#acks.push(job);
    this.#event(job, outcome, 'done');
  }

  retry(job: LeasedJob, delayMs: number, error: string, outcome: DispatchOutcome): void {
    this.#retries.push({ job, delayMs, error });
    this.#event(job, outcome, 'retry', delayMs);
  }

  deadLetter(job: LeasedJob, error: string, lastAnswer: string | undefined, outcome: DispatchOutcome): void {
    this.#dead.push(lastAnswer === undefined ? { job, error } : { job, error, lastAnswer });
    this.#event(job, outcome, 'dead-letter');
  }

  hold(job: LeasedJob, error: string, outcome: DispatchOutcome): void {
    push(this.#holds, error, job);
    this.#event(job, outcome, 'hold');
  }

  /** Back to the queue without counting an attempt (rate limit, unknown certificate state). */
  release(job: LeasedJob, delayMs: number): void {
    push(this.#releases, delayMs, job);
  }

  /** Writes everything; a failed write is reported and its jobs come back when their lease expires. */
  async apply(onError: (context: string, err: unknown) => void): Promise<void> {
    const writes: [string, () => Promise<SettleResult>][] = [
      ['ack', () => this.queue.ack(this.#acks)],
      ['retry', () => this.queue.retry(this.#retries)],
      ['dead letter', () => this.queue.deadLetter(this.#dead)],
      ...[...this.#holds].map(([error, jobs]): [string, () => Promise<SettleResult>] => [
        'hold',
        () => this.queue.hold(jobs, error),
      ]),
      ...[...this.#releases].map(([delay, jobs]): [string, () => Promise<SettleResult>] => [
        'release',
        () => this.queue.release(jobs, delay),
      ]),
    ];
    for (const [context, write] of writes) {
      try {
        const r = await write();
        if (r.stale.length > 0)
          onError(
            `${context}: ${r.stale.length} jobs had been leased again elsewhere`,
            new Error('stale lease'),
          );
      } catch (err) {
        onError(`${context} of dispatched jobs`, err);
      }
    }
  }

  #event(job: LeasedJob, outcome: DispatchOutcome, action: OutcomeInfo['action'], delayMs?: number): void {
    const info: OutcomeInfo = { jobId: job.id, attempt: job.attempts + 1, action };
    if (delayMs !== undefined) info.delayMs = delayMs;
    this.events.push({ job, outcome, info });
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
