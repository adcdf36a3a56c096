// @parse/node-apn (a real third-party APNs client) against the simulator: token and certificate auth.
import apn from '@parse/node-apn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApnsSigningKey, type Simulators, startSimulators } from '../src/index.js';

const BUNDLE = 'com.example.nodeapn';
let sim: Simulators;

beforeAll(async () => {
  sim = await startSimulators({ vendors: ['apns'], control: false });
});
afterAll(async () => {
  await sim?.stop();
});

function portOf(url: string): number {
  return Number(new URL(url).port);
}

function note(): apn.Notification {
  const n = new apn.Notification();
  n.alert = { title: 'Bob', body: 'see you at 8' };
  n.badge = 2;
  n.sound = 'ping.aiff';
  n.topic = BUNDLE;
  n.collapseId = 'thread-1';
  n.payload = { ext: '{"conv":"c2c_bob"}' };
  return n;
}

describe('@parse/node-apn', () => {
  it('sends with token auth (.p8) and reports Unregistered / BadDeviceToken failures', async () => {
    const key = generateApnsSigningKey();
    sim.registerApnsKey({ keyId: key.keyId, teamId: key.teamId, privateKeyPem: key.p8, topics: [BUNDLE] });
    const good = sim.devices.install('apns', { app: BUNDLE, environment: 'development' }).token;
    const gone = sim.devices.install('apns', { app: BUNDLE, environment: 'development' }).token;
    const prod = sim.devices.install('apns', { app: BUNDLE, environment: 'production' }).token;
    sim.devices.uninstall('apns', gone);
    const provider = new apn.Provider({
      token: { key: key.p8, keyId: key.keyId, teamId: key.teamId },
      production: false,
      address: '127.0.0.1',
      port: portOf(sim.urls.apnsDevelopment!),
      ca: sim.caCertPem,
    } as apn.ProviderOptions);
    // node-apn does not wait for SETTINGS: a burst before the first accepted push would be REFUSED_STREAM
    // by the limit of 1 (docs/internals/apns.md#connections), as against Apple. So warm up with one push.
    const first = await provider.send(note(), good);
    expect(first.sent.map((s) => s.device)).toEqual([good]);
    const result = await provider.send(note(), [gone, prod]);
    await provider.shutdown();
    expect(result.sent).toEqual([]);
    const failed = Object.fromEntries(result.failed.map((f) => [f.device, [f.status, f.response?.reason]]));
    expect(failed).toEqual({ [gone]: [410, 'Unregistered'], [prod]: [400, 'BadDeviceToken'] });
    expect(sim.received({ token: good })[0]).toMatchObject({
      title: 'Bob',
      body: 'see you at 8',
      badge: 2,
      sound: 'ping.aiff',
      collapseId: 'thread-1',
      data: { ext: '{"conv":"c2c_bob"}' },
      environment: 'development',
    });
  });

  it('sends with certificate auth (.p12) and is refused with a development certificate on production', async () => {
    // node-apn treats any custom address as sandbox and checks the certificate's Apple environment
    // extensions itself, so use a universal (production + sandbox) certificate here.
    const prodCert = sim.issueApnsClientCertificate({
      bundleId: BUNDLE,
      environment: 'both',
      password: 'secret',
    });
    const token = sim.devices.install('apns', { app: BUNDLE, environment: 'production' }).token;
    const provider = new apn.Provider({
      pfx: prodCert.p12,
      passphrase: 'secret',
      production: true,
      address: '127.0.0.1',
      port: portOf(sim.urls.apnsProduction!),
      ca: sim.caCertPem,
    } as apn.ProviderOptions);
    const ok = await provider.send(note(), token);
    await provider.shutdown();
    expect(ok.failed).toEqual([]);
    expect(ok.sent.map((s) => s.device)).toEqual([token]);

    const devCert = sim.issueApnsClientCertificate({ bundleId: BUNDLE, environment: 'development' });
    const wrongEnv = new apn.Provider({
      cert: devCert.certPem,
      key: devCert.keyPem,
      production: true,
      address: '127.0.0.1',
      port: portOf(sim.urls.apnsProduction!),
      ca: sim.caCertPem,
    } as apn.ProviderOptions);
    const refused = await wrongEnv.send(note(), token);
    await wrongEnv.shutdown();
    expect(refused.failed.map((f) => [f.status, f.response?.reason])).toEqual([
      [403, 'BadCertificateEnvironment'],
    ]);
  });
});
