// The sign-in limiter shared through Redis follows the same sliding window as the in-memory one, and two
// limiters on the same keys (two nodes) count together.
import { afterAll, describe, expect, it } from 'vitest';
import { RedisLoginLimiter } from '../../src/auth/redis-login-limiter.js';
import { twoRedisNodes } from '../helpers/redis.js';

describe('Redis login limiter', () => {
  const { prefix, nodeA, nodeB, close } = twoRedisNodes();
  afterAll(close);

  it('blocks after the limit across nodes and frees each slot as its failure leaves the window', async () => {
    let now = 1_000_000;
    const opts = { maxFailures: 3, windowMs: 60_000 };
    const a = new RedisLoginLimiter(nodeA, prefix, opts, () => now);
    const b = new RedisLoginLimiter(nodeB, prefix, opts, () => now);
    await a.recordFailure('k');
    now += 10_000;
    await b.recordFailure('k');
    expect(await a.retryAfter('k')).toBe(0);
    await a.recordFailure('k'); // two failures in the same millisecond both count
    expect(await b.retryAfter('k')).toBe(50);
    expect(await b.retryAfter('other')).toBe(0);
    now += 50_000; // the first failure leaves the window
    expect(await a.retryAfter('k')).toBe(0);
    await b.recordFailure('k');
    expect(await a.retryAfter('k')).toBe(10);
    await b.reset('k');
    expect(await a.retryAfter('k')).toBe(0);
  });

  it('reserves attempts atomically across nodes: parallel reservations never pass the limit', async () => {
    const now = 2_000_000;
    const opts = { maxFailures: 5, windowMs: 60_000 };
    const a = new RedisLoginLimiter(nodeA, prefix, opts, () => now);
    const b = new RedisLoginLimiter(nodeB, prefix, opts, () => now);
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).reserve('parallel')),
    );
    const granted = results.filter((r) => r.ok);
    expect(granted).toHaveLength(5);
    expect(results.filter((r) => !r.ok)).toEqual(Array(55).fill({ ok: false, retryAfter: 60 }));
    await b.release('parallel', (granted[0] as { id: string }).id);
    expect(await a.retryAfter('parallel')).toBe(0);
    expect((await a.reserve('parallel')).ok).toBe(true);
    expect((await b.reserve('parallel')).ok).toBe(false);
    expect(await nodeA.pttl(`${prefix}parallel`)).toBeGreaterThan(59_000);
  });
});
