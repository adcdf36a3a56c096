// The embedded SQL push queue against the shared queue contract, on SQLite and on PostgreSQL, plus what only
// the SQL queue offers: enqueueing inside the caller's transaction.
import { describe, expect, it } from 'vitest';
import { SqlPushQueue } from '../../../src/push/queue/sql-queue.js';
import { GroupCommit } from '../../../src/store/group-commit.js';
import { type Backend, testBackends } from '../../helpers/databases.js';
import {
  FakeClock,
  makeTask,
  type QueueFactory,
  type QueueHarness,
  queueContract,
} from '../../helpers/queue-contract.js';
import { sqlQueueStorage } from '../../helpers/queue-storage.js';

const backends = await testBackends();

/** `grouped`: settlements go through a group commit of the database (SQLite; store/group-commit.ts). */
function sqlFactory(backend: Backend, grouped = false): QueueFactory {
  return async ({ now }) => {
    const storage = await sqlQueueStorage(backend);
    const make = async () => {
      const { db } = await storage.open();
      return new SqlPushQueue(db, {
        ...(now ? { now } : {}),
        ...(grouped ? { transact: new GroupCommit(db).transact } : {}),
      });
    };
    const harness: QueueHarness = {
      queue: await make(),
      // PostgreSQL: a second pool, like a second node. SQLite serves one process through one connection
      // (better-sqlite3 is synchronous: two connections in one thread would wait on each other's locks), so
      // the second leaser shares it, like a second dispatcher worker in the same process.
      openAnother:
        backend === 'postgres'
          ? make
          : async () => new SqlPushQueue((harness.queue as SqlPushQueue).database, now ? { now } : {}),
      async reopen() {
        await storage.closeAll();
        harness.queue = await make();
        return harness.queue;
      },
      close: () => storage.drop(),
    };
    return harness;
  };
}

