// Redis for the scale-out tests: the server at 127.0.0.1:6379 (PUSHLINE_TEST_REDIS), one key prefix per test.
import { randomUUID } from 'node:crypto';
import { closeRedis, openRedis } from '../../src/store/redis.js';

export const REDIS_URL = process.env.PUSHLINE_TEST_REDIS ?? 'redis://127.0.0.1:6379';

/** A key prefix no other test uses. */
export function testPrefix(): string {
  return `pushline-test:${randomUUID()}:`;
}

/** Deletes every key under the prefix. */
export async function dropPrefix(prefix: string): Promise<void> {
  const redis = openRedis(REDIS_URL, 'pushline-test');
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await closeRedis(redis);
  }
}

/** Two Redis connections standing for two nodes, on a fresh key prefix; `close` also deletes its keys. */
export function twoRedisNodes() {
  const prefix = testPrefix();
  const nodeA = openRedis(REDIS_URL, 'test-a');
  const nodeB = openRedis(REDIS_URL, 'test-b');
  return {
    prefix,
    nodeA,
    nodeB,
    async close(): Promise<void> {
      await closeRedis(nodeA);
      await closeRedis(nodeB);
      await dropPrefix(prefix);
    },
  };
}
