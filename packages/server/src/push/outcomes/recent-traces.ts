// The trace rows of the most recent pushes, so that vendor answers (which carry only the PushTask) can be
// counted under their push's kind and task and turned into webhook events without a database lookup.
// Answers usually arrive within a second; older pushes fall back to the database. Two generations of
// maps keep every operation O(1) (evicting a Map's oldest entries one by one is not).
import type { TraceRow } from './trace-store.js';

export class RecentTraces {
  #current = new Map<string, TraceRow>();
  #previous = new Map<string, TraceRow>();

  /** Keeps at least the last `capacity / 2` and at most the last `capacity` rows. */
  constructor(private readonly capacity: number) {}

  add(row: TraceRow): void {
    if (this.#current.size >= this.capacity / 2) {
      this.#previous = this.#current;
      this.#current = new Map();
    }
    this.#current.set(row.push_id, row);
  }

  get(pushId: string): TraceRow | undefined {
    return this.#current.get(pushId) ?? this.#previous.get(pushId);
  }
}
