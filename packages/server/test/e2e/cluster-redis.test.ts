// Two Pushline nodes on one PostgreSQL database and one Redis, as behind a load balancer: SDK clients on
// different nodes chat live, a background device gets exactly one notification although both nodes dispatch,
// kicks and login-policy evictions issued on one node close the socket held by the other, and a job leased by
// a node that died is sent by a surviving node once its lease expires.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateServiceAccount, type Simulators } from '@pushline/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateInfo } from '../../src/certificates/types.js';
import { CONFIG_KEYS, type ConfigKey } from '../../src/config.js';
import { createPushline, type Pushline } from '../../src/index.js';
import { MemoryPushRecorder } from '../../src/push/engine/index.js';
import { RedisPushQueue } from '../../src/push/queue/index.js';
import { assertBuilt, pushline, spawnServer, waitForExit } from '../helpers/cli.js';
import { loggedIn, rawSocket, userSigFor, waitFor } from '../helpers/clients.js';
import { ConsoleClient } from '../helpers/console.js';
import { testBackends } from '../helpers/databases.js';
import { random, text } from '../helpers/push-e2e.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { seedDevices } from '../helpers/seed-devices.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { simConfig, startSims } from '../helpers/simulators.js';

const backends = await testBackends();
const PROJECT = 'pushline-cluster';
// Short retry pauses and polls, so that the test does not wait on defaults meant for production.
const PUSH = { backoffBaseMs: 50, backoffMaxMs: 500, idleMs: 20, fanOutPageSize: 10 };

