// The dispatcher's own logic — grouping, retries with backoff, dead letters, held certificates, rate limits,
// graceful stop — over the real SQL queue on SQLite and PostgreSQL. The channels are a scripted in-test
// registry: real vendor channels are tested against the simulators in their own suites.
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CertificateState,
  type DispatchChannels,
  Dispatcher,
  type DispatcherOptions,
  type DispatchOutcome,
  type OutcomeInfo,
} from '../../../src/push/dispatch/index.js';
import { OutboxPushQueue } from '../../../src/push/queue/outbox.js';
import { RedisPushQueue } from '../../../src/push/queue/redis-queue.js';
import { SqlPushQueue } from '../../../src/push/queue/sql-queue.js';
import type { PushQueue } from '../../../src/push/queue/types.js';
import type { PushOutcome, PushTask } from '../../../src/push/types.js';
import { testBackends } from '../../helpers/databases.js';
import { APP, eventually, FakeClock, makeTask } from '../../helpers/queue-contract.js';
import { sqlQueueStorage } from '../../helpers/queue-storage.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../../helpers/redis.js';

const backends = await testBackends();

/** Inserts `tasks` leased with a hand-off the dispatcher must offer, and hands them to it after the commit. */
async function handOffNow(queue: SqlPushQueue, dispatcher: Dispatcher, tasks: PushTask[]): Promise<void> {
  const offer = dispatcher.handOffLease(tasks.length);
  expect(offer).toBeDefined();
  const jobs = await queue.database
    .transaction()
    .execute((trx) => queue.enqueueLeasedWith(trx, tasks, { groupKey: 'm' }, offer!));
  dispatcher.handOff(jobs);
}

/** A promise the test opens when it chooses: what a held send or settlement waits for. */
function gate(): { closed: Promise<void>; open: () => void } {
  let open!: () => void;
  const closed = new Promise<void>((r) => {
    open = r;
  });
  return { closed, open };
}

class ScriptedChannels implements DispatchChannels {
  readonly calls: { certificateId: number; pushIds: string[] }[] = [];
  readonly status = new Map<number, CertificateState>();
  readonly sends = new Map<string, number>();
  /** Answers a task's n-th send (1-based); default: sent. */
  script: (task: PushTask, n: number) => PushOutcome = () => ({ kind: 'sent' });
  /** Replaces the whole answer (to throw, hang or miscount). */
  override?: (tasks: PushTask[]) => Promise<PushOutcome[]>;

  async send(certificateId: number, tasks: PushTask[]): Promise<PushOutcome[]> {
    this.calls.push({ certificateId, pushIds: tasks.map((t) => t.pushId) });
    if (this.override) return this.override(tasks);
    return tasks.map((t) => {
      const n = (this.sends.get(t.pushId) ?? 0) + 1;
      this.sends.set(t.pushId, n);
      return this.script(t, n);
    });
  }

  async certificateStatus(certificateId: number): Promise<CertificateState> {
    return this.status.get(certificateId) ?? 'active';
  }

  sentIds(): string[] {
    return this.calls.flatMap((c) => c.pushIds);
  }

  /** Sends of push tasks' jobs wait until the returned function is called; others answer sent at once. */
  holdBroadcasts(): () => void {
    const held = gate();
    this.override = async (tasks) => {
      if (tasks[0]?.taskId) await held.closed;
      return tasks.map(() => ({ kind: 'sent' }));
    };
    return held.open;
  }

  /** Sends of `certificateId` wait until the returned function is called; others answer sent at once. */
  holdCertificate(certificateId: number): () => void {
    const held = gate();
    this.override = async (tasks) => {
      if (tasks[0]?.certificateId === certificateId) await held.closed;
      return tasks.map(() => ({ kind: 'sent' }));
    };
    return held.open;
  }
}

/** A push task's 1,000 jobs of certificate 1 (the broadcast lane). */
function broadcastTasks(): PushTask[] {
  return Array.from({ length: 1000 }, (_, i) => makeTask(i, { certificateId: 1, taskId: 'broadcast' }));
}

