// Each fault kind observed from a client: status + Retry-After, percent, latency, GOAWAY (HTTP/2 and
// HTTP/1.1 close), connection reset, quota per second. Plus bounded records with exact counters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateApnsSigningKey,
  generateVendorApp,
  type Simulators,
  signApnsProviderToken,
  startSimulators,
} from '../src/index.js';
import { h2connect, h2request, httpsCall } from './helpers.js';

const BUNDLE = 'com.example.faults';
let sim: Simulators;
let jwt: string;
let apnsToken: string;
let hw: { appId: string; token: string; bearer: string };

const apnsPush = (session: Parameters<typeof h2request>[0]) =>
  h2request(
    session,
    {
      ':path': `/3/device/${apnsToken}`,
      authorization: `bearer ${jwt}`,
      'apns-topic': BUNDLE,
      'apns-push-type': 'alert',
    },
    '{"aps":{"alert":"x"}}',
  );
const hwSend = () =>
  httpsCall(`${sim.urls.huawei}/v1/${hw.appId}/messages:send`, sim.caCertPem, {
    headers: { authorization: `Bearer ${hw.bearer}` },
    body: { message: { data: 'd', token: [hw.token] } },
  });

beforeAll(async () => {
  sim = await startSimulators({ vendors: ['apns', 'huawei'], control: false, recordLimit: 3 });
  const key = generateApnsSigningKey();
  sim.registerApnsKey({ keyId: key.keyId, teamId: key.teamId, privateKeyPem: key.p8, topics: [BUNDLE] });
  jwt = signApnsProviderToken(key);
  apnsToken = sim.devices.install('apns', { app: BUNDLE, environment: 'production' }).token;
  const app = sim.registerVendorApp('huawei', generateVendorApp('huawei'));
  const oauth = await httpsCall(`${sim.urls.huaweiOAuth}/oauth2/v3/token`, sim.caCertPem, {
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: app.appId,
      client_secret: app.appSecret!,
    }),
  });
  hw = {
    appId: app.appId,
    token: sim.devices.install('huawei', { app: app.appId }).token,
    bearer: oauth.json.access_token,
  };
});
afterAll(async () => {
  await sim?.stop();
});

describe('fault injection', () => {
  it('answers the next N requests with a status, reason and Retry-After, then recovers', async () => {
    const s = await h2connect(sim.urls.apnsProduction!, sim.caCertPem);
    sim.faults.add('apns', {
      kind: 'status',
      status: 503,
      reason: 'ServiceUnavailable',
      retryAfter: 30,
      count: 2,
    });
    const a = await apnsPush(s);
    const b = await apnsPush(s);
    const c = await apnsPush(s);
    s.close();
    expect([a.status, a.json.reason, a.headers['retry-after']]).toEqual([503, 'ServiceUnavailable', '30']);
    expect([b.status, b.json.reason]).toEqual([503, 'ServiceUnavailable']);
    expect(c.status).toBe(200);
    expect(sim.counters().apns).toMatchObject({ faults: 2, rejected: 2 });
  });

  it('applies a percentage: 100 % always, 0 % never', async () => {
    const f = sim.faults.add('huawei', { kind: 'status', status: 500, percent: 100 });
    expect((await hwSend()).status).toBe(500);
    expect((await hwSend()).status).toBe(500);
    sim.faults.remove(f.id);
    sim.faults.add('huawei', { kind: 'status', status: 500, percent: 0 });
    expect((await hwSend()).status).toBe(200);
    sim.faults.clear('huawei');
  });

  it('adds latency: a delayed request finishes after a later undelayed one', async () => {
    sim.faults.add('huawei', { kind: 'latency', ms: 2500, count: 1 });
    const order: string[] = [];
    const slow = hwSend().then(() => order.push('slow'));
    await new Promise((r) => setTimeout(r, 50));
    const fast = hwSend().then(() => order.push('fast'));
    await Promise.all([slow, fast]);
    expect(order).toEqual(['fast', 'slow']);
  });

  it('sends GOAWAY with a JSON reason after N streams (HTTP/2) and closes after N requests (HTTP/1.1)', async () => {
    sim.faults.add('apns', { kind: 'goaway', afterStreams: 2, reason: 'Shutdown' });
    const s = await h2connect(sim.urls.apnsProduction!, sim.caCertPem);
    const goaway = new Promise<{ code: number; data: string }>((resolve) =>
      s.once('goaway', (code, _last, data) => resolve({ code, data: data?.toString() ?? '' })),
    );
    expect((await apnsPush(s)).status).toBe(200);
    expect((await apnsPush(s)).status).toBe(200);
    expect(await goaway).toEqual({ code: 0, data: '{"reason":"Shutdown"}' });
    sim.faults.clear('apns');

    sim.faults.add('huawei', { kind: 'goaway', afterStreams: 1 });
    const res = await hwSend();
    sim.faults.clear('huawei');
    expect(res.headers.connection).toBe('close');
  });

  it('resets connections', async () => {
    sim.faults.add('huawei', { kind: 'reset', count: 1 });
    await expect(hwSend()).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await hwSend()).status).toBe(200);

    sim.faults.add('apns', { kind: 'reset', count: 1 });
    const s = await h2connect(sim.urls.apnsProduction!, sim.caCertPem);
    s.on('error', () => {});
    await expect(apnsPush(s)).rejects.toThrow();
    expect(s.closed || s.destroyed).toBe(true);
  });

  it('enforces a quota per second with the vendor’s own rate-limit answer', async () => {
    sim.faults.add('apns', { kind: 'quota', perSecond: 0 });
    const s = await h2connect(sim.urls.apnsProduction!, sim.caCertPem);
    const res = await apnsPush(s);
    expect([res.status, res.json.reason]).toEqual([429, 'TooManyRequests']);
    sim.faults.clear('apns');
    sim.faults.add('huawei', { kind: 'quota', perSecond: 1 });
    const statuses = (await Promise.all([1, 2, 3, 4, 5].map(() => hwSend()))).map((r) => r.status);
    sim.faults.clear('huawei');
    s.close();
    // 5 simultaneous requests: at least one gets through, and they cannot all fall in different seconds.
    expect(statuses).toContain(200);
    expect(statuses).toContain(503);
  });

  it('keeps only the last recordLimit records but counts every delivery', async () => {
    sim.clear();
    const s = await h2connect(sim.urls.apnsProduction!, sim.caCertPem);
    for (let i = 0; i < 5; i++) expect((await apnsPush(s)).status).toBe(200);
    s.close();
    const recs = sim.received({ vendor: 'apns' });
    expect(recs.length).toBe(3);
    expect(recs.map((r) => r.seq)).toEqual([...recs.map((r) => r.seq)].sort((x, y) => x - y));
    expect(sim.counters().apns).toMatchObject({
      requests: 5,
      delivered: 5,
      rejected: 0,
      byReason: { ok: 5 },
    });
  });

  it('refuses malformed fault rules', () => {
    expect(() => sim.faults.add('apns', { kind: 'status', status: 42 })).toThrow(/status/);
    expect(() => sim.faults.add('apns', { kind: 'goaway', afterStreams: 0 })).toThrow(/afterStreams/);
  });
});
