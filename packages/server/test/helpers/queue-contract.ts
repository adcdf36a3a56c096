// The contract every PushQueue implementation passes (SQL on SQLite and PostgreSQL, later Redis). A suite
// file calls `queueContract(name, factory)` inside its own describe block.
import { expect, it } from 'vitest';
import type { LeasedJob, PushQueue } from '../../src/push/queue/types.js';
import type { PushTask } from '../../src/push/types.js';

export interface QueueHarness {
  queue: PushQueue;
  /** Another queue over the same storage through its own connection(s), like a second Pushline node. */
  openAnother(): Promise<PushQueue>;
  /** Closes every connection and opens the storage again, like a restart; returns the new queue. */
  reopen(): Promise<PushQueue>;
  close(): Promise<void>;
}

/** `now` (when given) is the clock of every queue the harness opens. */
export type QueueFactory = (opts: { now?: () => number }) => Promise<QueueHarness>;

export const APP = 1400000001;
export const OTHER_APP = 1400000002;

export function makeTask(n: number, overrides: Partial<PushTask> = {}): PushTask {
  return {
    pushId: `push-${n}`,
    sdkAppId: APP,
    certificateId: 7,
    token: `token-${n}`,
    request: { vendor: 'fcm', message: { notification: { title: 'Alice', body: `message ${n}` } } },
    ...overrides,
  };
}

