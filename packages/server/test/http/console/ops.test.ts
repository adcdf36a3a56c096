// The console's operations API over real HTTP on SQLite and PostgreSQL, signed in as a console user: the
// certificate API through the session, users and devices (instances, bindings, test push, remove, kick),
// the troubleshooter (logged out, development token sent with a production certificate) and the overview
// (devices, pushes of the last 24 h, alerts). Real SDK clients, real APNs/FCM simulators.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn, waitFor } from '../../helpers/clients.js';
import { ConsoleClient } from '../../helpers/console.js';
import { testBackends } from '../../helpers/databases.js';
import {
  BUNDLE,
  backgroundPhone,
  type PushWorld,
  random,
  startPushWorld,
  text,
} from '../../helpers/push-e2e.js';
import { registeredApnsKey } from '../../helpers/simulators.js';

const backends = await testBackends();
const PASSWORD = 'operator-password-1';

describe.each(backends)('console operations API on %s', (backend) => {
  let w: PushWorld;
  let admin: ConsoleClient;
  let app: string;

  beforeAll(async () => {
    w = await startPushWorld(backend, {
      push: { backoffBaseMs: 50, backoffMaxMs: 500, idleMs: 20, maxAttempts: 2 },
    });
    await w.s.pushline.consoleUsers.create({ username: 'ops', password: PASSWORD, role: 'admin' });
    admin = new ConsoleClient(w.s.url);
    expect((await admin.login('ops', PASSWORD)).status).toBe(200);
    app = `/api/console/apps/${w.s.app.sdkAppId}`;
    await w.s.v4('im_open_login_svc/multiaccount_import', {
      AccountList: [
        { UserID: 'alice', Nick: 'Alice' },
        { UserID: 'bob' },
        { UserID: 'carl' },
        { UserID: 'dina' },
        { UserID: 'erin' },
      ],
    });
  });
  afterAll(async () => {
    await w?.close();
  });

  const sendmsg = (to: string, words: string) =>
    w.s.v4('openim/sendmsg', {
      From_Account: 'alice',
      To_Account: to,
      MsgRandom: random(),
      MsgBody: text(words),
    });

  it('manages certificates with the console session (and CSRF token)', async () => {
    const issued = w.sim.issueApnsClientCertificate({
      bundleId: BUNDLE,
      environment: 'production',
      password: 'right',
    });
    const wrong = await admin.request('POST', `${app}/certificates`, {
      vendor: 'apns',
      p12Base64: issued.p12.toString('base64'),
      password: 'wrong',
    });
    expect(wrong).toMatchObject({ status: 400, body: { error: { field: 'password' } } });
    const noCsrf = await admin.request(
      'POST',
      `${app}/certificates`,
      { vendor: 'apns', p12Base64: issued.p12.toString('base64'), password: 'right' },
      { csrf: null },
    );
    expect(noCsrf.status).toBe(403);
    const good = await admin.request('POST', `${app}/certificates`, {
      vendor: 'apns',
      p12Base64: issued.p12.toString('base64'),
      password: 'right',
    });
    expect(good.status).toBe(201);
    expect(good.body.certificate).toMatchObject({
      vendor: 'apns',
      environment: 'production',
      appIdentifier: BUNDLE,
    });
    const list = await admin.get(`${app}/certificates`);
    expect(list.body.certificates.map((c: { id: number }) => c.id)).toContain(good.body.certificate.id);
    expect((await admin.request('DELETE', `${app}/certificates/${good.body.certificate.id}`)).status).toBe(
      204,
    );
  });

  it('pages through the users, in UserID order, with their state; refuses a bad page size', async () => {
    const firstPage = await admin.get(`${app}/users?limit=2`);
    expect(firstPage.status).toBe(200);
    expect(firstPage.body.users.map((u: { userId: string }) => u.userId)).toEqual(['alice', 'bob']);
    expect(firstPage.body.next).toBe('bob');
    expect(firstPage.body.users[0]).toEqual({
      userId: 'alice',
      instances: 0,
      state: 'offline',
      vendors: [],
      lastSeenAt: null,
    });
    // carl's only phone is in the background: pushes go to it through FCM.
    const carl = await backgroundPhone(w, 'carl', 'fcm');
    const second = await admin.get(`${app}/users?limit=2&after=${firstPage.body.next}`);
    expect(second.body.users.map((u: { userId: string }) => u.userId)).toEqual(['carl', 'dina']);
    expect(second.body.users[0]).toMatchObject({ state: 'background', vendors: ['fcm'], instances: 1 });
    await carl.client.chat.logout();
    const last = await admin.get(`${app}/users?limit=2&after=${second.body.next}`);
    expect(last.body.users.map((u: { userId: string }) => u.userId)).toContain('erin');
    let after = '';
    const all: string[] = [];
    for (;;) {
      const page = await admin.get(`${app}/users?limit=3&after=${encodeURIComponent(after)}`);
      all.push(...page.body.users.map((u: { userId: string }) => u.userId));
      if (!page.body.next) break;
      after = page.body.next;
    }
    expect(all).toEqual([...all].sort());
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(expect.arrayContaining(['alice', 'bob', 'carl', 'dina', 'erin']));
    // zod's English for scripts, and a message key with the field and the limit for the console.
    const limits: [string, unknown][] = [
      ['0', { key: 'fieldTooSmall', params: { field: 'limit', min: 1 } }],
      ['201', { key: 'fieldTooBig', params: { field: 'limit', max: 200 } }],
      ['x', { key: 'fieldWrongType', params: { field: 'limit', expected: 'number' } }],
      ['1.5', { key: 'fieldWrongType', params: { field: 'limit', expected: 'int' } }],
    ];
    for (const [bad, text] of limits) {
      const refused = await admin.get(`${app}/users?limit=${bad}`);
      expect(refused.status, bad).toBe(400);
      expect(refused.body.error).toMatch(/^limit: /);
      expect(refused.body.text, bad).toEqual(text);
    }
    const search = await admin.get(`${app}/users?search=${'s'.repeat(65)}`);
    expect(search.body).toEqual({
      error: 'search: at most 64 characters',
      text: { key: 'fieldTooLong', params: { field: 'search', max: 64 } },
    });
    // A UserID that breaks the rule: the rule's own key, as the composer answers it.
    const long = await admin.get(`${app}/users/${'x'.repeat(33)}`);
    expect(long.status).toBe(400);
    expect(long.body).toEqual({
      error: 'userid: UserID is 33 bytes of UTF-8; at most 32',
      text: { key: 'userIdTooLong', params: { bytes: 33, max: 32 } },
    });
    const control = await admin.request('POST', `${app}/users/a%01b/kick`);
    expect(control.status).toBe(400);
    expect(control.body.text).toEqual({ key: 'userIdControl' });
    // Another app's users are not listed.
    const other = await w.s.pushline.apps.create({ name: 'Other' });
    await w.s.pushline.accounts.import(other.sdkAppId, [{ userId: 'zed' }]);
    const mine = await admin.get(`${app}/users?search=zed`);
    expect(mine.body.users).toEqual([]);
  });

  it('shows a user with instances and bindings; test-pushes, removes a binding and kicks', async () => {
    const phone = await backgroundPhone(w, 'bob', 'apns', 2);
    const web = await loggedIn(w.s, 'bob', { instanceID: 'bob-web', platform: 'Web' });
    const found = await admin.get(`${app}/users?search=bo`);
    // Per user: its state (an instance in the foreground: online), the vendors of its bindings, last seen.
    expect(found.body).toEqual({
      users: [
        { userId: 'bob', instances: 2, state: 'online', vendors: ['apns'], lastSeenAt: expect.any(Number) },
      ],
      next: null,
    });

    // LIKE wildcards in the search are taken literally.
    expect((await admin.get(`${app}/users?search=b_b`)).body.users).toEqual([]);
    expect((await admin.get(`${app}/users?search=%25`)).body.users).toEqual([]);

    const user = await admin.get(`${app}/users/bob`);
    expect(user.status).toBe(200);
    const iphone = user.body.instances.find((i: { instanceId: string }) => i.instanceId === 'bob-apns');
    expect(iphone).toMatchObject({ platform: 'iPhone', state: 'PushOnline', background: true, badgeBase: 2 });
    expect(iphone.bindings).toEqual([
      expect.objectContaining({
        tokenType: 0,
        certificateId: w.apns.id,
        certificate: expect.objectContaining({ vendor: 'apns', environment: 'development' }),
      }),
    ]);
    expect(iphone.bindings[0].token).toBe(`${phone.token.slice(0, 6)}…${phone.token.slice(-4)}`);
    expect(JSON.stringify(user.body)).not.toContain(phone.token);
    expect(user.body.instances.find((i: { instanceId: string }) => i.instanceId === 'bob-web')).toMatchObject(
      {
        state: 'Online',
        bindings: [],
      },
    );

    const tested = await admin.request('POST', `${app}/users/bob/instances/bob-apns/bindings/0/test`, {
      text: 'console test push',
    });
    expect(tested).toMatchObject({ status: 200, body: { outcome: { kind: 'sent' } } });
    expect((await w.sim.waitFor({ token: phone.token })).body).toBe('console test push');
    const testPath = `${app}/users/bob/instances/bob-apns/bindings/0/test`;
    const long = await admin.request('POST', testPath, { text: 'x'.repeat(201) });
    expect(long.body).toEqual({
      error: 'text: at most 200 characters',
      text: { key: 'fieldTooLong', params: { field: 'text', max: 200 } },
    });
    const extra = await admin.request('POST', testPath, { text: 'x', badge: 3 });
    expect(extra.status).toBe(400);
    expect(extra.body.text).toEqual({ key: 'unknownField', params: { fields: 'badge' } });

    expect((await admin.request('DELETE', `${app}/users/bob/instances/bob-apns/bindings/0`)).status).toBe(
      204,
    );
    expect((await admin.request('DELETE', `${app}/users/bob/instances/bob-apns/bindings/0`)).status).toBe(
      404,
    );
    expect(await w.s.pushline.bindings.of(w.s.app.sdkAppId, 'bob')).toEqual([]);

    expect((await admin.request('POST', `${app}/users/bob/kick`)).status).toBe(204);
    await waitFor(() => web.kicked.length > 0 || undefined, 'web kicked');
    const after = await admin.get(`${app}/users/bob`);
    expect(after.body.instances.map((i: { state: string }) => i.state)).toEqual(['Offline', 'Offline']);
    expect(after.body.account.kickedAt).toBeGreaterThan(0);
    const why = await admin.get(`${app}/troubleshoot?userId=bob`);
    const login = why.body.checks.find((c: { id: string }) => c.id === 'login');
    expect(login.status).toBe('problem');
    expect(login.detail).toContain('"bob" was kicked by the administrator');
    expect((await admin.request('POST', `${app}/users/nobody/kick`)).status).toBe(404);
    expect((await admin.get(`${app}/users/nobody`)).status).toBe(404);
    // An admin may ask for any SDKAppID; one that does not exist is not found, on every page.
    for (const page of ['overview', 'users', 'users/bob', 'troubleshoot?userId=bob']) {
      expect((await admin.get(`/api/console/apps/999/${page}`)).status, page).toBe(404);
    }
  });

  it('troubleshoots a logged-out user', async () => {
    const phone = await backgroundPhone(w, 'carl', 'fcm');
    await phone.client.chat.logout();
    await sendmsg('carl', 'are you there?');
    const res = await waitFor(async () => {
      const r = await admin.get(`${app}/troubleshoot?userId=carl`);
      return r.body.pushes?.length > 0 ? r : undefined;
    }, 'carl trace');
    const check = (id: string) => res.body.checks.find((c: { id: string }) => c.id === id);
    expect(check('account').status).toBe('ok');
    expect(check('certificate').status).toBe('ok');
    expect(check('login')).toMatchObject({ status: 'problem' });
    expect(check('login').detail).toContain('logged out');
    expect(res.body.pushes[0]).toMatchObject({ skipReason: 'instance-offline' });
    expect((await admin.get(`${app}/troubleshoot`)).status).toBe(400);
  });

  it('says a development token was sent with a production certificate when APNs answers BadDeviceToken', async () => {
    const key = registeredApnsKey(w.sim, BUNDLE);
    const created = await admin.request('POST', `${app}/certificates`, {
      vendor: 'apns',
      name: 'iOS production',
      p8: key.p8,
      keyId: key.keyId,
      teamId: key.teamId,
      bundleId: BUNDLE,
      environment: 'production',
    });
    expect(created.status).toBe(201);
    const production = created.body.certificate;
    const device = w.sim.devices.install('apns', { app: BUNDLE, environment: 'development' });
    const client = await loggedIn(w.s, 'dina', { instanceID: 'dina-iphone', platform: 'iPhone' });
    await client.chat.setOfflinePushConfig({ businessID: production.id, token: device.token });
    await client.chat.doBackground(0);
    const sent = await sendmsg('dina', 'hello from production');
    const res = await waitFor(async () => {
      const r = await admin.get(
        `${app}/troubleshoot?userId=dina&msgKey=${encodeURIComponent(String(sent.MsgKey))}`,
      );
      return r.body.pushes?.[0]?.answer ? r : undefined;
    }, 'dina vendor answer');
    expect(res.body.pushes[0].answer).toMatchObject({ stage: 'invalid-token', code: 'BadDeviceToken' });
    const answer = res.body.checks.find((c: { id: string }) => c.id === 'vendor-answer');
    expect(answer.status).toBe('problem');
    expect(answer.detail).toContain(
      'APNs answered BadDeviceToken: a development token was sent with a production certificate',
    );
    expect(answer.fix).toContain('development certificate');
    await client.chat.logout();
  });

  it('shows devices, pushes of the last 24 hours and alerts on the overview', async () => {
    const phone = await backgroundPhone(w, 'alice', 'fcm');
    await sendmsg('alice', 'self');
    // A push FCM keeps refusing with 503 is given up after the last attempt (a dead letter); a callback URL
    // nobody listens on makes the webhook batch of that push fail.
    await admin.request('PATCH', app, { settings: { callbackUrl: 'http://127.0.0.1:9/im-callback' } });
    w.sim.faults.add('fcm', { kind: 'status', status: 503, count: 2 });
    await w.s.v4('openim/sendmsg', {
      From_Account: 'bob',
      To_Account: 'alice',
      MsgRandom: random(),
      MsgBody: text('never arrives'),
    });
    const failing = await waitFor(async () => {
      const r = await admin.get(`${app}/overview`);
      const kinds = r.body.alerts.map((a: { kind: string }) => a.kind);
      return kinds.includes('dead-letters') && kinds.includes('webhook-failures') ? r : undefined;
    }, 'dead letter and webhook failure alerts');
    expect(failing.body.queue.dead).toBe(1);
    expect(failing.body.alerts).toContainEqual(
      expect.objectContaining({
        kind: 'dead-letters',
        message: expect.stringContaining(`pushline queue dead ${w.s.app.sdkAppId}`),
      }),
    );
    expect(failing.body.pushes.hours.reduce((n: number, h: { failed: number }) => n + h.failed, 0)).toBe(1);
    await admin.request('PATCH', app, { settings: { callbackUrl: '' } });
    w.sim.faults.clear('fcm');
    const toErin = await backgroundPhone(w, 'erin', 'apns');
    await sendmsg('erin', 'hi erin');
    await w.sim.waitFor({ token: toErin.token });
    await admin.request('POST', `${app}/certificates/${w.fcm.id}/pause`, { reason: 'key rotation' });
    // A certificate 10 days before its expiry (a .p12's expiry comes from the file; set it directly here).
    await w.s.pushline.db
      .updateTable('certificates')
      .set({ expires_at: Date.now() + 10 * 86_400_000 })
      .where('id', '=', w.apns.id)
      .execute();
    const overview = await waitFor(async () => {
      const r = await admin.get(`${app}/overview`);
      const hours = r.body.pushes.hours as { sent: number }[];
      return hours.reduce((n, h) => n + h.sent, 0) > 0 ? r : undefined;
    }, 'overview with sent pushes');
    expect(overview.body.pushes.hours).toHaveLength(24);
    expect(overview.body.pushes.series).toEqual(['sent', 'skipped', 'lost', 'refused', 'failed']);
    const apns = overview.body.devices.find((d: { vendor: string }) => d.vendor === 'apns');
    expect(apns.PushOnline).toBeGreaterThanOrEqual(1);
    expect(overview.body.devices.find((d: { vendor: string }) => d.vendor === 'fcm').PushOnline).toBe(1);
    expect(overview.body.alerts).toContainEqual(
      expect.objectContaining({ kind: 'certificate-paused', certificateId: w.fcm.id }),
    );
    expect(overview.body.alerts).toContainEqual(
      expect.objectContaining({
        kind: 'certificate-expiring',
        certificateId: w.apns.id,
        severity: 'warning',
      }),
    );
    await admin.request('POST', `${app}/certificates/${w.fcm.id}/resume`, {});
    await w.s.pushline.db
      .updateTable('certificates')
      .set({ expires_at: null })
      .where('id', '=', w.apns.id)
      .execute();
    await phone.client.chat.logout();
    await toErin.client.chat.logout();
  });

  it('edits the login policy and the do-not-disturb switch, which admin_set_do_not_disturb obeys', async () => {
    const bad = await admin.request('PATCH', app, { settings: { loginPolicy: { mode: 'dual' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('loginPolicy.mode');
    const ok = await admin.request('PATCH', app, {
      settings: { loginPolicy: { mode: 'single', maxPerPlatform: 1, maxWeb: 2 }, dndEnabled: false },
    });
    expect(ok.body.settings).toMatchObject({ loginPolicy: { mode: 'single' }, dndEnabled: false });
    const dnd = { To_Account: 'alice', StartTime: 1_700_000_000, EndTime: 1_700_003_600 };
    const refused = await w.s.v4('im_msg_db_logic/admin_set_do_not_disturb', dnd);
    expect(refused).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 70402 });
    expect(refused.ErrorInfo).toContain('do-not-disturb feature is off');
    await admin.request('PATCH', app, { settings: { dndEnabled: true, loginPolicy: { mode: 'multi' } } });
    expect(await w.s.v4('im_msg_db_logic/admin_set_do_not_disturb', dnd)).toMatchObject({ ErrorCode: 0 });
  });
});
