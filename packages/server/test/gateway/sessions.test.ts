// Session states, login policy, kicks and push bindings over real sockets with real SDK clients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn, rawSocket, sdkClient, userSigFor, waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const backends = await testBackends();
const APNS_TOKEN = 'ab'.repeat(32);
const FCM_TOKEN = `fcm-token-${'x'.repeat(40)}`;

describe.each(backends)('gateway sessions on %s', (backend) => {
  let s: TestServer;
  let offset = 0;
  let apnsCert: number;
  let voipCert: number;
  let fcmCert: number;

  beforeAll(async () => {
    s = await startTestServer({
      backend,
      create: { clock: () => Date.now() + offset, gateway: { sweepIntervalMs: 0 } },
    });
    const base = { sdkAppId: s.app.sdkAppId, secrets: { key: 'k'.repeat(20) } };
    apnsCert = (
      await s.pushline.certificates.create({
        ...base,
        vendor: 'apns',
        kind: 'alert',
        name: 'ios',
        environment: 'development',
        appIdentifier: 'com.example.app',
      })
    ).id;
    voipCert = (
      await s.pushline.certificates.create({
        ...base,
        vendor: 'apns',
        kind: 'voip',
        name: 'voip',
        environment: 'development',
        appIdentifier: 'com.example.app',
      })
    ).id;
    fcmCert = (
      await s.pushline.certificates.create({
        ...base,
        vendor: 'fcm',
        kind: 'alert',
        name: 'fcm',
        appIdentifier: 'example-project',
      })
    ).id;
  });
  afterAll(async () => {
    await s?.close();
  });

  async function state(userId: string) {
    const r = await s.v4('openim/query_online_status', { To_Account: [userId], IsNeedDetail: 1 });
    expect(r.ErrorCode).toBe(0);
    return (r.QueryResult as { State: string; Detail: { Platform: string; Status: string }[] }[])[0]!;
  }
  const instances = (userId: string) => s.pushline.sessions.instancesOf(s.app.sdkAppId, [userId]);
  const bindings = (userId: string) => s.pushline.bindings.of(s.app.sdkAppId, userId);

  it('walks Online -> PushOnline (doBackground) -> Online (doForeground) -> Offline (logout)', async () => {
    await s.v4('im_open_login_svc/account_import', { UserID: 'st1' });
    expect((await state('st1')).State).toBe('Offline'); // never logged in
    const c = await loggedIn(s, 'st1', { platform: 'iPhone', instanceID: 'phone-1' });
    expect(await state('st1')).toMatchObject({
      State: 'Online',
      Detail: [{ Platform: 'iPhone', Status: 'Online' }],
    });

    await c.chat.setOfflinePushConfig({ businessID: apnsCert, token: APNS_TOKEN });
    await c.chat.doBackground(7);
    expect((await state('st1')).State).toBe('PushOnline');
    const [target] = await s.pushline.sessions.pushTargets(s.app.sdkAppId, ['st1']);
    expect(target).toMatchObject({ state: 'PushOnline', background: true, badgeBase: 7, platform: 'iPhone' });
    expect(target?.bindings).toMatchObject([{ certificateId: apnsCert, token: APNS_TOKEN, tokenType: 0 }]);

    expect(await s.pushline.sessions.addToBadge(s.app.sdkAppId, 'st1', 'phone-1')).toBe(8);
    expect(await s.pushline.sessions.addToBadge(s.app.sdkAppId, 'st1', 'nope')).toBeUndefined();
    await c.chat.doForeground();
    expect((await state('st1')).State).toBe('Online');
    await c.chat.logout();
    await s.pushline.gateway.settled();
    expect((await state('st1')).State).toBe('Offline');
    expect(await bindings('st1')).toEqual([]);
    expect(await s.pushline.sessions.pushTargets(s.app.sdkAppId, ['st1'])).toEqual([]);
  });

  it("reads a fan-out page's targets and bumps exactly the badges named, whatever the UserIDs hold", async () => {
    // On PostgreSQL a page's users go as one array parameter (devices/sessions.ts): quoting must survive,
    // and a badge bump names (user, instance) pairs, not every instance of the users.
    const now = Date.now();
    const awkward = ['pt"q,{x}\\y', 'NULL', "pt'z", 'pt 中文'];
    const users = [...awkward, ...Array.from({ length: 600 }, (_, i) => `pt${i}`)];
    const instance = (user_id: string, instance_id: string, state: string) => ({
      sdkappid: s.app.sdkAppId,
      user_id,
      instance_id,
      platform: 'Android',
      state,
      background: state === 'PushOnline' ? 1 : 0,
      unread_base: 0,
      acked_seq: 0,
      session_id: `s-${user_id}-${instance_id}`,
      logged_in_at: now,
      last_seen_at: now,
      updated_at: now,
    });
    const rows = [
      ...users.map((u) => instance(u, 'phone', 'PushOnline')),
      instance('pt0', 'pad', 'Online'),
      instance('pt0', 'gone', 'Offline'),
    ];
    for (let i = 0; i < rows.length; i += 200)
      await s.pushline.db
        .insertInto('instances')
        .values(rows.slice(i, i + 200))
        .execute();
    await s.pushline.db
      .insertInto('push_bindings')
      .values(
        users.map((u) => ({
          sdkappid: s.app.sdkAppId,
          user_id: u,
          instance_id: 'phone',
          token_type: 0,
          certificate_id: fcmCert,
          token: `tok-${u}`,
          reported_at: now,
        })),
      )
      .execute();

    const targets = await s.pushline.sessions.pushTargets(s.app.sdkAppId, [...users, 'pt-nobody']);
    const byKey = new Map(targets.map((t) => [`${t.userId}/${t.instanceId}`, t]));
    expect(targets).toHaveLength(users.length + 1); // every phone, pt0's Online pad, not its Offline one
    for (const u of users)
      expect(byKey.get(`${u}/phone`)?.bindings).toMatchObject([
        { certificateId: fcmCert, token: `tok-${u}` },
      ]);
    expect(byKey.get('pt0/pad')).toMatchObject({ state: 'Online', bindings: [] });

    await s.pushline.sessions.addToBadges(s.app.sdkAppId, [
      ...awkward.map((userId) => ({ userId, instanceId: 'phone' })),
      { userId: 'pt0', instanceId: 'phone' },
    ]);
    await s.pushline.sessions.addToBadges(s.app.sdkAppId, [{ userId: 'NULL', instanceId: 'phone' }], 2);
    const badges = new Map(
      (await s.pushline.sessions.pushTargets(s.app.sdkAppId, [...awkward, 'pt0', 'pt1'])).map((t) => [
        `${t.userId}/${t.instanceId}`,
        t.badgeBase,
      ]),
    );
    expect(Object.fromEntries(badges)).toEqual({
      'pt"q,{x}\\y/phone': 1,
      'NULL/phone': 3,
      "pt'z/phone": 1,
      'pt 中文/phone': 1,
      'pt0/phone': 1,
      'pt0/pad': 0,
      'pt1/phone': 0,
    });
  });

  it('a dropped socket leaves PushOnline with a binding and Offline without one', async () => {
    const withBinding = await rawSocket(s);
    const login = (instanceId: string) => ({
      sdkAppId: s.app.sdkAppId,
      userId: 'drop1',
      userSig: userSigFor(s, 'drop1'),
      platform: 'Android',
      instanceId,
    });
    expect((await withBinding.request('login', login('a'))).code).toBe(0);
    expect(
      (
        await withBinding.request('setOfflinePushConfig', {
          config: { businessID: fcmCert, token: FCM_TOKEN },
        })
      ).code,
    ).toBe(0);
    const without = await rawSocket(s);
    expect((await without.request('login', login('b'))).code).toBe(0);
    withBinding.ws.terminate();
    without.ws.terminate();
    await waitFor(
      async () => (await instances('drop1')).every((i) => i.state !== 'Online'),
      'both disconnected',
    );
    const byId = Object.fromEntries((await instances('drop1')).map((i) => [i.instanceId, i.state]));
    expect(byId).toEqual({ a: 'PushOnline', b: 'Offline' });
    expect(await state('drop1')).toMatchObject({
      State: 'PushOnline',
      Detail: [{ Platform: 'Android', Status: 'PushOnline' }],
    });
  });

  it('a heartbeat timeout closes the socket; the SDK reconnects and resumes', async () => {
    const c = await loggedIn(s, 'hb1', { instanceID: 'hb-phone' });
    await c.chat.setOfflinePushConfig({ businessID: fcmCert, token: `hb-${FCM_TOKEN}` });
    offset += 10 * 60_000; // ten minutes of silence
    await s.pushline.gateway.sweep();
    await waitFor(() => c.events.includes('state:reconnecting'), 'SDK notices the drop');
    await waitFor(
      () =>
        c.chat.getConnectionState() === 'connected' && c.events.filter((e) => e === 'connected').length === 2,
      'SDK reconnected',
    );
    expect((await state('hb1')).State).toBe('Online');
    expect(await bindings('hb1')).toHaveLength(1); // a timeout is no logout: the binding stays
    await c.chat.logout();
  });

  it('kicks the oldest instance beyond the login policy and removes its binding', async () => {
    await s.pushline.apps.updateSettings(s.app.sdkAppId, { loginPolicy: { mode: 'per-platform' } } as never);
    try {
      const first = await loggedIn(s, 'pol1', { platform: 'Android', instanceID: 'old' });
      await first.chat.setOfflinePushConfig({ businessID: fcmCert, token: `pol-${FCM_TOKEN}` });
      const web = await loggedIn(s, 'pol1', { platform: 'Web', instanceID: 'web' });
      const second = await loggedIn(s, 'pol1', { platform: 'Android', instanceID: 'new' });
      await waitFor(() => first.kicked.length === 1, 'old instance kicked');
      expect(first.kicked[0]?.code).toBe(6208);
      expect(first.chat.getLoginStatus()).toBe(3);
      expect(web.kicked).toEqual([]);
      const byId = Object.fromEntries((await instances('pol1')).map((i) => [i.instanceId, i.state]));
      expect(byId).toEqual({ old: 'Offline', web: 'Online', new: 'Online' });
      expect(await bindings('pol1')).toEqual([]);
      await second.chat.logout();
      await web.chat.logout();
    } finally {
      await s.pushline.apps.updateSettings(s.app.sdkAppId, { loginPolicy: undefined } as never);
    }
  });

  it('applies the policy to simultaneous logins of one user', async () => {
    await s.pushline.apps.updateSettings(s.app.sdkAppId, { loginPolicy: { mode: 'single' } } as never);
    try {
      const clients = await Promise.all(
        ['PC', 'Mac', 'iPhone', 'Android'].map((platform, i) =>
          loggedIn(s, 'race1', { platform: platform as 'PC', instanceID: `r${i}` }),
        ),
      );
      await waitFor(() => clients.filter((c) => c.kicked.length === 1).length === 3, 'three kicked');
      const live = (await instances('race1')).filter((i) => i.state !== 'Offline');
      expect(live).toHaveLength(1);
      for (const c of clients) if (c.kicked.length === 0) await c.chat.logout();
    } finally {
      await s.pushline.apps.updateSettings(s.app.sdkAppId, { loginPolicy: undefined } as never);
    }
  });

  it('kicks a login that another login evicted while it was still starting', async () => {
    await s.pushline.apps.updateSettings(s.app.sdkAppId, { loginPolicy: { mode: 'single' } } as never);
    const inbox = s.pushline.inbox;
    const lastSeq = inbox.lastSeq;
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let reached = () => {};
    const atResumePoint = new Promise<void>((r) => {
      reached = r;
    });
    // The first login stops after its commit, reading its resume point, before it joins the router...
    inbox.lastSeq = async (sdkAppId: number, userId: string) => {
      if (userId === 'race2') {
        inbox.lastSeq = lastSeq;
        reached();
        await held;
      }
      return lastSeq.call(inbox, sdkAppId, userId);
    };
    try {
      const first = loggedIn(s, 'race2', { platform: 'PC', instanceID: 'early' });
      await atResumePoint;
      // ...while a second login of the user evicts it: its kick finds no connection to tell.
      const second = await loggedIn(s, 'race2', { platform: 'iPhone', instanceID: 'late' });
      release();
      const early = await first;
      await waitFor(() => early.kicked.length === 1, 'the early login kicked');
      expect(early.kicked[0]?.code).toBe(6208);
      expect(second.kicked).toHaveLength(0);
      const live = (await instances('race2')).filter((i) => i.state !== 'Offline');
      expect(live.map((i) => i.instanceId)).toEqual(['late']);
      await second.chat.logout();
    } finally {
      inbox.lastSeq = lastSeq;
      release();
      await s.pushline.apps.updateSettings(s.app.sdkAppId, { loginPolicy: undefined } as never);
    }
  });

  it('admin kick ends every instance, removes bindings and invalidates the UserSig', async () => {
    const oldSig = userSigFor(s, 'kick1');
    const a = await loggedIn(s, 'kick1', { platform: 'iPhone', instanceID: 'i1', userSig: oldSig });
    const b = await loggedIn(s, 'kick1', { platform: 'PC', instanceID: 'i2' });
    await a.chat.setOfflinePushConfig({ businessID: apnsCert, token: 'cd'.repeat(32) });
    await a.chat.doBackground(1);
    await new Promise((r) => setTimeout(r, 1100)); // kick invalidates UserSigs issued up to its second
    expect((await s.v4('im_open_login_svc/kick', { UserID: 'kick1' })).ErrorCode).toBe(0);
    await waitFor(() => a.kicked.length === 1 && b.kicked.length === 1, 'both kicked');
    expect(a.kicked[0]?.code).toBe(6255);
    expect((await state('kick1')).State).toBe('Offline');
    expect(await bindings('kick1')).toEqual([]);
    const old = await rawSocket(s);
    const r = await old.request('login', {
      sdkAppId: s.app.sdkAppId,
      userId: 'kick1',
      userSig: oldSig,
      platform: 'iPhone',
      instanceId: 'i1',
    });
    expect(r.code).toBe(70052);
    old.ws.close();
  });

  it('validates push configs against the certificates and moves a token to the user reporting it', async () => {
    const c = await loggedIn(s, 'bind1', { platform: 'iPhone', instanceID: 'b1' });
    const fail = async (config: unknown) => {
      try {
        await c.chat.setOfflinePushConfig(config as never);
        return 0;
      } catch (err) {
        return (err as { code: number }).code;
      }
    };
    expect(await fail({ businessID: 999_999, token: APNS_TOKEN })).toBe(6301);
    expect(await fail({ businessID: apnsCert, token: 'not-hex' })).toBe(6303);
    expect(await fail({ businessID: fcmCert, token: APNS_TOKEN.slice(0, 10) })).toBe(6303);
    expect(await fail({ businessID: apnsCert, token: APNS_TOKEN, tokenType: 2 })).toBe(6302);
    expect(await fail({ businessID: voipCert, token: APNS_TOKEN, tokenType: 0 })).toBe(6302);
    expect(await fail({ businessID: apnsCert, token: APNS_TOKEN, tokenType: 1 })).toBe(6303);
    expect(await bindings('bind1')).toEqual([]);

    const token = 'ef'.repeat(32);
    await c.chat.setOfflinePushConfig({ businessID: apnsCert, token });
    await c.chat.setOfflinePushConfig({ businessID: voipCert, token: '12'.repeat(32), tokenType: 2 });
    expect((await bindings('bind1')).map((b) => b.tokenType)).toEqual([0, 2]);

    const other = await loggedIn(s, 'bind2', { platform: 'iPhone', instanceID: 'b2' });
    await other.chat.setOfflinePushConfig({ businessID: apnsCert, token: token.toUpperCase() });
    expect((await bindings('bind1')).map((b) => b.tokenType)).toEqual([2]);
    expect(await bindings('bind2')).toMatchObject([{ token, certificateId: apnsCert }]);

    await c.chat.setOfflinePushConfig(null);
    expect(await bindings('bind1')).toEqual([]);
    expect(await s.pushline.bindings.removeToken(s.app.sdkAppId, apnsCert, token)).toBe(true); // e.g. APNs 410
    expect(await bindings('bind2')).toEqual([]);
    await c.chat.logout();
    await other.chat.logout();
  });

  it('rejects malformed frames with an error and keeps the connection; oversized frames close it', async () => {
    const raw = await rawSocket(s);
    raw.send('this is not json');
    raw.send({ type: 'req', id: 1 });
    raw.send({ type: 'nope' });
    await waitFor(() => raw.frames.filter((f) => f.type === 'error').length === 3, 'three errors');
    expect(raw.frames.every((f) => f.code === 60003)).toBe(true);
    expect(await raw.request('whatever')).toMatchObject({ code: 60009 });
    expect(await raw.request('heartbeat')).toMatchObject({ code: 6014 });
    expect(await raw.request('login', { sdkAppId: s.app.sdkAppId })).toMatchObject({ code: 6017 });
    expect(
      await raw.request('login', {
        sdkAppId: s.app.sdkAppId,
        userId: 'mal1',
        userSig: 'garbage',
        platform: 'Android',
        instanceId: 'm',
      }),
    ).toMatchObject({ code: 70003 });
    expect(
      await raw.request('login', {
        sdkAppId: s.app.sdkAppId,
        userId: 'mal1',
        userSig: userSigFor(s, 'mal1'),
        platform: 'Android',
        instanceId: 'm',
      }),
    ).toMatchObject({ code: 0 });
    expect(await raw.request('heartbeat')).toMatchObject({ code: 0 });

    raw.send({ type: 'req', id: 99, op: 'heartbeat', data: { pad: 'x'.repeat(70 * 1024) } });
    expect((await raw.closed).code).toBe(1009);
    const again = await rawSocket(s);
    expect(await again.request('heartbeat')).toMatchObject({ code: 6014 }); // the server is fine
    again.ws.close();
  });

  it('refuses WebSocket upgrades on other paths', async () => {
    const { default: WebSocket } = await import('ws');
    const ws = new WebSocket(`${s.url.replace('http', 'ws')}/elsewhere`);
    const status = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => resolve(-1));
    });
    expect(status).toBe(404);
  });

  it('ends a session whose UserSig expires while connected', async () => {
    const c = sdkClient(s);
    await c.chat.login({ userID: 'sig1', userSig: userSigFor(s, 'sig1', 3600), platform: 'Web' });
    offset += 2 * 3600_000;
    await c.chat.getTotalUnreadMessageCount(); // activity: the heartbeat is fine, the UserSig is not
    await s.pushline.gateway.sweep();
    await waitFor(() => c.events.includes('userSigExpired'), 'told');
    expect(c.chat.getLoginStatus()).toBe(3);
    await waitFor(async () => (await state('sig1')).State === 'Offline', 'instance ended');
  });

  it('forgets instances offline for 30 days on the periodic sweep', async () => {
    const c = await loggedIn(s, 'old1', { instanceID: 'old-phone' });
    await c.chat.logout();
    expect(await instances('old1')).toHaveLength(1);
    offset += 31 * 86_400_000;
    await s.pushline.gateway.sweep();
    expect(await instances('old1')).toEqual([]);
  });

  it('an expired UserSig is refused at login with 70001', async () => {
    const c = sdkClient(s);
    await expect(
      c.chat.login({ userID: 'exp1', userSig: userSigFor(s, 'exp1', -10), platform: 'Web' }),
    ).rejects.toMatchObject({ code: 70001 });
    expect(c.chat.getLoginStatus()).toBe(3);
  });
});