describe.skipIf(!backends.includes('postgres'))('two nodes on PostgreSQL and Redis', () => {
  const prefix = testPrefix();
  let sim: Simulators;
  let one: TestServer;
  let node2: Pushline;
  /** Node 2 seen through the test server helpers (same app, its own URL). */
  let two: TestServer;
  let fcm: CertificateInfo;
  const recorders = [new MemoryPushRecorder(), new MemoryPushRecorder()];

  beforeAll(async () => {
    sim = await startSims({ vendors: ['fcm'] });
    one = await startTestServer({
      backend: 'postgres',
      // A short node timeout so that a killed node's devices are released within the test.
      config: { ...simConfig(sim), redis: REDIS_URL, redisPrefix: prefix, nodeTimeout: 3 },
      create: { push: PUSH, pushRecorder: recorders[0] },
    });
    await one.pushline.apps.updateSettings(one.app.sdkAppId, {
      loginPolicy: { mode: 'per-platform' },
    } as never);
    const sa = generateServiceAccount(PROJECT);
    sim.registerServiceAccount({ serviceAccount: sa });
    fcm = await one.pushline.certificateService.add(one.app.sdkAppId, {
      vendor: 'fcm',
      serviceAccount: JSON.stringify(sa),
    });
    // The second node: same configuration (database, Redis, prefix), its own port.
    node2 = await createPushline(one.pushline.config, { push: PUSH, pushRecorder: recorders[1] });
    two = { ...one, pushline: node2, url: await node2.listen() };
    const imported = await one.v4('im_open_login_svc/multiaccount_import', {
      AccountList: ['alice', 'bob', 'carl', 'dora', 'emil', 'fay'].map((UserID) => ({
        UserID,
        Nick: UserID,
      })),
    });
    expect(imported).toMatchObject({ ErrorCode: 0 });
  });
  const loginData = (userId: string, instanceId: string, platform: string) => ({
    sdkAppId: one.app.sdkAppId,
    userId,
    userSig: userSigFor(one, userId),
    platform,
    instanceId,
  });
  const onlineState = async (userId: string) => {
    const r = await one.v4('openim/query_online_status', { To_Account: [userId], IsNeedDetail: 1 });
    return (r.QueryResult as { State: string }[])[0]?.State;
  };
  /** The simulator URLs for a `pushline serve` child, as environment variables. */
  const simEnv = () =>
    Object.fromEntries(
      Object.entries(simConfig(sim)).map(([key, value]) => [
        CONFIG_KEYS[key as ConfigKey].env,
        String(value),
      ]),
    );

  afterAll(async () => {
    await node2?.close();
    await one?.close();
    await sim?.stop();
    await dropPrefix(prefix);
  });

  it('uses the Redis queue and router on both nodes', () => {
    expect(one.pushline.pushQueue.kind).toBe('redis');
    expect(node2.pushQueue.kind).toBe('redis');
    expect(one.pushline.router.constructor.name).toBe('RedisRouter');
  });

  it('delivers live messages between clients connected to different nodes', async () => {
    const alice = await loggedIn(one, 'alice', { instanceID: 'alice-1' });
    const bob = await loggedIn(two, 'bob', { instanceID: 'bob-2' });
    await alice.chat.sendMessage({ receiver: 'bob', body: text('from node 1') });
    await waitFor(() => bob.messages.find((m) => m.body[0]?.MsgContent.Text === 'from node 1'), 'bob got it');
    await bob.chat.sendMessage({ receiver: 'alice', body: text('from node 2') });
    await waitFor(
      () => alice.messages.find((m) => m.body[0]?.MsgContent.Text === 'from node 2'),
      'alice got it',
    );
    // REST on node 2 reaches a socket on node 1 too.
    const r = await two.v4('openim/sendmsg', {
      From_Account: 'bob',
      To_Account: 'alice',
      MsgRandom: random(),
      MsgBody: text('via REST on node 2'),
    });
    expect(r).toMatchObject({ ErrorCode: 0 });
    await waitFor(
      () => alice.messages.find((m) => m.body[0]?.MsgContent.Text === 'via REST on node 2'),
      'alice got the REST message',
    );
    await alice.chat.logout();
    await bob.chat.logout();
  });

  it('a background device on node 2 gets each REST message from node 1 exactly once', async () => {
    const device = sim.devices.install('fcm', { app: PROJECT });
    const carl = await loggedIn(two, 'carl', { instanceID: 'carl-phone', platform: 'Android' });
    await carl.chat.setOfflinePushConfig({ businessID: fcm.id, token: device.token });
    await carl.chat.doBackground(0);
    const state = await one.v4('openim/query_online_status', { To_Account: ['carl'], IsNeedDetail: 1 });
    expect(state).toMatchObject({ QueryResult: [{ To_Account: 'carl', State: 'PushOnline' }] });

    const COUNT = 20;
    for (let i = 0; i < COUNT; i++) {
      const r = await one.v4('openim/sendmsg', {
        From_Account: 'alice',
        To_Account: 'carl',
        MsgRandom: random(),
        MsgBody: text(`offline ${i}`),
      });
      expect(r).toMatchObject({ ErrorCode: 0 });
    }
    await waitFor(() => sim.received({ token: device.token }).length >= COUNT, 'all notifications');
    // Nothing is left anywhere (outbox, Redis, leases): no node can send any of them again.
    await waitFor(async () => {
      const s = await one.pushline.pushQueue.stats();
      return s.ready + s.delayed + s.leased === 0;
    }, 'queue drained');
    const bodies = sim.received({ token: device.token }).map((p) => p.body);
    expect(bodies.sort()).toEqual(Array.from({ length: COUNT }, (_, i) => `offline ${i}`).sort());
    const sent = recorders.flatMap((rec) =>
      rec.answers.filter((a) => a.task.token === device.token && a.outcome.kind === 'sent'),
    );
    expect(sent).toHaveLength(COUNT);
    await carl.chat.logout();
  });

  it('an admin kick on node 1 closes the socket on node 2', async () => {
    const dora = await loggedIn(two, 'dora', { instanceID: 'dora-2' });
    const r = await one.v4('im_open_login_svc/kick', { UserID: 'dora' });
    expect(r).toMatchObject({ ErrorCode: 0 });
    await waitFor(() => dora.kicked.length === 1, 'dora kicked');
    expect(dora.chat.getLoginStatus()).toBe(3);
  });

  it('a login on node 1 evicts, by the login policy, the instance connected to node 2', async () => {
    const old = await loggedIn(two, 'emil', { platform: 'Android', instanceID: 'old' });
    const fresh = await loggedIn(one, 'emil', { platform: 'Android', instanceID: 'new' });
    await waitFor(() => old.kicked.length === 1, 'old instance kicked');
    expect(old.kicked[0]?.code).toBe(6208);
    expect(fresh.kicked).toEqual([]);
    await fresh.chat.logout();
  });

  it('`pushline serve --db … --redis …` joins the cluster and stops cleanly on SIGTERM', async () => {
    assertBuilt();
    const third = await spawnServer(
      ['--data', one.dataDir, '--db', one.pushline.config.db!, '--redis', REDIS_URL],
      { PUSHLINE_REDIS_PREFIX: prefix, PUSHLINE_LOG_LEVEL: 'info' },
    );
    try {
      const alice = await loggedIn(one, 'alice', { instanceID: 'alice-cli' });
      const r = await fetch(
        `${third.url}/v4/openim/sendmsg?sdkappid=${one.app.sdkAppId}&identifier=${one.app.adminIdentifier}` +
          `&usersig=${one.adminSig}&random=${random()}&contenttype=json`,
        {
          method: 'POST',
          body: JSON.stringify({
            From_Account: 'bob',
            To_Account: 'alice',
            MsgRandom: random(),
            MsgBody: text('from the third node'),
          }),
        },
      );
      expect(await r.json()).toMatchObject({ ErrorCode: 0 });
      await waitFor(
        () => alice.messages.find((m) => m.body[0]?.MsgContent.Text === 'from the third node'),
        'alice got the message sent through the CLI node',
      );
      await alice.chat.logout();
    } finally {
      third.child.kill('SIGTERM');
    }
    expect(await waitForExit(third.child)).toBe(0);
    expect(third.output()).toContain('"pushQueue":"redis"');
  });

  it('`pushline queue` lists and purges dead letters in the Redis queue', async () => {
    assertBuilt();
    const q = new RedisPushQueue(REDIS_URL, { prefix: `${prefix}queue:` });
    try {
      // A push for a device that does not exist, given up on at once: a dead letter in Redis.
      const task = {
        pushId: 'cli-dead-1',
        sdkAppId: one.app.sdkAppId,
        certificateId: fcm.id,
        token: 'gone-token',
        request: { vendor: 'fcm' as const, message: { notification: { title: 't', body: 'b' } } },
      };
      await node2.pushEngine.dispatcher.stop();
      await one.pushline.pushEngine.dispatcher.stop();
      await q.enqueue([task]);
      const [job] = await waitFor(async () => {
        const got = await q.lease(10, 60_000);
        return got.length > 0 ? got : undefined;
      }, 'leased');
      await q.deadLetter([{ job: job!, error: 'attempts exhausted', lastAnswer: '{"status":503}' }]);
    } finally {
      await q.close();
      one.pushline.pushEngine.dispatcher.start();
      node2.pushEngine.dispatcher.start();
    }
    const storage = ['--data', one.dataDir, '--db', one.pushline.config.db!, '--redis', REDIS_URL];
    const env = { PUSHLINE_REDIS_PREFIX: prefix };
    const stats = await pushline(['queue', 'stats', ...storage, '--json'], env);
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ dead: 1 });
    const dead = await pushline(
      ['queue', 'dead', '--app', String(one.app.sdkAppId), ...storage, '--json'],
      env,
    );
    expect(JSON.parse(dead.stdout)).toMatchObject({
      jobs: [{ pushId: 'cli-dead-1', lastError: 'attempts exhausted', lastAnswer: '{"status":503}' }],
    });
    const purged = await pushline(
      ['queue', 'purge', '--app', String(one.app.sdkAppId), '--all', ...storage],
      env,
    );
    expect(purged.code).toBe(0);
    expect(await one.pushline.pushQueue.stats()).toMatchObject({ dead: 0 });
  });

  it('a push task run by both nodes at once (one resumed it as orphaned) reaches each device once', async () => {
    const users = Array.from({ length: 120 }, (_, i) => `batch${String(i).padStart(3, '0')}`);
    await one.pushline.accounts.import(
      one.app.sdkAppId,
      users.map((userId) => ({ userId })),
    );
    const tokens = new Map<string, string>();
    for (const userId of users) {
      tokens.set(userId, sim.devices.install('fcm', { app: PROJECT }).token);
    }
    await seedDevices(
      one.pushline.db,
      one.app.sdkAppId,
      fcm.id,
      users.map((userId) => ({ userId, token: tokens.get(userId)! })),
    );
    const { task } = await one.pushline.pushTasks.create({
      sdkAppId: one.app.sdkAppId,
      kind: 'batch',
      command: 'timpush/batch',
      msgRandom: random(),
      dedup: false,
      userIds: users,
      request: { MsgBody: text('to everyone once') },
    });
    // Both nodes page through the same task at the same time; each page commits once.
    one.pushline.pushEngine.fanOut.start(task);
    node2.pushEngine.fanOut.start(task);
    await waitFor(
      async () => (await one.pushline.pushTasks.get(one.app.sdkAppId, task.taskId))?.status === 'done',
      'task done',
    );
    await waitFor(
      () => users.every((u) => sim.received({ token: tokens.get(u)! }).length > 0),
      'every device notified',
    );
    await waitFor(async () => {
      const st = await one.pushline.pushQueue.stats();
      return st.ready + st.delayed + st.leased === 0;
    }, 'queue drained');
    const counts = users.map((u) => sim.received({ token: tokens.get(u)! }).length);
    expect(counts.every((c) => c === 1)).toBe(true);
    expect(await one.pushline.pushTasks.get(one.app.sdkAppId, task.taskId)).toMatchObject({
      status: 'done',
      counts: { enqueued: users.length },
    });
  });

  it('counts failed console sign-ins across nodes', async () => {
    await one.pushline.consoleUsers.create({ username: 'ops', password: 'ops-password-1', role: 'admin' });
    for (let i = 0; i < 5; i++) {
      const node = i % 2 === 0 ? one : two;
      expect((await new ConsoleClient(node.url).login('ops', `wrong-${i}`)).status).toBe(401);
    }
    const locked = await new ConsoleClient(two.url).login('ops', 'ops-password-1');
    expect(locked.status).toBe(429);
  });

  it('a reconnect of the same instance through another node replaces the lingering socket', async () => {
    const lingering = await rawSocket(two);
    expect(await lingering.request('login', loginData('emil', 'emil-pc', 'PC'))).toMatchObject({ code: 0 });
    const again = await loggedIn(one, 'emil', { instanceID: 'emil-pc', platform: 'PC' });
    expect(await lingering.closed).toMatchObject({ code: 4001 });
    // Replaced, not kicked: the instance stays Online through its new socket.
    const state = await one.v4('openim/query_online_status', { To_Account: ['emil'], IsNeedDetail: 1 });
    expect(state).toMatchObject({
      QueryResult: [{ Detail: expect.arrayContaining([{ Platform: 'PC', Status: 'Online' }]) }],
    });
    expect(again.kicked).toEqual([]);
    await again.chat.logout();
  });

  it('the devices of a killed node become PushOnline and get their pushes through the survivors', async () => {
    assertBuilt();
    const doomed = await spawnServer(
      ['--data', one.dataDir, '--db', one.pushline.config.db!, '--redis', REDIS_URL],
      { PUSHLINE_REDIS_PREFIX: prefix, PUSHLINE_NODE_TIMEOUT: '1', ...simEnv() },
    );
    const device = sim.devices.install('fcm', { app: PROJECT });
    try {
      const socket = await rawSocket({ ...one, url: doomed.url });
      expect(await socket.request('login', loginData('fay', 'fay-phone', 'Android'))).toMatchObject({
        code: 0,
      });
      const set = await socket.request('setOfflinePushConfig', {
        config: { businessID: fcm.id, token: device.token },
      });
      expect(set).toMatchObject({ code: 0 });
      expect(await onlineState('fay')).toBe('Online');
      doomed.child.kill('SIGKILL'); // no socket close, no state change written by the dying node
      await waitForExit(doomed.child);
      await waitFor(async () => (await onlineState('fay')) === 'PushOnline', 'fay released', 20_000);
    } finally {
      if (doomed.child.exitCode === null) doomed.child.kill('SIGKILL');
    }
    const r = await one.v4('openim/sendmsg', {
      From_Account: 'alice',
      To_Account: 'fay',
      MsgRandom: random(),
      MsgBody: text('after the crash'),
    });
    expect(r).toMatchObject({ ErrorCode: 0 });
    expect(await sim.waitFor({ token: device.token })).toMatchObject({
      title: 'alice',
      body: 'after the crash',
    });
  });

  it('a job leased by a node that died is sent by another node after the lease expires', async () => {
    const device = sim.devices.install('fcm', { app: PROJECT });
    const carl = await loggedIn(one, 'carl', { instanceID: 'carl-phone-2', platform: 'Android' });
    await carl.chat.setOfflinePushConfig({ businessID: fcm.id, token: device.token });
    await carl.chat.doBackground(0);
    // Only the doomed node dispatches for now; the relays keep moving jobs into Redis.
    await one.pushline.pushEngine.dispatcher.stop();
    await node2.pushEngine.dispatcher.stop();
    try {
      // The doomed node: a third queue client on the same Redis keys that leases the job, then vanishes
      // without settling — all a crashed node leaves behind in Redis.
      const doomed = new RedisPushQueue(REDIS_URL, { prefix: `${prefix}queue:` });
      const r = await one.v4('openim/sendmsg', {
        From_Account: 'alice',
        To_Account: 'carl',
        MsgRandom: random(),
        MsgBody: text('survives a crash'),
      });
      expect(r).toMatchObject({ ErrorCode: 0 });
      const [leased] = await waitFor(async () => {
        const got = await doomed.lease(10, 500);
        return got.length > 0 ? got : undefined;
      }, 'the doomed node leased the job');
      expect(leased?.task.token).toBe(device.token);
      await doomed.close();

      node2.pushEngine.dispatcher.start();
      const shown = await sim.waitFor({ token: device.token });
      expect(shown.body).toBe('survives a crash');
      // Node 2 sent it (node 1 never dispatched meanwhile) on the job's second lease.
      const answers = await waitFor(() => {
        const mine = recorders[1]!.answers.filter((a) => a.task.token === device.token);
        return mine.length > 0 ? mine : undefined;
      }, 'node 2 recorded the answer');
      expect(answers).toMatchObject([{ outcome: { kind: 'sent' }, final: true }]);
      await waitFor(async () => (await node2.pushQueue.stats()).leased === 0, 'settled');
      expect(sim.received({ token: device.token })).toHaveLength(1);
    } finally {
      one.pushline.pushEngine.dispatcher.start();
      node2.pushEngine.dispatcher.start();
    }
    await carl.chat.logout();
  });
});

describe('a node whose Redis is unreachable', () => {
  it('refuses to start with a message naming Redis, without the password', async () => {
    assertBuilt();
    const dataDir = mkdtempSync(join(tmpdir(), 'pushline-noredis-'));
    try {
      const r = await pushline([
        'serve',
        '--port',
        '0',
        '--data',
        dataDir,
        '--redis',
        'redis://:s3cret@127.0.0.1:1',
      ]);
      expect(r.code).not.toBe(0);
      expect(r.stderr + r.stdout).toMatch(/Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1.*ECONNREFUSED/);
      expect(r.stderr + r.stdout).not.toContain('s3cret');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
