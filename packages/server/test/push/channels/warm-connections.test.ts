// Vendor connections at start (`warmConnections`, docs/delivery.md "Connections at start"): a node that starts
// on data holding active APNs and FCM certificates opens their HTTP/2 sessions before any push, and the first
// push then goes out on that session instead of waiting for a TLS handshake. A paused certificate, and any
// certificate when `warmConnections` is 0, is left to its first push.
import { rmSync } from 'node:fs';
import { generateServiceAccount, type Simulators } from '@pushline/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import type { CertificateInfo } from '../../../src/certificates/types.js';
import { loadConfig } from '../../../src/config.js';
import type { ApnsChannel } from '../../../src/push/vendors/apns/channel.js';
import type { FcmChannel } from '../../../src/push/vendors/fcm/channel.js';
import { WARMABLE_VENDORS } from '../../../src/push/vendors/index.js';
import { createPushline, type Pushline } from '../../../src/server.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { registeredApnsKey, simConfig, startSims, waitUntil } from '../../helpers/simulators.js';

const BUNDLE = 'com.example.warm';
const FCM_PROJECT = 'warm-project';

describe('vendor connections opened at start', () => {
  let sim: Simulators | undefined;
  let first: TestServer | undefined;
  let restarted: Pushline | undefined;

  afterEach(async () => {
    await restarted?.close();
    restarted = undefined;
    if (first) rmSync(first.dataDir, { recursive: true, force: true });
    first = undefined;
    await sim?.stop();
    sim = undefined;
  });

  /** A node with three certificates (APNs, FCM, a paused APNs one), stopped; its data stays for a restart. */
  async function stoppedNode(): Promise<{
    apns: CertificateInfo;
    fcm: CertificateInfo;
    paused: CertificateInfo;
  }> {
    sim = await startSims({ vendors: ['apns', 'fcm'] });
    first = await startTestServer({ config: simConfig(sim) });
    const key = registeredApnsKey(sim, BUNDLE);
    const apnsInput = {
      vendor: 'apns' as const,
      p8: key.p8,
      keyId: key.keyId,
      teamId: key.teamId,
      bundleId: BUNDLE,
      environment: 'development' as const,
    };
    const service = first.pushline.certificateService;
    const apns = await service.add(first.app.sdkAppId, apnsInput);
    const sa = generateServiceAccount(FCM_PROJECT);
    sim.registerServiceAccount({ serviceAccount: sa });
    const fcm = await service.add(first.app.sdkAppId, { vendor: 'fcm', serviceAccount: JSON.stringify(sa) });
    const paused = await service.add(first.app.sdkAppId, { ...apnsInput, environment: 'production' });
    await first.pushline.certificates.setStatus(first.app.sdkAppId, paused.id, 'paused', 'operator');
    await first.pushline.close();
    return { apns, fcm, paused };
  }

  async function restart(extra: Record<string, unknown> = {}): Promise<Pushline> {
    const config = loadConfig({
      env: {},
      flags: {
        dataDir: first?.dataDir,
        port: 0,
        host: '127.0.0.1',
        logLevel: 'silent',
        workers: 1,
        ...simConfig(sim as Simulators),
        ...extra,
      },
    });
    restarted = await createPushline(config);
    await restarted.listen();
    return restarted;
  }

  it('opens the APNs and FCM sessions of active certificates, and the first push uses them', async () => {
    const { apns, fcm, paused } = await stoppedNode();
    const node = await restart();
    const apnsChannel = async () => (await node.channels.channel(apns.id)) as ApnsChannel;
    const fcmChannel = async () => (await node.channels.channel(fcm.id)) as FcmChannel;
    await waitUntil(async () => (await apnsChannel()).pool.sessionCount === 1, 'the APNs session');
    await waitUntil(async () => (await fcmChannel()).pool.sessionCount === 1, 'the FCM session');
    expect((await node.channels.channel(paused.id)) as ApnsChannel).toMatchObject({
      pool: { stats: { sessionsOpened: 0 } },
    });

    const device = (sim as Simulators).devices.install('apns', { app: BUNDLE, environment: 'development' });
    const [answer] = await node.channels.send(apns.id, [
      {
        pushId: 'warm-1',
        sdkAppId: apns.sdkAppId,
        certificateId: apns.id,
        token: device.token,
        request: { vendor: 'apns', pushType: 'alert', priority: 10, body: { aps: { alert: 'hi' } } },
      },
    ]);
    expect(answer).toMatchObject({ kind: 'sent' });
    expect((await sim?.waitFor({ token: device.token }))?.body).toBe('hi');
    // The push went out on the session opened at start.
    expect((await apnsChannel()).pool.stats.sessionsOpened).toBe(1);
  });

  it('opens nothing with warmConnections 0', async () => {
    const { apns } = await stoppedNode();
    const node = await restart({ warmConnections: 0 });
    // What a warm start would have done by now: list the certificates (the same query) and build channels.
    expect(await node.certificates.warmable(100, WARMABLE_VENDORS)).toEqual(
      expect.arrayContaining([apns.id]),
    );
    const channel = (await node.channels.channel(apns.id)) as ApnsChannel;
    expect(channel.pool.stats.sessionsOpened).toBe(0);
  });
});