describe('SQL push queue on sqlite, settling through the group commit', () => {
  queueContract(sqlFactory('sqlite', true));

  it('a settlement shares the COMMIT of the work queued with it, and outlives a failing neighbour', async () => {
    const storage = await sqlQueueStorage('sqlite');
    try {
      const { db } = await storage.open();
      const commits = new GroupCommit(db);
      const queue = new SqlPushQueue(db, { transact: commits.transact });
      await queue.enqueue([makeTask(1), makeTask(2)]);
      const [first, second] = await queue.lease(2, 60_000);
      const transactions = new Set<unknown>();
      const node = (id: string) => ({ node_id: id, started_at: 1, alive_until: 1 });
      // Queued in the same turn: a send that fails, the settlement, a send that is kept.
      const results = await Promise.allSettled([
        commits.run(async (trx) => {
          transactions.add(trx);
          await trx.insertInto('push_nodes').values(node('failed-send')).execute();
          throw new Error('send refused');
        }),
        queue.settle(
          { acks: [first!], retries: [{ job: second!, delayMs: 0, error: '503' }] },
          async (trx) => {
            transactions.add(trx);
            await trx.insertInto('push_nodes').values(node('settlement-record')).execute();
          },
        ),
        commits.run(async (trx) => {
          transactions.add(trx);
          await trx.insertInto('push_nodes').values(node('kept-send')).execute();
        }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
      expect(results[1]).toMatchObject({ value: { settled: 2, stale: [] } });
      expect(transactions.size).toBe(1);
      expect(await queue.stats()).toMatchObject({ leased: 0, ready: 1 });
      const nodes = await db.selectFrom('push_nodes').select('node_id').orderBy('node_id').execute();
      expect(nodes.map((r) => r.node_id)).toEqual(['kept-send', 'settlement-record']);
    } finally {
      await storage.drop();
    }
  });
});

describe.each(backends)('SQL push queue on %s', (backend) => {
  queueContract(sqlFactory(backend));

  it("commits push jobs atomically with the caller's transaction", async () => {
    const storage = await sqlQueueStorage(backend);
    try {
      const { db } = await storage.open();
      const queue = new SqlPushQueue(db);
      await expect(
        db.transaction().execute(async (trx) => {
          await queue.enqueueWith(trx, [makeTask(1), makeTask(2)]);
          throw new Error('message insert failed');
        }),
      ).rejects.toThrow('message insert failed');
      expect((await queue.stats()).ready).toBe(0);

      const ids = await db.transaction().execute((trx) => queue.enqueueWith(trx, [makeTask(3)]));
      expect((await queue.lease(10, 1_000)).map((j) => j.id)).toEqual(ids);
    } finally {
      await storage.drop();
    }
  });

  it("enqueues jobs already leased to the caller's dispatcher, settled and reclaimed as any lease", async () => {
    const storage = await sqlQueueStorage(backend);
    try {
      const { db } = await storage.open();
      const clock = new FakeClock();
      const queue = new SqlPushQueue(db, { now: clock.now });
      const lease = { token: 'handoff-1', owner: 'node-a', visibilityMs: 60_000 };
      // Rolled back with the caller's transaction: nothing of it stays.
      await expect(
        db.transaction().execute(async (trx) => {
          await queue.enqueueLeasedWith(trx, [makeTask(1)], { groupKey: 'm0' }, lease);
          throw new Error('message insert failed');
        }),
      ).rejects.toThrow('message insert failed');
      expect(await queue.stats()).toMatchObject({ ready: 0, leased: 0 });

      const tasks = [makeTask(2), makeTask(3), makeTask(4)];
      const jobs = await db
        .transaction()
        .execute((trx) => queue.enqueueLeasedWith(trx, tasks, { groupKey: 'm1' }, lease));
      expect(jobs.map((j) => j.task)).toEqual(tasks);
      expect(jobs[0]).toMatchObject({
        groupKey: 'm1',
        attempts: 0,
        leaseCount: 1,
        leaseToken: 'handoff-1',
        leaseExpiresAt: clock.ms + 60_000,
        createdAt: clock.ms,
      });
      // Leased from the start: no lease hands them out again while the lease lives.
      expect(await queue.stats()).toMatchObject({ ready: 0, leased: 3 });
      expect(await queue.lease(10, 60_000)).toEqual([]);
      // Settled like leased jobs: one acked, one retried.
      expect(
        await queue.settle({ acks: [jobs[0]!], retries: [{ job: jobs[1]!, delayMs: 0, error: '503' }] }),
      ).toEqual({ settled: 2, stale: [] });
      const [retried] = await queue.lease(10, 60_000);
      expect(retried).toMatchObject({ id: jobs[1]!.id, attempts: 1, leaseCount: 2 });
      await queue.ack([retried!]);
      // The third one's node died: its successor (same owner) takes it back at once, under a new lease.
      expect(await queue.reclaimOwner('node-a')).toBe(1);
      const [back] = await queue.lease(10, 60_000);
      expect(back).toMatchObject({ id: jobs[2]!.id, task: tasks[2], leaseCount: 2 });
      // The hand-off's token no longer settles it.
      expect(await queue.ack([jobs[2]!])).toEqual({ settled: 0, stale: [jobs[2]!.id] });
      expect(await queue.ack([back!])).toEqual({ settled: 1, stale: [] });

      // Packed like enqueued jobs (a fan-out page), and leasable again once the lease expires.
      const page = Array.from({ length: 5 }, (_, i) => makeTask(10 + i));
      const packed = await queue.enqueueLeasedWith(db, page, { packUpTo: 500 }, lease);
      expect(new Set(packed.map((j) => j.id.split('.')[0])).size).toBe(1);
      clock.advance(60_001);
      const again = await queue.lease(10, 60_000);
      expect(again.map((j) => j.id)).toEqual(packed.map((j) => j.id));
      expect(again.map((j) => j.task)).toEqual(page);
    } finally {
      await storage.drop();
    }
  });

  it('settles a batch and writes its record in one transaction: both or neither', async () => {
    const storage = await sqlQueueStorage(backend);
    try {
      const { db } = await storage.open();
      const queue = new SqlPushQueue(db);
      await queue.enqueue([makeTask(1), makeTask(2)]);
      const [first, second] = await queue.lease(2, 60_000);
      const record = (fail: boolean) => async (trx: typeof db, settled: ReadonlySet<string>) => {
        expect([...settled].sort()).toEqual([first!.id, second!.id].sort());
        await trx
          .insertInto('push_nodes')
          .values({ node_id: `recorded-${fail}`, started_at: 1, alive_until: 1 })
          .execute();
        if (fail) throw new Error('record failed');
      };
      const batch = { acks: [first!], retries: [{ job: second!, delayMs: 0, error: '503' }] };
      await expect(queue.settle(batch, record(true))).rejects.toThrow('record failed');
      // Neither the jobs nor the record changed.
      expect(await queue.stats()).toMatchObject({ leased: 2 });
      expect(await db.selectFrom('push_nodes').selectAll().execute()).toEqual([]);
      expect(await queue.settle(batch, record(false))).toEqual({ settled: 2, stale: [] });
      expect(await queue.stats()).toMatchObject({ leased: 0, ready: 1 });
      expect((await db.selectFrom('push_nodes').select('node_id').execute()).map((r) => r.node_id)).toEqual([
        'recorded-false',
      ]);
      // A stale job is not handed to the record.
      const [again] = await queue.lease(1, 60_000);
      await queue.settle({ acks: [again!] });
      await queue.settle({ acks: [again!] }, async (_trx, settled) => {
        expect(settled.size).toBe(0);
      });
    } finally {
      await storage.drop();
    }
  });

  it('refuses a malformed dead-letter ID with a clear error', async () => {
    const storage = await sqlQueueStorage(backend);
    try {
      const queue = new SqlPushQueue((await storage.open()).db);
      await expect(queue.requeueDead({ sdkAppId: 1 }, ['abc'])).rejects.toThrow('not a push job ID: "abc"');
      await expect(queue.listDead({ sdkAppId: 1 }, { after: '-1' })).rejects.toThrow(/not a push job ID/);
    } finally {
      await storage.drop();
    }
  });
});
