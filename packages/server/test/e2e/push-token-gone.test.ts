// An instance is PushOnline only while it gets pushes (docs/getting-started.md): when the vendor says its
// only token is gone, openim/query_online_status and the console stop saying PushOnline — Online while its
// socket is still up, Offline once the app is gone. A backgrounded app without a token is Online, and becomes
// PushOnline when it reports one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawSocket, userSigFor, waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import {
  BUNDLE,
  backgroundPhone,
  type PushWorld,
  random,
  startPushWorld,
  text,
} from '../helpers/push-e2e.js';

const backends = await testBackends();

describe.each(backends)('states after a token is gone on %s', (backend) => {
  let w: PushWorld;

  beforeAll(async () => {
    w = await startPushWorld(backend);
    await w.s.v4('im_open_login_svc/multiaccount_import', {
      AccountList: ['kate', 'leo', 'mia', 'sender'].map((UserID) => ({ UserID })),
    });
  });
  afterAll(async () => {
    await w?.close();
  });

  const state = async (userId: string) => {
    const r = await w.s.v4('openim/query_online_status', { To_Account: [userId], IsNeedDetail: 1 });
    return (r.QueryResult as { State: string }[])[0]?.State;
  };
  const sendTo = (to: string) =>
    w.s.v4('openim/sendmsg', {
      From_Account: 'sender',
      To_Account: to,
      MsgRandom: random(),
      MsgBody: text('hi'),
    });
  const bindingsOf = async (userId: string) =>
    (await w.s.pushline.sessions.pushTargets(w.s.app.sdkAppId, [userId]))[0]?.bindings.length ?? 0;

  it('a connected background app whose token the vendor declared gone is Online, not PushOnline', async () => {
    const phone = await backgroundPhone(w, 'kate', 'apns');
    expect(await state('kate')).toBe('PushOnline');
    w.sim.devices.uninstall('apns', phone.token);
    await sendTo('kate');
    await waitFor(async () => (await bindingsOf('kate')) === 0, 'the binding removed after the 410');
    expect(await state('kate')).toBe('Online');
    await phone.client.chat.logout();
  });

  it('a killed app whose token the vendor declared gone is Offline', async () => {
    const device = w.sim.devices.install('apns', { app: BUNDLE, environment: 'development' });
    const socket = await rawSocket(w.s);
    const login = await socket.request('login', {
      sdkAppId: w.s.app.sdkAppId,
      userId: 'leo',
      userSig: userSigFor(w.s, 'leo'),
      platform: 'iPhone',
      instanceId: 'leo-phone',
    });
    expect(login).toMatchObject({ code: 0 });
    await socket.request('setOfflinePushConfig', { config: { businessID: w.apns.id, token: device.token } });
    await socket.request('doBackground', { unreadCount: 0 });
    // The app is killed: its socket drops without a logout.
    socket.ws.terminate();
    await waitFor(async () => (await state('leo')) === 'PushOnline' && 'killed', 'PushOnline after the drop');
    w.sim.devices.uninstall('apns', device.token);
    await sendTo('leo');
    await waitFor(async () => (await bindingsOf('leo')) === 0, 'the binding removed after the 410');
    expect(await state('leo')).toBe('Offline');
  });

  it('a background app is PushOnline only once it has reported a token', async () => {
    const socket = await rawSocket(w.s);
    await socket.request('login', {
      sdkAppId: w.s.app.sdkAppId,
      userId: 'mia',
      userSig: userSigFor(w.s, 'mia'),
      platform: 'Android',
      instanceId: 'mia-phone',
    });
    await socket.request('doBackground', { unreadCount: 0 });
    expect(await state('mia')).toBe('Online');
    const device = w.sim.devices.install('apns', { app: BUNDLE, environment: 'development' });
    await socket.request('setOfflinePushConfig', { config: { businessID: w.apns.id, token: device.token } });
    expect(await state('mia')).toBe('PushOnline');
    await socket.request('setOfflinePushConfig', { config: null });
    expect(await state('mia')).toBe('Online');
    socket.ws.terminate();
    await waitFor(async () => (await state('mia')) === 'Offline' && 'gone', 'Offline without a token');
  });
});
