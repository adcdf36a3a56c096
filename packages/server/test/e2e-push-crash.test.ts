// Crash safety of a large fan-out: `pushline serve` is killed with SIGKILL in the middle of a 10,000-recipient
// timpush/push, then started again on the same data. Every device gets its notification; the only
// duplicates are jobs that were leased but not yet settled at the kill (at most batch size x concurrency).
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateServiceAccount, type Simulators } from '@pushline/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPushline, genUserSig, loadConfig } from '../src/index.js';
import { assertBuilt, spawnServer, waitForExit } from './helpers/cli.js';
import { waitFor } from './helpers/clients.js';
import { seedDevices } from './helpers/seed-devices.js';
import { simConfig, startSims } from './helpers/simulators.js';

const USERS = 10_000;
const BATCH = 100;
const CONCURRENCY = 2;
const PROJECT = 'pushline-crash';

describe('SIGKILL during a 10,000-recipient fan-out (SQLite)', () => {
  let sim: Simulators;
  let dataDir: string;
  let child: ChildProcess | undefined;
  let sdkAppId = 0;
  let adminSig = '';
  let admin = '';

  const env = () => ({
    PUSHLINE_FCM_URL: sim.urls.fcm!,
    PUSHLINE_FCM_OAUTH_URL: sim.urls.fcmOAuth!,
    PUSHLINE_CA_FILE: sim.caFile,
    PUSHLINE_LOG_LEVEL: 'info',
    PUSHLINE_PUSH_BATCH_SIZE: String(BATCH),
    PUSHLINE_PUSH_CONCURRENCY: String(CONCURRENCY),
  });

  beforeAll(async () => {
    assertBuilt();
    sim = await startSims({ vendors: ['fcm'], recordLimit: 50_000 });
    dataDir = mkdtempSync(join(tmpdir(), 'pushline-crash-'));
    // Set up the app, its certificate and 10,000 background devices directly in storage.
    const p = await createPushline(
      loadConfig({ env: {}, flags: { dataDir, logLevel: 'silent', ...simConfig(sim) } }),
    );
    const app = await p.apps.create({ name: 'Crash' });
    sdkAppId = app.sdkAppId;
    admin = app.adminIdentifier;
    adminSig = genUserSig({ sdkAppId, key: app.secretKey, identifier: admin, expire: 86_400 });
    const sa = generateServiceAccount(PROJECT);
    sim.registerServiceAccount({ serviceAccount: sa });
    const cert = await p.certificateService.add(sdkAppId, {
      vendor: 'fcm',
      serviceAccount: JSON.stringify(sa),
    });
    const ids = Array.from({ length: USERS }, (_, i) => `u${String(i).padStart(5, '0')}`);
    await p.accounts.import(
      sdkAppId,
      ids.map((userId) => ({ userId })),
    );
    const devices = ids.map((userId) => ({
      userId,
      token: sim.devices.install('fcm', { app: PROJECT }).token,
    }));
    await seedDevices(p.db, sdkAppId, cert.id, devices);
    await p.close();
  }, 120_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await waitForExit(child);
    }
    await sim?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers to every device after a restart, with duplicates bounded by the jobs in flight', async () => {
    let server = await spawnServer(['--data', dataDir], env());
    child = server.child;
    const q = new URLSearchParams({
      sdkappid: String(sdkAppId),
      identifier: admin,
      usersig: adminSig,
      random: '1',
      contenttype: 'json',
    });
    const res = await fetch(`${server.url}/v4/timpush/push?${q}`, {
      method: 'POST',
      body: JSON.stringify({
        MsgRandom: 4242,
        MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'flash sale' } }],
      }),
    });
    const answer = (await res.json()) as { ErrorCode: number; TaskId: string };
    expect(answer.ErrorCode).toBe(0);

    await waitFor(
      () => sim.received({ vendor: 'fcm', limit: 100_000 }).length >= 1500,
      'some pushes before the kill',
      20_000,
    ).catch((err) => {
      throw new Error(`${err}\n${server.output().slice(-3000)}`);
    });
    child.kill('SIGKILL');
    await waitForExit(child);
    const beforeKill = sim.received({ vendor: 'fcm', limit: 100_000 }).length;

    server = await spawnServer(['--data', dataDir], env());
    child = server.child;
    const distinct = () => new Set(sim.received({ vendor: 'fcm', limit: 100_000 }).map((r) => r.token)).size;
    await waitFor(() => distinct() === USERS, 'every device reached', 240_000);
    // A graceful stop lets the batches in flight settle before the duplicates are counted.
    child.kill('SIGTERM');
    await waitForExit(child);
    const total = sim.received({ vendor: 'fcm', limit: 100_000 }).length;
    const duplicates = total - USERS;
    const inFlightBound = BATCH * CONCURRENCY;
    console.log(
      `crash test: ${beforeKill} pushes before SIGKILL, ${total} received for ${USERS} devices, duplicates ${duplicates}, in-flight bound ${inFlightBound}`,
    );
    expect(duplicates).toBeGreaterThanOrEqual(0);
    expect(duplicates).toBeLessThanOrEqual(inFlightBound);
  }, 400_000);
});
