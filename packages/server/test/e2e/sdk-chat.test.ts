// The whole story with two real SDK clients: chat, go to the background, come back, see the right unread
// counts; and a connection lost mid-conversation resumes without losing or repeating messages.
import { generateServiceAccount, type Simulators } from '@pushline/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn, sdkClient, userSigFor, waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { simConfig, startSims } from '../helpers/simulators.js';

const backends = await testBackends();
const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];
const texts = (list: { body: { MsgContent: Record<string, unknown> }[] }[]) =>
  list.map((m) => m.body[0]?.MsgContent.Text);

describe.each(backends)('two SDK clients on %s', (backend) => {
  let s: TestServer;
  let sim: Simulators;
  let offset = 0;
  let fcmCert: number;
  // Real simulator devices: the pushes of the background phases go through the FCM simulator.
  const phoneToken = () => sim.devices.install('fcm', { app: 'pushline-sdk-chat' }).token;

  beforeAll(async () => {
    sim = await startSims({ vendors: ['fcm'] });
    s = await startTestServer({
      backend,
      config: simConfig(sim),
      create: { clock: () => Date.now() + offset, gateway: { sweepIntervalMs: 0 } },
    });
    const sa = generateServiceAccount('pushline-sdk-chat');
    sim.registerServiceAccount({ serviceAccount: sa });
    fcmCert = (
      await s.pushline.certificateService.add(s.app.sdkAppId, {
        vendor: 'fcm',
        serviceAccount: JSON.stringify(sa),
      })
    ).id;
  });
  afterAll(async () => {
    await s?.close();
    await sim?.stop();
  });

  it('chat, background, come back, read', async () => {
    const ann = await loggedIn(s, 'ann', { instanceID: 'ann-phone', platform: 'Android' });
    const ben = await loggedIn(s, 'ben', { instanceID: 'ben-phone', platform: 'Android' });
    const benToken = phoneToken();
    await ben.chat.setOfflinePushConfig({ businessID: fcmCert, token: benToken });

    await ann.chat.sendMessage({ receiver: 'ben', body: text('lunch?') });
    await waitFor(() => ben.messages.length === 1, 'ben gets it live');
    await ben.chat.markConversationRead('c2c_ann');
    await ben.chat.sendMessage({ receiver: 'ann', body: text('sure') });
    await waitFor(() => ann.messages.length === 1, 'ann gets the answer');

    // Ben's app goes to the background: still connected, but now PushOnline with his badge base.
    await ben.chat.doBackground(0);
    const [target] = await s.pushline.sessions.pushTargets(s.app.sdkAppId, ['ben']);
    expect(target).toMatchObject({ state: 'PushOnline', badgeBase: 0 });
    expect(target?.bindings).toHaveLength(1);
    await ann.chat.sendMessage({ receiver: 'ben', body: text('12:30?') });
    await ann.chat.sendMessage({ receiver: 'ben', body: text('at the corner') });
    await waitFor(() => sim.received({ token: benToken }).length === 2, 'both pushed to his phone');

    // Back in front: the counts are right and reading resets them.
    await ben.chat.doForeground();
    await waitFor(() => ben.messages.length === 3, 'ben has all three');
    await waitFor(() => ben.totals.includes(2), 'live badge count');
    const { conversations, totalUnread } = await ben.chat.getConversationList();
    expect(totalUnread).toBe(2);
    expect(conversations.find((c) => c.conversationID === 'c2c_ann')).toMatchObject({
      unreadCount: 2,
      lastMessage: { body: text('at the corner') },
    });
    expect((await ann.chat.getConversationList()).totalUnread).toBe(1);
    expect(await ben.chat.markConversationRead('c2c_ann')).toBe(0);
    expect(await ben.chat.getTotalUnreadMessageCount()).toBe(0);
    const history = await ann.chat.getMessageList({ conversationID: 'c2c_ben' });
    expect(texts(history)).toEqual(['at the corner', '12:30?', 'sure', 'lunch?']);
    await ann.chat.logout();
    await ben.chat.logout();
  });

  it('a connection lost mid-conversation resumes without losing or repeating messages', async () => {
    const cat = await loggedIn(s, 'cat', { instanceID: 'cat-phone' });
    const dan = await loggedIn(s, 'dan', { instanceID: 'dan-phone' });
    await dan.chat.sendMessage({ receiver: 'cat', body: text('one') });
    await waitFor(() => cat.messages.length === 1, 'first');
    // Let cat's acknowledgement land first: it counts as activity.
    await waitFor(
      async () =>
        (await s.pushline.sessions.get(s.app.sdkAppId, 'cat', 'cat-phone'))?.ackedSeq ===
        cat.chat.getLastSeq(),
      'ack stored',
    );

    // Both go silent past the heartbeat timeout; the server drops them. Messages sent meanwhile are kept.
    offset += 5 * 60_000;
    await s.v4('im_open_login_svc/account_import', { UserID: 'eve' });
    const seen = cat.events.length;
    await s.pushline.gateway.sweep();
    await waitFor(() => cat.events.slice(seen).includes('state:reconnecting'), 'cat dropped');
    for (const t of ['two', 'three']) {
      await s.v4('openim/sendmsg', {
        From_Account: 'eve',
        To_Account: 'cat',
        MsgRandom: Math.floor(Math.random() * 1e9),
        MsgBody: text(t),
      });
    }
    await waitFor(
      () => cat.chat.getConnectionState() === 'connected' && dan.chat.getConnectionState() === 'connected',
      'both back',
    );
    await dan.chat.sendMessage({ receiver: 'cat', body: text('four') });
    await waitFor(() => cat.messages.length === 4, 'all four');
    await new Promise((r) => setTimeout(r, 100));
    expect(texts(cat.messages)).toEqual(['one', 'two', 'three', 'four']);
    expect(await cat.chat.getTotalUnreadMessageCount()).toBe(4);
    await cat.chat.logout();
    await dan.chat.logout();
  });

  it('logout while the connection is down still reaches the server and removes the binding', async () => {
    const c = sdkClient(s, { reconnectMinDelayMs: 60_000 });
    await c.chat.login({
      userID: 'fay',
      userSig: userSigFor(s, 'fay'),
      platform: 'Android',
      instanceID: 'fay-1',
    });
    await c.chat.setOfflinePushConfig({ businessID: fcmCert, token: phoneToken() });
    offset += 5 * 60_000;
    await s.pushline.gateway.sweep();
    await waitFor(() => c.chat.getConnectionState() === 'reconnecting', 'dropped, waiting to reconnect');
    await waitFor(
      async () => (await s.pushline.sessions.instancesOf(s.app.sdkAppId, ['fay']))[0]?.state === 'PushOnline',
      'PushOnline while away',
    );
    await c.chat.logout();
    await s.pushline.gateway.settled();
    expect((await s.pushline.sessions.instancesOf(s.app.sdkAppId, ['fay']))[0]?.state).toBe('Offline');
    expect(await s.pushline.bindings.of(s.app.sdkAppId, 'fay')).toEqual([]);
    expect(c.chat.getLoginStatus()).toBe(3);
  });
});
