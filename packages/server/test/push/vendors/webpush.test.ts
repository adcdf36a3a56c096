// The Web Push channel against the push-service simulator: aes128gcm encryption and VAPID the
// simulator decrypts and verifies, gone subscriptions, a subscription made with another VAPID key,
// and each push-service status mapped to its outcome.
import type { Simulators } from '@pushline/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testTask } from '../../../src/certificates/test-notification.js';
import type { CertificateInfo } from '../../../src/certificates/types.js';
import { WEBPUSH_ANSWERS } from '../../../src/push/vendors/webpush/channel.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { simConfig, startSims } from '../../helpers/simulators.js';

describe('Web Push channel', () => {
  let sim: Simulators;
  let s: TestServer;
  let cert: CertificateInfo;

  beforeAll(async () => {
    sim = await startSims({ vendors: ['webpush'] });
    s = await startTestServer({ config: simConfig(sim) });
    cert = await s.pushline.certificateService.add(s.app.sdkAppId, {
      vendor: 'webpush',
      subject: 'mailto:ops@example.com',
    });
  });
  afterAll(async () => {
    await s?.close();
    await sim?.stop();
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
