// The FCM HTTP v1 channel against the FCM simulator: OAuth JWT-bearer exchange with a cached access
// token, renewal when the token expires, uninstalled apps, a service account Google does not know, and
// every FcmError code mapped to its outcome (fault injection).
import { generateServiceAccount, type Simulators } from '@pushline/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testTask } from '../src/push/certificates/test-notification.js';
import type { CertificateInfo } from '../src/push/certificates/types.js';
import { FCM_ANSWERS } from '../src/push/channels/fcm.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { simConfig, startSims } from './helpers/simulators.js';

const INJECTABLE: Record<string, number> = {
  UNREGISTERED: 404,
  INVALID_ARGUMENT: 400,
  SENDER_ID_MISMATCH: 403,
  QUOTA_EXCEEDED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
  THIRD_PARTY_AUTH_ERROR: 401,
};

describe('FCM channel', () => {
  let sim: Simulators;
  let s: TestServer;
  let cert: CertificateInfo;
  const project = 'pushline-fcm-test';

  beforeAll(async () => {
    sim = await startSims({ vendors: ['fcm'] });
    s = await startTestServer({ config: simConfig(sim) });
    const sa = generateServiceAccount(project);
    sim.registerServiceAccount({ serviceAccount: sa });
    cert = await s.pushline.certificateService.add(s.app.sdkAppId, {
      vendor: 'fcm',
      serviceAccount: JSON.stringify(sa),
      defaults: { channelId: 'im_messages' },
    });
  });
  afterAll(async () => {
    await s?.close();
    await sim?.stop();
  });

  const install = () => sim.devices.install('fcm', { app: project }).token;
  const send = (tokens: string[], certificate = cert) =>
    s.pushline.channels.send(
      certificate.id,
      tokens.map((t) => testTask(certificate, t, 'hi there')),
    );
  const tokenRequests = () => sim.counters().fcm?.byReason.token ?? 0;

  it('sends with one cached OAuth token', async () => {
    const phones = [install(), install(), install()];
    const outcomes = await send(phones);
    for (const o of outcomes) {
      expect(o).toMatchObject({
        kind: 'sent',
        vendorId: expect.stringMatching(`^projects/${project}/messages/`),
      });
    }
    const record = await sim.waitFor({ vendor: 'fcm', token: phones[0] });
    expect(record).toMatchObject({ title: 'Pushline test', body: 'hi there', channel: 'im_messages' });
    const before = tokenRequests();
    expect(before).toBeGreaterThanOrEqual(1);
    await send([install()]);
    expect(tokenRequests()).toBe(before);
  });

  it('renews an expired access token and sends', async () => {
    await send([install()]);
    const before = tokenRequests();
    sim.expireAccessTokens('fcm');
    const [o] = await send([install()]);
    expect(o?.kind).toBe('sent');
    expect(tokenRequests()).toBe(before + 1);
  });

  it('drops the token of an uninstalled app', async () => {
    const phone = install();
    sim.devices.uninstall('fcm', phone);
    expect((await send([phone]))[0]).toMatchObject({ kind: 'invalid-token', code: 'UNREGISTERED' });
  });

  it('reports a service account Google does not know as a credential error', async () => {
    const unknown = await s.pushline.certificateService.add(s.app.sdkAppId, {
      vendor: 'fcm',
      serviceAccount: JSON.stringify(generateServiceAccount(project, 'deleted-account')),
    });
    expect((await send([install()], unknown))[0]).toMatchObject({
      kind: 'credential-error',
      code: 'invalid_grant',
    });
  });

  it.each(Object.entries(INJECTABLE))('maps %s to its table outcome', async (code, status) => {
    await send([install()]); // the access token is cached: the fault hits the send
    sim.faults.add('fcm', { kind: 'status', status, reason: code, count: 1 });
    const [o] = await send([install()]);
    expect(o).toMatchObject({ kind: FCM_ANSWERS[code]?.outcome, code });
    if (code === 'QUOTA_EXCEEDED') expect(o).toMatchObject({ afterMs: 60_000 });
  });

  it('honours Retry-After', async () => {
    await send([install()]);
    sim.faults.add('fcm', { kind: 'status', status: 503, reason: 'UNAVAILABLE', retryAfter: 12, count: 1 });
    expect((await send([install()]))[0]).toMatchObject({
      kind: 'retry',
      code: 'UNAVAILABLE',
      afterMs: 12_000,
    });
  });
});
