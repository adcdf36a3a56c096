// Per-credential send budgets shared by every node (deployment with Redis): one bucket per certificate in a
// Redis hash, taken from atomically, so that N nodes together stay within the vendor's quota instead of N
// times it. Same refill rule as TokenBuckets.
import type { Redis } from 'ioredis';
import { LuaScript } from '../../store/redis.js';
import type { Grant, RateLimit, SendBudgets } from './token-bucket.js';

/** ARGV: key, now, wanted, perSecond, burst. Returns {granted, waitMs}. */
const TAKE = new LuaScript(`
local key, now, wanted, rate, burst = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]),
  tonumber(ARGV[5])
local b = redis.call('HMGET', key, 'tokens', 'at')
local tokens, at = tonumber(b[1]) or burst, tonumber(b[2]) or now
-- Nodes' clocks differ a little: a bucket last touched "in the future" just does not refill yet.
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
local granted = math.min(wanted, math.floor(tokens))
tokens = tokens - granted
redis.call('HSET', key, 'tokens', tostring(tokens), 'at', math.max(now, at))
-- A full bucket needs no key: it expires once it would have refilled anyway.
redis.call('PEXPIRE', key, math.ceil(burst * 1000 / rate) + 1000)
-- Wait for the next burst of the rest, not all of it (as TokenBuckets does).
local missing = math.min(wanted - granted, burst) - tokens
local waitMs = 0
if missing > 0 then waitMs = math.ceil(missing * 1000 / rate) end
return {granted, waitMs}
`);

export class RedisTokenBuckets implements SendBudgets {
  constructor(
    private readonly redis: Redis,
    /** Key prefix, e.g. `pushline:budget:`; the certificate ID follows. */
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  async take(key: number, wanted: number, limit: RateLimit): Promise<Grant> {
    const burst = Math.max(1, limit.burst ?? limit.perSecond);
    const [granted, waitMs] = await TAKE.run<[number, number]>(this.redis, [
      `${this.prefix}${key}`,
      this.now(),
      wanted,
      limit.perSecond,
      burst,
    ]);
    return { granted, waitMs };
  }
}
