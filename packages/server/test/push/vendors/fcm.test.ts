// The FCM HTTP v1 channel against the FCM simulator: OAuth JWT-bearer exchange with a cached access
// token, renewal when the token expires, uninstalled apps, a service account Google does not know, every
// FcmError code mapped to its outcome (fault injection), and the HTTP/2 transport: requests multiplexed
// within the server's MAX_CONCURRENT_STREAMS from the very first one, GOAWAY and connection resets,
// idle connections closed, a request left unanswered abandoned.
import { generateServiceAccount, type Simulators } from '@pushline/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testTask } from '../../../src/certificates/test-notification.js';
import type { CertificateInfo } from '../../../src/certificates/types.js';
import {
  CertificateChannels,
  type ChannelContext,
  channelContext,
} from '../../../src/push/channels/index.js';
import type { PushOutcome } from '../../../src/push/types.js';
import { FCM_ANSWERS, type FcmChannel } from '../../../src/push/vendors/fcm/channel.js';
import { fcmBodyJson, fcmReceiptFields } from '../../../src/push/vendors/fcm/receipt-fields.js';
import type { FcmRequest } from '../../../src/push/vendors/fcm/request.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { simConfig, startSims, waitUntil } from '../../helpers/simulators.js';

/** The simulator's MAX_CONCURRENT_STREAMS: low, so that a client ignoring it gets refused streams. */
const MAX_STREAMS = 5;

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
    sim = await startSims({ vendors: ['fcm'], fcmMaxConcurrentStreams: MAX_STREAMS });
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

  it("gives each device of a shared request its own PushID and token, the message's members otherwise", async () => {
    const phones = [install(), install(), install()];
    // One request object for three devices, as a fan-out page hands them to the channel.
    const shared = testTask(cert, phones[0]!, 'shared').request;
    const tasks = phones.map((token, i) => ({
      ...testTask(cert, token, 'shared'),
      pushId: `fcm-${i}`,
      request: shared,
    }));
    const outcomes = await s.pushline.channels.send(cert.id, tasks);
    expect(outcomes.map((o) => o.kind)).toEqual(['sent', 'sent', 'sent']);
    for (const [i, token] of phones.entries()) {
      const [record] = sim.received({ vendor: 'fcm', token });
      const expected = { message: { ...fcmReceiptFields(shared as FcmRequest, `fcm-${i}`).message, token } };
      expect(JSON.parse(record!.raw.body)).toEqual(expected);
    }
  });

  it('writes the body the copy-and-serialise way would, whatever the message holds', () => {
    const messages: FcmRequest['message'][] = [
      { notification: { title: 'A', body: 'b' }, android: { priority: 'HIGH' } },
      { data: { ext: '{"k":1}', pushId: 'stale' }, notification: { body: 'x' } },
      { data: {} },
      {},
    ];
    for (const message of messages) {
      const request: FcmRequest = { vendor: 'fcm', message };
      const cache = new Map();
      for (const pushId of ['p1', 'p"2']) {
        const body = fcmBodyJson(request, pushId, 'tok\\en', cache);
        const copied = { message: { ...fcmReceiptFields(request, pushId).message, token: 'tok\\en' } };
        expect(JSON.parse(body)).toEqual(copied);
      }
      expect(cache.size).toBe(1);
    }
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

  describe('over HTTP/2', () => {
    /** A registry of its own: a fresh channel whose sessions start with this test. */
    async function withRegistry(
      fcm: ChannelContext['fcm'],
      run: (
        send: (tokens: string[]) => Promise<PushOutcome[]>,
        channel: () => Promise<FcmChannel>,
      ) => Promise<void>,
    ): Promise<void> {
      const registry = new CertificateChannels(
        s.pushline.certificates,
        channelContext(s.pushline.config, fcm ? { fcm } : {}),
      );
      try {
        await run(
          (tokens) =>
            registry.send(
              cert.id,
              tokens.map((t) => testTask(cert, t, 'hi there')),
            ),
          async () => (await registry.channel(cert.id)) as FcmChannel,
        );
      } finally {
        await registry.close();
      }
    }

    it('sends over HTTP/2', async () => {
      const phone = install();
      expect((await send([phone]))[0]?.kind).toBe('sent');
      const record = await sim.waitFor({ vendor: 'fcm', token: phone });
      // Pseudo-headers exist only in HTTP/2 requests.
      expect(record.raw.headers).toMatchObject({ ':method': 'POST', ':scheme': 'https' });
      expect(record.raw.path).toBe(`/v1/projects/${project}/messages:send`);
    });

    it('keeps within the advertised stream limit from the first request: no refused stream', async () => {
      const slow = sim.faults.add('fcm', { kind: 'latency', ms: 20, percent: 100 });
      try {
        await withRegistry(undefined, async (sendNow, channel) => {
          const phones = Array.from({ length: 200 }, install);
          const outcomes = await sendNow(phones);
          expect(outcomes.filter((o) => o.kind !== 'sent')).toEqual([]);
          const { pool } = await channel();
          // A request written before the server's SETTINGS counts against Node's default of 100 streams;
          // the simulator refuses everything above 5, and the pool would count those here.
          expect(pool.stats.refused).toBe(0);
          expect(pool.stats.sessionsOpened).toBeGreaterThan(1); // 5 streams each: more connections
          expect(pool.stats.sessionsOpened).toBeLessThanOrEqual(4);
        });
      } finally {
        sim.faults.remove(slow.id);
      }
    });

    it('loses no request when the server sends GOAWAY mid-burst', async () => {
      const goaway = sim.faults.add('fcm', { kind: 'goaway', afterStreams: 40 });
      try {
        await withRegistry(undefined, async (sendNow, channel) => {
          const phones = Array.from({ length: 250 }, install);
          const outcomes = await sendNow(phones);
          expect(outcomes.filter((o) => o.kind !== 'sent')).toEqual([]);
          const delivered = new Set(sim.received({ vendor: 'fcm', limit: 5000 }).map((r) => r.token));
          expect(phones.filter((p) => !delivered.has(p))).toEqual([]);
          expect((await channel()).pool.stats.sessionsOpened).toBeGreaterThan(1);
        });
      } finally {
        sim.faults.remove(goaway.id);
      }
    });

    it('answers retry when the connection breaks, and sends the next push on a fresh one', async () => {
      await withRegistry(undefined, async (sendNow, channel) => {
        expect((await sendNow([install()]))[0]?.kind).toBe('sent');
        sim.faults.add('fcm', { kind: 'reset', count: 1 });
        const [broken] = await sendNow([install()]);
        expect(broken).toMatchObject({ kind: 'retry', code: expect.stringMatching(/^Network:/) });
        expect((await sendNow([install()]))[0]?.kind).toBe('sent');
        expect((await channel()).pool.stats.sessionsOpened).toBe(2);
      });
    });

    it('abandons a request FCM leaves unanswered, as a retry', async () => {
      await withRegistry({ requestTimeoutMs: 150 }, async (sendNow) => {
        expect((await sendNow([install()]))[0]?.kind).toBe('sent');
        sim.faults.add('fcm', { kind: 'latency', ms: 1500, count: 1 });
        const [late] = await sendNow([install()]);
        expect(late).toMatchObject({ kind: 'retry', code: 'Network:Timeout' });
        expect((await sendNow([install()]))[0]?.kind).toBe('sent');
      });
    });

    it('closes idle connections and reconnects on the next push', async () => {
      await withRegistry({ pingIntervalMs: 30, idleMs: 200 }, async (sendNow, channel) => {
        expect((await sendNow([install()]))[0]?.kind).toBe('sent');
        const { pool } = await channel();
        await waitUntil(() => pool.sessionCount === 0, 'the idle session to close');
        expect((await sendNow([install()]))[0]?.kind).toBe('sent');
        expect(pool.stats.sessionsOpened).toBe(2);
      });
    });
  });
});
