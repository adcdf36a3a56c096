// Login throttling shared by every node (deployment with Redis): the failures of a key are a sorted set of
// timestamps in Redis, so an attacker cannot multiply the allowance by the number of nodes behind the load
// balancer. Same sliding-window rule as MemoryLoginLimiter.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { LimiterOptions, LoginLimiter } from './login-limiter.js';

export class RedisLoginLimiter implements LoginLimiter {
  constructor(
    private readonly redis: Redis,
    /** Key prefix of this limiter, e.g. `pushline:login:user:`. */
    private readonly prefix: string,
    private readonly opts: LimiterOptions,
    private readonly now: () => number = Date.now,
  ) {}

  async retryAfter(key: string): Promise<number> {
    const k = this.prefix + key;
    const now = this.now();
    const nth = String(-this.opts.maxFailures);
    const replies = await this.redis
      .multi()
      .zremrangebyscore(k, '-inf', now - this.opts.windowMs)
      // The maxFailures-th most recent failure: once it leaves the window, the key may try again.
      .zrange(k, nth, nth, 'WITHSCORES')
      .exec();
    const [err, member] = (replies?.[1] ?? [null, []]) as [Error | null, string[]];
    if (err) throw err;
    const score = member[1];
    if (score === undefined) return 0;
    return Math.max(1, Math.ceil((Number(score) + this.opts.windowMs - now) / 1000));
  }

  async recordFailure(key: string): Promise<void> {
    const k = this.prefix + key;
    const now = this.now();
    await this.redis
      .multi()
      .zadd(k, now, `${now}:${randomUUID()}`)
      .zremrangebyscore(k, '-inf', now - this.opts.windowMs)
      .pexpire(k, this.opts.windowMs)
      .exec();
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}
