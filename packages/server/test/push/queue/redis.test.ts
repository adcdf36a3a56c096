// The Redis push queue against the shared queue contract, on the Redis at 127.0.0.1:6379; every harness
// works under its own key prefix and deletes its keys at the end.
import { describe, expect, it } from 'vitest';
import { RedisPushQueue } from '../../../src/push/queue/redis-queue.js';
import {
  makeTask,
  type QueueFactory,
  type QueueHarness,
  queueContract,
} from '../../helpers/queue-contract.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../../helpers/redis.js';

const redisFactory: QueueFactory = async ({ now }) => {
  const prefix = testPrefix();
  const opened: RedisPushQueue[] = [];
  const make = async () => {
    const q = new RedisPushQueue(REDIS_URL, { prefix, ...(now ? { now } : {}) });
    opened.push(q);
    return q;
  };
  const closeAll = () => Promise.all(opened.splice(0).map((q) => q.close()));
  const harness: QueueHarness = {
    queue: await make(),
    openAnother: make,
    async reopen() {
      await closeAll();
      harness.queue = await make();
      return harness.queue;
    },
    async close() {
      await closeAll();
      await dropPrefix(prefix);
    },
  };
  return harness;
};

describe('Redis push queue', () => {
  queueContract(redisFactory);

  it('keeps one job when the same relayed job is enqueued twice', async () => {
    const h = await redisFactory({});
    try {
      const queue = h.queue as RedisPushQueue;
      const item = { task: makeTask(1), externalId: 'sql:41', createdAt: 1_000, groupKey: 'msg-1' };
      const first = await queue.enqueueRelayed([item, { ...item, task: makeTask(2), externalId: 'sql:42' }]);
      expect(await queue.enqueueRelayed([item])).toEqual([first[0]]);
      const leased = await queue.lease(10, 30_000);
      expect(leased.map((j) => [j.task.pushId, j.createdAt, j.groupKey])).toEqual([
        ['push-1', 1_000, 'msg-1'],
        ['push-2', 1_000, 'msg-1'],
      ]);
      await queue.ack(leased);
      // Settled: the key is free again (a relay that crashed after enqueueing re-adds at most its batch).
      expect(await queue.enqueueRelayed([item])).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  it('refuses a malformed dead-letter ID with a clear error', async () => {
    const h = await redisFactory({});
    try {
      await expect(h.queue.requeueDead({ sdkAppId: 1 }, ['abc'])).rejects.toThrow('not a push job ID: "abc"');
      await expect(h.queue.listDead({ sdkAppId: 1 }, { after: '-1' })).rejects.toThrow(/not a push job ID/);
    } finally {
      await h.close();
    }
  });
});
