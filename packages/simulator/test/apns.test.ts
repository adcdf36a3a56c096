import { generateKeyPairSync } from 'node:crypto';
import type { ClientHttp2Session } from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApnsSigningKey,
  createTestCa,
  generateApnsSigningKey,
  issueApnsClientCertificate,
  type Simulators,
  signApnsProviderToken,
  signJwt,
  startSimulators,
} from '../src/index.js';
import { h2connect, h2request } from './helpers.js';

const BUNDLE = 'com.example.chat';
let sim: Simulators;
let key: ApnsSigningKey;
let jwt: string;
let session: ClientHttp2Session;
let prodToken: string;
let devToken: string;
let voipToken: string;

const payload = JSON.stringify({
  aps: { alert: { title: 'Alice', subtitle: 'DM', body: 'hi' }, badge: 3, sound: 'default' },
  ext: 'x',
});

function push(
  token: string,
  headers: Record<string, string> = {},
  body: string | Buffer = payload,
  s = session,
) {
  return h2request(
    s,
    {
      ':path': `/3/device/${token}`,
      authorization: `bearer ${jwt}`,
      'apns-topic': BUNDLE,
      'apns-push-type': 'alert',
      ...headers,
    },
    body,
  );
}

beforeAll(async () => {
  sim = await startSimulators({ vendors: ['apns'], control: false, apnsMaxConcurrentStreams: 7 });
  key = generateApnsSigningKey();
  sim.registerApnsKey({ keyId: key.keyId, teamId: key.teamId, privateKeyPem: key.p8, topics: [BUNDLE] });
  jwt = signApnsProviderToken(key);
  prodToken = sim.devices.install('apns', { app: BUNDLE, environment: 'production' }).token;
  devToken = sim.devices.install('apns', { app: BUNDLE, environment: 'development' }).token;
  voipToken = sim.devices.install('apns', { app: BUNDLE, environment: 'production', voip: true }).token;
  session = await h2connect(sim.urls.apnsProduction!, sim.caCertPem);
});
afterAll(async () => {
  session?.close();
  await sim?.stop();
});