export class FakeClock {
  constructor(public ms = 1_800_000_000_000) {}
  readonly now = () => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** Polls `probe` until it returns a value other than undefined. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function withHarness(
  factory: QueueFactory,
  opts: { now?: () => number },
  body: (h: QueueHarness) => Promise<void>,
): Promise<void> {
  const h = await factory(opts);
  try {
    await body(h);
  } finally {
    await h.close();
  }
}

const EMPTY = { ready: 0, delayed: 0, leased: 0, held: 0, dead: 0, oldestReadyCreatedAt: null };

export function queueContract(factory: QueueFactory): void {
  const clock = () => new FakeClock();

  it('enqueues, leases the tasks intact and removes them on ack', async () => {
    const c = clock();
    await withHarness(factory, { now: c.now }, async ({ queue }) => {
      const tasks = [
        makeTask(1, { notAfter: c.ms + 60_000 }),
        makeTask(2, {
          request: {
            vendor: 'apns',
            pushType: 'alert',
            priority: 10,
            // Text that JSON and SQL quoting must both survive.
            body: { aps: { alert: 'Alice: 你好 "hi" \\ \' 😀\n' }, ext: '{"k":[1,null]}' },
          },
        }),
      ];
      const ids = await queue.enqueue(tasks, { groupKey: 'msg-1' });
      expect(ids).toHaveLength(2);
      expect(new Set(ids).size).toBe(2);

      const leased = await queue.lease(10, 30_000);
      expect(leased.map((j) => j.id)).toEqual(ids);
      expect(leased.map((j) => j.task)).toEqual(tasks);
      expect(leased[0]).toMatchObject({
        groupKey: 'msg-1',
        attempts: 0,
        leaseCount: 1,
        lastError: null,
        createdAt: c.ms,
        leaseExpiresAt: c.ms + 30_000,
      });
      expect(leased[0]?.task.notAfter).toBe(c.ms + 60_000);
      expect(await queue.stats()).toMatchObject({ ready: 0, leased: 2 });

      expect(await queue.ack(leased)).toEqual({ settled: 2, stale: [] });
      expect(await queue.stats()).toEqual(EMPTY);
      // Acknowledging again changes nothing and says so.
      expect(await queue.ack(leased)).toEqual({ settled: 0, stale: ids });
      expect(await queue.enqueue([])).toEqual([]);
    });
  });

  it('leases at most the batch size, oldest first, and never the same job twice', async () => {
    const c = clock();
    await withHarness(factory, { now: c.now }, async ({ queue }) => {
      const ids = await queue.enqueue(Array.from({ length: 25 }, (_, i) => makeTask(i)));
      const batches = [await queue.lease(10, 30_000), await queue.lease(10, 30_000)];
      batches.push(await queue.lease(10, 30_000));
      expect(batches.map((b) => b.length)).toEqual([10, 10, 5]);
      expect(batches.flat().map((j) => j.id)).toEqual(ids);
      expect(await queue.lease(10, 30_000)).toEqual([]);
      expect(await queue.lease(0, 30_000)).toEqual([]);
    });
  });

  it('makes a job leasable again when its visibility timeout passes (crash recovery)', async () => {
    await withHarness(factory, {}, async ({ queue }) => {
      await queue.enqueue([makeTask(1)]);
      const [first] = await queue.lease(10, 150);
      expect(first).toBeDefined();
      // Not visible while the lease lasts... (polled: a slow machine may already be past 150 ms).
      const again = await eventually(async () => {
        const got = await queue.lease(10, 30_000);
        return got.length > 0 ? got : undefined;
      });
      expect(again.map((j) => j.id)).toEqual([first!.id]);
      expect(again[0]!.leaseCount).toBe(2);
      expect(again[0]!.leaseToken).not.toBe(first!.leaseToken);
      // The first worker's late ack does not touch the job the second worker now owns.
      expect(await queue.ack([first!])).toEqual({ settled: 0, stale: [first!.id] });
      expect(await queue.retry([{ job: first!, delayMs: 0, error: 'late' }])).toMatchObject({ settled: 0 });
      expect(await queue.stats()).toMatchObject({ leased: 1 });
      expect(await queue.ack(again)).toEqual({ settled: 1, stale: [] });
    });
  });

  it('does not hand out a leased job before the lease expires, and accepts an ack after expiry', async () => {
    const c = clock();
    await withHarness(factory, { now: c.now }, async ({ queue }) => {
      await queue.enqueue([makeTask(1), makeTask(2)]);
      const leased = await queue.lease(10, 5_000);
      c.advance(4_999);
      expect(await queue.lease(10, 5_000)).toEqual([]);
      expect(await queue.stats()).toMatchObject({ leased: 2, ready: 0 });
      c.advance(1);
      expect(await queue.stats()).toMatchObject({ leased: 0, ready: 2 });
      // Expired but nobody took it over yet: the ack still counts, so the job is not sent twice.
      expect(await queue.ack(leased)).toEqual({ settled: 2, stale: [] });
      expect(await queue.lease(10, 5_000)).toEqual([]);
    });
  });

  it('retries after the delay, counting attempts and keeping the last error', async () => {
    const c = clock();
    await withHarness(factory, { now: c.now }, async ({ queue }) => {
      const [id] = await queue.enqueue([makeTask(1)]);
      let [job] = await queue.lease(1, 30_000);
      for (let attempt = 1; attempt <= 3; attempt++) {
        expect(await queue.retry([{ job: job!, delayMs: 1_000, error: `503 #${attempt}` }])).toEqual({
          settled: 1,
          stale: [],
        });
        expect(await queue.stats()).toMatchObject({ delayed: 1, ready: 0, leased: 0 });
        c.advance(999);
        expect(await queue.lease(1, 30_000)).toEqual([]);
        c.advance(1);
        [job] = await queue.lease(1, 30_000);
        expect(job).toMatchObject({
          id,
          attempts: attempt,
          lastError: `503 #${attempt}`,
          leaseCount: attempt + 1,
        });
      }
      // Releasing (graceful stop, rate limit) gives the job back without counting an attempt.
      expect(await queue.release([job!], 500)).toEqual({ settled: 1, stale: [] });
      expect(await queue.lease(1, 30_000)).toEqual([]);
      c.advance(500);
      [job] = await queue.lease(1, 30_000);
      expect(job).toMatchObject({ id, attempts: 3, lastError: '503 #3' });
    });
  });

  it('settles a batch with a different delay per job in one call', async () => {
    const c = clock();
    await withHarness(factory, { now: c.now }, async ({ queue }) => {
      await queue.enqueue(Array.from({ length: 3 }, (_, i) => makeTask(i)));
      const jobs = await queue.lease(3, 30_000);
      await queue.retry(jobs.map((job, i) => ({ job, delayMs: (i + 1) * 1_000, error: `e${i}` })));
      const seen: string[] = [];
      for (let s = 1; s <= 3; s++) {
        c.advance(1_000);
        const got = await queue.lease(10, 30_000);
        expect(got.map((j) => j.lastError)).toEqual([`e${s - 1}`]);
        seen.push(...got.map((j) => j.id));
      }
      expect(seen).toEqual(jobs.map((j) => j.id));
    });
  });

  it('settles a whole dispatched batch in one call: every kind at once, stale leases reported', async () => {
    const c = clock();
    await withHarness(factory, { now: c.now }, async ({ queue }) => {
      await queue.enqueue([
        ...Array.from({ length: 6 }, (_, i) => makeTask(i)),
        makeTask(6, { certificateId: 9 }),
      ]);
      await queue.enqueue([makeTask(7, { certificateId: 9 })], { delayMs: 60_000 }); // waiting, not leased
      const [done] = await queue.lease(1, 1_000);
      // push-1..5 of certificate 7, push-6 of certificate 9.
      const [toAck, toRetry, toRelease, toBury, toHoldAnswered, toHold] = await queue.lease(6, 30_000);
      // push-0's lease passes to someone else: its settlement must change nothing.
      c.advance(1_000);
      const [other] = await queue.lease(1, 30_000);
      expect(other!.id).toBe(done!.id);
      const r = await queue.settle({
        acks: [toAck!],
        retries: [{ job: toRetry!, delayMs: 1_000, error: '503' }],
        releases: [{ job: toRelease!, delayMs: 0 }],
        deadLetters: [{ job: toBury!, error: 'gave up', lastAnswer: 'Unregistered' }],
        holds: [
          { job: toHoldAnswered!, error: 'BadCertificate', answered: true },
          { job: toHold!, error: 'certificate paused' },
        ],
        holdCertificates: [{ certificateId: 9, error: 'BadCertificate' }],
      });
      expect(r.stale).toEqual([]);
      expect(r.settled).toBe(6);
      expect(await queue.settle({ acks: [done!] })).toEqual({ settled: 0, stale: [done!.id] });
      // Certificate 9's waiting job was parked with the certificate; the answered hold counted an attempt.
      expect(await queue.stats()).toMatchObject({ held: 3, dead: 1, leased: 1, delayed: 1, ready: 1 });
      expect(await queue.resumeCertificate(9)).toBe(2);
      expect(await queue.resumeCertificate(7)).toBe(1);
      const back = await queue.lease(10, 30_000);
      const attempts = Object.fromEntries(back.map((j) => [j.task.pushId, j.attempts]));
      expect(attempts).toEqual({ 'push-3': 0, 'push-5': 1, 'push-6': 0, 'push-7': 0 });
      expect(await queue.settle({})).toEqual({ settled: 0, stale: [] });
    });
  });

  it("reclaims an owner's unsettled leases at once, and no one else's", async () => {
    const c = clock();
    await withHarness(factory, { now: c.now }, async ({ queue }) => {
      await queue.enqueue([makeTask(1), makeTask(2), makeTask(3), makeTask(4)]);
      const a = await queue.lease(2, 600_000, { owner: 'node-a' });
      const b = await queue.lease(1, 600_000, { owner: 'node-b' });
      await queue.ack([a[1]!]);
      // node-a died: its one unsettled job is leasable now, long before its 10-minute lease ends.
      expect(await queue.reclaimOwner('node-a')).toBe(1);
      expect(await queue.reclaimOwner('node-a')).toBe(0);
      const next = await queue.lease(10, 600_000, { owner: 'node-c' });
      expect(next.map((j) => j.task.pushId).sort()).toEqual(['push-1', 'push-4']);
      expect(next.find((j) => j.task.pushId === 'push-1')!.leaseCount).toBe(2);
      // The dead owner's late settle is stale; node-b's lease is untouched.
      expect((await queue.ack([a[0]!])).stale).toEqual([a[0]!.id]);
      expect(await queue.stats()).toMatchObject({ leased: 3, ready: 0 });
      // A lease that passed to another owner is not that owner's to reclaim any more.
      expect(await queue.reclaimOwner('node-a')).toBe(0);
      expect(await queue.reclaimOwner('node-b')).toBe(1);
      expect((await queue.lease(10, 1_000)).map((j) => j.id)).toEqual([b[0]!.id]);
    });
  });

  it('keeps dead letters per app with the last answer, lists them in pages, requeues and purges', async () => {
    const c = clock();
    await withHarness(factory, { now: c.now }, async ({ queue }) => {
      await queue.enqueue([
        makeTask(1),
        makeTask(2),
        makeTask(3, { certificateId: 8 }),
        makeTask(4, { sdkAppId: OTHER_APP }),
      ]);
      const jobs = await queue.lease(10, 30_000);
      const r = await queue.deadLetter(
        jobs.map((job) => ({ job, error: 'attempts exhausted', lastAnswer: '{"status":503}' })),
      );
      expect(r).toEqual({ settled: 4, stale: [] });
      expect(await queue.lease(10, 30_000)).toEqual([]);
      expect(await queue.stats()).toMatchObject({ dead: 4, ready: 0 });
      expect(await queue.stats({ sdkAppId: APP })).toMatchObject({ dead: 3 });

      const page1 = await queue.listDead({ sdkAppId: APP }, { limit: 2 });
      expect(page1.jobs.map((j) => j.task.pushId)).toEqual(['push-1', 'push-2']);
      expect(page1.jobs[0]).toMatchObject({
        attempts: 1,
        lastError: 'attempts exhausted',
        lastAnswer: '{"status":503}',
        deadAt: c.ms,
      });
      expect(page1.next).toBeDefined();
      const page2 = await queue.listDead({ sdkAppId: APP }, { limit: 2, after: page1.next! });
      expect(page2.jobs.map((j) => j.task.pushId)).toEqual(['push-3']);
      expect(page2.next).toBeUndefined();
      expect(
        (await queue.listDead({ sdkAppId: APP, certificateId: 8 })).jobs.map((j) => j.task.pushId),
      ).toEqual(['push-3']);
      expect((await queue.listDead({ sdkAppId: OTHER_APP })).jobs.map((j) => j.task.pushId)).toEqual([
        'push-4',
      ]);

      // Another app cannot requeue or purge this app's dead letters, even by ID.
      const appIds = [...page1.jobs, ...page2.jobs].map((j) => j.id);
      expect(await queue.requeueDead({ sdkAppId: OTHER_APP }, appIds)).toBe(0);
      expect(await queue.purgeDead({ sdkAppId: OTHER_APP }, appIds)).toBe(0);
      expect(await queue.requeueDead({ sdkAppId: APP }, [])).toBe(0);

      expect(await queue.requeueDead({ sdkAppId: APP }, [page1.jobs[0]!.id])).toBe(1);
      const requeued = await queue.lease(10, 30_000);
      expect(requeued.map((j) => [j.task.pushId, j.attempts])).toEqual([['push-1', 0]]);
      await queue.ack(requeued);
      expect(await queue.requeueDead({ sdkAppId: APP })).toBe(2);
      expect((await queue.lease(10, 30_000)).map((j) => j.task.pushId)).toEqual(['push-2', 'push-3']);
      expect(await queue.purgeDead({ sdkAppId: OTHER_APP })).toBe(1);
      expect((await queue.stats()).dead).toBe(0);
    });
  });

  it("holds a paused certificate's jobs without counting attempts, and resumes them", async () => {
    const c = clock();
    await withHarness(factory, { now: c.now }, async ({ queue }) => {
      await queue.enqueue([
        makeTask(1, { certificateId: 9 }),
        makeTask(2, { certificateId: 9 }),
        makeTask(3, { certificateId: 9 }),
        makeTask(4),
      ]);
      const [first] = await queue.lease(1, 30_000);
      expect(first!.task.certificateId).toBe(9);
      expect(await queue.hold([first!], 'InvalidProviderToken')).toEqual({ settled: 1, stale: [] });
      const [second] = await queue.lease(1, 30_000); // still under lease: left alone by holdCertificate
      expect(await queue.holdCertificate(9, 'InvalidProviderToken')).toBe(1);
      expect(await queue.stats()).toMatchObject({ held: 2, leased: 1, ready: 1 });
      expect((await queue.lease(10, 30_000)).map((j) => j.task.pushId)).toEqual(['push-4']);
      await queue.hold([second!], 'InvalidProviderToken');

      expect(await queue.resumeCertificate(9)).toBe(3);
      const resumed = await queue.lease(10, 30_000);
      expect(resumed.map((j) => j.task.pushId)).toEqual(['push-1', 'push-2', 'push-3']);
      expect(resumed.map((j) => j.attempts)).toEqual([0, 0, 0]);
      expect(resumed[0]!.lastError).toBe('InvalidProviderToken');
    });
  });

  it('skips excluded certificates when leasing', async () => {
    const c = clock();
    await withHarness(factory, { now: c.now }, async ({ queue }) => {
      await queue.enqueue([
        makeTask(1, { certificateId: 9 }),
        makeTask(2),
        makeTask(3, { certificateId: 5 }),
      ]);
      const got = await queue.lease(10, 30_000, { excludeCertificateIds: [9, 5] });
      expect(got.map((j) => j.task.pushId)).toEqual(['push-2']);
      expect((await queue.lease(10, 30_000, { excludeCertificateIds: [] })).length).toBe(2);
    });
  });

  it('looks past excluded certificates within a window of 4 × max + 1,000 due entries', async () => {
    const c = clock();
    await withHarness(factory, { now: c.now }, async ({ queue }) => {
      await queue.enqueue(Array.from({ length: 1050 }, (_, i) => makeTask(i, { certificateId: 9 })));
      await queue.enqueue([makeTask(5000, { certificateId: 1 })]);
      // max 10: a window of 1,040 entries, all of certificate 9; max 20: 1,080, which reaches certificate 1.
      expect(await queue.lease(10, 30_000, { excludeCertificateIds: [9] })).toEqual([]);
      const got = await queue.lease(20, 30_000, { excludeCertificateIds: [9] });
      expect(got.map((j) => j.task.pushId)).toEqual(['push-5000']);
    });
  });

  it("leases the direct lane's due jobs before the broadcast lane's older ones", async () => {
    const c = clock();
    await withHarness(factory, { now: c.now }, async ({ queue }) => {
      // A push task's backlog, then a chat push of the same certificate: the chat push goes with the next lease.
      await queue.enqueue(Array.from({ length: 30 }, (_, i) => makeTask(i, { taskId: 'task-1' })));
      c.advance(10);
      await queue.enqueue([makeTask(100), makeTask(101, { certificateId: 5 })]);
      // (Which jobs a lease takes is the contract, not their order in its answer.)
      const first = await queue.lease(5, 30_000);
      expect(first.map((j) => j.task.pushId).sort()).toEqual([
        'push-0',
        'push-1',
        'push-100',
        'push-101',
        'push-2',
      ]);
      expect((await queue.lease(100, 30_000)).map((j) => j.task.pushId)).toEqual(
        Array.from({ length: 27 }, (_, i) => `push-${i + 3}`),
      );
    });
  });

  it("leaves out only the excluded lane of a certificate: its other lane's jobs are still leased", async () => {
    const c = clock();
    await withHarness(factory, { now: c.now }, async ({ queue }) => {
      await queue.enqueue([
        makeTask(1, { taskId: 'task-1' }),
        makeTask(2, { taskId: 'task-1', certificateId: 5 }),
      ]);
      await queue.enqueue([makeTask(3), makeTask(4, { certificateId: 5 })]);
      const direct = await queue.lease(10, 30_000, { excludeLanes: { broadcast: [7, 5] } });
      expect(direct.map((j) => j.task.pushId)).toEqual(['push-3', 'push-4']);
      const broadcast = await queue.lease(10, 30_000, { excludeLanes: { broadcast: [5] } });
      expect(broadcast.map((j) => j.task.pushId)).toEqual(['push-1']);
      await queue.release([...direct, ...broadcast]);
      // Excluded from the direct lane only: the certificate's broadcast jobs still go.
      const got = await queue.lease(10, 30_000, { excludeLanes: { direct: [7] } });
      expect(got.map((j) => j.task.pushId).sort()).toEqual(['push-1', 'push-2', 'push-4']);
    });
  });

  it('keeps a job in its lane through retries, holds, resumes and requeued dead letters', async () => {
    const c = clock();
    await withHarness(factory, { now: c.now }, async ({ queue }) => {
      // Oldest first within a lane: were the broadcast job moved to the direct lane, it would lead each lease.
      const leaseIds = async (max: number) => (await queue.lease(max, 30_000)).map((j) => j.task.pushId);
      await queue.enqueue([makeTask(1, { taskId: 'task-1', certificateId: 9 })]);
      c.advance(10);
      await queue.enqueue([makeTask(2, { certificateId: 9 })]);
      let jobs = await queue.lease(10, 30_000);
      await queue.retry(jobs.map((job) => ({ job, delayMs: 0, error: 'Unavailable' })));
      expect(await leaseIds(1)).toEqual(['push-2']);
      c.advance(30_000);
      jobs = await queue.lease(10, 30_000);
      expect(jobs.map((j) => j.task.pushId).sort()).toEqual(['push-1', 'push-2']);
      await queue.hold(jobs, 'certificate paused');
      await queue.resumeCertificate(9);
      expect(await leaseIds(1)).toEqual(['push-2']);
      c.advance(30_000);
      jobs = await queue.lease(10, 30_000);
      await queue.deadLetter(jobs.map((job) => ({ job, error: 'gave up' })));
      expect(await queue.requeueDead({ sdkAppId: APP })).toBe(2);
      expect(await leaseIds(1)).toEqual(['push-2']);
      expect(await leaseIds(1)).toEqual(['push-1']);
    });
  });

  it('honours an enqueue delay', async () => {
    const c = clock();
    await withHarness(factory, { now: c.now }, async ({ queue }) => {
      await queue.enqueue([makeTask(1)], { delayMs: 2_000 });
      expect(await queue.stats()).toMatchObject({ delayed: 1 });
      expect(await queue.lease(10, 30_000)).toEqual([]);
      c.advance(2_000);
      expect(await queue.lease(10, 30_000)).toHaveLength(1);
    });
  });

  it('reports ready, delayed, leased, held and dead counts, per app and in total', async () => {
    const c = clock();
    await withHarness(factory, { now: c.now }, async ({ queue }) => {
      const t0 = c.ms;
      await queue.enqueue(Array.from({ length: 5 }, (_, i) => makeTask(i)));
      c.advance(10);
      await queue.enqueue([makeTask(10, { sdkAppId: OTHER_APP })]);
      const [a, b, d, e] = await queue.lease(4, 30_000);
      await queue.retry([{ job: a!, delayMs: 60_000, error: 'x' }]);
      await queue.deadLetter([{ job: b!, error: 'y' }]);
      await queue.hold([d!], 'z');
      expect(e).toBeDefined();
      expect(await queue.stats()).toEqual({
        ready: 2,
        delayed: 1,
        leased: 1,
        held: 1,
        dead: 1,
        oldestReadyCreatedAt: t0,
      });
      expect(await queue.stats({ sdkAppId: OTHER_APP })).toEqual({
        ...EMPTY,
        ready: 1,
        oldestReadyCreatedAt: t0 + 10,
      });
    });
  });

  it('never gives the same job to two concurrent leasers', async () => {
    await withHarness(factory, {}, async (h) => {
      const other = await h.openAnother();
      const ids = await h.queue.enqueue(Array.from({ length: 3_000 }, (_, i) => makeTask(i)));
      const drain = async (q: PushQueue) => {
        const mine: string[] = [];
        for (;;) {
          const got = await q.lease(50, 60_000);
          if (got.length === 0) return mine;
          mine.push(...got.map((j) => j.id));
          await q.ack(got);
        }
      };
      const [a, b] = await Promise.all([drain(h.queue), drain(other)]);
      expect(a.length + b.length).toBe(ids.length);
      expect(new Set([...a, ...b]).size).toBe(ids.length);
      expect(a.length).toBeGreaterThan(0);
      expect(b.length).toBeGreaterThan(0);
    });
  });

  it('keeps enqueued and leased jobs across a restart', async () => {
    const c = clock();
    await withHarness(factory, { now: c.now }, async (h) => {
      const ids = await h.queue.enqueue([makeTask(1), makeTask(2, { notAfter: c.ms + 1_000 })], {
        groupKey: 'g',
      });
      const [leased] = await h.queue.lease(1, 10_000); // the worker "crashes" holding this lease
      const queue = await h.reopen();
      const first = await queue.lease(10, 60_000);
      expect(first.map((j) => j.id)).toEqual([ids[1]]);
      expect(first[0]!.task.notAfter).toBe(c.ms + 1_000);
      c.advance(10_000);
      const recovered = await queue.lease(10, 10_000);
      expect(recovered.map((j) => j.id)).toEqual([leased!.id]);
      expect(recovered[0]).toMatchObject({ groupKey: 'g', leaseCount: 2 });
    });
  });

  it('refuses calls after close', async () => {
    await withHarness(factory, {}, async ({ queue }) => {
      await queue.close();
      await expect(queue.enqueue([makeTask(1)])).rejects.toThrow(/closed/);
      await expect(queue.lease(1, 1_000)).rejects.toThrow(/closed/);
    });
  });

  it('handles a bulk of 20,000 jobs', async () => {
    await withHarness(factory, {}, async ({ queue }) => {
      const tasks = Array.from({ length: 20_000 }, (_, i) => makeTask(i));
      const ids = await queue.enqueue(tasks);
      expect(new Set(ids).size).toBe(20_000);
      expect((await queue.stats()).ready).toBe(20_000);
      const seen = new Set<string>();
      let leased: LeasedJob[];
      let retried = false;
      do {
        leased = await queue.lease(2_000, 60_000);
        for (const j of leased) seen.add(j.task.pushId);
        if (!retried && leased.length > 0) {
          // One batch goes through retry to exercise the bulk path, then comes back.
          expect(await queue.retry(leased.map((job) => ({ job, delayMs: 0, error: 'e' })))).toMatchObject({
            settled: leased.length,
          });
          retried = true;
          continue;
        }
        expect((await queue.ack(leased)).settled).toBe(leased.length);
      } while (leased.length > 0);
      expect(seen.size).toBe(20_000);
      expect(await queue.stats()).toEqual(EMPTY);
    });
  });
}
