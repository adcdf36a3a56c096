// Group commit on SQLite: sends — and the push dispatcher's settlements (push/queue/sql-queue.ts `settle`) —
// that arrive while a transaction is running are stored together in the next single transaction. SQLite has
// one connection, so every send and every settlement used to pay its own BEGIN/COMMIT and queue behind the
// previous one; batching divides the commit cost by the batch size (bench/README.md). One instance per
// database, shared by every writer that joins (server.ts).
//
// Guarantees kept (a "send" below is any work that joins, a settlement too):
// - durable before acknowledged: a send's promise settles only after the shared COMMIT;
// - isolation: each send runs inside its own SAVEPOINT, so a failing send is rolled back alone and gets its
//   own error while the others commit;
// - order: sends run in arrival order, one after the other, in the same transaction (seq allocation order is
//   arrival order, as with one transaction each).
// A failed COMMIT fails every send of the batch (nothing of it was stored).
//
// Writes that every send of a batch makes (the hourly push counters, the trace rows of its pushes:
// push/outcomes/batched-outcomes.ts) can be gathered and written once, just before COMMIT, through a
// BatchScope that the server hands in: one statement per table and batch instead of one per send.
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

/** Gathers a batch's repeated writes: each send's share is kept or dropped with its savepoint. */
export interface BatchScope {
  /** The send in progress was kept (savepoint released). */
  keep(): void;
  /** The send in progress was rolled back. */
  drop(): void;
  /** Writes the batch's share, just before COMMIT. */
  write(trx: Transaction<Database>): Promise<void>;
}

/** Opens the scope of one batch's transaction. */
export type OpenBatchScope = (trx: Transaction<Database>) => BatchScope;

const NO_SCOPE: BatchScope = { keep() {}, drop() {}, write: async () => {} };

/** The savepoint statements around each send, compiled once (they run twice per send of a batch). */
const SAVEPOINT = CompiledQuery.raw('savepoint pushline_send');
const RELEASE = CompiledQuery.raw('release savepoint pushline_send');
const ROLLBACK_TO = CompiledQuery.raw('rollback to savepoint pushline_send');

export type TransactionWork<T> = (trx: Transaction<Database>) => Promise<T>;

/** Runs work in a transaction: one of its own, or a share of a group commit. */
export type Transact = <T>(work: TransactionWork<T>) => Promise<T>;

interface Job {
  work: TransactionWork<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** Upper bound on sends per transaction, so one commit never holds the connection for long. */
const MAX_BATCH = 64;
/**
 * Under load a batch waits this long for more work before it starts. A commit writes every page it changed,
 * and consecutive sends change many of the same pages (the newest end of the messages, trace and job
 * indexes), so two sends in one commit cost less than two commits: at 1,000 sends/s this cut the main
 * thread's CPU per message by 3–7 % and the p99 with it (bench/README.md).
 */
const GATHER_MS = 1;
/** "Under load": the previous batch committed less than this long before the new work arrived. */
const BUSY_WITHIN_MS = 5;

export class GroupCommit {
  #queue: Job[] = [];
  #running = false;
  /** When the last batch committed (performance.now()); -Infinity before the first. */
  #lastCommitAt = Number.NEGATIVE_INFINITY;

  #openScope: OpenBatchScope | undefined;

  readonly #gatherMs: number;
  readonly #busyWithinMs: number;

  constructor(
    private readonly db: Kysely<Database>,
    /**
     * Tests lengthen the wait under load to observe it (default GATHER_MS), and what counts as under load
     * (default BUSY_WITHIN_MS), so that a slow test machine does not look quiet.
     */
    opts: { gatherMs?: number; busyWithinMs?: number } = {},
  ) {
    this.#gatherMs = opts.gatherMs ?? GATHER_MS;
    this.#busyWithinMs = opts.busyWithinMs ?? BUSY_WITHIN_MS;
  }

  /** Sets what gathers the repeated writes of a batch (push counters, trace rows); read at each batch. */
  setBatchScope(open: OpenBatchScope): void {
    this.#openScope = open;
  }

  /** `run`, as a function to hand to writers that take a `Transact`. */
  readonly transact: Transact = (work) => this.run(work);

  /** Runs `work` in a transaction shared with the other sends queued meanwhile; settles after the commit. */
  run<T>(work: TransactionWork<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (this.#running) return;
      this.#running = true;
      // On SQLite a whole transaction runs within one event-loop turn (the driver is synchronous), so sends
      // never overlap by themselves: wait for the turn's I/O callbacks (requests parsed in the same poll) to
      // queue their sends too — under load, GATHER_MS longer — then store them all in one transaction. A
      // lone send on a quiet server does not wait.
      if (performance.now() - this.#lastCommitAt < this.#busyWithinMs) {
        setTimeout(() => void this.#drain(), this.#gatherMs);
      } else {
        setImmediate(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    try {
      await this.#commit(this.#queue.splice(0, MAX_BATCH));
    } finally {
      this.#lastCommitAt = performance.now();
      if (this.#queue.length > 0) setImmediate(() => void this.#drain());
      else this.#running = false;
    }
  }

  async #commit(batch: Job[]): Promise<void> {
    if (batch.length === 1) {
      // Alone: a plain transaction, no savepoint needed.
      const job = batch[0]!;
      try {
        job.resolve(await this.db.transaction().execute(job.work));
      } catch (err) {
        job.reject(err);
      }
      return;
    }
    const results: Array<{ ok: true; value: unknown } | { ok: false; err: unknown }> = [];
    try {
      await this.db.transaction().execute(async (trx) => {
        const scope = this.#openScope?.(trx) ?? NO_SCOPE;
        for (const job of batch) {
          await trx.executeQuery(SAVEPOINT);
          try {
            const value = await job.work(trx);
            await trx.executeQuery(RELEASE);
            scope.keep();
            results.push({ ok: true, value });
          } catch (err) {
            // Undo this send's writes only; the transaction stays usable for the rest of the batch.
            scope.drop();
            await trx.executeQuery(ROLLBACK_TO);
            await trx.executeQuery(RELEASE);
            results.push({ ok: false, err });
          }
        }
        await scope.write(trx);
      });
    } catch (err) {
      for (const job of batch) job.reject(err);
      return;
    }
    batch.forEach((job, i) => {
      const r = results[i]!;
      if (r.ok) job.resolve(r.value);
      else job.reject(r.err);
    });
  }
}
