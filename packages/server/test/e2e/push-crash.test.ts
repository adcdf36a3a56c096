// Crash safety of a large fan-out, records included (docs/delivery.md "Settlement" and "Recovery"):
// `pushline serve` is killed with SIGKILL in the middle of an all-member push and started again on the same
// data — on SQLite, on PostgreSQL, and on PostgreSQL with the Redis queue. Afterwards:
//   - every device got its notification; the only duplicates are jobs that were leased but not yet settled
//     at the kill (at most batch size x concurrency);
//   - the records are exact: SentCount == unique deliveries, the task's sent counter too, and every pushed
//     device's trace reached the vendor's answer exactly once — nothing lost, nothing counted twice;
//   - the jobs the dead process had leased come back as soon as its successor starts, not after their
//     visibility timeout (set to 10 minutes here, far beyond the test's time limit).
import type { ChildProcess } from 'node:child_process';
import type { Simulators } from '@pushline/simulator';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, spawnServer, waitForExit } from '../helpers/cli.js';
import { waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { fcmServeEnv, type SeededFcmApp, seedFcmApp, v4As } from '../helpers/fcm-app.js';
import { killIfRunning, type ServeStorage, serveStorage } from '../helpers/serve-storage.js';
import { startSims } from '../helpers/simulators.js';

const BATCH = 100;
const CONCURRENCY = 2;
const PROJECT = 'pushline-crash';

type Variant = { name: string; backend: 'sqlite' | 'postgres'; redis: boolean; users: number };
const backends = await testBackends();
const variants: Variant[] = [
  { name: 'SQLite', backend: 'sqlite', redis: false, users: 10_000 },
  ...(backends.includes('postgres')
    ? [
        { name: 'PostgreSQL', backend: 'postgres' as const, redis: false, users: 5_000 },
        { name: 'PostgreSQL + Redis queue', backend: 'postgres' as const, redis: true, users: 5_000 },
      ]
    : []),
];

describe.each(variants)('SIGKILL during an all-member push ($name)', (variant) => {
  const USERS = variant.users;
  let sim: Simulators;
  let storage: ServeStorage;
  let child: ChildProcess | undefined;
  let app: SeededFcmApp;
  const env = () => ({
    ...fcmServeEnv(sim, { batch: BATCH, concurrency: CONCURRENCY }),
    ...(storage.redisPrefix ? { PUSHLINE_REDIS_PREFIX: storage.redisPrefix } : {}),
  });

  beforeAll(async () => {
    assertBuilt();
    sim = await startSims({ vendors: ['fcm'], recordLimit: 50_000 });
    storage = await serveStorage(variant.backend, 'crash', { redis: variant.redis });
    // The app, its certificate and the background devices, written directly in storage.
    const p = await storage.open(sim);
    app = await seedFcmApp(p, sim, {
      name: 'Crash',
      project: PROJECT,
      users: Array.from({ length: USERS }, (_, i) => `u${String(i).padStart(5, '0')}`),
    });
    await p.close();
  }, 120_000);

  afterAll(async () => {
    await killIfRunning(child);
    await sim?.stop();
    await storage?.remove();
  });

  it('delivers to every device once or within the in-flight bound, and records each delivery exactly once', async () => {
    let server = await spawnServer(storage.flags, env());
    child = server.child;
    const v4 = (command: string, body: unknown) => v4As(app, server.url, command, body);
    const answer = await v4('all_member_push/im_push', {
      MsgRandom: 4242,
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'flash sale' } }],
    });
    expect(answer.ErrorCode).toBe(0);
    const taskId = answer.TaskId as string;

    const received = () => sim.received({ vendor: 'fcm', limit: 100_000 });
    await waitFor(() => received().length >= USERS / 6, 'some pushes before the kill', 30_000).catch(
      (err) => {
        throw new Error(`${err}\n${server.output().slice(-3000)}`);
      },
    );
    // From now on the vendor holds every request for 2 s: the batches the node sends meanwhile are still
    // leased when it is killed, whatever the moment. (Killed at a random moment, a node that had just sent
    // everything queued so far and waited for the fan-out's next page held no lease, now and then.)
    sim.faults.add('fcm', { kind: 'latency', ms: 2_000, percent: 100 });
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGKILL');
    await waitForExit(child);
    sim.faults.clear();
    const beforeKill = received().length;

    server = await spawnServer(storage.flags, env());
    child = server.child;
    const distinct = () => new Set(received().map((r) => r.token)).size;
    await waitFor(() => distinct() === USERS, 'every device reached', 240_000).catch((err) => {
      throw new Error(`${err}\n${server.output().slice(-3000)}`);
    });
    expect(server.output()).toMatch(/took back the jobs this node held/);
    // The last settlements commit just after the simulator answered: wait for the statistics to settle.
    const stats = await waitFor(
      async () => {
        const s = await v4('timpush/all_member_push_statistics', { TaskID: [taskId] });
        return s.SentCount === USERS ? s : undefined;
      },
      'SentCount to reach the audience',
      60_000,
    ).catch(async (err) => {
      const s = await v4('timpush/all_member_push_statistics', { TaskID: [taskId] });
      throw new Error(`${err}: ${JSON.stringify(s)}`);
    });
    expect(stats).toMatchObject({ ErrorCode: 0, TotalCount: USERS, SentCount: USERS });
    // A graceful stop lets the batches in flight settle before the duplicates are counted.
    child.kill('SIGTERM');
    await waitForExit(child);
    const total = received().length;
    const duplicates = total - USERS;
    const inFlightBound = BATCH * CONCURRENCY;
    console.log(
      `crash test (${variant.name}): ${beforeKill} pushes before SIGKILL, ${total} received for ${USERS} devices, duplicates ${duplicates}, in-flight bound ${inFlightBound}`,
    );
    expect(duplicates).toBeGreaterThanOrEqual(0);
    expect(duplicates).toBeLessThanOrEqual(inFlightBound);

    // The records, read from storage: every pushed device's trace reached the vendor's answer once.
    const p = await storage.open(sim);
    try {
      const task = await p.pushTasks.get(app.sdkAppId, taskId);
      expect(task?.counts).toMatchObject({ sent: USERS, failed: 0 });
      const traced = await p.db
        .selectFrom('push_traces')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('task_id', '=', taskId)
        .where('skip_reason', 'is', null)
        .executeTakeFirstOrThrow();
      expect(Number(traced.n)).toBe(USERS);
      const answers = await sql<{ answered: number; pushes: number; events: number }>`
        select count(distinct e.push_id) as answered, count(distinct t.push_id) as pushes, count(e.push_id) as events
        from push_traces t left join push_trace_events e on e.push_id = t.push_id and e.stage = 'sent'
        where t.task_id = ${taskId} and t.skip_reason is null`.execute(p.db);
      expect(answers.rows.map((r) => [Number(r.answered), Number(r.pushes), Number(r.events)])).toEqual([
        [USERS, USERS, USERS],
      ]);
      expect(await p.pushQueue.stats({ sdkAppId: app.sdkAppId })).toMatchObject({
        ready: 0,
        leased: 0,
        delayed: 0,
        dead: 0,
      });
    } finally {
      await p.close();
    }
  }, 400_000);
});
