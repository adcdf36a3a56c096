// The uni-app build of Tencent's own SDK (`@tencentcloud/chat`, unmodified) with its offline push plugin:
// after login it reports the phone's token (`ws_stat_settoken`), and the plugin's app-hidden / app-shown
// events reach Pushline as `ws_stat_background` / `ws_stat_foreground`. Pushline stores them as it stores
// setOfflinePushConfig / doBackground / doForeground of `@pushline/sdk`: a message sent while the app is in
// the background reaches the phone's vendor simulator; once it is back, messages arrive live, unpushed.
import type { Simulators } from '@pushline/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn, waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import type { TestServer } from '../helpers/server.js';
import { startFcmWorld } from '../helpers/simulators.js';
import { type UniAppClient, uniAppLoggedIn } from '../helpers/tencent-uniapp.js';

const backends = await testBackends();
const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];
/** The brand code the push plugin reports; Pushline only logs it (the certificate names the vendor). */
const FCM_BRAND = 2002;

describe.each(backends)('@tencentcloud/chat uni-app build: token and app state, on %s', (backend) => {
  let s: TestServer;
  let sim: Simulators;
  let fcmCert: number;
  const clients: UniAppClient[] = [];

  beforeAll(async () => {
    ({ sim, s, fcmCert } = await startFcmWorld(backend, 'pushline-uniapp'));
    await s.v4('im_open_login_svc/multiaccount_import', { Accounts: ['p-sam'] });
  });
  afterAll(async () => {
    for (const c of clients) await c.destroy();
    await s?.close();
    await sim?.stop();
  });

  it('reports its token, goes to the background, gets pushes; back in front, messages arrive live', async () => {
    const token = sim.devices.install('fcm', { app: 'pushline-uniapp' }).token;
    const ann = await uniAppLoggedIn(s, 'u-ann', { token, certificateId: fcmCert, deviceType: FCM_BRAND });
    clients.push(ann);
    await waitFor(() => ann.ready, 'the uni-app SDK is ready');
    const [instance] = await s.pushline.sessions.instancesOf(s.app.sdkAppId, ['u-ann']);
    const instanceId = instance!.instanceId;
    // The uni-app build names the phone's OS in its socket URL: an Android login.
    expect(instance).toMatchObject({ platform: 'Android', state: 'Online' });
    // The SDK reports the token by itself after login (the push plugin handed it over).
    await waitFor(
      async () => (await s.pushline.bindings.of(s.app.sdkAppId, 'u-ann', instanceId)).length === 1,
      'the token is bound to the instance',
    );
    expect(await s.pushline.bindings.of(s.app.sdkAppId, 'u-ann', instanceId)).toMatchObject([
      { certificateId: fcmCert, token },
    ]);

    // A @pushline/sdk user writes while the app is in front: delivered live, nothing pushed.
    const sam = await loggedIn(s, 'p-sam', { instanceID: 'sam-web' });
    await sam.chat.sendMessage({ receiver: 'u-ann', body: text('are you there?') });
    await waitFor(() => ann.messages.length === 1, 'delivered live');

    ann.setAppShown(false);
    await waitFor(
      async () =>
        (await s.pushline.sessions.instancesOf(s.app.sdkAppId, ['u-ann']))[0]?.state === 'PushOnline',
      'the instance is in the background with a binding: PushOnline',
    );
    // From another front door: the REST API.
    await s.v4('openim/sendmsg', {
      From_Account: 'p-sam',
      To_Account: 'u-ann',
      MsgRandom: 7,
      MsgBody: text('dinner at eight'),
    });
    await waitFor(() => sim.received({ token }).length === 1, 'the phone gets a notification');
    expect(sim.received({ token })[0]).toMatchObject({ body: 'dinner at eight' });
    await sam.chat.sendMessage({ receiver: 'u-ann', body: text('and bring wine') });
    await waitFor(() => sim.received({ token }).length === 2, 'the second notification');

    ann.setAppShown(true);
    await waitFor(
      async () => (await s.pushline.sessions.instancesOf(s.app.sdkAppId, ['u-ann']))[0]?.state === 'Online',
      'back in the foreground: Online',
    );
    const live = ann.messages.length;
    await sam.chat.sendMessage({ receiver: 'u-ann', body: text('see you') });
    await waitFor(() => ann.messages.length === live + 1, 'delivered live again');
    // Give a wrongly queued push the time to arrive: none does.
    await new Promise((r) => setTimeout(r, 500));
    expect(sim.received({ token })).toHaveLength(2);

    // Logging out removes the binding, as for @pushline/sdk.
    await ann.chat.logout();
    expect(await s.pushline.bindings.of(s.app.sdkAppId, 'u-ann')).toEqual([]);
    await sam.chat.logout();
  });
});
