// Login throttling shared by every node (deployment with Redis): the attempts of a key are a sorted set of
// timestamps in Redis, so an attacker cannot multiply the allowance by the number of nodes behind the load
// balancer. Same sliding-window rule as MemoryLoginLimiter; `reserve` tests the limit and counts the
// attempt in one Lua script, which Redis runs atomically, so parallel requests on any number of nodes
// never get more than the limit through.
import { randomUUID } from 'node:crypto';
import type { Redis, Result } from 'ioredis';
import type { LimiterOptions, LoginLimiter, Reservation } from './login-limiter.js';

// KEYS[1]: the key's sorted set. ARGV: now (ms), window (ms), max attempts, member to add ('' to only look).
// Returns -1 when the attempt was counted (or, without a member, when the key may try), else the time of
// the max-th most recent attempt: once it leaves the window, the key may try again.
const RESERVE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
local max = tonumber(ARGV[3])
if redis.call('ZCARD', KEYS[1]) >= max then
  local nth = redis.call('ZRANGE', KEYS[1], -max, -max, 'WITHSCORES')
  return tonumber(nth[2])
end
if ARGV[4] ~= '' then
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return -1
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    pushlineLoginReserve(
      key: string,
      now: number,
      windowMs: number,
      max: number,
      member: string,
    ): Result<number, Context>;
  }
}

export class RedisLoginLimiter implements LoginLimiter {
  constructor(
    private readonly redis: Redis,
    /** Key prefix of this limiter, e.g. `pushline:login:user:`. */
    private readonly prefix: string,
    private readonly opts: LimiterOptions,
    private readonly now: () => number = Date.now,
  ) {
    if (typeof (redis as Partial<Redis>).pushlineLoginReserve !== 'function') {
      redis.defineCommand('pushlineLoginReserve', { numberOfKeys: 1, lua: RESERVE });
    }
  }

  async reserve(key: string): Promise<Reservation> {
    const now = this.now();
    const id = `${now}:${randomUUID()}`;
    const score = await this.#run(key, now, id);
    if (score < 0) return { ok: true, id };
    return { ok: false, retryAfter: this.#wait(score, now) };
  }

  async release(key: string, id: string): Promise<void> {
    await this.redis.zrem(this.prefix + key, id);
  }

  async retryAfter(key: string): Promise<number> {
    const now = this.now();
    const score = await this.#run(key, now, '');
    return score < 0 ? 0 : this.#wait(score, now);
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

  #run(key: string, now: number, member: string): Promise<number> {
    return this.redis.pushlineLoginReserve(
      this.prefix + key,
      now,
      this.opts.windowMs,
      this.opts.maxFailures,
      member,
    );
  }

  #wait(score: number, now: number): number {
    return Math.max(1, Math.ceil((score + this.opts.windowMs - now) / 1000));
  }
}