describe('APNs token auth', () => {
  it('accepts a valid push and records what the phone shows', async () => {
    const res = await push(prodToken, { 'apns-collapse-id': 'c1', 'apns-priority': '10' });
    expect(res.status).toBe(200);
    expect(res.headers['apns-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['apns-unique-id']).toBeUndefined();
    const [rec] = sim.received({ token: prodToken });
    expect(rec).toMatchObject({
      vendor: 'apns',
      app: BUNDLE,
      environment: 'production',
      title: 'Alice',
      subtitle: 'DM',
      body: 'hi',
      badge: 3,
      sound: 'default',
      data: { ext: 'x' },
      priority: '10',
      pushType: 'alert',
      collapseId: 'c1',
      messageId: res.headers['apns-id'],
    });
    expect(rec?.raw.headers['apns-topic']).toBe(BUNDLE);
  });

  it('echoes apns-id and adds apns-unique-id on the development listener', async () => {
    const dev = await h2connect(sim.urls.apnsDevelopment!, sim.caCertPem);
    const id = '4f2c3c1e-9d8a-4a7b-8f0e-1a2b3c4d5e6f';
    const res = await push(devToken, { 'apns-id': id }, payload, dev);
    dev.close();
    expect(res.status).toBe(200);
    expect(res.headers['apns-id']).toBe(id);
    expect(res.headers['apns-unique-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers BadDeviceToken for a development token sent to production, and a malformed token', async () => {
    expect((await push(devToken)).json).toEqual({ reason: 'BadDeviceToken' });
    const res = await push('abc123');
    expect(res.status).toBe(400);
    expect(res.json.reason).toBe('BadDeviceToken');
  });

  it('answers 410 Unregistered with a millisecond timestamp after uninstall', async () => {
    const t = sim.devices.install('apns', { app: BUNDLE, environment: 'production' }).token;
    const before = Date.now();
    sim.devices.uninstall('apns', t);
    const res = await push(t);
    expect(res.status).toBe(410);
    expect(res.json.reason).toBe('Unregistered');
    expect(res.json.timestamp).toBeGreaterThanOrEqual(before);
    expect(res.json.timestamp).toBeLessThanOrEqual(Date.now());
  });

  it('rejects header errors with the APNs reasons', async () => {
    const other = sim.devices.install('apns', { app: 'com.other.app', environment: 'production' }).token;
    sim.registerApnsKey({
      keyId: key.keyId,
      teamId: key.teamId,
      privateKeyPem: key.p8,
      topics: [BUNDLE, 'com.other.app'],
    });
    const cases: [Record<string, string>, number, string, string?][] = [
      [{ 'apns-priority': '7' }, 400, 'BadPriority'],
      [{ 'apns-push-type': 'background', 'apns-priority': '10' }, 400, 'BadPriority'],
      [{ 'apns-push-type': 'banner' }, 400, 'InvalidPushType'],
      [{ 'apns-id': 'not-a-uuid' }, 400, 'BadMessageId'],
      [{ 'apns-expiration': 'tomorrow' }, 400, 'BadExpirationDate'],
      [{ 'apns-collapse-id': 'x'.repeat(65) }, 400, 'BadCollapseId'],
      [{ 'apns-topic': '' }, 400, 'MissingTopic'],
      [{ 'apns-topic': 'com.other.app' }, 400, 'DeviceTokenNotForTopic'],
      [{ 'apns-topic': 'com.unknown.app' }, 403, 'InvalidProviderToken'],
      [{ 'apns-push-type': 'voip' }, 400, 'BadTopic'],
    ];
    for (const [headers, status, reason] of cases) {
      const res = await push(prodToken, headers);
      expect({ h: headers, status: res.status, reason: res.json.reason }).toEqual({
        h: headers,
        status,
        reason,
      });
    }
    expect((await push(other)).json.reason).toBe('DeviceTokenNotForTopic');
  });

  it('rejects path, method, token and duplicate-header errors', async () => {
    expect(
      (await h2request(session, { ':path': '/3/device/', authorization: `bearer ${jwt}` }, payload)).json
        .reason,
    ).toBe('MissingDeviceToken');
    const bad = await h2request(
      session,
      { ':path': '/2/device/abc', authorization: `bearer ${jwt}` },
      payload,
    );
    expect([bad.status, bad.json.reason]).toEqual([404, 'BadPath']);
    const get = await h2request(session, { ':method': 'GET', ':path': `/3/device/${prodToken}` });
    expect([get.status, get.json.reason]).toEqual([405, 'MethodNotAllowed']);
    const dup = await h2request(
      session,
      { ':path': `/3/device/${prodToken}`, authorization: `bearer ${jwt}`, 'apns-topic': [BUNDLE, BUNDLE] },
      payload,
    );
    expect(dup.json.reason).toBe('DuplicateHeaders');
  });

  it('enforces payload limits: 4096 bytes, 5120 for VoIP, and empty bodies', async () => {
    const sized = (n: number) => {
      const base = JSON.stringify({ aps: { alert: '' }, pad: '' });
      return JSON.stringify({ aps: { alert: '' }, pad: 'x'.repeat(n - base.length) });
    };
    expect((await push(prodToken, {}, sized(4096))).status).toBe(200);
    const big = await push(prodToken, {}, sized(4097));
    expect([big.status, big.json.reason]).toEqual([413, 'PayloadTooLarge']);
    const voip = { 'apns-push-type': 'voip', 'apns-topic': `${BUNDLE}.voip` };
    expect((await push(voipToken, voip, sized(5120))).status).toBe(200);
    expect((await push(voipToken, voip, sized(5121))).json.reason).toBe('PayloadTooLarge');
    const empty = await push(prodToken, {}, '');
    expect([empty.status, empty.json.reason]).toEqual([400, 'PayloadEmpty']);
  });

  it('rejects missing, unknown-key, badly signed and expired provider tokens', async () => {
    const noAuth = await h2request(
      session,
      { ':path': `/3/device/${prodToken}`, 'apns-topic': BUNDLE },
      payload,
    );
    expect([noAuth.status, noAuth.json.reason]).toEqual([403, 'MissingProviderToken']);

    const unknownKid = signJwt(
      'ES256',
      key.p8,
      { kid: 'ZZZZZZZZZZ' },
      { iss: key.teamId, iat: Math.floor(Date.now() / 1000) },
    );
    expect((await push(prodToken, { authorization: `bearer ${unknownKid}` })).json.reason).toBe(
      'InvalidProviderToken',
    );

    const otherKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    const forged = signJwt(
      'ES256',
      otherKey,
      { kid: key.keyId },
      { iss: key.teamId, iat: Math.floor(Date.now() / 1000) },
    );
    const res = await push(prodToken, { authorization: `bearer ${forged}` });
    expect([res.status, res.json.reason]).toEqual([403, 'InvalidProviderToken']);

    const old = signApnsProviderToken(key, Math.floor(Date.now() / 1000) - 3601);
    const exp = await push(prodToken, { authorization: `bearer ${old}` });
    expect([exp.status, exp.json.reason]).toEqual([403, 'ExpiredProviderToken']);
  });

  it('answers TooManyProviderTokenUpdates when a key changes token too often', async () => {
    const k = generateApnsSigningKey();
    sim.registerApnsKey({ keyId: k.keyId, teamId: k.teamId, publicKeyPem: k.publicKeyPem, topics: [BUNDLE] });
    const now = Math.floor(Date.now() / 1000);
    const results: string[] = [];
    for (const iat of [now - 30, now - 20, now - 10]) {
      const s = await h2connect(sim.urls.apnsProduction!, sim.caCertPem);
      const res = await push(
        prodToken,
        { authorization: `bearer ${signApnsProviderToken(k, iat)}` },
        payload,
        s,
      );
      results.push(`${res.status} ${res.json.reason ?? ''}`.trim());
      s.close();
    }
    expect(results).toEqual(['200', '200', '429 TooManyProviderTokenUpdates']);
  });

  it('pins one team per connection', async () => {
    const k = generateApnsSigningKey();
    sim.registerApnsKey({ keyId: k.keyId, teamId: k.teamId, privateKeyPem: k.p8, topics: [BUNDLE] });
    const s = await h2connect(sim.urls.apnsProduction!, sim.caCertPem);
    expect((await push(prodToken, {}, payload, s)).status).toBe(200);
    const res = await push(prodToken, { authorization: `bearer ${signApnsProviderToken(k)}` }, payload, s);
    s.close();
    expect(res.json.reason).toBe('InvalidProviderToken');
  });

  it('advertises MAX_CONCURRENT_STREAMS 1 until the first accepted push, then the configured value', async () => {
    const s = await h2connect(sim.urls.apnsProduction!, sim.caCertPem);
    expect(s.remoteSettings.maxConcurrentStreams).toBe(1);
    const rejected = await push(devToken, {}, payload, s);
    expect(rejected.status).toBe(400);
    expect(s.remoteSettings.maxConcurrentStreams).toBe(1);
    const raised = new Promise<number | undefined>((r) =>
      s.once('remoteSettings', (st) => r(st.maxConcurrentStreams)),
    );
    expect((await push(prodToken, {}, payload, s)).status).toBe(200);
    expect(await raised).toBe(7);
    s.close();
  });
});

describe('APNs certificate auth', () => {
  it('accepts a universal certificate for its topics and requires apns-topic (multi-topic)', async () => {
    const cert = sim.issueApnsClientCertificate({ bundleId: BUNDLE, environment: 'both' });
    const s = await h2connect(sim.urls.apnsProduction!, sim.caCertPem, {
      cert: cert.certPem,
      key: cert.keyPem,
    });
    // Certificate connections get the full limit without a push first.
    await new Promise<void>((resolve) => {
      if (s.remoteSettings.maxConcurrentStreams === 7) resolve();
      s.on('remoteSettings', (st) => st.maxConcurrentStreams === 7 && resolve());
    });
    const ok = await h2request(s, { ':path': `/3/device/${prodToken}`, 'apns-topic': BUNDLE }, payload);
    expect(ok.status).toBe(200);
    const voip = await h2request(
      s,
      { ':path': `/3/device/${voipToken}`, 'apns-topic': `${BUNDLE}.voip`, 'apns-push-type': 'voip' },
      payload,
    );
    expect(voip.status).toBe(200);
    const missing = await h2request(s, { ':path': `/3/device/${prodToken}` }, payload);
    expect(missing.json.reason).toBe('MissingTopic');
    const other = await h2request(
      s,
      { ':path': `/3/device/${prodToken}`, 'apns-topic': 'com.other.app' },
      payload,
    );
    expect(other.json.reason).toBe('BadTopic');
    s.close();
  });

  it('accepts a "VoIP Services" certificate for VoIP pushes only, in both environments', async () => {
    const cert = sim.issueApnsClientCertificate({ bundleId: BUNDLE, voip: true });
    expect(cert.topics).toEqual([`${BUNDLE}.voip`]);
    const s = await h2connect(sim.urls.apnsProduction!, sim.caCertPem, {
      cert: cert.certPem,
      key: cert.keyPem,
    });
    // Its only topic is implied when apns-topic is left out.
    const voip = await h2request(
      s,
      { ':path': `/3/device/${voipToken}`, 'apns-push-type': 'voip', 'apns-priority': '10' },
      payload,
    );
    expect(voip.status).toBe(200);
    const alert = await h2request(s, { ':path': `/3/device/${prodToken}`, 'apns-topic': BUNDLE }, payload);
    expect([alert.status, alert.json.reason]).toEqual([400, 'BadTopic']);
    s.close();
    // Valid against the development host too (a VoIP Services certificate covers both environments).
    const sd = await h2connect(sim.urls.apnsDevelopment!, sim.caCertPem, {
      cert: cert.certPem,
      key: cert.keyPem,
    });
    const devVoip = sim.devices.install('apns', {
      app: BUNDLE,
      environment: 'development',
      voip: true,
    }).token;
    const dev = await h2request(
      sd,
      { ':path': `/3/device/${devVoip}`, 'apns-push-type': 'voip', 'apns-topic': `${BUNDLE}.voip` },
      payload,
    );
    expect(dev.status).toBe(200);
    sd.close();
  });

  it('defaults the topic of a single-topic certificate and refuses the wrong environment', async () => {
    const dev = sim.issueApnsClientCertificate({ bundleId: BUNDLE, environment: 'development' });
    const sd = await h2connect(sim.urls.apnsDevelopment!, sim.caCertPem, {
      cert: dev.certPem,
      key: dev.keyPem,
    });
    expect((await h2request(sd, { ':path': `/3/device/${devToken}` }, payload)).status).toBe(200);
    sd.close();
    const sp = await h2connect(sim.urls.apnsProduction!, sim.caCertPem, {
      cert: dev.certPem,
      key: dev.keyPem,
    });
    const res = await h2request(sp, { ':path': `/3/device/${prodToken}` }, payload);
    expect([res.status, res.json.reason]).toEqual([403, 'BadCertificateEnvironment']);
    sp.close();
  });

  it('refuses a certificate from another CA with BadCertificate', async () => {
    const foreign = issueApnsClientCertificate({ ca: createTestCa(), bundleId: BUNDLE });
    const s = await h2connect(sim.urls.apnsProduction!, sim.caCertPem, {
      cert: foreign.certPem,
      key: foreign.keyPem,
    });
    const res = await h2request(s, { ':path': `/3/device/${prodToken}`, 'apns-topic': BUNDLE }, payload);
    expect([res.status, res.json.reason]).toEqual([403, 'BadCertificate']);
    s.close();
  });
});

describe('APNs stream-limit option', () => {
  it('drops MAX_CONCURRENT_STREAMS back to 1 after a rejection when apnsDropStreamsOnError is set', async () => {
    const strict = await startSimulators({
      vendors: ['apns'],
      control: false,
      apnsMaxConcurrentStreams: 9,
      apnsDropStreamsOnError: true,
    });
    try {
      const k = generateApnsSigningKey();
      strict.registerApnsKey({ keyId: k.keyId, teamId: k.teamId, privateKeyPem: k.p8, topics: [BUNDLE] });
      const t = strict.devices.install('apns', { app: BUNDLE, environment: 'production' }).token;
      const s = await h2connect(strict.urls.apnsProduction!, strict.caCertPem);
      const settings: (number | undefined)[] = [];
      s.on('remoteSettings', (st) => settings.push(st.maxConcurrentStreams));
      const headers = {
        ':path': `/3/device/${t}`,
        authorization: `bearer ${signApnsProviderToken(k)}`,
        'apns-topic': BUNDLE,
      };
      const waitFor = (n: number) =>
        new Promise<void>((resolve) => {
          if (s.remoteSettings.maxConcurrentStreams === n) resolve();
          s.on('remoteSettings', (st) => st.maxConcurrentStreams === n && resolve());
        });
      expect((await h2request(s, headers, payload)).status).toBe(200);
      await waitFor(9);
      expect((await h2request(s, { ...headers, 'apns-priority': '3' }, payload)).status).toBe(400);
      await waitFor(1);
      expect((await h2request(s, headers, payload)).status).toBe(200);
      await waitFor(9);
      s.close();
      expect(settings).toEqual([9, 1, 9]);
      // waitFor() resolves with a buffered record as well as a future one.
      expect((await strict.waitFor({ token: t })).token).toBe(t);
    } finally {
      await strict.stop();
    }
  });
});
