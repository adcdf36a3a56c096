// A certificate is "untested" until a vendor accepts a push of its current credential: the first real push
// or a test push (the CLI's `cert test`, the console's test button) verifies it; a refused test does not, and
// replacing the credential makes it untested again (a rename does not). SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import {
  BUNDLE,
  backgroundPhone,
  type PushWorld,
  random,
  startPushWorld,
  text,
} from '../helpers/push-e2e.js';
import { registeredApnsKey } from '../helpers/simulators.js';

const backends = await testBackends();

describe.each(backends)('certificate verification on %s', (backend) => {
  let w: PushWorld;

  beforeAll(async () => {
    w = await startPushWorld(backend);
    const imported = await w.s.v4('im_open_login_svc/multiaccount_import', {
      AccountList: [{ UserID: 'alice' }, { UserID: 'bob' }],
    });
    expect(imported).toMatchObject({ ErrorCode: 0 });
  });
  afterAll(async () => {
    await w?.close();
  });

  const svc = () => w.s.pushline.certificateService;

  it('the first accepted push of a message verifies its certificate, and only that one', async () => {
    expect((await svc().get(w.s.app.sdkAppId, w.apns.id)).verifiedAt).toBeNull();
    expect((await svc().get(w.s.app.sdkAppId, w.fcm.id)).verifiedAt).toBeNull();
    const before = Date.now();
    const phone = await backgroundPhone(w, 'bob', 'apns');
    const r = await w.s.v4('openim/sendmsg', {
      From_Account: 'alice',
      To_Account: 'bob',
      MsgRandom: random(),
      MsgBody: text('hello'),
    });
    expect(r).toMatchObject({ ErrorCode: 0 });
    await w.sim.waitFor({ token: phone.token });
    const verified = await waitFor(async () => {
      const c = await svc().get(w.s.app.sdkAppId, w.apns.id);
      return c.verifiedAt === null ? undefined : c;
    }, 'APNs certificate verified');
    expect(verified.verifiedAt).toBeGreaterThanOrEqual(before);
    // The FCM certificate sent nothing: still untested.
    expect((await svc().get(w.s.app.sdkAppId, w.fcm.id)).verifiedAt).toBeNull();
    // The first push set it; later ones leave it.
    const first = verified.verifiedAt;
    await w.s.v4('openim/sendmsg', {
      From_Account: 'alice',
      To_Account: 'bob',
      MsgRandom: random(),
      MsgBody: text('again'),
    });
    await waitFor(
      () => w.sim.received({ token: phone.token }).find((p) => p.body?.includes('again')),
      'again',
    );
    expect((await svc().get(w.s.app.sdkAppId, w.apns.id)).verifiedAt).toBe(first);
    await phone.client.chat.logout();
  });

  it('a test push verifies; a refused one does not; a new credential is untested again, a rename is not', async () => {
    const app = w.s.app.sdkAppId;
    const key = registeredApnsKey(w.sim, BUNDLE);
    const input = {
      vendor: 'apns' as const,
      p8: key.p8,
      keyId: key.keyId,
      teamId: key.teamId,
      bundleId: BUNDLE,
      environment: 'development' as const,
    };
    const cert = await svc().add(app, input);
    expect(cert.verifiedAt).toBeNull();

    // A production phone's token with a development certificate: the vendor refuses it.
    const prodPhone = w.sim.devices.install('apns', { app: BUNDLE, environment: 'production' });
    const refused = await svc().test(app, cert.id, prodPhone.token);
    expect(refused.outcome.kind).toBe('invalid-token');
    expect(refused.certificate.verifiedAt).toBeNull();

    const devPhone = w.sim.devices.install('apns', { app: BUNDLE, environment: 'development' });
    const tested = await svc().test(app, cert.id, devPhone.token);
    expect(tested.outcome.kind).toBe('sent');
    expect(tested.certificate.verifiedAt).not.toBeNull();
    expect((await svc().list(app)).find((c) => c.id === cert.id)?.verifiedAt).toBe(
      tested.certificate.verifiedAt,
    );

    const renamed = await svc().update(app, cert.id, { name: 'Renamed' });
    expect(renamed.verifiedAt).toBe(tested.certificate.verifiedAt);

    const other = registeredApnsKey(w.sim, BUNDLE);
    const replaced = await svc().update(app, cert.id, {
      ...input,
      p8: other.p8,
      keyId: other.keyId,
      teamId: other.teamId,
    });
    expect(replaced.verifiedAt).toBeNull();
    const retested = await svc().test(app, cert.id, devPhone.token);
    expect(retested.outcome.kind).toBe('sent');
    expect(retested.certificate.verifiedAt).not.toBeNull();
  });

  it('an accepted push of the credential an edit replaced does not verify the new one', async () => {
    const app = w.s.app.sdkAppId;
    const cert = await svc().get(app, w.fcm.id);
    // The version the accepted push was sent with is no longer the certificate's.
    await svc().update(app, cert.id, { name: 'FCM renamed' });
    expect(await w.s.pushline.certificates.markVerified(cert.id, cert.updatedAt)).toBe(false);
    expect((await svc().get(app, cert.id)).verifiedAt).toBeNull();
    const current = await svc().get(app, cert.id);
    expect(await w.s.pushline.certificates.markVerified(cert.id, current.updatedAt)).toBe(true);
    expect((await svc().get(app, cert.id)).verifiedAt).not.toBeNull();
  });
});
