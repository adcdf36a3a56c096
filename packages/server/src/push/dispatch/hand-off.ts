// Hand-off: jobs this node's dispatcher can send at once are inserted already leased to it (the queue's
// enqueueLeasedWith) and handed to the dispatcher after their commit, instead of being inserted, found by
// a lease statement and read back. A chat push thus skips the lease (on SQLite its own write and commit,
// ~170 µs; on PostgreSQL a round trip) and the short wait that lets a burst share a lease
// (docs/delivery.md "Hand-off").
//
// Guarantees are those of any lease: the jobs are leased by this node's ID for the visibility timeout, so a
// crash before their settlement leaves them to this node's successor (reclaimed at start) or to the
// surviving nodes (reclaimed when its liveness lapses). A transaction that rolls back takes its jobs with
// it, and nothing is handed off. The dispatcher offers a lease while the jobs fit one batch with those
// already waiting; the next batch to start takes them before it looks into the queue — those of a certificate
// whose share of the batches for such pushes is full wait until it frees — so they never wait behind a
// backlog there (a broadcast's, say: its jobs have a share of their own). A wait is at most one send of the
// certificate, well within the lease's visibility timeout.
import { randomUUID } from 'node:crypto';
import type { LeasedJob } from '../queue/types.js';

export class HandOffs {
  /**
   * One token for every hand-off of this dispatcher: a job leased again elsewhere gets a new token, so a
   * stale settlement still changes nothing, and a batch of handed-off jobs settles in one statement.
   */
  readonly token = `handoff-${randomUUID()}`;
  readonly #waiting: LeasedJob[] = [];

  get size(): number {
    return this.#waiting.length;
  }

  add(jobs: readonly LeasedJob[]): void {
    for (const job of jobs) this.#waiting.push(job);
  }

  /** Up to `max` jobs, oldest first; with `may`, only jobs it accepts (the others keep their place). */
  take(max: number, may?: (job: LeasedJob) => boolean): LeasedJob[] {
    if (!may) return this.#waiting.splice(0, max);
    const taken: LeasedJob[] = [];
    const kept: LeasedJob[] = [];
    for (const job of this.#waiting) (taken.length < max && may(job) ? taken : kept).push(job);
    this.#waiting.splice(0, this.#waiting.length, ...kept);
    return taken;
  }
}
