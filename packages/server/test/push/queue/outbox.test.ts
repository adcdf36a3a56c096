// The Redis queue's outbox (push/queue/outbox.ts): jobs commit with the caller's database transaction, the
// relay moves them to Redis once, even when a relay dies between adding to Redis and deleting from the table.
import { describe, expect, it } from 'vitest';
import { OutboxPushQueue } from '../../../src/push/queue/outbox.js';
import { RedisPushQueue } from '../../../src/push/queue/redis-queue.js';
import { SqlPushQueue } from '../../../src/push/queue/sql-queue.js';
import { testBackends } from '../../helpers/databases.js';
import { eventually, FakeClock, makeTask } from '../../helpers/queue-contract.js';
import { sqlQueueStorage } from '../../helpers/queue-storage.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../../helpers/redis.js';

const backends = await testBackends();

describe.each(backends)('outbox in front of the Redis queue on %s', (backend) => {
  async function world() {
    const clock = new FakeClock();
    const storage = await sqlQueueStorage(backend);
    const { db } = await storage.open();
    const prefix = testPrefix();
    const sql = new SqlPushQueue(db, { now: clock.now });
    const redis = new RedisPushQueue(REDIS_URL, { prefix, now: clock.now });
    const queue = new OutboxPushQueue(sql, redis, { visibilityMs: 5_000 });
    return {
      clock,
      db,
      sql,
      redis,
      queue,
      async close() {
        await queue.close();
        await storage.drop();
        await dropPrefix(prefix);
      },
    };
  }

  it('commits jobs with the transaction and relays them to Redis with their group and age', async () => {
    const w = await world();
    try {
      await expect(
        w.db.transaction().execute(async (trx) => {
          await w.queue.enqueueWith(trx, [makeTask(1)]);
          throw new Error('message insert failed');
        }),
      ).rejects.toThrow('message insert failed');
      expect(await w.queue.relayOnce()).toBe(0);

      const createdAt = w.clock.ms;
      await w.db
        .transaction()
        .execute((trx) => w.queue.enqueueWith(trx, [makeTask(2), makeTask(3)], { groupKey: 'msg-9' }));
      // Waiting in the outbox counts as ready: `pushline queue stats` shows the true backlog.
      expect(await w.queue.stats()).toMatchObject({ ready: 2, oldestReadyCreatedAt: createdAt });
      expect(await w.queue.lease(10, 1_000)).toEqual([]);
      w.clock.advance(50);
      expect(await w.queue.relayOnce()).toBe(2);
      expect(await w.sql.stats()).toMatchObject({ ready: 0, leased: 0 });
      const leased = await w.queue.lease(10, 1_000);
      expect(leased.map((j) => [j.task.pushId, j.groupKey, j.createdAt])).toEqual([
        ['push-2', 'msg-9', createdAt],
        ['push-3', 'msg-9', createdAt],
      ]);
      expect(await w.queue.ack(leased)).toEqual({ settled: 2, stale: [] });
      expect(await w.queue.stats()).toMatchObject({ ready: 0, leased: 0, delayed: 0 });
    } finally {
      await w.close();
    }
  });

  it('a relay that dies after adding to Redis leaves one job, not two', async () => {
    const w = await world();
    try {
      await w.queue.enqueue([makeTask(1)]);
      // The dying relay: leases from the table and adds to Redis, but never deletes the row.
      const [row] = await w.sql.lease(10, 5_000);
      await w.redis.enqueueRelayed([
        { task: row!.task, externalId: `outbox:${row!.id}`, createdAt: row!.createdAt, groupKey: null },
      ]);
      expect(await w.queue.relayOnce()).toBe(0); // still under the dead relay's lease
      w.clock.advance(5_000);
      expect(await w.queue.relayOnce()).toBe(1);
      const leased = await w.queue.lease(10, 1_000);
      expect(leased.map((j) => j.task.pushId)).toEqual(['push-1']);
      expect(await w.queue.stats()).toMatchObject({ ready: 0, leased: 1, delayed: 0 });
    } finally {
      await w.close();
    }
  });

  it('a relayed job is not due in Redis before its outbox row is gone, so a dying relay cannot make it go twice', async () => {
    const w = await world();
    try {
      await w.queue.enqueue([makeTask(1)], { groupKey: 'task-1' });
      // The dying relay adds the job as relayOnce does, held, and dies before deleting the row.
      const [row] = await w.sql.lease(10, 5_000);
      const [id] = await w.redis.enqueueRelayed(
        [{ task: row!.task, externalId: `outbox:${row!.id}`, createdAt: row!.createdAt, groupKey: 'task-1' }],
        10_000,
      );
      // Without the hold a dispatcher could send and acknowledge it now, and the relay after the crash would
      // add it again as a new job.
      expect(await w.queue.lease(10, 1_000)).toEqual([]);
      w.clock.advance(5_000);
      // The row's lease expired: the next relay adds it again (the same held job) and releases it.
      expect(await w.queue.relayOnce()).toBe(1);
      const leased = await w.queue.lease(10, 1_000);
      expect(leased.map((j) => [j.id, j.task.pushId, j.groupKey])).toEqual([[id, 'push-1', 'task-1']]);
      expect(await w.queue.ack(leased)).toEqual({ settled: 1, stale: [] });
      expect(await w.queue.relayOnce()).toBe(0);
      w.clock.advance(60_000);
      expect(await w.queue.lease(10, 1_000)).toEqual([]);
      // A released job is not touched by a late release of the same ID.
      expect(await w.redis.releaseRelayed([id!])).toBe(0);
    } finally {
      await w.close();
    }
  });

  it('the running relay moves committed jobs without being asked', async () => {
    const w = await world();
    try {
      w.queue.start();
      await w.db.transaction().execute((trx) => w.queue.enqueueWith(trx, [makeTask(1)]));
      const got = await eventually(async () => {
        const jobs = await w.queue.lease(10, 1_000);
        return jobs.length > 0 ? jobs : undefined;
      });
      expect(got.map((j) => j.task.pushId)).toEqual(['push-1']);
      await w.queue.stop();
    } finally {
      await w.close();
    }
  });
  it('commits the record of a settlement before Redis settles: a failed record leaves Redis untouched', async () => {
    const w = await world();
    try {
      await w.queue.enqueue([makeTask(1), makeTask(2)]);
      await w.queue.relayOnce();
      const jobs = await w.queue.lease(10, 60_000);
      const seen: string[][] = [];
      await expect(
        w.queue.settle({ acks: jobs }, async (_trx, ids) => {
          seen.push([...ids].sort());
          throw new Error('database down');
        }),
      ).rejects.toThrow('database down');
      expect(await w.redis.stats()).toMatchObject({ leased: 2 });
      expect(
        await w.queue.settle({ acks: jobs }, async (trx, ids) => {
          seen.push([...ids].sort());
          await trx
            .insertInto('push_nodes')
            .values({ node_id: 'recorded', started_at: 1, alive_until: 1 })
            .execute();
        }),
      ).toEqual({ settled: 2, stale: [] });
      expect(seen).toEqual([jobs.map((j) => j.id).sort(), jobs.map((j) => j.id).sort()]);
      expect(await w.db.selectFrom('push_nodes').select('node_id').execute()).toEqual([
        { node_id: 'recorded' },
      ]);
      expect(await w.redis.stats()).toMatchObject({ leased: 0, ready: 0 });
    } finally {
      await w.close();
    }
  });
});
