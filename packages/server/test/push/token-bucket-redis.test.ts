// Vendor quotas shared by several nodes: two RedisTokenBuckets on the same keys (two nodes) draw from one
// bucket, with the same refill rule as the in-memory TokenBuckets.
import { afterAll, describe, expect, it } from 'vitest';
import { TokenBuckets } from '../../src/push/dispatch/token-bucket.js';
import { RedisTokenBuckets } from '../../src/push/dispatch/token-bucket-redis.js';
import { twoRedisNodes } from '../helpers/redis.js';

describe('Redis token buckets', () => {
  const { prefix, nodeA, nodeB, close } = twoRedisNodes();
  afterAll(close);

  it('two nodes share one budget per certificate', async () => {
    let now = 1_800_000_000_000;
    const a = new RedisTokenBuckets(nodeA, prefix, () => now);
    const b = new RedisTokenBuckets(nodeB, prefix, () => now);
    const limit = { perSecond: 10, burst: 10 };
    expect(await a.take(7, 6, limit)).toEqual({ granted: 6, waitMs: 0 });
    expect(await b.take(7, 6, limit)).toEqual({ granted: 4, waitMs: 200 });
    expect(await b.take(8, 6, limit)).toEqual({ granted: 6, waitMs: 0 }); // another certificate
    now += 200;
    expect(await a.take(7, 5, limit)).toEqual({ granted: 2, waitMs: 300 });
    // A node whose clock lags behind takes nothing extra from the skew.
    now -= 1_000;
    expect(await b.take(7, 1, limit)).toEqual({ granted: 0, waitMs: 100 });
  });

  it('grants what the in-memory buckets grant for the same sequence', async () => {
    let now = 1_800_000_000_000;
    const redis = new RedisTokenBuckets(nodeA, `${prefix}same:`, () => now);
    const memory = new TokenBuckets(() => now);
    const limit = { perSecond: 50, burst: 20 };
    const steps = [
      [5, 0],
      [30, 10],
      [1, 0],
      [25, 400],
      [60, 1_000],
      [3, 7],
    ] as const;
    for (const [wanted, advance] of steps) {
      now += advance;
      expect(await redis.take(1, wanted, limit)).toEqual(memory.take(1, wanted, limit));
    }
  });
});
