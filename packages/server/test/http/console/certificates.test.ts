// The console JSON API for certificates over real HTTP, on SQLite and PostgreSQL: authentication (admin
// UserSig as a bearer token, kick invalidation), tenant isolation, field-level validation errors, and the
// whole life of a certificate including a test send through the APNs simulator.
import type { Simulators } from '@pushline/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genUserSig } from '../../../src/auth/usersig.js';
import { testBackends } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { registeredApnsKey, simConfig, startSims } from '../../helpers/simulators.js';

const backends = await testBackends();

describe.each(backends)('console certificate API on %s', (backend) => {
  let sim: Simulators;
  let s: TestServer;

  beforeAll(async () => {
    sim = await startSims({ vendors: ['apns'] });
    s = await startTestServer({ backend, config: simConfig(sim) });
  });
  afterAll(async () => {
    await s?.close();
    await sim?.stop();
  });

  async function call(
    method: string,
    path: string,
    body?: unknown,
    sig: string | null = s.adminSig,
    app = s.app.sdkAppId,
  ) {
    const res = await fetch(`${s.url}/api/console/apps/${app}/certificates${path}`, {
      method,
      headers: {
        ...(sig ? { authorization: `Bearer ${sig}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  it('refuses requests without valid admin credentials of that app', async () => {
    expect((await call('GET', '', undefined, null)).status).toBe(401);
    expect((await call('GET', '', undefined, 'garbage')).status).toBe(401);
    const userSig = genUserSig({
      sdkAppId: s.app.sdkAppId,
      key: s.app.secretKey,
      identifier: 'alice',
      expire: 600,
    });
    const notAdmin = await call('GET', '', undefined, userSig);
    expect(notAdmin.status).toBe(403);
    expect(notAdmin.body.error.message).toContain('not the administrator');
    const forged = genUserSig({
      sdkAppId: s.app.sdkAppId,
      key: 'wrong key',
      identifier: s.app.adminIdentifier,
      expire: 600,
    });
    expect(await call('GET', '', undefined, forged)).toMatchObject({
      status: 401,
      body: { error: { code: 70009 } },
    });
    expect((await call('GET', '', undefined, s.adminSig, 999)).status).toBe(403);
  });

  it('stops accepting a UserSig issued before the admin was kicked', async () => {
    const old = genUserSig({
      sdkAppId: s.app.sdkAppId,
      key: s.app.secretKey,
      identifier: s.app.adminIdentifier,
      expire: 600,
      time: Math.floor(Date.now() / 1000) - 10,
    });
    await s.pushline.accounts.import(s.app.sdkAppId, [{ userId: s.app.adminIdentifier }]);
    expect((await call('GET', '', undefined, old)).status).toBe(200);
    await s.pushline.accounts.kick(s.app.sdkAppId, s.app.adminIdentifier, Math.floor(Date.now() / 1000) - 5);
    expect(await call('GET', '', undefined, old)).toMatchObject({
      status: 401,
      body: { error: { code: 70052 } },
    });
  });

  it('keeps each app to its own certificates', async () => {
    const other = await s.pushline.apps.create({ name: 'Other tenant' });
    const otherSig = genUserSig({
      sdkAppId: other.sdkAppId,
      key: other.secretKey,
      identifier: other.adminIdentifier,
      expire: 600,
    });
    const theirs = await call(
      'POST',
      '',
      { vendor: 'meizu', appId: '55', appSecret: 'theirs-secret' },
      otherSig,
      other.sdkAppId,
    );
    expect(theirs.status).toBe(201);
    const id = theirs.body.certificate.id;
    // Our admin cannot reach their app, nor their certificate through ours.
    expect((await call('GET', '', undefined, s.adminSig, other.sdkAppId)).status).toBe(403);
    expect((await call('GET', `/${id}`)).status).toBe(404);
    expect((await call('PUT', `/${id}`, { name: 'mine now' })).status).toBe(404);
    expect((await call('DELETE', `/${id}`)).status).toBe(404);
    expect((await call('POST', `/${id}/test`, { token: 'a'.repeat(40) })).status).toBe(404);
    expect((await call('GET', '')).body.certificates.map((c: { id: number }) => c.id)).not.toContain(id);
    expect((await call('GET', `/${id}`, undefined, otherSig, other.sdkAppId)).status).toBe(200);
  });

  it('answers refused input with the field at fault', async () => {
    const issued = sim.issueApnsClientCertificate({
      bundleId: 'com.example.chat',
      environment: 'production',
      password: 'right',
    });
    const wrong = await call('POST', '', {
      vendor: 'apns',
      p12Base64: issued.p12.toString('base64'),
      password: 'wrong',
    });
    expect(wrong).toEqual({
      status: 400,
      body: {
        error: { field: 'password', message: 'wrong password for this .p12 file' },
        // The same refusal as a message key, which the console writes in its language.
        text: { key: 'apnsP12WrongPassword' },
      },
    });
    const garbage = await call('POST', '', {
      vendor: 'apns',
      p12Base64: Buffer.from('hello').toString('base64'),
      password: 'x',
    });
    expect(garbage.body.error.field).toBe('p12Base64');
    // A .p12 the PKCS#12 reader cannot open: its words stay in the English, the key says what they mean.
    const version = issued.p12.indexOf(Buffer.from([0x02, 0x01, 0x03]));
    const newerVersion = Buffer.from(issued.p12);
    newerVersion[version + 2] = 4;
    const unsupported = await call('POST', '', {
      vendor: 'apns',
      p12Base64: newerVersion.toString('base64'),
      password: 'right',
    });
    expect(unsupported.body).toEqual({
      error: {
        field: 'p12Base64',
        message: 'this .p12 file cannot be opened: PKCS#12 PFX of version other than 3 not supported.',
      },
      text: { key: 'apnsP12Unsupported' },
    });
    const notPfx = await call('POST', '', {
      vendor: 'apns',
      p12Base64: Buffer.from('3003020103', 'hex').toString('base64'),
      password: 'x',
    });
    expect(notPfx.body.error.message).toMatch(/^this \.p12 file cannot be opened: Cannot read PKCS#12 PFX/);
    expect(notPfx.body.text).toEqual({ key: 'apnsP12Damaged' });
    const fax = await call('POST', '', { vendor: 'fax' });
    expect(fax.body.error.field).toBe('vendor');
    expect(fax.body.text).toMatchObject({ key: 'fieldNotOneOf', params: { field: 'vendor' } });
    const colour = await call('POST', '', { vendor: 'meizu', colour: 'red' });
    expect(colour.body.error).toMatchObject({ field: 'colour', message: 'unknown field colour' });
    expect(colour.body.text).toEqual({ key: 'unknownField', params: { fields: 'colour' } });
    // A file far larger than a certificate (the console sends it base64 in the JSON body).
    const huge = await call('POST', '', { vendor: 'apns', p12Base64: 'A'.repeat(2_000_000), password: 'x' });
    expect(huge.status).toBe(413);
    expect(huge.body.text).toMatchObject({ key: 'uploadTooLarge' });
    expect(huge.body.text.params.max).toBeGreaterThan(0);
    const legacy = await call('POST', '', { vendor: 'fcm', serverKey: 'AAAAx:APA91b' });
    expect(legacy.body.error).toMatchObject({ field: 'serverKey', message: expect.stringContaining('2024') });
    const sa = await call('POST', '', {
      vendor: 'fcm',
      serviceAccount: { type: 'service_account', project_id: 'p' },
    });
    expect(sa.body.error).toMatchObject({
      field: 'serviceAccount',
      message: expect.stringContaining('lacks private_key'),
    });
    expect(sa.body.text).toEqual({
      key: 'fcmMissingFields',
      params: { fields: expect.stringContaining('private_key') },
    });
    const badDefault = await call('POST', '', {
      vendor: 'meizu',
      appId: '1',
      appSecret: 's',
      defaults: { importance: 'LOUD' },
    });
    expect(badDefault.body.error.field).toBe('defaults.importance');
    expect(
      (await call('GET', '')).body.certificates.some(
        (c: { appIdentifier: string }) => c.appIdentifier === 'com.example.chat',
      ),
    ).toBe(false);
  });

  it('adds, reads, edits, tests, pauses and deletes a certificate', async () => {
    const key = registeredApnsKey(sim, 'com.example.chat');
    const added = await call('POST', '', {
      vendor: 'apns',
      p8: key.p8,
      keyId: key.keyId,
      teamId: key.teamId,
      bundleId: 'com.example.chat',
      environment: 'development',
      defaults: { clickAction: { type: 'open_url', url: 'https://example.com' } },
    });
    expect(added.status).toBe(201);
    const cert = added.body.certificate;
    expect(cert).toMatchObject({
      vendor: 'apns',
      environment: 'development',
      expiringSoon: false,
      status: 'active',
    });
    expect(JSON.stringify(added.body)).not.toContain(key.p8.split('\n')[1]);
    expect((await call('GET', `/${cert.id}`)).body.certificate.maskedSecrets.p8).toMatch(/^--\*\*\*\*/);

    const edited = await call('PUT', `/${cert.id}`, { name: 'iOS dev' });
    expect(edited.body.certificate).toMatchObject({ id: cert.id, name: 'iOS dev' });

    const phone = sim.devices.install('apns', { app: 'com.example.chat', environment: 'development' });
    const tested = await call('POST', `/${cert.id}/test`, { token: phone.token, text: 'from the console' });
    expect(tested).toMatchObject({ status: 200, body: { outcome: { kind: 'sent' } } });
    expect((await sim.waitFor({ token: phone.token })).body).toBe('from the console');
    const badToken = await call('POST', `/${cert.id}/test`, { token: 'nope' });
    expect(badToken).toMatchObject({
      status: 400,
      body: {
        error: { field: 'token', message: 'a apns token must be an even number (64 to 200) of hex digits' },
        text: { key: 'tokenHexDigits', params: { vendor: 'apns', min: 64, max: 200 } },
      },
    });

    expect(
      (await call('POST', `/${cert.id}/pause`, { reason: 'key rotation' })).body.certificate,
    ).toMatchObject({
      status: 'paused',
      pausedReason: 'key rotation',
    });
    expect((await call('POST', `/${cert.id}/resume`, {})).body.certificate.status).toBe('active');
    expect((await call('DELETE', `/${cert.id}`)).status).toBe(204);
    expect((await call('GET', `/${cert.id}`)).status).toBe(404);
    expect((await call('GET', '/abc')).status).toBe(404);
  });
});
