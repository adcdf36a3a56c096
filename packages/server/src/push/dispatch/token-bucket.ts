// Per-credential send budgets (vendor quotas): a token bucket per key, refilled continuously.

export interface RateLimit {
  /** Sustained notifications per second. */
  perSecond: number;
  /** Largest burst; defaults to one second's worth. */
  burst?: number;
}

/** Grants from a bucket; several nodes share one set of buckets through Redis (token-bucket-redis.ts). */
export interface SendBudgets {
  take(key: number, wanted: number, limit: RateLimit): Grant | Promise<Grant>;
}

export interface Grant {
  granted: number;
  /** When short: how long until the bucket holds enough for the rest. */
  waitMs: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets implements SendBudgets {
  readonly #buckets = new Map<number, Bucket>();

  constructor(private readonly now: () => number) {}

  /**
   * Takes up to `wanted` tokens from `key`'s bucket; returns how many it got and, when short, how long until
   * the bucket holds enough for the next burst of the rest (each further burst follows burst/perSecond later).
   */
  take(key: number, wanted: number, limit: RateLimit): Grant {
    const burst = Math.max(1, limit.burst ?? limit.perSecond);
    const now = this.now();
    const bucket = this.#buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) * limit.perSecond) / 1000);
    bucket.at = now;
    const granted = Math.min(wanted, Math.floor(bucket.tokens));
    bucket.tokens -= granted;
    this.#buckets.set(key, bucket);
    const missing = Math.min(wanted - granted, burst) - bucket.tokens;
    const waitMs = missing > 0 ? Math.ceil((missing * 1000) / limit.perSecond) : 0;
    return { granted, waitMs };
  }
}
