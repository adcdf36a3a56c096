// Recovery in a cluster (docs/delivery.md "Recovery"): two `pushline serve` nodes share one PostgreSQL
// database; one is killed with SIGKILL while both send an all-member push. The survivor notices that the
// dead node's row in `push_nodes` stopped being refreshed (nodeTimeout, 2 s here) and takes back the jobs it
// had leased — long before their visibility timeout (10 minutes here) — so every device gets its push and
// every delivery is recorded exactly once.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Simulators } from '@pushline/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPushline, loadConfig } from '../../src/index.js';
import { assertBuilt, spawnServer, waitForExit } from '../helpers/cli.js';
import { waitFor } from '../helpers/clients.js';
import { createPostgresDatabase, testBackends } from '../helpers/databases.js';
import { fcmServeEnv, type SeededFcmApp, seedFcmApp, v4As } from '../helpers/fcm-app.js';
import { simConfig, startSims } from '../helpers/simulators.js';

const USERS = 3_000;
const BATCH = 100;
const CONCURRENCY = 2;
const PROJECT = 'pushline-nodes';
// Every node of a cluster shares the master key (docs/deployment.md).
const MASTER_KEY = randomBytes(32).toString('hex');
const backends = await testBackends();

describe.runIf(backends.includes('postgres'))('a node dies in a PostgreSQL cluster', () => {
  let sim: Simulators;
  const dirs: string[] = [];
  let dbUrl = '';
  let dropDb: () => Promise<void> = async () => {};
  const children: ChildProcess[] = [];
  let app: SeededFcmApp;

  const env = () => ({
    ...fcmServeEnv(sim, { batch: BATCH, concurrency: CONCURRENCY }),
    PUSHLINE_NODE_TIMEOUT: '2',
    PUSHLINE_MASTER_KEY: MASTER_KEY,
  });
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'pushline-node-'));
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    assertBuilt();
    // A slow vendor, so that both nodes hold leases when one of them dies.
    sim = await startSims({ vendors: ['fcm'], recordLimit: 20_000 });
    sim.faults.add('fcm', { kind: 'latency', ms: 40, percent: 100 });
    const pg = await createPostgresDatabase();
    dbUrl = pg.url;
    dropDb = pg.drop;
    const p = await createPushline(
      loadConfig({
        env: {},
        flags: {
          dataDir: dataDir(),
          db: dbUrl,
          masterKey: MASTER_KEY,
          logLevel: 'silent',
          ...simConfig(sim),
        },
      }),
    );
    app = await seedFcmApp(p, sim, {
      name: 'Nodes',
      project: PROJECT,
      users: Array.from({ length: USERS }, (_, i) => `n${String(i).padStart(5, '0')}`),
    });
    await p.close();
  }, 120_000);

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await Promise.all(children.map(waitForExit));
    await sim?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    await dropDb();
  });

  it("the survivor takes back the dead node's leases and every delivery is recorded once", async () => {
    const a = await spawnServer(['--data', dataDir(), '--db', dbUrl], env());
    const b = await spawnServer(['--data', dataDir(), '--db', dbUrl], env());
    children.push(a.child, b.child);
    const v4 = (url: string, command: string, body: unknown) => v4As(app, url, command, body);
    const started = await v4(a.url, 'all_member_push/im_push', {
      MsgRandom: 77,
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'cluster sale' } }],
    });
    expect(started.ErrorCode, `${JSON.stringify(started)}\n${a.output().slice(-2000)}`).toBe(0);
    const taskId = started.TaskId as string;
    // The fan-out (on node A) commits every page before the kill; both nodes are sending.
    await waitFor(
      async () => {
        const t = await v4(b.url, 'timpush/all_member_push_statistics', { TaskID: [taskId] });
        return t.TotalCount === USERS ? t : undefined;
      },
      'the fan-out to commit every page',
      60_000,
    );
    const received = () => sim.received({ vendor: 'fcm', limit: 50_000 });
    await waitFor(() => received().length >= USERS / 5, 'some pushes before the kill', 60_000);
    a.child.kill('SIGKILL');
    await waitForExit(a.child);

    const distinct = () => new Set(received().map((r) => r.token)).size;
    await waitFor(() => distinct() === USERS, 'every device reached', 120_000).catch((err) => {
      throw new Error(`${err}\n${b.output().slice(-3000)}`);
    });
    // Jobs node A had sent but not settled reached their devices already; their leases come back to B, which
    // sends them again (the bounded duplicates) and records them once.
    await waitFor(
      () => /a node stopped responding; took back its jobs/.test(b.output()),
      "node B taking back node A's jobs",
      30_000,
    );
    const stats = await waitFor(
      async () => {
        const s = await v4(b.url, 'timpush/all_member_push_statistics', { TaskID: [taskId] });
        return s.SentCount === USERS ? s : undefined;
      },
      'SentCount to reach the audience',
      60_000,
    );
    expect(stats).toMatchObject({ TotalCount: USERS, SentCount: USERS });
    b.child.kill('SIGTERM');
    await waitForExit(b.child);
    const duplicates = received().length - USERS;
    console.log(
      `node recovery: ${received().length} received for ${USERS} devices, duplicates ${duplicates}, in-flight bound ${BATCH * CONCURRENCY}`,
    );
    expect(duplicates).toBeGreaterThanOrEqual(0);
    expect(duplicates).toBeLessThanOrEqual(BATCH * CONCURRENCY);
  }, 300_000);
});
