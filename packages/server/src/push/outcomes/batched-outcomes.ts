// The push outcomes of one group commit (store/group-commit.ts), written once for the whole batch just before
// its COMMIT instead of once per send: the hourly counters summed (one upsert per key), the trace rows of the
// pushes and skips the sends decided gathered (one multi-row insert per table). A send's share joins the
// batch's only when its savepoint is released, so a send rolled back alone leaves no trace and counts nothing,
// and everything is written in the batch's transaction: a crash loses or double-counts none of it.
//
// Deferring the trace rows to the end of the batch changes nothing any reader sees: a batch's own trace rows
// are read by nobody inside it. Within a transaction, trace rows are read only for pushes a vendor answered
// (the settlement's vendor answers, a recall's retractions), and a push is sent only after the commit that
// recorded it.
import type { Transaction } from 'kysely';
import type { BatchScope } from '../../store/group-commit.js';
import type { Database, PushStatsHourlyTable } from '../../store/schema.js';
import { HourlyCounters, upsertCounters } from './counters.js';
import { insertTraces, type TraceRow } from './trace-store.js';

type Tx = Parameters<typeof upsertCounters>[0];

export class BatchedOutcomes implements BatchScope {
  readonly #batchCounters = new HourlyCounters();
  readonly #sendCounters = new HourlyCounters();
  #batchTraces: TraceRow[] = [];
  #sendTraces: TraceRow[] = [];

  /** Counts rows of the send in progress. */
  addCounters(rows: PushStatsHourlyTable[]): void {
    this.#sendCounters.restore(rows);
  }

  /** Trace rows of the send in progress. */
  addTraces(rows: readonly TraceRow[]): void {
    for (const row of rows) this.#sendTraces.push(row);
  }

  /** The send in progress was kept (savepoint released): its share joins the batch's. */
  keep(): void {
    this.#batchCounters.restore(this.#sendCounters.take());
    if (this.#batchTraces.length === 0) this.#batchTraces = this.#sendTraces;
    else for (const row of this.#sendTraces) this.#batchTraces.push(row);
    this.#sendTraces = [];
  }

  /** The send in progress was rolled back: its share is dropped. */
  drop(): void {
    this.#sendCounters.take();
    this.#sendTraces = [];
  }

  /** Writes the batch's share; call inside the batch's transaction, before COMMIT. */
  async write(trx: Transaction<Database>): Promise<void> {
    const traces = this.#batchTraces;
    this.#batchTraces = [];
    await insertTraces(trx, traces);
    await upsertCounters(trx, this.#batchCounters.take());
  }
}

/** Transactions whose outcome writes wait for the end of their group commit. */
const batched = new WeakMap<Transaction<Database>, BatchedOutcomes>();

/** Until `trx` ends, counters and trace rows written through it are kept in `outcomes`, not written at once. */
export function batchOutcomes(trx: Transaction<Database>, outcomes: BatchedOutcomes): void {
  batched.set(trx, outcomes);
}

/** Adds to the hourly counters: at once, or at the end of `tx`'s group commit. */
export async function writeCounters(tx: Tx, rows: PushStatsHourlyTable[]): Promise<void> {
  const batch = batched.get(tx as Transaction<Database>);
  if (batch) batch.addCounters(rows);
  else await upsertCounters(tx, rows);
}

/** Inserts trace rows: at once, or at the end of `tx`'s group commit. */
export async function writeTraces(tx: Tx, rows: readonly TraceRow[]): Promise<void> {
  const batch = batched.get(tx as Transaction<Database>);
  if (batch) batch.addTraces(rows);
  else await insertTraces(tx, rows as TraceRow[]);
}
