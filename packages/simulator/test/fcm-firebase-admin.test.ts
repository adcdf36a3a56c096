// firebase-admin 13 (a real third-party FCM client) against the simulator, including its real OAuth
// JWT-bearer exchange. Its hosts are hard-coded (fcm.googleapis.com, oauth2.googleapis.com:443), so
// as vendors.md §13 suggests we redirect its connections in this process: an https.Agent whose
// connections go to the simulator's random port, used as the app's httpAgent (send path) and as
// https.globalAgent (google-auth-library's token request uses the default agent). No fixed port needed.
import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { deleteApp, initializeApp, cert as saCredential } from 'firebase-admin/app';
import { getMessaging } from 'firebase-admin/messaging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateServiceAccount, type Simulators, startSimulators } from '../src/index.js';

let sim: Simulators;
let savedGlobalAgent: https.Agent;
const seenHosts = new Set<string>();

class RedirectAgent extends https.Agent {
  constructor(
    private readonly port: number,
    private readonly ca: string,
  ) {
    super({ keepAlive: true });
  }
  override createConnection(options: tls.ConnectionOptions): Duplex {
    const host = String(options.host ?? '');
    seenHosts.add(host);
    return tls.connect({ ...options, host: '127.0.0.1', port: this.port, servername: host, ca: this.ca });
  }
}

beforeAll(async () => {
  sim = await startSimulators({ vendors: ['fcm'], control: false });
  savedGlobalAgent = https.globalAgent;
  https.globalAgent = new RedirectAgent(Number(new URL(sim.urls.fcm!).port), sim.caCertPem);
});
afterAll(async () => {
  https.globalAgent = savedGlobalAgent;
  await sim?.stop();
});

describe('firebase-admin 13 send()', () => {
  it('exchanges its service-account JWT for a token and sends through the simulator', async () => {
    const sa = generateServiceAccount('admin-sdk-demo');
    sim.registerServiceAccount({ serviceAccount: sa });
    const token = sim.devices.install('fcm', { app: 'admin-sdk-demo' }).token;
    const gone = sim.devices.install('fcm', { app: 'admin-sdk-demo' }).token;
    sim.devices.uninstall('fcm', gone);
    const app = initializeApp(
      {
        credential: saCredential({
          projectId: sa.project_id,
          clientEmail: sa.client_email,
          privateKey: sa.private_key,
        }),
        projectId: sa.project_id,
        httpAgent: https.globalAgent,
      },
      `sim-${Date.now()}`,
    );
    try {
      const messaging = getMessaging(app);
      const name = await messaging.send({
        token,
        notification: { title: 'Dave', body: 'ping' },
        data: { ext: 'e1' },
        android: {
          priority: 'high',
          ttl: 3_600_000,
          notification: { channelId: 'im', clickAction: 'OPEN', notificationCount: 2 },
        },
      });
      expect(name).toMatch(/^projects\/admin-sdk-demo\/messages\//);
      expect(sim.received({ token })[0]).toMatchObject({
        title: 'Dave',
        body: 'ping',
        channel: 'im',
        clickAction: 'OPEN',
        badge: 2,
        priority: 'high',
        data: { ext: 'e1' },
      });
      // The token exchange really happened against the simulator's OAuth endpoint.
      expect(seenHosts).toContain('oauth2.googleapis.com');
      expect(seenHosts).toContain('fcm.googleapis.com');
      expect(sim.counters().fcm?.byReason.token).toBeGreaterThanOrEqual(1);

      await expect(messaging.send({ token: gone, notification: { title: 'x' } })).rejects.toMatchObject({
        code: 'messaging/registration-token-not-registered',
      });
      expect(await messaging.send({ token, data: { a: 'b' } }, true)).toBe(
        'projects/admin-sdk-demo/messages/fake_message_id',
      );
    } finally {
      await deleteApp(app);
    }
  });
});