/**
 * The chat push push-5000 goes out in a third call while the broadcast's two batches hang; once they are
 * released, each of the 1,001 jobs has been sent once and the queue is empty.
 */
async function chatSentBesideBroadcast(
  queue: PushQueue,
  channels: ScriptedChannels,
  openBroadcasts: () => void,
): Promise<void> {
  await eventually(async () => (channels.sentIds().includes('push-5000') ? true : undefined));
  expect(channels.calls.map((c) => c.pushIds.length)).toEqual([100, 100, 1]);
  openBroadcasts();
  await eventually(async () => {
    const { ready, leased } = await queue.stats();
    return channels.sentIds().length >= 1001 && ready === 0 && leased === 0 ? true : undefined;
  });
  expect(new Set(channels.sentIds()).size).toBe(1001);
}

interface Seen {
  task: PushTask;
  outcome: DispatchOutcome;
  info: OutcomeInfo;
}

describe.each(backends)('dispatch over the SQL queue on %s', (backend) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  async function setup(opts: Partial<DispatcherOptions> = {}, realClock = false) {
    const storage = await sqlQueueStorage(backend);
    cleanups.push(() => storage.drop());
    const clock = new FakeClock();
    const now = realClock ? Date.now : clock.now;
    const queue = new SqlPushQueue((await storage.open()).db, { now });
    const channels = new ScriptedChannels();
    const seen: Seen[] = [];
    const invalid: [string, string][] = [];
    const credentialErrors: [number, string][] = [];
    const errors: string[] = [];
    const dispatcher = new Dispatcher({
      queue,
      channels,
      now,
      random: () => 0.5,
      backoffBaseMs: 1_000,
      backoffMaxMs: 8_000,
      onOutcome: (task, outcome, info) => seen.push({ task, outcome, info }),
      onInvalidToken: (task, code) => {
        invalid.push([task.pushId, code]);
      },
      onCredentialError: (id, code) => {
        credentialErrors.push([id, code]);
      },
      onError: (_err, context) => errors.push(context),
      ...opts,
    });
    cleanups.unshift(() => dispatcher.stop());
    return { queue, channels, dispatcher, clock, seen, invalid, credentialErrors, errors };
  }

  it('sends each job once, one call per certificate, and removes what was sent', async () => {
    const { queue, channels, dispatcher, seen } = await setup();
    const tasks = Array.from({ length: 30 }, (_, i) => makeTask(i, { certificateId: 1 + (i % 3) }));
    await queue.enqueue(tasks);
    expect(await dispatcher.runOnce()).toBe(30);
    expect(channels.calls.map((c) => c.certificateId).sort()).toEqual([1, 2, 3]);
    expect(channels.sentIds().sort()).toEqual(tasks.map((t) => t.pushId).sort());
    expect(channels.calls.find((c) => c.certificateId === 2)?.pushIds).toEqual(
      tasks.filter((t) => t.certificateId === 2).map((t) => t.pushId),
    );
    expect(seen).toHaveLength(30);
    expect(
      seen.every((s) => s.outcome.kind === 'sent' && s.info.action === 'done' && s.info.attempt === 1),
    ).toBe(true);
    expect(await queue.stats()).toMatchObject({ ready: 0, leased: 0, delayed: 0 });
    expect(await dispatcher.runOnce()).toBe(0);
  });

  it("retries with exponential backoff and jitter, honouring the vendor's Retry-After", async () => {
    const { queue, channels, dispatcher, clock, seen } = await setup();
    channels.script = (_t, n) =>
      n === 1
        ? { kind: 'retry', code: '429', afterMs: 5_000 }
        : n <= 5
          ? { kind: 'retry', code: '503' }
          : { kind: 'sent' };
    await queue.enqueue([makeTask(1)]);
    await dispatcher.runOnce();
    expect(seen.at(-1)?.info).toMatchObject({ action: 'retry', attempt: 1, delayMs: 5_000 });
    // With random() = 0.5 the delay is 3/4 of base·2^(attempt-1), capped at 8 s.
    const expected = [1_500, 3_000, 6_000, 6_000];
    for (const [i, delay] of expected.entries()) {
      const before = seen.length;
      clock.advance((seen.at(-1)?.info.delayMs ?? 0) - 1);
      expect(await dispatcher.runOnce()).toBe(0);
      clock.advance(1);
      expect(await dispatcher.runOnce()).toBe(1);
      expect(seen.length).toBe(before + 1);
      expect(seen.at(-1)?.info).toMatchObject({ action: 'retry', attempt: i + 2, delayMs: delay });
      expect(seen.at(-1)?.outcome).toEqual({ kind: 'retry', code: '503' });
    }
    clock.advance(6_000);
    await dispatcher.runOnce();
    expect(seen.at(-1)?.info).toMatchObject({ action: 'done', attempt: 6 });
    expect(channels.sends.get('push-1')).toBe(6);
  });

  it('dead-letters a job after the last attempt, with the last vendor answer', async () => {
    const { queue, channels, dispatcher, clock, seen } = await setup({ maxAttempts: 3 });
    channels.script = () => ({ kind: 'retry', code: 'Unavailable' });
    await queue.enqueue([makeTask(1)]);
    for (let i = 0; i < 3; i++) {
      expect(await dispatcher.runOnce()).toBe(1);
      clock.advance(60_000);
    }
    expect(await dispatcher.runOnce()).toBe(0);
    expect(seen.map((s) => s.info.action)).toEqual(['retry', 'retry', 'dead-letter']);
    const dead = await queue.listDead({ sdkAppId: APP });
    expect(dead.jobs).toHaveLength(1);
    expect(dead.jobs[0]).toMatchObject({
      attempts: 3,
      lastAnswer: 'Unavailable',
      lastError: 'gave up after 3 attempts',
    });
  });

  it('drops the binding on invalid-token and never retries it or a rejected push', async () => {
    const { queue, channels, dispatcher, clock, invalid, seen } = await setup();
    channels.script = (t) =>
      t.pushId === 'push-1'
        ? { kind: 'invalid-token', code: 'BadDeviceToken' }
        : { kind: 'rejected', code: 'PayloadTooLarge' };
    await queue.enqueue([makeTask(1), makeTask(2)]);
    await dispatcher.runOnce();
    expect(invalid).toEqual([['push-1', 'BadDeviceToken']]);
    expect(seen.map((s) => [s.task.pushId, s.outcome.kind, s.info.action])).toEqual([
      ['push-1', 'invalid-token', 'done'],
      ['push-2', 'rejected', 'done'],
    ]);
    clock.advance(3_600_000);
    expect(await dispatcher.runOnce()).toBe(0);
    expect(await queue.stats()).toMatchObject({ ready: 0, delayed: 0, dead: 0 });
  });

  it('holds a certificate on credential-error (the answer counts as the attempt it was), and resumes it', async () => {
    const { queue, channels, dispatcher, credentialErrors, seen } = await setup({ batchSize: 6 });
    channels.script = (t) =>
      t.certificateId === 9 ? { kind: 'credential-error', code: 'InvalidProviderToken' } : { kind: 'sent' };
    await queue.enqueue([
      ...Array.from({ length: 4 }, (_, i) => makeTask(i, { certificateId: 9 })),
      makeTask(10, { certificateId: 7 }),
      makeTask(11, { certificateId: 7 }),
      ...Array.from({ length: 3 }, (_, i) => makeTask(20 + i, { certificateId: 9 })),
    ]);
    expect(await dispatcher.runOnce()).toBe(6);
    expect(credentialErrors).toEqual([[9, 'InvalidProviderToken']]);
    // The batch's four jobs and the three still waiting are all held; certificate 7 went out.
    expect(await queue.stats()).toMatchObject({ held: 7, ready: 0 });
    expect(channels.sentIds().filter((id) => id === 'push-10' || id === 'push-11')).toHaveLength(2);
    expect(await dispatcher.runOnce()).toBe(0);
    expect(seen.filter((s) => s.info.action === 'hold')).toHaveLength(4);

    channels.script = () => ({ kind: 'sent' });
    expect(await queue.resumeCertificate(9)).toBe(7);
    await dispatcher.runOnce();
    await dispatcher.runOnce();
    const resent = seen.filter((s) => s.task.certificateId === 9 && s.info.action === 'done');
    expect(resent).toHaveLength(7);
    // The four answered with the credential error go out as their second attempt (each answer is recorded
    // once per attempt); the three that waited never went, so this is their first.
    expect(resent.map((s) => s.info.attempt).sort()).toEqual([1, 1, 1, 2, 2, 2, 2]);
  });

  it('holds jobs of a paused certificate and dead-letters those of a deleted one, without sending', async () => {
    const { queue, channels, dispatcher, seen } = await setup();
    channels.status.set(9, 'paused');
    channels.status.set(5, 'missing');
    await queue.enqueue([makeTask(1, { certificateId: 9 }), makeTask(2, { certificateId: 5 })]);
    await dispatcher.runOnce();
    expect(channels.calls).toEqual([]);
    expect(seen.map((s) => [s.outcome.kind, s.info.action]).sort()).toEqual([
      ['certificate-paused', 'hold'],
      ['no-certificate', 'dead-letter'],
    ]);
    expect(await queue.stats()).toMatchObject({ held: 1, dead: 1 });
  });

  it('keeps each certificate within its rate limit', async () => {
    const throttled: [number, number][] = [];
    const { queue, channels, dispatcher, clock, seen } = await setup({
      rateLimit: async (id) => (id === 7 ? { perSecond: 10, burst: 10 } : undefined),
      onThrottled: (tasks, delayMs) => throttled.push([tasks.length, delayMs]),
    });
    await queue.enqueue([
      ...Array.from({ length: 25 }, (_, i) => makeTask(i)),
      ...Array.from({ length: 20 }, (_, i) => makeTask(100 + i, { certificateId: 8 })),
    ]);
    await dispatcher.runOnce();
    expect(channels.calls.find((c) => c.certificateId === 7)?.pushIds).toHaveLength(10);
    expect(channels.calls.find((c) => c.certificateId === 8)?.pushIds).toHaveLength(20);
    // The other 15 come back in bursts, each when the bucket holds it: 10 after 1 s, 5 a second later.
    clock.advance(999);
    expect(await dispatcher.runOnce()).toBe(0);
    clock.advance(1);
    expect(await dispatcher.runOnce()).toBe(10);
    expect(channels.calls.at(-1)?.pushIds).toHaveLength(10);
    clock.advance(999);
    expect(await dispatcher.runOnce()).toBe(0);
    clock.advance(1);
    expect(await dispatcher.runOnce()).toBe(5);
    expect(new Set(channels.sentIds()).size).toBe(45);
    // Deferred, not retried: no attempt was counted and no outcome reported for the waits.
    expect(throttled).toEqual([[15, 1000]]);
    expect(
      seen.map((s) => [s.outcome.kind, s.info.attempt]).filter(([k, a]) => k !== 'sent' || a !== 1),
    ).toEqual([]);
  });

  it('does not send a push past its notAfter', async () => {
    const { queue, channels, dispatcher, clock, seen } = await setup();
    channels.script = () => ({ kind: 'retry', code: '503' });
    await queue.enqueue([makeTask(1, { notAfter: clock.ms - 1 }), makeTask(2, { notAfter: clock.ms + 500 })]);
    await dispatcher.runOnce();
    expect(channels.sentIds()).toEqual(['push-2']);
    // push-2's next attempt (0.75 s) would come after its notAfter: it expires instead of waiting.
    expect(seen.map((s) => [s.task.pushId, s.outcome.kind])).toEqual([
      ['push-1', 'expired'],
      ['push-2', 'expired'],
    ]);
    expect(await queue.stats()).toMatchObject({ ready: 0, delayed: 0 });
  });

  it('retries a batch whose channel throws or miscounts', async () => {
    const { queue, channels, dispatcher, clock, seen, errors } = await setup();
    channels.override = async () => {
      throw new Error('socket hang up');
    };
    await queue.enqueue([makeTask(1), makeTask(2)]);
    await dispatcher.runOnce();
    channels.override = async () => [{ kind: 'sent' }];
    clock.advance(60_000);
    await dispatcher.runOnce();
    expect(errors).toHaveLength(2);
    expect(seen.map((s) => [s.outcome, s.info.action, s.info.attempt])).toEqual([
      [{ kind: 'retry', code: 'send-failed' }, 'retry', 1],
      [{ kind: 'retry', code: 'send-failed' }, 'retry', 1],
      [{ kind: 'retry', code: 'send-failed' }, 'retry', 2],
      [{ kind: 'retry', code: 'send-failed' }, 'retry', 2],
    ]);
  });

  it("sends one device's pushes in lease order: a later batch's push to it waits for the earlier answer, its others do not", async () => {
    // Batches of two: the first carries the phone's push 1 (its send hangs), the second the phone's push 3
    // and a tablet's push 4. Push 4 goes at once; push 3 only once push 1 is answered.
    const { queue, channels, dispatcher } = await setup({ idleMs: 20, batchSize: 2, concurrency: 4 }, true);
    const first = gate();
    channels.override = async (tasks) => {
      if (tasks.some((t) => t.pushId === 'push-1')) await first.closed;
      return tasks.map(() => ({ kind: 'sent' }));
    };
    await queue.enqueue([
      makeTask(1, { token: 'phone' }),
      makeTask(2, { token: 'watch' }),
      makeTask(3, { token: 'phone' }),
      makeTask(4, { token: 'tablet' }),
    ]);
    cleanups.unshift(async () => first.open()); // a failed check must not leave the send hanging
    dispatcher.start();
    await eventually(async () => (channels.sentIds().includes('push-4') ? true : undefined));
    expect(channels.calls.map((c) => c.pushIds)).toEqual([['push-1', 'push-2'], ['push-4']]);
    first.open();
    await eventually(async () => {
      const { ready, leased } = await queue.stats();
      return ready + leased === 0 ? true : undefined;
    });
    expect(channels.calls.map((c) => c.pushIds)).toEqual([['push-1', 'push-2'], ['push-4'], ['push-3']]);
  });

  it("settles each certificate's jobs when its own send returns, not the slowest one's", async () => {
    const { queue, channels, dispatcher, seen } = await setup();
    const release = channels.holdCertificate(1);
    await queue.enqueue([
      makeTask(1, { certificateId: 1 }),
      makeTask(2, { certificateId: 2 }),
      makeTask(3, { certificateId: 2 }),
    ]);
    const running = dispatcher.runOnce();
    await eventually(async () => ((await queue.stats()).leased === 1 ? true : undefined));
    expect(seen.map((s) => s.task.pushId)).toEqual(['push-2', 'push-3']);
    release();
    expect(await running).toBe(3);
    expect(await queue.stats()).toMatchObject({ leased: 0, ready: 0 });
  });

  it("leaves batches to other certificates while one certificate's backlog fills its share", async () => {
    // Four batches in flight, at most two of them carrying one certificate's jobs: a push of certificate 2
    // queued behind 1,000 of certificate 1 is sent while certificate 1's sends are still out.
    const { queue, channels, dispatcher } = await setup({ idleMs: 20, batchSize: 100, concurrency: 4 }, true);
    const release = channels.holdCertificate(1);
    await queue.enqueue(Array.from({ length: 1000 }, (_, i) => makeTask(i, { certificateId: 1 })));
    await queue.enqueue([makeTask(5000, { certificateId: 2 })]);
    dispatcher.start();
    await eventually(async () => (channels.sentIds().includes('push-5000') ? true : undefined));
    expect(channels.calls.filter((c) => c.certificateId === 1)).toHaveLength(2);
    release();
    // Sent is not yet settled: the last batches commit after their sends return.
    await eventually(async () => {
      const { ready, leased } = await queue.stats();
      return channels.sentIds().length >= 1001 && ready === 0 && leased === 0 ? true : undefined;
    });
    expect(channels.sentIds()).toHaveLength(1001);
    expect(new Set(channels.sentIds()).size).toBe(1001);
  });

  it("hands off a certificate's chat pushes while its own broadcast fills its share, ahead of the broadcast's backlog", async () => {
    // A push task's jobs (taskId) and the certificate's other pushes have a share each: with the broadcast's
    // two batches out, a chat push of the same certificate is offered a hand-off and sent by one of the
    // other two batches, though 800 of the broadcast's jobs were queued before it.
    const { queue, channels, dispatcher } = await setup(
      { idleMs: 60_000, batchSize: 100, concurrency: 4 },
      true,
    );
    const openBroadcasts = channels.holdBroadcasts();
    await queue.enqueue(broadcastTasks());
    dispatcher.start();
    await eventually(async () => (channels.calls.length === 2 ? true : undefined));
    await handOffNow(queue, dispatcher, [makeTask(5000, { certificateId: 1 })]);
    await chatSentBesideBroadcast(queue, channels, openBroadcasts);
  });

  it.each(['SQL', 'Redis'])(
    "leases a certificate's chat push from the direct lane while its own broadcast fills its share (%s queue)",
    async (kind) => {
      // No hand-off (the Redis queue has none; with the SQL queue, a chat push beyond a batch of waiting
      // hand-offs is queued): the chat push waits in the queue behind 800 of the broadcast's jobs, and the
      // lease of one of the two other batches takes it from the direct lane.
      const storage = await sqlQueueStorage(backend);
      cleanups.push(() => storage.drop());
      const sqlQueue = new SqlPushQueue((await storage.open()).db);
      let queue: PushQueue = sqlQueue;
      let relay = async () => {};
      if (kind === 'Redis') {
        const prefix = testPrefix();
        const outbox = new OutboxPushQueue(sqlQueue, new RedisPushQueue(REDIS_URL, { prefix }), {
          visibilityMs: 5_000,
        });
        cleanups.push(async () => {
          await outbox.close();
          await dropPrefix(prefix);
        });
        queue = outbox;
        relay = async () => {
          while ((await outbox.relayOnce()) > 0);
        };
      }
      const { channels, dispatcher } = await setup(
        { queue, idleMs: 60_000, batchSize: 100, concurrency: 4 },
        true,
      );
      const openBroadcasts = channels.holdBroadcasts();
      await queue.enqueue(broadcastTasks());
      await relay();
      dispatcher.start();
      await eventually(async () => (channels.calls.length === 2 ? true : undefined));
      await queue.enqueue([makeTask(5000, { certificateId: 1 })]);
      await relay();
      dispatcher.wake();
      await chatSentBesideBroadcast(queue, channels, openBroadcasts);
    },
  );

  it('hands off while every batch is busy: the next batch to finish takes the jobs before the queue', async () => {
    // Two batches, one per certificate at most: certificates 1 and 2 each hold one with a hanging send, and
    // more of certificate 2's jobs wait in the queue. A push of certificate 3 is still offered a hand-off, and
    // the batch that finishes first sends it before it leases certificate 2's older jobs.
    const { queue, channels, dispatcher } = await setup(
      { idleMs: 60_000, batchSize: 10, concurrency: 2 },
      true,
    );
    // Each certificate's first send waits for its gate.
    const gates = new Map([1, 2].map((id) => [id, gate()]));
    const waiting = new Map(gates);
    channels.override = async (tasks) => {
      const id = tasks[0]!.certificateId;
      const first = waiting.get(id);
      waiting.delete(id);
      if (first) await first.closed;
      return tasks.map((): PushOutcome => ({ kind: 'sent' }));
    };
    await queue.enqueue(Array.from({ length: 10 }, (_, i) => makeTask(i, { certificateId: 1 })));
    await queue.enqueue(Array.from({ length: 30 }, (_, i) => makeTask(100 + i, { certificateId: 2 })));
    dispatcher.start();
    await eventually(async () => (channels.calls.length === 2 ? true : undefined));
    await handOffNow(queue, dispatcher, [makeTask(5000, { certificateId: 3 })]);
    gates.get(2)!.open();
    await eventually(async () => (channels.sentIds().includes('push-5000') ? true : undefined));
    // Sent by the third call: before any more of certificate 2's queued jobs.
    expect(channels.calls[2]!.pushIds).toEqual(['push-5000']);
    gates.get(1)!.open();
    await eventually(async () => (channels.sentIds().length === 41 ? true : undefined));
  });

  it('sends jobs handed off with their insert without leasing them, while a batch is idle', async () => {
    // A minute between idle polls: only the hand-off can send these jobs within the test.
    const { queue, channels, dispatcher, seen } = await setup(
      { idleMs: 60_000, batchSize: 100, concurrency: 2 },
      true,
    );
    expect(dispatcher.handOffLease(1)).toBeUndefined(); // not running
    let leasedByStatement = 0;
    const lease = queue.lease.bind(queue);
    queue.lease = async (...args) => {
      const jobs = await lease(...args);
      leasedByStatement += jobs.length;
      return jobs;
    };
    dispatcher.start();
    await eventually(async () => dispatcher.handOffLease(1)); // both batches asleep
    const insert = async (tasks: PushTask[]) => {
      const offer = dispatcher.handOffLease(tasks.length);
      if (!offer) return undefined;
      return queue.database
        .transaction()
        .execute((trx) => queue.enqueueLeasedWith(trx, tasks, { groupKey: 'm' }, offer));
    };
    const first = [1, 2, 3].map((n) => makeTask(n, { certificateId: 1 }));
    dispatcher.handOff((await insert(first))!);
    await eventually(async () => (seen.length === 3 ? true : undefined));
    expect(channels.sentIds()).toEqual(first.map((t) => t.pushId));
    expect(await queue.stats()).toMatchObject({ ready: 0, leased: 0 });
    // More than a batch at once is not offered.
    expect(dispatcher.handOffLease(101)).toBeUndefined();

    // Certificate 1's send hangs: it fills its share (1 of 2 batches). Its next job is still handed off but
    // waits, in memory, until that send returns; certificate 2's goes to the other batch meanwhile.
    const release = channels.holdCertificate(1);
    dispatcher.handOff((await insert([makeTask(4, { certificateId: 1 })]))!);
    await eventually(async () => (channels.sentIds().includes('push-4') ? true : undefined));
    dispatcher.handOff(
      (await insert([makeTask(5, { certificateId: 1 }), makeTask(6, { certificateId: 2 })]))!,
    );
    await eventually(async () => (channels.sentIds().includes('push-6') ? true : undefined));
    expect(channels.sentIds()).not.toContain('push-5');
    const second = await insert([makeTask(7, { certificateId: 2 })]);
    dispatcher.handOff(second!);
    await eventually(async () => (channels.sentIds().includes('push-7') ? true : undefined));
    expect(channels.sentIds()).not.toContain('push-5');
    release();
    await eventually(async () => (seen.length === 7 ? true : undefined));
    expect(channels.sentIds().filter((id) => id === 'push-5')).toHaveLength(1);
    expect(leasedByStatement).toBe(0);

    // Handed off after the dispatcher stopped: given back to the queue, leasable at once.
    const late = (await insert([makeTask(8, { certificateId: 1 })]))!;
    await dispatcher.stop();
    dispatcher.handOff(late);
    await eventually(async () => ((await queue.stats()).ready === 1 ? true : undefined));
    expect((await queue.lease(10, 60_000)).map((j) => j.task.pushId)).toEqual(['push-8']);
  });

  it('does not look into the queue again after a lease found nothing, until a commit wakes it or idleMs passes', async () => {
    const { queue, channels, dispatcher } = await setup(
      { idleMs: 2_000, batchSize: 100, concurrency: 2 },
      true,
    );
    let looks = 0;
    const lease = queue.lease.bind(queue);
    queue.lease = async (...args) => {
      looks++;
      return lease(...args);
    };
    dispatcher.start();
    await eventually(async () => dispatcher.handOffLease(1)); // both batches asleep
    const insert = async (tasks: PushTask[]) => {
      const offer = dispatcher.handOffLease(tasks.length);
      return queue.database
        .transaction()
        .execute((trx) => queue.enqueueLeasedWith(trx, tasks, { groupKey: 'm' }, offer!));
    };
    // Handed-off batches back to back: each batch ends by trying a lease, which the first empty look answers.
    const before = looks;
    for (let n = 1; n <= 5; n++) {
      dispatcher.handOff(await insert([makeTask(n, { certificateId: 1 })]));
      await eventually(async () => (channels.sentIds().includes(`push-${n}`) ? true : undefined));
    }
    const afterHandOffs = looks - before;
    // A plain enqueue wakes the dispatcher: it looks at once, not after idleMs.
    await queue.enqueue([makeTask(6, { certificateId: 2 })]);
    const woken = Date.now();
    dispatcher.wake();
    await eventually(async () => (channels.sentIds().includes('push-6') ? true : undefined));
    expect(Date.now() - woken).toBeLessThan(350);
    // With nothing committed, a job that is due (here: queued by someone else without a wake) is still
    // found by the next idle poll.
    await queue.enqueue([makeTask(7, { certificateId: 2 })]);
    await eventually(async () => (channels.sentIds().includes('push-7') ? true : undefined), 5_000);
    await dispatcher.stop();
    // The five batches' ends may race one look that started before they did; not one look each.
    expect(afterHandOffs).toBeLessThanOrEqual(1);
  });

  it("frees a certificate's share once its vendor answered, while the settlement waits for its commit", async () => {
    // One batch of two may carry certificate 1. Its settlement is held (as it waits for the next group commit
    // on SQLite): the next message's push of certificate 1 is still handed off, to the idle batch.
    const { queue, channels, dispatcher } = await setup(
      { idleMs: 60_000, batchSize: 100, concurrency: 2 },
      true,
    );
    const settlementHeld = gate();
    const settle = queue.settle.bind(queue);
    queue.settle = async (...args) => {
      await settlementHeld.closed;
      return settle(...args);
    };
    dispatcher.start();
    await eventually(async () => dispatcher.handOffLease(1));
    const insert = async (task: PushTask) => {
      const offer = dispatcher.handOffLease(1);
      if (!offer) return undefined;
      return queue.database
        .transaction()
        .execute((trx) => queue.enqueueLeasedWith(trx, [task], { groupKey: 'm' }, offer));
    };
    dispatcher.handOff((await insert(makeTask(1, { certificateId: 1 })))!);
    await eventually(async () => (channels.sentIds().includes('push-1') ? true : undefined));
    expect(await queue.stats()).toMatchObject({ leased: 1 }); // sent, not yet settled
    const next = await insert(makeTask(2, { certificateId: 1 }));
    expect(next).toHaveLength(1);
    dispatcher.handOff(next!);
    await eventually(async () => (channels.sentIds().includes('push-2') ? true : undefined));
    settlementHeld.open();
    await eventually(async () => ((await queue.stats()).leased === 0 ? true : undefined));
    await dispatcher.stop();
    expect(await queue.stats()).toMatchObject({ ready: 0, leased: 0 });
  });

  it('runs until stopped, then finishes the sends in flight before resolving', async () => {
    const { queue, channels, dispatcher } = await setup({ idleMs: 20, batchSize: 100 }, true);
    await queue.enqueue(Array.from({ length: 500 }, (_, i) => makeTask(i)));
    dispatcher.start();
    await eventually(async () => (channels.sentIds().length >= 500 ? true : undefined));
    expect(new Set(channels.sentIds()).size).toBe(500);

    const held = gate();
    channels.override = async (tasks) => {
      await held.closed;
      return tasks.map(() => ({ kind: 'sent' }));
    };
    await queue.enqueue([makeTask(1000)]);
    await eventually(async () =>
      channels.calls.some((c) => c.pushIds.includes('push-1000')) ? true : undefined,
    );
    let stopped = false;
    const stopping = dispatcher.stop().then(() => {
      stopped = true;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped).toBe(false);
    held.open();
    await stopping;
    expect(dispatcher.running).toBe(false);
    expect(await queue.stats()).toMatchObject({ ready: 0, leased: 0 });
    // Stopped: nothing leases new work any more.
    await queue.enqueue([makeTask(1001)]);
    await new Promise((r) => setTimeout(r, 100));
    expect((await queue.stats()).ready).toBe(1);
  });
});
