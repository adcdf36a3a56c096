// One device's pushes leave this node in the order they were leased (docs/delivery.md "Order per device").
//
// Batches run side by side: two chat messages' pushes to one phone, leased by two batches a moment apart,
// could reach the vendor in either order — the one that arrives last is what the phone shows, so its badge
// could go back from 4 to 3 and its notifications swap. Each batch claims its devices' turn when it is
// leased (leases are taken one at a time, in queue order), and sends a device's push only once the earlier
// batch that carries the same device has its vendor's answer. Its other pushes go at once: a chat push
// waits only when its own device is in a batch in flight (a broadcast's, say), never for other devices.
//
// Keyed by the push token: the unit the vendor delivers to (a phone with an alert and a VoIP token has two
// independent streams of pushes).

/** A batch's turn for its devices: its pushes to `waiting` go after `earlier`; `done()` once answered. */
export interface DeviceTurn {
  /** Resolves when the earlier batches that carry one of `waiting` are answered; undefined when none. */
  earlier: Promise<void> | undefined;
  /** The tokens this batch shares with earlier batches still in flight. */
  waiting: ReadonlySet<string>;
  /** This batch's sends to its devices are answered (or will not happen): the next batch may go. */
  done(): void;
}

export class DeviceOrder {
  /** Per token, the turn of the latest batch that carries it. */
  readonly #last = new Map<string, Promise<void>>();

  get size(): number {
    return this.#last.size;
  }

  /** Takes the next turn for these tokens (call in lease order). */
  claim(tokens: readonly string[]): DeviceTurn {
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const waits = new Set<Promise<void>>();
    const waiting = new Set<string>();
    for (const token of tokens) {
      const before = this.#last.get(token);
      if (before !== undefined && before !== mine) {
        waits.add(before);
        waiting.add(token);
      }
      this.#last.set(token, mine);
    }
    const earlier = waits.size === 0 ? undefined : Promise.all(waits).then(() => undefined);
    let released = false;
    return {
      earlier,
      waiting,
      done: () => {
        if (released) return;
        released = true;
        for (const token of tokens) if (this.#last.get(token) === mine) this.#last.delete(token);
        // A batch that sent nothing (its pushes expired, held...) must not let a later one pass the batch it
        // was waiting for: its turn ends after that one's.
        if (earlier) void earlier.then(release);
        else release();
      },
    };
  }
}
