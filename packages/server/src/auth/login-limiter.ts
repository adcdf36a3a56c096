// Login throttling: counts failed sign-ins per key (a username, a client address) in a sliding window.
// One machine keeps the counts in memory; the interface is async so that a Redis-backed limiter shared
// by several nodes can replace it.

export interface LoginLimiter {
  /** Seconds until `key` may try again; 0 when it may try now. */
  retryAfter(key: string): Promise<number>;
  recordFailure(key: string): Promise<void>;
  /** Forget the failures of `key` (after a successful sign-in). */
  reset(key: string): Promise<void>;
}

export interface LimiterOptions {
  maxFailures: number;
  windowMs: number;
}

/** Entries beyond this are swept of expired keys, so an attacker's random keys cannot grow memory forever. */
const SWEEP_AT = 10_000;

export class MemoryLoginLimiter implements LoginLimiter {
  readonly #failures = new Map<string, number[]>();

  constructor(
    private readonly opts: LimiterOptions,
    private readonly now: () => number = Date.now,
  ) {}

  async retryAfter(key: string): Promise<number> {
    const recent = this.#recent(key);
    if (recent.length < this.opts.maxFailures) return 0;
    const oldest = recent[recent.length - this.opts.maxFailures] ?? this.now();
    return Math.max(1, Math.ceil((oldest + this.opts.windowMs - this.now()) / 1000));
  }

  async recordFailure(key: string): Promise<void> {
    if (this.#failures.size >= SWEEP_AT) this.#sweep();
    const recent = this.#recent(key);
    recent.push(this.now());
    this.#failures.set(key, recent);
  }

  async reset(key: string): Promise<void> {
    this.#failures.delete(key);
  }

  #recent(key: string): number[] {
    const since = this.now() - this.opts.windowMs;
    const recent = (this.#failures.get(key) ?? []).filter((t) => t > since);
    if (recent.length === 0) this.#failures.delete(key);
    return recent;
  }

  #sweep(): void {
    for (const key of [...this.#failures.keys()]) this.#recent(key);
  }
}

/**
 * The console's defaults: 5 failures per username, 20 per client address, per 15 minutes. `make` builds a
 * shared limiter instead of the in-memory one (several nodes: redis-login-limiter.ts).
 */
export function defaultLoginLimiters(
  make: (name: string, opts: LimiterOptions) => LoginLimiter = (_name, opts) => new MemoryLoginLimiter(opts),
): { byUsername: LoginLimiter; byAddress: LoginLimiter } {
  const windowMs = 15 * 60_000;
  return {
    byUsername: make('user', { maxFailures: 5, windowMs }),
    byAddress: make('address', { maxFailures: 20, windowMs }),
  };
}
