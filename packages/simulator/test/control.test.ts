// The control HTTP API, as another process (a benchmark, the console) would use it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateApnsSigningKey,
  type Simulators,
  signApnsProviderToken,
  startSimulators,
} from '../src/index.js';
import { h2connect, h2request, httpJson } from './helpers.js';

const BUNDLE = 'com.example.control';
let sim: Simulators;

beforeAll(async () => {
  sim = await startSimulators({ vendors: ['apns', 'webpush'] });
});
afterAll(async () => {
  await sim?.stop();
});

/** Opens an SSE stream; resolves once the server's opening comment arrived (so the subscription is live). */
async function openSse(
  url: string,
): Promise<{ next(): Promise<{ event: string; data: unknown }>; close(): void }> {
  const ac = new AbortController();
  const res = await fetch(url, { signal: ac.signal });
  const reader = res.body!.getReader();
  let buf = '';
  const read = async () => {
    const { value, done } = await reader.read();
    if (done) throw new Error('SSE stream ended');
    buf += Buffer.from(value).toString('utf8');
  };
  while (!buf.includes('\n\n')) await read();
  return {
    close: () => ac.abort(),
    async next() {
      for (;;) {
        const m = /event: (\w+)\ndata: (.*)\n\n/.exec(buf);
        if (m) return { event: m[1] as string, data: JSON.parse(m[2] as string) };
        await read();
      }
    },
  };
}

describe('control HTTP API', () => {
  it('registers credentials, installs devices, streams, reads and clears records, counts, injects faults', async () => {
    const c = sim.control;
    expect((await httpJson(`${c}/health`)).json).toEqual({ ok: true });
    const urls = (await httpJson(`${c}/urls`)).json;
    expect(urls.urls.apnsProduction).toBe(sim.urls.apnsProduction);
    expect(urls.env.PUSHLINE_CA_FILE).toBe(sim.caFile);
    expect(await (await fetch(`${c}/ca.pem`)).text()).toBe(sim.caCertPem);

    const key = generateApnsSigningKey();
    const reg = await httpJson(`${c}/credentials/apns`, {
      method: 'POST',
      body: { keyId: key.keyId, teamId: key.teamId, publicKeyPem: key.publicKeyPem, topics: [BUNDLE] },
    });
    expect(reg.status).toBe(201);
    expect(reg.json).toMatchObject({ keyId: key.keyId, topics: [BUNDLE] });
    const dev = await httpJson(`${c}/devices`, {
      method: 'POST',
      body: { vendor: 'apns', app: BUNDLE, environment: 'production' },
    });
    expect(dev.status).toBe(201);
    const token: string = dev.json.token;
    expect(
      (await httpJson(`${c}/devices?vendor=apns`)).json.map((d: { token: string }) => d.token),
    ).toContain(token);

    const s = await h2connect(sim.urls.apnsProduction!, sim.caCertPem);
    const jwt = signApnsProviderToken(key);
    const push = () =>
      h2request(
        s,
        { ':path': `/3/device/${token}`, authorization: `bearer ${jwt}`, 'apns-topic': BUNDLE },
        '{"aps":{"alert":{"title":"Live","body":"on the console"}}}',
      );
    const sse = await openSse(`${c}/events?vendor=apns`);
    expect((await push()).status).toBe(200);
    const ev = await sse.next();
    sse.close();
    expect(ev.event).toBe('push');
    expect(ev.data).toMatchObject({ vendor: 'apns', token, title: 'Live', body: 'on the console' });

    const received = await httpJson(`${c}/received?vendor=apns&token=${token}`);
    expect(received.json).toHaveLength(1);
    expect((await httpJson(`${c}/counters`)).json.apns).toMatchObject({ requests: 1, delivered: 1 });

    const fault = await httpJson(`${c}/faults`, {
      method: 'POST',
      body: { vendor: 'apns', kind: 'status', status: 500, count: 1 },
    });
    expect(fault.status).toBe(201);
    expect((await httpJson(`${c}/faults`)).json).toHaveLength(1);
    const failed = await push();
    expect([failed.status, failed.json.reason]).toEqual([500, 'InternalServerError']);
    expect((await httpJson(`${c}/faults`)).json).toHaveLength(0);
    const bad = await httpJson(`${c}/faults`, { method: 'POST', body: { vendor: 'apns', kind: 'explode' } });
    expect(bad.status).toBe(400);

    expect((await httpJson(`${c}/devices/apns/${token}/uninstall`, { method: 'POST' })).json.installed).toBe(
      false,
    );
    expect((await push()).status).toBe(410);
    s.close();

    await httpJson(`${c}/received`, { method: 'DELETE' });
    expect((await httpJson(`${c}/received`)).json).toEqual([]);
    expect((await httpJson(`${c}/counters`)).json).toEqual({});
    expect((await httpJson(`${c}/nope`)).status).toBe(404);
  });

  it('installs a Web Push virtual browser and returns its subscription', async () => {
    const dev = await httpJson(`${sim.control}/devices`, {
      method: 'POST',
      body: { vendor: 'webpush', app: 'https://site.example' },
    });
    expect(dev.json.subscription.endpoint).toBe(`${sim.urls.webpush}/push/${dev.json.token}`);
    expect(Buffer.from(dev.json.subscription.keys.p256dh, 'base64url')).toHaveLength(65);
    expect(Buffer.from(dev.json.subscription.keys.auth, 'base64url')).toHaveLength(16);
    const unknown = await httpJson(`${sim.control}/devices`, {
      method: 'POST',
      body: { vendor: 'nokia', app: 'x' },
    });
    expect(unknown.status).toBe(400);
  });
});
