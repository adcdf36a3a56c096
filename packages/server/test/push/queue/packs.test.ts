// Packed jobs of the SQL queue (push/queue/sql-packs.ts): a fan-out page's jobs of one certificate share a row,
// yet every job is leased, settled, retried, dead-lettered, held and counted as if it had a row of its own.
import { describe, expect, it } from 'vitest';
import { SqlPushQueue } from '../../../src/push/queue/sql-queue.js';
import type { LeasedJob } from '../../../src/push/queue/types.js';
import { testBackends } from '../../helpers/databases.js';
import { APP, FakeClock, makeTask } from '../../helpers/queue-contract.js';
import { sqlQueueStorage } from '../../helpers/queue-storage.js';

const backends = await testBackends();

describe.each(backends)('packed push jobs on %s', (backend) => {
  async function withQueue(body: (queue: SqlPushQueue, clock: FakeClock) => Promise<void>) {
    const storage = await sqlQueueStorage(backend);
    const clock = new FakeClock();
    try {
      const queue = new SqlPushQueue((await storage.open()).db, { now: clock.now });
      await body(queue, clock);
    } finally {
      await storage.drop();
    }
  }

  const rowOf = (id: string) => id.split('.')[0];

  it("keeps each certificate's jobs of a call in rows of at most 500, leased whole, in order", async () => {
    await withQueue(async (queue) => {
      // 1,100 jobs of certificate 7 interleaved with 100 of certificate 9, and one of certificate 11.
      const tasks = Array.from({ length: 1_200 }, (_, i) =>
        makeTask(i, { certificateId: i % 12 === 5 ? 9 : 7 }),
      );
      tasks.push(makeTask(5_000, { certificateId: 11 }));
      const ids = await queue.enqueue(tasks, { packUpTo: 500, groupKey: 'task-1' });
      expect(new Set(ids).size).toBe(1_201);
      // Packed jobs are "row.slot"; the lone job of certificate 11 has an ordinary row.
      expect(ids.at(-1)).toMatch(/^\d+$/);
      const rows = new Set(ids.slice(0, 1_200).map(rowOf));
      expect(rows.size).toBe(4); // 500 + 500 + 100 of certificate 7, 100 of certificate 9
      expect(await queue.stats()).toMatchObject({ ready: 1_201, leased: 0 });

      const first = await queue.lease(500, 60_000);
      const cert7 = tasks.map((t, i) => [t, ids[i]!] as const).filter(([t]) => t.certificateId === 7);
      expect(first.map((j) => j.id)).toEqual(cert7.slice(0, 500).map(([, id]) => id));
      expect(first.map((j) => j.task)).toEqual(cert7.slice(0, 500).map(([t]) => t));
      expect(first[0]).toMatchObject({ groupKey: 'task-1', attempts: 0, leaseCount: 1 });
      expect(await queue.stats()).toMatchObject({ ready: 701, leased: 500 });

      // Rows are leased in the order they were written: certificate 9's row was opened before the second
      // row of certificate 7. Up to 250 jobs: certificate 9's 100, but not the 500 after them...
      const second = await queue.lease(250, 60_000);
      expect(second.map((j) => j.task.certificateId)).toEqual(new Array(100).fill(9));
      // ...unless that row comes first: a row is never split between leases.
      const third = await queue.lease(250, 60_000);
      expect(third.map((j) => j.id)).toEqual(cert7.slice(500, 1_000).map(([, id]) => id));
      const fourth = await queue.lease(250, 60_000);
      expect(fourth).toHaveLength(101);
      expect(fourth.at(-1)!.task.pushId).toBe('push-5000');
      expect(await queue.lease(250, 60_000)).toEqual([]);

      const all = [...first, ...second, ...third, ...fourth];
      expect(await queue.ack(all)).toEqual({ settled: 1_201, stale: [] });
      expect(await queue.stats()).toMatchObject({ ready: 0, leased: 0 });
    });
  });

  it('settles a whole row: acks leave, every other outcome becomes a row of its own', async () => {
    await withQueue(async (queue, clock) => {
      const tasks = Array.from({ length: 10 }, (_, i) => makeTask(i));
      await queue.enqueue(tasks, { packUpTo: 500, groupKey: 'page' });
      const jobs = await queue.lease(500, 60_000);
      expect(jobs).toHaveLength(10);
      const [retried, dead, held, released, ...acked] = jobs as [LeasedJob, LeasedJob, LeasedJob, LeasedJob];
      const batch = {
        acks: acked,
        retries: [{ job: retried, delayMs: 0, error: '503' }],
        deadLetters: [{ job: dead, error: 'gave up after 8 attempts', lastAnswer: 'BadDeviceToken?' }],
        holds: [{ job: held, error: 'InvalidProviderToken', answered: true }],
        releases: [{ job: released, delayMs: 5_000 }],
      };
      expect(await queue.settle(batch)).toEqual({ settled: 10, stale: [] });
      expect(await queue.stats()).toMatchObject({ ready: 1, delayed: 1, leased: 0, held: 1, dead: 1 });
      // Settling the same lease again changes nothing.
      const again = await queue.settle(batch);
      expect(again.settled).toBe(0);
      expect(again.stale.sort()).toEqual(jobs.map((j) => j.id).sort());

      const [back] = await queue.lease(500, 60_000);
      expect(back!.id).toMatch(/^\d+$/);
      expect(back).toMatchObject({
        task: retried.task,
        attempts: 1,
        leaseCount: 2,
        groupKey: 'page',
        lastError: '503',
        createdAt: retried.createdAt,
      });
      const deadPage = await queue.listDead({ sdkAppId: APP });
      expect(deadPage.jobs.map((j) => [j.task.pushId, j.attempts, j.lastAnswer])).toEqual([
        [dead.task.pushId, 1, 'BadDeviceToken?'],
      ]);
      expect(await queue.requeueDead({ sdkAppId: APP })).toBe(1);
      expect(await queue.resumeCertificate(7)).toBe(1);
      clock.advance(5_000);
      const rest = await queue.lease(500, 60_000);
      expect(Object.fromEntries(rest.map((j) => [j.task.pushId, j.attempts]))).toEqual({
        [dead.task.pushId]: 0,
        [held.task.pushId]: 1,
        [released.task.pushId]: 0,
      });
      expect((await queue.ack([back!, ...rest])).settled).toBe(4);
      expect(await queue.stats()).toMatchObject({ ready: 0, delayed: 0, leased: 0, held: 0, dead: 0 });
    });
  });

  it('packs each lane apart, and a broadcast job settled out of its row stays in the broadcast lane', async () => {
    await withQueue(async (queue, clock) => {
      // One call with a push task's jobs and a chat push of the same certificate: two rows, never one.
      const tasks = [
        ...Array.from({ length: 4 }, (_, i) => makeTask(i, { taskId: 'task-1' })),
        makeTask(10),
        makeTask(11),
      ];
      const ids = await queue.enqueue(tasks, { packUpTo: 500 });
      expect(new Set(ids.map(rowOf)).size).toBe(2);
      const direct = await queue.lease(1, 60_000);
      expect(direct.map((j) => j.task.pushId)).toEqual(['push-10', 'push-11']);
      const page = await queue.lease(500, 60_000);
      expect(page.map((j) => j.task.pushId)).toEqual(['push-0', 'push-1', 'push-2', 'push-3']);
      // A retried job of the page gets a row of its own — in its lane: a newer chat push still goes first.
      await queue.settle({ acks: page.slice(1), retries: [{ job: page[0]!, delayMs: 0, error: '503' }] });
      clock.advance(10);
      await queue.enqueue([makeTask(20)]);
      expect((await queue.lease(1, 60_000)).map((j) => j.task.pushId)).toEqual(['push-20']);
      expect((await queue.lease(1, 60_000)).map((j) => [j.task.pushId, j.attempts])).toEqual([['push-0', 1]]);
    });
  });

  it('settles a row in parts: the rest stays leased, comes back alone after a crash, and the old lease is stale', async () => {
    await withQueue(async (queue, clock) => {
      await queue.enqueue(
        Array.from({ length: 5 }, (_, i) => makeTask(i)),
        { packUpTo: 500 },
      );
      const jobs = await queue.lease(500, 10_000, { owner: 'node-a' });
      expect(await queue.ack([jobs[0]!])).toEqual({ settled: 1, stale: [] });
      expect(await queue.retry([{ job: jobs[1]!, delayMs: 60_000, error: 'timeout' }])).toEqual({
        settled: 1,
        stale: [],
      });
      expect(await queue.ack([jobs[0]!])).toEqual({ settled: 0, stale: [jobs[0]!.id] });
      expect(await queue.stats()).toMatchObject({ leased: 3, delayed: 1 });

      // node-a dies: its successor reclaims the row's three remaining jobs, under their IDs.
      expect(await queue.reclaimOwner('node-a')).toBe(3);
      const back = await queue.lease(500, 10_000);
      expect(back.map((j) => j.id)).toEqual(jobs.slice(2).map((j) => j.id));
      expect(back.every((j) => j.leaseCount === 2)).toBe(true);
      expect((await queue.ack([jobs[2]!])).stale).toEqual([jobs[2]!.id]);

      // A paused certificate parks the row with its jobs; resuming counts them.
      expect(await queue.release(back, 0)).toMatchObject({ settled: 3 });
      expect(await queue.holdCertificate(7, 'paused')).toBe(4);
      expect(await queue.stats()).toMatchObject({ held: 4, ready: 0, delayed: 0 });
      expect(await queue.resumeCertificate(7)).toBe(4);
      clock.advance(1);
      const last = await queue.lease(500, 10_000);
      expect(last.map((j) => j.task.pushId).sort()).toEqual(['push-1', 'push-2', 'push-3', 'push-4']);
      expect(await queue.ack(last)).toEqual({ settled: 4, stale: [] });
      expect(await queue.stats()).toMatchObject({ ready: 0, leased: 0, delayed: 0, held: 0 });
    });
  });

  it('lists a request once however many packed jobs carry it, and hands the jobs one shared object back', async () => {
    await withQueue(async (queue, clock) => {
      const db = queue.database;
      // Two requests (a fan-out page's two badge numbers), each carried by three devices' jobs.
      const one = makeTask(0).request;
      const two = makeTask(1).request;
      // One of them is of another push task: the fields every job shares are stored once, the others per job.
      const tasks = Array.from({ length: 6 }, (_, i) =>
        makeTask(i, {
          request: i % 2 ? two : one,
          kind: 'all-member',
          taskId: i === 5 ? 'task-b' : 'task-a',
        }),
      );
      const ids = await queue.enqueue(tasks, { packUpTo: 500, sharedRequests: true });
      const stored = async () =>
        JSON.parse(
          (await db.selectFrom('push_job_packs').select('tasks').executeTakeFirstOrThrow()).tasks,
        ) as {
          requests: unknown[];
          common: Record<string, unknown>;
          tasks: ({ pushId: string; request: number } | null)[];
        };
      const written = await stored();
      expect(written.requests).toEqual([one, two]);
      expect(written.common).toEqual({ sdkAppId: APP, certificateId: 7, kind: 'all-member' });
      expect(written.tasks[0]).toEqual({ pushId: 'push-0', token: 'token-0', taskId: 'task-a', request: 0 });
      expect(written.tasks.map((t) => t && [t.pushId, t.request])).toEqual(
        tasks.map((t, i) => [t.pushId, i % 2]),
      );

      const jobs = await queue.lease(500, 10_000, { owner: 'node-a' });
      expect(jobs.map((j) => j.id)).toEqual(ids);
      expect(jobs.map((j) => j.task)).toEqual(tasks);
      expect(jobs[2]!.task.request).toBe(jobs[0]!.task.request);
      expect(jobs[3]!.task.request).toBe(jobs[1]!.task.request);
      expect(jobs[1]!.task.request).not.toBe(jobs[0]!.task.request);

      // Settled in parts, the row keeps its format; the rest comes back intact after a crash.
      expect(await queue.ack([jobs[0]!, jobs[1]!])).toEqual({ settled: 2, stale: [] });
      const rest = await stored();
      expect(rest.requests).toEqual([one, two]);
      expect(rest.tasks.map((t) => t?.pushId ?? null)).toEqual([
        null,
        null,
        ...ids.slice(2).map((_, i) => `push-${i + 2}`),
      ]);
      expect(await queue.reclaimOwner('node-a')).toBe(4);
      clock.advance(1);
      const back = await queue.lease(500, 10_000);
      expect(back.map((j) => j.task)).toEqual(tasks.slice(2));
      expect(await queue.ack(back)).toEqual({ settled: 4, stale: [] });
      expect(await db.selectFrom('push_job_packs').select('job_id').execute()).toEqual([]);
    });
  });

  it('writes format 1 (an array of tasks) unless told the cluster reads the shared-requests format', async () => {
    await withQueue(async (queue) => {
      const shared = makeTask(0).request;
      const tasks = Array.from({ length: 3 }, (_, i) => makeTask(i, { request: shared }));
      await queue.enqueue(tasks, { packUpTo: 500 });
      const { tasks: text } = await queue.database
        .selectFrom('push_job_packs')
        .select('tasks')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(text)).toEqual(tasks);
      const jobs = await queue.lease(500, 10_000);
      expect(jobs.map((j) => j.task)).toEqual(tasks);
      expect(await queue.ack(jobs)).toEqual({ settled: 3, stale: [] });
    });
  });

  it('commits a packed row with the caller transaction, or not at all', async () => {
    await withQueue(async (queue) => {
      const db = queue.database;
      await expect(
        db.transaction().execute(async (trx) => {
          await queue.enqueueWith(trx, [makeTask(1), makeTask(2)], { packUpTo: 500 });
          throw new Error('page failed');
        }),
      ).rejects.toThrow('page failed');
      expect((await queue.stats()).ready).toBe(0);
    });
  });
});
