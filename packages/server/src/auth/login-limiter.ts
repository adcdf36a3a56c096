// Login throttling: counts password attempts per key (a username, a client address) in a sliding window.
//
// An attempt is counted *before* its password is checked (`reserve`), in one atomic step that also
// tests the limit, and given back (`release`) only when the password was right. Checking the limit first
// and recording the failure after the (slow, asynchronous) hash check would let any number of parallel
// requests through while the first ones are still being verified.
//
// One machine keeps the counts in memory; the interface is async so that a Redis-backed limiter shared
// by several nodes (redis-login-limiter.ts) can replace it.
import { randomUUID } from 'node:crypto';

/** The answer of `reserve`: an attempt counted under `id`, or the seconds to wait (nothing counted). */
export type Reservation = { ok: true; id: string } | { ok: false; retryAfter: number };

export interface LoginLimiter {
  /**
   * Counts one attempt of `key` now, unless the key already has `maxFailures` attempts in the window:
   * then nothing is counted and the answer says how long to wait. Atomic: parallel calls never let more
   * than `maxFailures` attempts through.
   */
  reserve(key: string): Promise<Reservation>;
  /** The attempt `id` succeeded: it no longer counts. */
  release(key: string, id: string): Promise<void>;
  /** Seconds until `key` may try again; 0 when it may try now. */
  retryAfter(key: string): Promise<number>;
  /** Counts a failure without a reservation. */
  recordFailure(key: string): Promise<void>;
  /** Forget every attempt of `key` (after a successful sign-in). */
  reset(key: string): Promise<void>;
}

export interface LimiterOptions {
  maxFailures: number;
  windowMs: number;
}

/** Entries beyond this are swept of expired keys, so an attacker's random keys cannot grow memory forever. */
const SWEEP_AT = 10_000;

interface Attempt {
  at: number;
  id: string;
}

export class MemoryLoginLimiter implements LoginLimiter {
  readonly #attempts = new Map<string, Attempt[]>();

  constructor(
    private readonly opts: LimiterOptions,
    private readonly now: () => number = Date.now,
  ) {}

  // No `await` between the check and the count: JavaScript runs this to the end before any other request.
  async reserve(key: string): Promise<Reservation> {
    const wait = this.#wait(key);
    if (wait > 0) return { ok: false, retryAfter: wait };
    return { ok: true, id: this.#add(key) };
  }

  async release(key: string, id: string): Promise<void> {
    const list = this.#attempts.get(key);
    if (!list) return;
    const rest = list.filter((a) => a.id !== id);
    if (rest.length === 0) this.#attempts.delete(key);
    else this.#attempts.set(key, rest);
  }

  async retryAfter(key: string): Promise<number> {
    return this.#wait(key);
  }

  async recordFailure(key: string): Promise<void> {
    this.#add(key);
  }

  async reset(key: string): Promise<void> {
    this.#attempts.delete(key);
  }

  #wait(key: string): number {
    const recent = this.#recent(key);
    if (recent.length < this.opts.maxFailures) return 0;
    // The maxFailures-th most recent attempt: once it leaves the window, the key may try again.
    const oldest = recent[recent.length - this.opts.maxFailures]?.at ?? this.now();
    return Math.max(1, Math.ceil((oldest + this.opts.windowMs - this.now()) / 1000));
  }

  #add(key: string): string {
    if (this.#attempts.size >= SWEEP_AT) this.#sweep();
    const recent = this.#recent(key);
    const id = randomUUID();
    recent.push({ at: this.now(), id });
    this.#attempts.set(key, recent);
    return id;
  }

  #recent(key: string): Attempt[] {
    const since = this.now() - this.opts.windowMs;
    const recent = (this.#attempts.get(key) ?? []).filter((a) => a.at > since);
    if (recent.length === 0) this.#attempts.delete(key);
    return recent;
  }

  #sweep(): void {
    for (const key of [...this.#attempts.keys()]) this.#recent(key);
  }
}

/** One key of one limiter that a password attempt counts against. */
export interface AttemptSlot {
  limiter: LoginLimiter;
  key: string;
  /** On success, forget every earlier failure of this key too (a sign-in clears the username's count). */
  resetOnSuccess?: boolean;
}

export type AttemptGate =
  | { ok: false; retryAfter: number }
  | {
      ok: true;
      /** The password was right: the attempt does not count (and `resetOnSuccess` keys start afresh). */
      succeeded(): Promise<void>;
    };

/**
 * Counts a password attempt against every slot before the password is checked. When one slot is spent,
 * the attempts already counted on the others are given back and the answer is the longest wait. After a
 * wrong password there is nothing to do: the attempt stays counted as a failure.
 */
export async function beginAttempt(slots: AttemptSlot[]): Promise<AttemptGate> {
  const held: { slot: AttemptSlot; id: string }[] = [];
  for (const slot of slots) {
    const r = await slot.limiter.reserve(slot.key);
    if (!r.ok) {
      await Promise.all(held.map((h) => h.slot.limiter.release(h.slot.key, h.id)));
      // Another slot may be spent as well: wait for the longest.
      const others = await Promise.all(
        slots.filter((s) => s !== slot).map((s) => s.limiter.retryAfter(s.key)),
      );
      return { ok: false, retryAfter: Math.max(r.retryAfter, ...others) };
    }
    held.push({ slot, id: r.id });
  }
  return {
    ok: true,
    async succeeded() {
      await Promise.all(
        held.map((h) =>
          h.slot.resetOnSuccess ? h.slot.limiter.reset(h.slot.key) : h.slot.limiter.release(h.slot.key, h.id),
        ),
      );
    },
  };
}

/** The console's limits: 5 attempts per username and 20 per client address within 15 minutes. */
export const LOGIN_LIMITS = {
  byUsername: { maxFailures: 5, windowMs: 15 * 60_000 },
  byAddress: { maxFailures: 20, windowMs: 15 * 60_000 },
} as const satisfies Record<string, LimiterOptions>;

/**
 * The console's limiters (LOGIN_LIMITS). `make` builds a shared limiter instead of the in-memory one
 * (several nodes: redis-login-limiter.ts).
 */
export function defaultLoginLimiters(
  make: (name: string, opts: LimiterOptions) => LoginLimiter = (_name, opts) => new MemoryLoginLimiter(opts),
): { byUsername: LoginLimiter; byAddress: LoginLimiter } {
  return {
    byUsername: make('user', LOGIN_LIMITS.byUsername),
    byAddress: make('address', LOGIN_LIMITS.byAddress),
  };
}
