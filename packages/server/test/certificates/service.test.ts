// Certificate service on SQLite and PostgreSQL: add/list/get/update/remove/pause/resume, masked secrets,
// expiry flag, tenant isolation, and edits or deletes picked up by running channels without a restart.
import type { generateApnsSigningKey, Simulators } from '@pushline/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateInputError } from '../../src/certificates/input.js';
import { CertificateNotFoundError } from '../../src/certificates/service.js';
import { testTask } from '../../src/certificates/test-notification.js';
import { CertificateChannels, channelContext } from '../../src/push/channels/index.js';
import { testBackends } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { registeredApnsKey, simConfig, startSims } from '../helpers/simulators.js';

const backends = await testBackends();
const DAY = 86_400_000;
const BUNDLE = 'com.example.chat';

describe.each(backends)('certificate service on %s', (backend) => {
  let sim: Simulators;
  let s: TestServer;

  beforeAll(async () => {
    sim = await startSims({ vendors: ['apns', 'meizu'] });
    s = await startTestServer({ backend, config: simConfig(sim) });
  });
  afterAll(async () => {
    await s?.close();
    await sim?.stop();
  });

  const apnsKey = () => {
    const k = registeredApnsKey(sim, BUNDLE);
    return k;
  };
  const p8Input = (k: ReturnType<typeof generateApnsSigningKey>) => ({
    vendor: 'apns' as const,
    p8: k.p8,
    keyId: k.keyId,
    teamId: k.teamId,
    bundleId: BUNDLE,
    environment: 'production' as const,
  });

  it('adds certificates with increasing IDs, lists them and never shows a secret', async () => {
    const svc = s.pushline.certificateService;
    const a = await svc.add(s.app.sdkAppId, {
      vendor: 'meizu',
      appId: '100200',
      appSecret: 'meizu-secret-0123456789',
    });
    const b = await svc.add(s.app.sdkAppId, {
      vendor: 'huawei',
      appId: '10086',
      clientSecret: 'huawei-secret-abcdef',
      defaults: { category: 'IM', importance: 'NORMAL', clickAction: { type: 'open_page', page: 'chat' } },
    });
    expect(b.id).toBeGreaterThan(a.id);
    expect(a).toMatchObject({
      vendor: 'meizu',
      kind: 'alert',
      appIdentifier: '100200',
      status: 'active',
      expiresAt: null,
      expiringSoon: false,
      maskedSecrets: { appSecret: 'me****89' },
    });
    expect(b.defaults).toEqual({
      category: 'IM',
      importance: 'NORMAL',
      clickAction: { type: 'open_page', page: 'chat' },
    });
    const list = await svc.list(s.app.sdkAppId);
    expect(list.map((c) => c.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(JSON.stringify(list)).not.toContain('meizu-secret-0123456789');
    expect(JSON.stringify(list)).not.toContain('huawei-secret-abcdef');
  });

  it('stores the expiry of a .p12 and flags one that expires within 30 days', async () => {
    const soon = sim.issueApnsClientCertificate({
      bundleId: BUNDLE,
      environment: 'production',
      password: 'pw',
    });
    const later = await s.pushline.certificateService.add(s.app.sdkAppId, {
      vendor: 'apns',
      p12: soon.p12,
      password: 'pw',
    });
    expect(later.expiringSoon).toBe(false);
    expect(later.expiresAt).toBeGreaterThan(Date.now() + 300 * DAY);
    // A certificate issued to expire in 10 days.
    const { issueApnsClientCertificate } = await import('@pushline/simulator');
    const short = issueApnsClientCertificate({
      ca: sim.ca,
      bundleId: BUNDLE,
      environment: 'production',
      password: 'pw',
      notAfter: new Date(Date.now() + 10 * DAY),
    });
    const flagged = await s.pushline.certificateService.add(s.app.sdkAppId, {
      vendor: 'apns',
      p12: short.p12,
      password: 'pw',
    });
    expect(flagged.expiringSoon).toBe(true);
    expect((await s.pushline.certificateService.get(s.app.sdkAppId, flagged.id)).expiringSoon).toBe(true);
  });

  it('keeps other apps out', async () => {
    const other = await s.pushline.apps.create({ name: 'Other' });
    const mine = await s.pushline.certificateService.add(s.app.sdkAppId, {
      vendor: 'meizu',
      appId: '1',
      appSecret: 'x',
    });
    await expect(s.pushline.certificateService.get(other.sdkAppId, mine.id)).rejects.toThrow(
      CertificateNotFoundError,
    );
    await expect(s.pushline.certificateService.remove(other.sdkAppId, mine.id)).rejects.toThrow(
      CertificateNotFoundError,
    );
    await expect(
      s.pushline.certificateService.update(other.sdkAppId, mine.id, { name: 'x' }),
    ).rejects.toThrow(CertificateNotFoundError);
    expect(await s.pushline.certificateService.list(other.sdkAppId)).toEqual([]);
  });

  it('changes name and defaults without touching the credential, and refuses a bad replacement', async () => {
    const k = apnsKey();
    const cert = await s.pushline.certificateService.add(s.app.sdkAppId, p8Input(k));
    const renamed = await s.pushline.certificateService.update(s.app.sdkAppId, cert.id, {
      name: 'Chat iOS',
      defaults: { category: 'MESSAGE' },
    });
    expect(renamed).toMatchObject({
      id: cert.id,
      name: 'Chat iOS',
      defaults: { category: 'MESSAGE' },
      publicFields: cert.publicFields,
    });
    const phone = sim.devices.install('apns', { app: BUNDLE, environment: 'production' });
    expect(
      (await s.pushline.certificateService.test(s.app.sdkAppId, cert.id, phone.token)).outcome.kind,
    ).toBe('sent');
    await expect(
      s.pushline.certificateService.update(s.app.sdkAppId, cert.id, { p8: 'not a key', keyId: k.keyId }),
    ).rejects.toThrow(CertificateInputError);
    expect((await s.pushline.certificateService.get(s.app.sdkAppId, cert.id)).name).toBe('Chat iOS');
  });

  it('takes edits and deletes into running channels at once, without a restart', async () => {
    const first = apnsKey();
    const cert = await s.pushline.certificateService.add(s.app.sdkAppId, p8Input(first));
    const phone = sim.devices.install('apns', { app: BUNDLE, environment: 'production' });
    const kidOfLast = () => {
      const records = sim.received({ token: phone.token, limit: 1000 });
      const jwt = String(records[records.length - 1]?.raw.headers.authorization).slice('bearer '.length);
      return JSON.parse(Buffer.from(jwt.split('.')[0] as string, 'base64url').toString()).kid;
    };
    const task = () => testTask(cert, phone.token, 'x');
    expect((await s.pushline.channels.send(cert.id, [task()]))[0]?.kind).toBe('sent');
    expect(kidOfLast()).toBe(first.keyId);

    // Replace the key: the running channel switches to it on the next send.
    const second = apnsKey();
    await s.pushline.certificateService.update(s.app.sdkAppId, cert.id, p8Input(second));
    expect((await s.pushline.channels.send(cert.id, [task()]))[0]?.kind).toBe('sent');
    expect(kidOfLast()).toBe(second.keyId);

    // Another node (its own registry) notices the change by the certificate's version.
    const otherNode = new CertificateChannels(s.pushline.certificates, channelContext(s.pushline.config), {
      recheckMs: 0,
    });
    try {
      expect((await otherNode.send(cert.id, [task()]))[0]?.kind).toBe('sent');
      const third = apnsKey();
      await s.pushline.certificateService.update(s.app.sdkAppId, cert.id, p8Input(third));
      expect((await otherNode.send(cert.id, [task()]))[0]?.kind).toBe('sent');
      expect(kidOfLast()).toBe(third.keyId);

      await s.pushline.certificateService.remove(s.app.sdkAppId, cert.id);
      expect((await s.pushline.channels.send(cert.id, [task()]))[0]).toMatchObject({
        kind: 'rejected',
        code: 'CertificateNotFound',
      });
      expect((await otherNode.send(cert.id, [task()]))[0]).toMatchObject({ code: 'CertificateNotFound' });
    } finally {
      await otherNode.close();
    }
  });

  it('pauses and resumes; the registry shows the status to the dispatcher', async () => {
    const cert = await s.pushline.certificateService.add(s.app.sdkAppId, {
      vendor: 'meizu',
      appId: '7',
      appSecret: 'y',
    });
    const paused = await s.pushline.certificateService.pause(s.app.sdkAppId, cert.id, 'rotating keys');
    expect(paused).toMatchObject({ status: 'paused', pausedReason: 'rotating keys' });
    expect((await s.pushline.channels.certificate(cert.id))?.status).toBe('paused');
    const resumed = await s.pushline.certificateService.resume(s.app.sdkAppId, cert.id);
    expect(resumed).toMatchObject({ status: 'active', pausedReason: null });
    expect((await s.pushline.channels.certificate(cert.id))?.status).toBe('active');
  });

  it('checks the token format before a test send', async () => {
    const cert = await s.pushline.certificateService.add(s.app.sdkAppId, p8Input(apnsKey()));
    await expect(s.pushline.certificateService.test(s.app.sdkAppId, cert.id, 'xyz')).rejects.toThrow(/hex/);
  });

  it('holds a certificate whose stored credential no longer loads, instead of throwing', async () => {
    // Written past validation, as if the runtime stopped accepting a stored key.
    const broken = await s.pushline.certificates.create({
      sdkAppId: s.app.sdkAppId,
      vendor: 'apns',
      kind: 'alert',
      name: 'broken',
      environment: 'production',
      appIdentifier: BUNDLE,
      publicFields: { auth: 'token', keyId: 'ABCDEFGHIJ', teamId: 'ABCDEFGHIJ' },
      secrets: { p8: 'not a key' },
    });
    const [o] = await s.pushline.channels.send(broken.id, [testTask(broken, 'ab'.repeat(32), 'x')]);
    expect(o).toMatchObject({ kind: 'credential-error', code: 'CertificateUnusable' });
  });
});
