// Crash safety of chat pushes handed off to the dispatcher (docs/delivery.md "Hand-off: leased with its
// insert"): a message's push jobs are inserted already leased to the node that stored it. `pushline serve` is
// killed with SIGKILL while such jobs are out at a slow vendor and started again on the same data. The jobs
// it held come back at once (not after their 10-minute visibility timeout), every receiver gets the push, and
// every push's trace records the vendor's answer exactly once.
import type { ChildProcess } from 'node:child_process';
import type { Simulators } from '@pushline/simulator';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlPushQueue } from '../../src/push/queue/sql-queue.js';
import { openDatabase } from '../../src/store/db.js';
import { assertBuilt, spawnServer, waitForExit } from '../helpers/cli.js';
import { waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { fcmServeEnv, type SeededFcmApp, seedFcmApp, v4As } from '../helpers/fcm-app.js';
import { killIfRunning, type ServeStorage, serveStorage } from '../helpers/serve-storage.js';
import { startSims } from '../helpers/simulators.js';

const RECEIVERS = 10;
const BATCH = 100;
const CONCURRENCY = 4;
const PROJECT = 'pushline-crash-chat';
const backends = await testBackends();

describe.each(backends)('SIGKILL with handed-off chat pushes in flight (%s)', (backend) => {
  let sim: Simulators;
  let storage: ServeStorage;
  let child: ChildProcess | undefined;
  let app: SeededFcmApp;
  const receivers = Array.from({ length: RECEIVERS }, (_, i) => `r${i}`);
  const env = () => fcmServeEnv(sim, { batch: BATCH, concurrency: CONCURRENCY });

  beforeAll(async () => {
    assertBuilt();
    sim = await startSims({ vendors: ['fcm'] });
    storage = await serveStorage(backend, 'crash-chat');
    const p = await storage.open(sim);
    app = await seedFcmApp(p, sim, {
      name: 'Crash chat',
      project: PROJECT,
      users: receivers,
      others: ['alice'],
    });
    await p.close();
  }, 120_000);

  afterAll(async () => {
    await killIfRunning(child);
    await sim?.stop();
    await storage?.remove();
  });

  it('takes the held jobs back at restart, delivers every push and records each answer once', async () => {
    let server = await spawnServer(storage.flags, env());
    child = server.child;
    const sendmsg = (to: string, n: number) =>
      v4As(app, server.url, 'openim/sendmsg', {
        SyncOtherMachine: 2,
        From_Account: 'alice',
        To_Account: to,
        MsgRandom: 1000 + n,
        MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `hello ${to}` } }],
      });
    // The vendor holds every request for 1.5 s: the first pushes are handed to idle batches and stay out
    // there; with their certificate's share of the batches full, the later ones wait in the queue, ready.
    sim.faults.add('fcm', { kind: 'latency', ms: 1_500, percent: 100 });
    for (const [i, to] of receivers.entries()) expect((await sendmsg(to, i)).ErrorCode).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGKILL');
    await waitForExit(child);
    sim.faults.clear();

    // What the dead process left: every message's push job, the handed-off ones still leased to it.
    // Read straight from the database: a Pushline opened on this data would take its leases back.
    const direct = openDatabase(storage.url);
    try {
      const jobs = await direct.db.selectFrom('push_jobs').select(['lease_token', 'lease_owner']).execute();
      expect(jobs).toHaveLength(RECEIVERS);
      const handedOff = jobs.filter((j) => j.lease_token?.startsWith('handoff-'));
      expect(handedOff.length).toBeGreaterThanOrEqual(1);
      expect(handedOff.every((j) => j.lease_owner !== null)).toBe(true);
      console.log(
        `chat crash test (${backend}): ${handedOff.length} of ${RECEIVERS} jobs handed off at the kill`,
      );
    } finally {
      await direct.close();
    }

    server = await spawnServer(storage.flags, env());
    child = server.child;
    const received = () => sim.received({ vendor: 'fcm', limit: 1_000 });
    await waitFor(
      () => new Set(received().map((r) => r.token)).size === RECEIVERS,
      'every receiver reached',
      60_000,
    ).catch((err) => {
      throw new Error(`${err}\n${server.output().slice(-3000)}`);
    });
    expect(server.output()).toMatch(/took back the jobs this node held/);
    // A graceful stop settles the batches in flight.
    child.kill('SIGTERM');
    await waitForExit(child);
    // The requests the vendor held at the kill were answered to a dead connection: delivered twice at most.
    const duplicates = received().length - RECEIVERS;
    expect(duplicates).toBeGreaterThanOrEqual(0);
    expect(duplicates).toBeLessThanOrEqual(BATCH * CONCURRENCY);

    const after = openDatabase(storage.url);
    try {
      const answers = await sql<{ pushes: number; sent: number }>`
        select count(distinct t.push_id) as pushes, count(e.push_id) as sent
        from push_traces t left join push_trace_events e on e.push_id = t.push_id and e.stage = 'sent'
        where t.sdkappid = ${app.sdkAppId} and t.skip_reason is null`.execute(after.db);
      expect(answers.rows.map((r) => [Number(r.pushes), Number(r.sent)])).toEqual([[RECEIVERS, RECEIVERS]]);
      expect(await new SqlPushQueue(after.db).stats({ sdkAppId: app.sdkAppId })).toMatchObject({
        ready: 0,
        leased: 0,
        delayed: 0,
        dead: 0,
      });
    } finally {
      await after.close();
    }
  }, 180_000);
});
