// The Web Push channel against the push-service simulator: aes128gcm encryption and VAPID the
// simulator decrypts and verifies, gone subscriptions, a subscription made with another VAPID key,
// and each push-service status mapped to its outcome.
import type { Simulators } from '@pushline/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testTask } from '../../../src/certificates/test-notification.js';
import type { CertificateInfo } from '../../../src/certificates/types.js';
import { WEBPUSH_ANSWERS, type WebPushChannel } from '../../../src/push/vendors/webpush/channel.js';
import { WebPushTransports } from '../../../src/push/vendors/webpush/transport.js';
import type { TestServer } from '../../helpers/server.js';
import { startSims } from '../../helpers/simulators.js';
import { startWebPushWorld, type WebPushWorld } from '../../helpers/webpush-world.js';

describe('Web Push channel', () => {
  let world: WebPushWorld;
  let sim: Simulators;
  let s: TestServer;
  let cert: CertificateInfo;

  beforeAll(async () => {
    world = await startWebPushWorld();
    ({ sim, s, cert } = world);
  });
  afterAll(async () => {
    await world?.close();
  });

  const subscribe = (key = cert.publicFields.vapidPublicKey) => {
    const d = sim.devices.install('webpush', { app: 'https://chat.example.com', applicationServerKey: key });
    return { id: d.token, token: JSON.stringify(d.subscription) };
  };
  const send = (token: string) => s.pushline.channels.send(cert.id, [testTask(cert, token, 'web hello')]);

  it('encrypts and signs so that the browser shows the notification', async () => {
    const browser = subscribe();
    expect((await send(browser.token))[0]).toMatchObject({
      kind: 'sent',
      vendorId: expect.stringContaining('/message/'),
    });
    const record = await sim.waitFor({ vendor: 'webpush', token: browser.id });
    expect(JSON.stringify(record)).toContain('web hello');
  });

  it('drops gone subscriptions and refuses non-subscriptions', async () => {
    const browser = subscribe();
    sim.devices.uninstall('webpush', browser.id);
    expect((await send(browser.token))[0]).toMatchObject({ kind: 'invalid-token', code: '410' });
    expect((await send('{"endpoint":"nope"}'))[0]).toMatchObject({
      kind: 'invalid-token',
      code: 'BadSubscription',
    });
  });

  it('reports a subscription made with another VAPID key as a credential error', async () => {
    const other = await s.pushline.certificateService.add(s.app.sdkAppId, {
      vendor: 'webpush',
      subject: 'https://example.com',
    });
    const browser = subscribe(other.publicFields.vapidPublicKey);
    expect((await send(browser.token))[0]).toMatchObject({ kind: 'credential-error', code: '403' });
  });

  it('sends over HTTP/2 to a push service that offers it, over HTTP/1.1 to one that does not', async () => {
    // A second push service on its own origin that speaks HTTP/1.1 only (same CA, trusted by the server).
    const http1Only = await startSims({ vendors: ['webpush'], ca: sim.ca, webpushHttp2: false });
    try {
      const channel = (await s.pushline.channels.channel(cert.id)) as WebPushChannel;
      const overHttp2 = subscribe();
      const legacy = http1Only.devices.install('webpush', {
        app: 'https://chat.example.com',
        applicationServerKey: cert.publicFields.vapidPublicKey,
      });
      const [a, b] = await s.pushline.channels.send(cert.id, [
        testTask(cert, overHttp2.token, 'over h2'),
        testTask(cert, JSON.stringify(legacy.subscription), 'over http/1.1'),
      ]);
      expect(a).toMatchObject({ kind: 'sent' });
      expect(b).toMatchObject({ kind: 'sent' });
      expect(JSON.stringify(await sim.waitFor({ vendor: 'webpush', token: overHttp2.id }))).toContain(
        'over h2',
      );
      expect(JSON.stringify(await http1Only.waitFor({ vendor: 'webpush', token: legacy.token }))).toContain(
        'over http/1.1',
      );
      const endpointOf = (token: string) => new URL((JSON.parse(token) as { endpoint: string }).endpoint);
      expect((await channel.transports.of(endpointOf(overHttp2.token))).kind).toBe('h2');
      expect((await channel.transports.of(endpointOf(JSON.stringify(legacy.subscription)))).kind).toBe(
        'http1',
      );
    } finally {
      await http1Only.stop();
    }
  });

  it('uses HTTP/1.1 for a push service it could not ask, and asks again a minute later', async () => {
    let now = 1_000_000;
    const transports = new WebPushTransports(undefined, () => now);
    try {
      // Nothing listens on port 1: no TLS answer, so HTTP/1.1 (whose own request reports the error).
      const unreachable = new URL('https://127.0.0.1:1/push/x');
      const first = transports.of(unreachable);
      expect((await first).kind).toBe('http1');
      now += 30_000;
      expect(transports.of(unreachable)).toBe(first);
      now += 31_000;
      const again = transports.of(unreachable);
      expect(again).not.toBe(first);
      expect((await again).kind).toBe('http1');
      // A plain-HTTP push service is not asked: HTTP/1.1 for good.
      const plain = new URL('http://127.0.0.1:1/push/x');
      const once = transports.of(plain);
      expect((await once).kind).toBe('http1');
      now += 120_000;
      expect(transports.of(plain)).toBe(once);
    } finally {
      await transports.close();
    }
  });

  it.each(['400', '401', '403', '404', '410', '413', '429'])(
    'maps HTTP %s to its table outcome',
    async (status) => {
      sim.faults.add('webpush', { kind: 'status', status: Number(status), count: 1, retryAfter: 5 });
      const [o] = await send(subscribe().token);
      expect(o).toMatchObject({ kind: WEBPUSH_ANSWERS[status]?.outcome, code: status });
      if (status === '429') expect(o).toMatchObject({ afterMs: 5000 });
    },
  );
});
