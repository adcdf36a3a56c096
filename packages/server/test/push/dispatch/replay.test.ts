// The Redis queue settles after the database commit (docs/delivery.md "Settlement"). This suite breaks the
// second step: the record of a batch commits, then Redis refuses the settle, as if the node had died in
// between. The jobs come back when their lease expires; the dispatcher finds their answer recorded and
// settles them as recorded, without sending them again and without recording anything twice — also when the
// recorded answer was a retry, whose later success must still be recorded.
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppsService } from '../../../src/apps/apps.js';
import { Dispatcher, type SettledEvent } from '../../../src/push/dispatch/index.js';
import { createOutcomes } from '../../../src/push/outcomes/index.js';
import { recordedAnswers } from '../../../src/push/outcomes/trace-store.js';
import { OutboxPushQueue } from '../../../src/push/queue/outbox.js';
import { RedisPushQueue } from '../../../src/push/queue/redis-queue.js';
import { SqlPushQueue } from '../../../src/push/queue/sql-queue.js';
import type { SettleBatch } from '../../../src/push/queue/types.js';
import type { PushOutcome, PushTask } from '../../../src/push/types.js';
import { testBackends } from '../../helpers/databases.js';
import { pushRecord } from '../../helpers/outcomes.js';
import { APP, FakeClock, makeTask } from '../../helpers/queue-contract.js';
import { sqlQueueStorage } from '../../helpers/queue-storage.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../../helpers/redis.js';

const backends = await testBackends();

describe.each(backends)(
  'a settlement replayed after a crash between the record and Redis (%s)',
  (backend) => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const c of cleanups.splice(0)) await c();
    });

    async function world(answers: (task: PushTask, n: number) => PushOutcome) {
      const clock = new FakeClock(Date.now());
      const storage = await sqlQueueStorage(backend);
      const { db } = await storage.open();
      const prefix = testPrefix();
      const redis = new RedisPushQueue(REDIS_URL, { prefix, now: clock.now });
      const queue = new OutboxPushQueue(new SqlPushQueue(db, { now: clock.now }), redis);
      // The next Redis settle fails, as if the node died right after the database commit.
      let failNext = false;
      const settle = redis.settle.bind(redis);
      redis.settle = async (batch: SettleBatch) => {
        if (failNext) {
          failNext = false;
          throw new Error('the node died before Redis settled');
        }
        return settle(batch);
      };
      const apps = { peek: () => null } as unknown as AppsService;
      const outcomes = createOutcomes({ db, apps, registry: new Registry(), log: pino({ level: 'silent' }) });
      const sends = new Map<string, number>();
      const dispatcher = new Dispatcher({
        queue,
        now: clock.now,
        random: () => 0.5,
        backoffBaseMs: 1_000,
        channels: {
          async send(_certificateId, tasks) {
            return tasks.map((t) => {
              const n = (sends.get(t.pushId) ?? 0) + 1;
              sends.set(t.pushId, n);
              return answers(t, n);
            });
          },
          certificateStatus: async () => 'active',
        },
        record: async (trx, events: SettledEvent[]) => {
          await outcomes.recorder.writeAnswers(
            trx,
            events.map((e) => ({
              task: e.job.task,
              outcome: e.outcome as PushOutcome,
              attempt: e.info.attempt,
              latencyMs: 1,
              final: e.info.action === 'done',
            })),
          );
        },
        recordedAnswers: (jobs) => recordedAnswers(db, jobs),
      });
      cleanups.push(async () => {
        await outcomes.close();
        await queue.close();
        await storage.drop();
        await dropPrefix(prefix);
      });
      const tasks = [1, 2, 3].map((n) => makeTask(n));
      await outcomes.recorder.accepted(
        tasks.map((t) =>
          pushRecord(APP, { pushId: t.pushId, certificateId: 7, vendor: 'fcm', token: t.token }),
        ),
      );
      await queue.enqueue(tasks);
      await queue.relayOnce();
      const events = (pushId: string) =>
        db
          .selectFrom('push_trace_events')
          .select(['stage', 'attempt'])
          .where('push_id', '=', pushId)
          .orderBy('attempt')
          .execute();
      const sent = () =>
        db
          .selectFrom('push_stats_hourly')
          .select('count')
          .where('outcome', '=', 'sent')
          .execute()
          .then((rows) => rows.reduce((n, r) => n + Number(r.count), 0));
      return {
        clock,
        dispatcher,
        redis,
        sends,
        events,
        sent,
        failNextSettle: () => {
          failNext = true;
        },
      };
    }

    it('settles a recorded success without sending it again and counts it once', async () => {
      const w = await world(() => ({ kind: 'sent', vendorId: 'm' }));
      w.failNextSettle();
      expect(await w.dispatcher.runOnce()).toBe(3);
      expect(await w.redis.stats()).toMatchObject({ leased: 3 });
      expect(await w.sent()).toBe(3);
      // The lease expires; the jobs come back with their outcome recorded.
      w.clock.advance(60_000);
      expect(await w.dispatcher.runOnce()).toBe(3);
      expect([...w.sends.values()]).toEqual([1, 1, 1]);
      expect(await w.redis.stats()).toMatchObject({ ready: 0, leased: 0, delayed: 0 });
      expect(await w.sent()).toBe(3);
      expect(await w.events('push-1')).toEqual([{ stage: 'sent', attempt: 1 }]);
    });

    it('replays a recorded retry as a retry, so that the later success is recorded as the next attempt', async () => {
      const w = await world((_t, n) =>
        n === 1 ? { kind: 'retry', code: '503' } : { kind: 'sent', vendorId: 'm' },
      );
      w.failNextSettle();
      await w.dispatcher.runOnce();
      w.clock.advance(60_000);
      // Replayed: scheduled for a retry (backoff 1 s with this jitter), not sent now.
      await w.dispatcher.runOnce();
      expect([...w.sends.values()]).toEqual([1, 1, 1]);
      expect(await w.redis.stats()).toMatchObject({ delayed: 3, leased: 0 });
      w.clock.advance(1_000);
      expect(await w.dispatcher.runOnce()).toBe(3);
      expect([...w.sends.values()]).toEqual([2, 2, 2]);
      expect(await w.events('push-2')).toEqual([
        { stage: 'retry', attempt: 1 },
        { stage: 'sent', attempt: 2 },
      ]);
      expect(await w.sent()).toBe(3);
    });
  },
);
