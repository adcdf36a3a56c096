import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import webpush from 'web-push';
import {
  createVirtualBrowserKeys,
  decryptAes128gcm,
  generateVapidKeys,
  type Simulators,
  startSimulators,
  type VapidKeys,
} from '../src/index.js';
import { httpsCall } from './helpers.js';

const ORIGIN = 'https://chat.example';
let sim: Simulators;
let vapid: VapidKeys;
let agent: https.Agent;

function vapidDetails(keys = vapid) {
  return { subject: 'mailto:ops@chat.example', publicKey: keys.publicKey, privateKey: keys.privateKey };
}

async function sendWith(
  sub: webpush.PushSubscription,
  payload: string | null,
  opts: webpush.RequestOptions = {},
) {
  try {
    const r = await webpush.sendNotification(sub, payload, {
      vapidDetails: vapidDetails(),
      agent,
      TTL: 60,
      ...opts,
    });
    return { status: r.statusCode, headers: r.headers, body: r.body };
  } catch (e) {
    const err = e as { statusCode?: number; body?: string; headers?: Record<string, string> };
    if (!err.statusCode) throw e;
    return { status: err.statusCode, headers: err.headers ?? {}, body: err.body ?? '' };
  }
}

beforeAll(async () => {
  sim = await startSimulators({ vendors: ['webpush'], control: false });
  vapid = generateVapidKeys();
  agent = new https.Agent({ ca: sim.caCertPem });
});
afterAll(async () => {
  agent.destroy();
  await sim?.stop();
});

describe('Web Push with the web-push library', () => {
  it('decrypts an aes128gcm push and records the cleartext notification', async () => {
    const device = sim.devices.install('webpush', { app: ORIGIN, applicationServerKey: vapid.publicKey });
    expect(device.subscription?.endpoint).toBe(`${sim.urls.webpush}/push/${device.token}`);
    const payload = JSON.stringify({
      title: 'Erin',
      body: 'new message',
      icon: '/i.png',
      data: { conv: 'c1' },
    });
    const res = await sendWith(device.subscription!, payload, { urgency: 'high', topic: 'conv1' });
    expect(res.status).toBe(201);
    expect(res.headers.location).toMatch(/\/message\//);
    expect(sim.received({ token: device.token })[0]).toMatchObject({
      vendor: 'webpush',
      app: ORIGIN,
      title: 'Erin',
      body: 'new message',
      image: '/i.png',
      data: { conv: 'c1' },
      priority: 'high',
      collapseId: 'conv1',
    });
  });

  it('answers 404 for an unknown subscription and 410 once unsubscribed', async () => {
    const device = sim.devices.install('webpush', { app: ORIGIN });
    const unknown = { ...device.subscription!, endpoint: `${sim.urls.webpush}/push/AAAAAAAAAAAAAAAAAAAAAA` };
    expect((await sendWith(unknown, 'x')).status).toBe(404);
    sim.devices.uninstall('webpush', device.token);
    expect((await sendWith(device.subscription!, 'x')).status).toBe(410);
  });

  it('rejects another VAPID key (403), a bad VAPID signature or missing VAPID (401)', async () => {
    const device = sim.devices.install('webpush', { app: ORIGIN, applicationServerKey: vapid.publicKey });
    const other = generateVapidKeys();
    expect((await sendWith(device.subscription!, 'x', { vapidDetails: vapidDetails(other) })).status).toBe(
      403,
    );
    const forged = { ...vapidDetails(other), publicKey: vapid.publicKey };
    expect((await sendWith(device.subscription!, 'x', { vapidDetails: forged })).status).toBe(401);
    const noVapid = await httpsCall(device.subscription!.endpoint, sim.caCertPem, {
      headers: { ttl: '60' },
      body: '',
    });
    expect(noVapid.status).toBe(401);
  });

  it('checks the claims of a VAPID header it has verified before on every request', async () => {
    const device = sim.devices.install('webpush', { app: ORIGIN, applicationServerKey: vapid.publicKey });
    const endpoint = device.subscription!.endpoint;
    const audience = new URL(endpoint).origin;
    const expiration = Math.floor(Date.now() / 1000) + 3600;
    const { Authorization } = webpush.getVapidHeaders(
      audience,
      'mailto:ops@chat.example',
      vapid.publicKey,
      vapid.privateKey,
      'aes128gcm',
      expiration,
    );
    const headers = { authorization: Authorization as string, ttl: '60' };
    expect((await httpsCall(endpoint, sim.caCertPem, { headers, body: '' })).status).toBe(201);
    expect((await httpsCall(endpoint, sim.caCertPem, { headers, body: '' })).status).toBe(201);
    // The same header once its exp has passed: refused although its signature was accepted before.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime((expiration + 60) * 1000);
      expect((await httpsCall(endpoint, sim.caCertPem, { headers, body: '' })).status).toBe(401);
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects a missing TTL (400) and a body over 4096 bytes (413)', async () => {
    const device = sim.devices.install('webpush', { app: ORIGIN });
    const noTtl = await httpsCall(device.subscription!.endpoint, sim.caCertPem, { body: '' });
    expect(noTtl.status).toBe(400);
    const big = await httpsCall(device.subscription!.endpoint, sim.caCertPem, {
      headers: { ttl: '60', 'content-encoding': 'aes128gcm' },
      body: Buffer.alloc(4097),
    });
    expect(big.status).toBe(413);
    const ok = await httpsCall(device.subscription!.endpoint, sim.caCertPem, {
      headers: { ttl: '0' },
      body: '',
    });
    expect(ok.status).toBe(201);
  });
});

describe('virtual browser helpers', () => {
  it('decrypts what web-push encrypts for standalone browser keys', async () => {
    const browser = createVirtualBrowserKeys();
    const details = webpush.generateRequestDetails(
      { endpoint: 'https://push.example/x', keys: browser.keys },
      'hello from the app server',
      { vapidDetails: vapidDetails() },
    );
    expect(decryptAes128gcm(details.body as Buffer, browser.secret).toString('utf8')).toBe(
      'hello from the app server',
    );
    const other = createVirtualBrowserKeys();
    expect(() => decryptAes128gcm(details.body as Buffer, other.secret)).toThrow();
  });
});
