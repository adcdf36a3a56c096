// The APNs channel against the APNs simulator: token and certificate auth, sandbox vs production
// routing, the 1 -> N stream-limit ramp, GOAWAY mid-burst, JWT reuse and refresh, and every APNs answer
// mapped to its outcome (fault injection), row by row from the channel's table.
import { APNS_REASON_STATUS, type generateApnsSigningKey, type Simulators } from '@pushline/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateInfo } from '../../../src/certificates/types.js';
import { CertificateChannels, channelContext } from '../../../src/push/channels/index.js';
import type { ApnsRequest, PushTask } from '../../../src/push/types.js';
import type { ApnsChannel } from '../../../src/push/vendors/apns/channel.js';
import { APNS_ANSWERS } from '../../../src/push/vendors/apns/channel.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { registeredApnsKey, simConfig, startSims, waitUntil } from '../../helpers/simulators.js';

const BUNDLE = 'com.example.chat';

describe('APNs channel', () => {
  let sim: Simulators;
  let s: TestServer;
  let key: ReturnType<typeof generateApnsSigningKey>;
  let production: CertificateInfo;
  let development: CertificateInfo;

  beforeAll(async () => {
    sim = await startSims({ vendors: ['apns'], apnsMaxConcurrentStreams: 20 });
    s = await startTestServer({ config: simConfig(sim) });
    key = registeredApnsKey(sim, BUNDLE);
    const base = {
      vendor: 'apns' as const,
      p8: key.p8,
      keyId: key.keyId,
      teamId: key.teamId,
      bundleId: BUNDLE,
    };
    production = await s.pushline.certificateService.add(s.app.sdkAppId, {
      ...base,
      environment: 'production',
    });
    development = await s.pushline.certificateService.add(s.app.sdkAppId, {
      ...base,
      environment: 'development',
    });
  });
  afterAll(async () => {
    await s?.close();
    await sim?.stop();
  });

  /** A certificate with its own .p8 key: APNs allows only a couple of new provider tokens per key in 20 minutes. */
  async function freshTokenCert(): Promise<CertificateInfo> {
    const k = registeredApnsKey(sim, BUNDLE);
    return s.pushline.certificateService.add(s.app.sdkAppId, {
      vendor: 'apns',
      p8: k.p8,
      keyId: k.keyId,
      teamId: k.teamId,
      bundleId: BUNDLE,
      environment: 'production',
    });
  }

  function task(
    cert: CertificateInfo,
    token: string,
    body: Record<string, unknown> = {},
    extra: Partial<ApnsRequest> = {},
  ): PushTask {
    return {
      pushId: `p-${Math.random().toString(36).slice(2)}`,
      sdkAppId: s.app.sdkAppId,
      certificateId: cert.id,
      token,
      request: {
        vendor: 'apns',
        pushType: 'alert',
        priority: 10,
        body: { aps: { alert: { title: 'Alice', body: 'hi' } }, ...body },
        ...extra,
      },
    };
  }

  it('sends with token auth to the production host, and a sandbox token there is BadDeviceToken', async () => {
    const phone = sim.devices.install('apns', { app: BUNDLE, environment: 'production' });
    const devPhone = sim.devices.install('apns', { app: BUNDLE, environment: 'development' });
    const [ok, wrongEnv] = await s.pushline.channels.send(production.id, [
      task(production, phone.token, { ext: 'x1' }),
      task(production, devPhone.token),
    ]);
    expect(ok).toMatchObject({ kind: 'sent', vendorId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(wrongEnv).toMatchObject({ kind: 'invalid-token', code: 'BadDeviceToken' });
    const record = await sim.waitFor({ vendor: 'apns', token: phone.token });
    expect(record).toMatchObject({ environment: 'production', app: BUNDLE, title: 'Alice', body: 'hi' });
    expect(record.raw.headers['apns-topic']).toBe(BUNDLE);
    expect(record.raw.headers.authorization).toMatch(/^bearer ey/);
  });

  it("gives each device of a shared request its own PushID, in the payload's own bytes otherwise", async () => {
    const phones = Array.from({ length: 3 }, () =>
      sim.devices.install('apns', { app: BUNDLE, environment: 'production' }),
    );
    // One request object for three devices, as a fan-out page hands them to the channel.
    const shared = task(production, '', { ext: '{"k":"v"}' }).request as ApnsRequest;
    const tasks = phones.map((p, i) => ({
      ...task(production, p.token),
      pushId: `shared-${i}`,
      request: shared,
    }));
    // A payload that names a PushID already keeps its place for it (the module's copy does the same).
    const named = task(production, phones[0]!.token, { pushId: 'old', ext: 'e' });
    const outcomes = await s.pushline.channels.send(production.id, [...tasks, { ...named, pushId: 'named' }]);
    expect(outcomes.map((o) => o.kind)).toEqual(['sent', 'sent', 'sent', 'sent']);
    const bodies = (token: string) => sim.received({ vendor: 'apns', token }).map((r) => r.raw.body);
    for (const [i, phone] of phones.entries())
      expect(bodies(phone.token)).toContain(JSON.stringify({ ...shared.body, pushId: `shared-${i}` }));
    expect(bodies(phones[0]!.token)).toContain(
      JSON.stringify({ aps: { alert: { title: 'Alice', body: 'hi' } }, pushId: 'named', ext: 'e' }),
    );
  });

  it('routes development certificates to the sandbox host', async () => {
    const devPhone = sim.devices.install('apns', { app: BUNDLE, environment: 'development' });
    const [ok] = await s.pushline.channels.send(development.id, [task(development, devPhone.token)]);
    expect(ok?.kind).toBe('sent');
    expect((await sim.waitFor({ token: devPhone.token })).environment).toBe('development');
  });

  it('ramps from 1 to the advertised stream limit without a refused stream', async () => {
    // A fresh channel: its first session starts at MAX_CONCURRENT_STREAMS = 1 until a push is accepted.
    const registry = new CertificateChannels(s.pushline.certificates, channelContext(s.pushline.config));
    const cert = await freshTokenCert();
    try {
      const phone = sim.devices.install('apns', { app: BUNDLE, environment: 'production' });
      const burst = Array.from({ length: 300 }, (_, i) => task(cert, phone.token, { n: i }));
      const outcomes = await registry.send(cert.id, burst);
      expect(outcomes.filter((o) => o.kind === 'sent')).toHaveLength(300);
      const pool = ((await registry.channel(cert.id)) as ApnsChannel).pool;
      expect(pool.stats.refused).toBe(0);
      const seen = new Set(
        sim.received({ token: phone.token, limit: 1000 }).map((r) => (r.data as { n: number }).n),
      );
      expect(seen.size).toBe(300);
    } finally {
      await registry.close();
    }
  });

  it('loses no request when the server sends GOAWAY mid-burst', async () => {
    const registry = new CertificateChannels(s.pushline.certificates, channelContext(s.pushline.config));
    const cert = await freshTokenCert();
    const fault = sim.faults.add('apns', { kind: 'goaway', afterStreams: 40 });
    try {
      const phone = sim.devices.install('apns', { app: BUNDLE, environment: 'production' });
      const burst = Array.from({ length: 250 }, (_, i) => task(cert, phone.token, { n: i }));
      const outcomes = await registry.send(cert.id, burst);
      expect(outcomes.filter((o) => o.kind !== 'sent')).toEqual([]);
      const seen = new Set(
        sim.received({ token: phone.token, limit: 1000 }).map((r) => (r.data as { n: number }).n),
      );
      expect(seen.size).toBe(250);
      const pool = ((await registry.channel(cert.id)) as ApnsChannel).pool;
      expect(pool.stats.sessionsOpened).toBeGreaterThan(1);
    } finally {
      sim.faults.remove(fault.id);
      await registry.close();
    }
  });

  it('reuses the provider token for 20+ minutes and renews it after 50', async () => {
    const cert = await freshTokenCert();
    let offset = 0;
    const registry = new CertificateChannels(
      s.pushline.certificates,
      channelContext(s.pushline.config, { now: () => Date.now() + offset }),
      { recheckMs: Number.POSITIVE_INFINITY },
    );
    try {
      const phone = sim.devices.install('apns', { app: BUNDLE, environment: 'production' });
      const jwtOf = async () => {
        const before = sim.received({ token: phone.token }).length;
        const [o] = await registry.send(cert.id, [task(cert, phone.token)]);
        expect(o?.kind).toBe('sent');
        const records = sim.received({ token: phone.token, limit: 1000 });
        expect(records.length).toBe(before + 1);
        return String(records[records.length - 1]?.raw.headers.authorization);
      };
      const first = await jwtOf();
      offset = 25 * 60_000;
      expect(await jwtOf()).toBe(first);
      offset = 51 * 60_000;
      const renewed = await jwtOf();
      expect(renewed).not.toBe(first);
      const claims = JSON.parse(Buffer.from(renewed.split('.')[1] as string, 'base64url').toString());
      expect(claims.iss).toBe(cert.publicFields.teamId);
      // The new token's iat is the (moved) clock's time, 51 minutes ahead.
      expect(Math.abs(claims.iat - (Date.now() + offset) / 1000)).toBeLessThan(60);
    } finally {
      await registry.close();
    }
  });

  it('renews the provider token once on ExpiredProviderToken and retries', async () => {
    const cert = await freshTokenCert();
    const phone = sim.devices.install('apns', { app: BUNDLE, environment: 'production' });
    await s.pushline.channels.send(cert.id, [task(cert, phone.token)]); // first token in use
    sim.faults.add('apns', { kind: 'status', status: 403, reason: 'ExpiredProviderToken', count: 1 });
    const [o] = await s.pushline.channels.send(cert.id, [task(cert, phone.token, { second: true })]);
    expect(o?.kind).toBe('sent');
    const auths = new Set(sim.received({ token: phone.token }).map((r) => r.raw.headers.authorization));
    expect(auths.size).toBe(2);
  });

  it('authenticates with the client certificate of a .p12', async () => {
    const issued = sim.issueApnsClientCertificate({
      bundleId: 'com.example.certauth',
      environment: 'production',
      password: 'pw',
    });
    const cert = await s.pushline.certificateService.add(s.app.sdkAppId, {
      vendor: 'apns',
      p12: issued.p12,
      password: 'pw',
    });
    expect(cert).toMatchObject({ environment: 'production', appIdentifier: 'com.example.certauth' });
    const phone = sim.devices.install('apns', { app: 'com.example.certauth', environment: 'production' });
    const outcomes = await s.pushline.channels.send(
      cert.id,
      Array.from({ length: 20 }, () => task(cert, phone.token)),
    );
    expect(outcomes.every((o) => o.kind === 'sent')).toBe(true);
    const record = await sim.waitFor({ token: phone.token });
    expect(record.raw.headers.authorization).toBeUndefined();
  });

  it('maps real answers: uninstalled app, other bundle, payload too large', async () => {
    const phone = sim.devices.install('apns', { app: BUNDLE, environment: 'production' });
    const other = sim.devices.install('apns', { app: 'com.example.other', environment: 'production' });
    sim.devices.uninstall('apns', phone.token);
    const outcomes = await s.pushline.channels.send(production.id, [
      task(production, phone.token),
      task(production, other.token),
      task(production, sim.devices.install('apns', { app: BUNDLE, environment: 'production' }).token, {
        big: 'x'.repeat(5000),
      }),
    ]);
    expect(outcomes.map((o) => [o.kind, 'code' in o ? o.code : ''])).toEqual([
      ['invalid-token', 'Unregistered'],
      ['invalid-token', 'DeviceTokenNotForTopic'],
      ['rejected', 'PayloadTooLarge'],
    ]);
    expect(outcomes[0]?.detail).toMatch(/"timestamp":\d{13}/);
  });

  it.each(Object.entries(APNS_ANSWERS))('maps %s to its table outcome', async (reason, row) => {
    const phone = sim.devices.install('apns', { app: BUNDLE, environment: 'production' });
    const status = APNS_REASON_STATUS[reason] ?? 400;
    // ExpiredProviderToken is retried once with a new token: inject it twice to see the final answer.
    const count = reason === 'ExpiredProviderToken' ? 2 : 1;
    sim.faults.add('apns', {
      kind: 'status',
      status,
      reason,
      count,
      ...(status === 429 ? { retryAfter: 7 } : {}),
    });
    const [o] = await s.pushline.channels.send(production.id, [task(production, phone.token)]);
    expect(o).toMatchObject({ kind: row.outcome, code: reason });
    if (status === 429) expect(o).toMatchObject({ afterMs: 7000 });
  });

  it('answers retry instead of hanging when APNs cannot be reached', async () => {
    const config = { ...s.pushline.config, apnsProductionUrl: 'https://127.0.0.1:1' };
    const registry = new CertificateChannels(s.pushline.certificates, channelContext(config));
    try {
      const phone = sim.devices.install('apns', { app: BUNDLE, environment: 'production' });
      const outcomes = await registry.send(production.id, [
        task(production, phone.token),
        task(production, phone.token),
      ]);
      expect(outcomes.map((o) => [o.kind, 'code' in o ? o.code : ''])).toEqual([
        ['retry', 'ConnectFailed'],
        ['retry', 'ConnectFailed'],
      ]);
      expect(outcomes[0]?.detail).toContain('ECONNREFUSED');
    } finally {
      await registry.close();
    }
  });

  it('answers retry when APNs does not answer a request in time, and sends the next one', async () => {
    const registry = new CertificateChannels(
      s.pushline.certificates,
      channelContext(s.pushline.config, { apns: { requestTimeoutMs: 300 } }),
    );
    const slow = sim.faults.add('apns', { kind: 'latency', ms: 5_000, count: 1 });
    try {
      const phone = sim.devices.install('apns', { app: BUNDLE, environment: 'production' });
      const started = Date.now();
      const [late] = await registry.send(production.id, [task(production, phone.token)]);
      expect(late).toMatchObject({ kind: 'retry', code: 'Timeout' });
      expect(Date.now() - started).toBeLessThan(4_000);
      expect((await registry.send(production.id, [task(production, phone.token)]))[0]?.kind).toBe('sent');
    } finally {
      sim.faults.remove(slow.id);
      await registry.close();
    }
  });

  it('follows a stream limit that drops to 1 after every rejected push, without refused streams', async () => {
    const strict = await startSims({
      vendors: ['apns'],
      apnsDropStreamsOnError: true,
      apnsMaxConcurrentStreams: 50,
    });
    const k = registeredApnsKey(strict, BUNDLE);
    const config = {
      ...s.pushline.config,
      apnsProductionUrl: strict.urls.apnsProduction as string,
      caFile: strict.caFile,
    };
    const registry = new CertificateChannels(s.pushline.certificates, channelContext(config));
    try {
      const cert = await s.pushline.certificateService.add(s.app.sdkAppId, {
        vendor: 'apns',
        p8: k.p8,
        keyId: k.keyId,
        teamId: k.teamId,
        bundleId: BUNDLE,
        environment: 'production',
      });
      const good = strict.devices.install('apns', { app: BUNDLE, environment: 'production' });
      const gone = strict.devices.install('apns', { app: BUNDLE, environment: 'production' });
      strict.devices.uninstall('apns', gone.token);
      const burst = Array.from({ length: 200 }, (_, i) =>
        task(cert, i % 10 === 0 ? gone.token : good.token, { n: i }),
      );
      const outcomes = await registry.send(cert.id, burst);
      expect(outcomes.filter((o) => o.kind === 'sent')).toHaveLength(180);
      expect(outcomes.filter((o) => o.kind === 'invalid-token')).toHaveLength(20);
      expect(((await registry.channel(cert.id)) as ApnsChannel).pool.stats.refused).toBe(0);
    } finally {
      await registry.close();
      await strict.stop();
    }
  });

  it('pings its sessions, closes them when idle and reconnects on the next push', async () => {
    const registry = new CertificateChannels(
      s.pushline.certificates,
      channelContext(s.pushline.config, { apns: { pingIntervalMs: 30, idleMs: 200 } }),
    );
    try {
      const cert = await freshTokenCert();
      const phone = sim.devices.install('apns', { app: BUNDLE, environment: 'production' });
      expect((await registry.send(cert.id, [task(cert, phone.token)]))[0]?.kind).toBe('sent');
      const pool = ((await registry.channel(cert.id)) as ApnsChannel).pool;
      await waitUntil(() => pool.sessionCount === 0, 'the idle session to close');
      expect((await registry.send(cert.id, [task(cert, phone.token)]))[0]?.kind).toBe('sent');
      expect(pool.stats.sessionsOpened).toBe(2);
    } finally {
      await registry.close();
    }
  });
});
