// Tencent's own client SDK, `@tencentcloud/chat` (unmodified, pinned), against a real Pushline server
// through its `proxyServer` option: it logs in with a UserSig, exchanges messages with other Tencent-SDK
// users and with `@pushline/sdk` users, catches up after a reconnect and is kicked by a second login.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn, waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { cutConnection, type TencentClient, tencentLoggedIn, textOf } from '../helpers/tencent-sdk.js';

const backends = await testBackends();
const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];

describe.each(backends)('@tencentcloud/chat on %s', (backend) => {
  let s: TestServer;
  const clients: TencentClient[] = [];
  const tencent = async (userId: string) => {
    const c = await tencentLoggedIn(s, userId);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    s = await startTestServer({ backend });
    const imported = await s.v4('im_open_login_svc/multiaccount_import', {
      Accounts: ['t-erin', 't-frank', 'p-gina'],
    });
    expect(imported).toMatchObject({ ErrorCode: 0 });
  });
  afterAll(async () => {
    for (const c of clients) await c.destroy();
    await s?.close();
  });

  it('two users log in and exchange C2C messages', async () => {
    const alice = await tencent('t-alice');
    const bob = await tencent('t-bob');
    await waitFor(() => alice.ready && bob.ready, 'both SDKs ready');
    const T = alice.TencentCloudChat;
    const hi = alice.chat.createTextMessage({
      to: 't-bob',
      conversationType: T.TYPES.CONV_C2C,
      payload: { text: 'hi bob' },
    });
    const sent = await alice.chat.sendMessage(hi);
    expect(sent.data.message).toMatchObject({ to: 't-bob', from: 't-alice' });
    await waitFor(() => bob.messages.length === 1, 'bob receives it');
    expect(bob.messages[0]).toMatchObject({ from: 't-alice', conversationID: 'C2Ct-alice', flow: 'in' });
    expect(textOf(bob.messages[0]!)).toBe('hi bob');

    const custom = bob.chat.createCustomMessage({
      to: 't-alice',
      conversationType: T.TYPES.CONV_C2C,
      payload: { data: '{"kind":"poke"}', description: 'poke', extension: 'x' },
    });
    await bob.chat.sendMessage(custom);
    await waitFor(() => alice.messages.length === 1, 'alice receives the custom message');
    expect(alice.messages[0]).toMatchObject({ type: T.TYPES.MSG_CUSTOM, from: 't-bob' });
    expect(alice.messages[0]!.payload).toMatchObject({ data: '{"kind":"poke"}', description: 'poke' });

    await alice.chat.logout();
    const [instance] = await s.pushline.sessions.instancesOf(s.app.sdkAppId, ['t-alice']);
    expect(instance?.state).toBe('Offline');
  });

  it('the conversation list, and mark read reaching the unread counts of Pushline', async () => {
    const lena = await tencent('t-lena');
    const mo = await loggedIn(s, 'p-mo', { instanceID: 'mo-phone' });
    await waitFor(() => lena.ready, 'lena ready');
    await mo.chat.sendMessage({ receiver: 't-lena', body: text('one') });
    await mo.chat.sendMessage({ receiver: 't-lena', body: text('two') });
    await waitFor(() => lena.messages.length === 2, 'lena gets both');
    expect(await s.pushline.inbox.totalUnread(s.app.sdkAppId, 't-lena')).toBe(2);
    const { data } = await lena.chat.getConversationList();
    expect(data.conversationList.map((c: { conversationID: string }) => c.conversationID)).toContain(
      'C2Cp-mo',
    );

    await lena.chat.setMessageRead({ conversationID: 'C2Cp-mo' });
    expect(await s.pushline.inbox.totalUnread(s.app.sdkAppId, 't-lena')).toBe(0);
    // The @pushline/sdk side sees the same state: Mo's own list has the conversation, Lena's count is 0.
    const other = await loggedIn(s, 't-lena', { instanceID: 'lena-tablet', platform: 'iPad' });
    expect(await other.chat.getTotalUnreadMessageCount()).toBe(0);
    await other.chat.logout();
    await mo.chat.logout();
  });

  it('a mixed chat: @tencentcloud/chat and @pushline/sdk users talk both ways', async () => {
    const carol = await tencent('t-carol');
    const dave = await loggedIn(s, 'p-dave', { instanceID: 'dave-phone' });
    await waitFor(() => carol.ready, 'carol ready');
    const T = carol.TencentCloudChat;
    await carol.chat.sendMessage(
      carol.chat.createTextMessage({
        to: 'p-dave',
        conversationType: T.TYPES.CONV_C2C,
        payload: { text: 'from tencent' },
      }),
    );
    await waitFor(() => dave.messages.length === 1, 'the Pushline SDK user receives it');
    expect(dave.messages[0]).toMatchObject({ from: 't-carol' });
    expect(dave.messages[0]!.body).toEqual(text('from tencent'));

    await dave.chat.sendMessage({ receiver: 't-carol', body: text('from pushline') });
    await waitFor(() => carol.messages.length === 1, 'the Tencent SDK user receives it');
    expect(carol.messages[0]).toMatchObject({ from: 'p-dave', conversationID: 'C2Cp-dave' });
    expect(textOf(carol.messages[0]!)).toBe('from pushline');
    await dave.chat.logout();
  });

  it('a group message reaches Tencent-SDK and @pushline/sdk members, both ways', async () => {
    const created = await s.v4('group_open_http_svc/create_group', {
      Owner_Account: 't-erin',
      Type: 'Work',
      Name: 'Mixed',
      MemberList: [{ Member_Account: 't-frank' }, { Member_Account: 'p-gina' }],
    });
    expect(created).toMatchObject({ ErrorCode: 0 });
    const groupID = String(created.GroupId);
    const erin = await tencent('t-erin');
    const frank = await tencent('t-frank');
    const gina = await loggedIn(s, 'p-gina', { instanceID: 'gina-phone' });
    await waitFor(() => erin.ready && frank.ready, 'both SDKs ready');
    const T = erin.TencentCloudChat;
    const { data } = await erin.chat.getGroupList();
    expect(data.groupList.map((g: { groupID: string }) => g.groupID)).toEqual([groupID]);

    await erin.chat.sendMessage(
      erin.chat.createTextMessage({
        to: groupID,
        conversationType: T.TYPES.CONV_GROUP,
        payload: { text: 'hello all' },
      }),
    );
    await waitFor(() => frank.messages.length === 1, 'the other Tencent-SDK member gets it');
    expect(frank.messages[0]).toMatchObject({
      from: 't-erin',
      to: groupID,
      conversationID: `GROUP${groupID}`,
    });
    expect(textOf(frank.messages[0]!)).toBe('hello all');
    await waitFor(() => gina.messages.length === 1, 'the Pushline SDK member gets it');
    expect(gina.messages[0]).toMatchObject({ from: 't-erin', groupId: groupID, body: text('hello all') });

    await gina.chat.sendMessage({ groupId: groupID, body: text('hi from pushline') });
    await waitFor(
      () => erin.messages.length === 1 && frank.messages.length === 2,
      'both Tencent members get it',
    );
    expect(textOf(erin.messages[0]!)).toBe('hi from pushline');
    expect(erin.messages[0]).toMatchObject({ from: 'p-gina', conversationID: `GROUP${groupID}` });

    // Frank loses his connection; a group message sent meanwhile comes with his catch-up.
    const [frankInstance] = await s.pushline.sessions.instancesOf(s.app.sdkAppId, ['t-frank']);
    expect(cutConnection(frankInstance!.instanceId)).toBe(1);
    await waitFor(async () => {
      const [i] = await s.pushline.sessions.instancesOf(s.app.sdkAppId, ['t-frank']);
      return i?.state === 'Offline';
    }, 'the server saw frank go');
    await gina.chat.sendMessage({ groupId: groupID, body: text('while frank was away') });
    await waitFor(() => frank.messages.length === 3, 'frank catches up the group message', 30_000);
    expect(frank.messages.map(textOf)).toEqual(['hello all', 'hi from pushline', 'while frank was away']);
    await gina.chat.logout();
  });

  it('a client that lost its connection reconnects with its a2 and catches up, nothing twice', async () => {
    const hank = await tencent('t-hank');
    const ivy = await loggedIn(s, 'p-ivy', { instanceID: 'ivy-phone' });
    await waitFor(() => hank.ready, 'hank ready');
    await ivy.chat.sendMessage({ receiver: 't-hank', body: text('before') });
    await waitFor(() => hank.messages.length === 1, 'hank gets the first one live');

    const [instance] = await s.pushline.sessions.instancesOf(s.app.sdkAppId, ['t-hank']);
    expect(instance).toMatchObject({ platform: 'Web', state: 'Online' });
    expect(cutConnection(instance!.instanceId)).toBe(1);
    await waitFor(async () => {
      const [i] = await s.pushline.sessions.instancesOf(s.app.sdkAppId, ['t-hank']);
      return i?.state === 'Offline';
    }, 'the server saw the socket go');
    await ivy.chat.sendMessage({ receiver: 't-hank', body: text('while away 1') });
    await ivy.chat.sendMessage({ receiver: 't-hank', body: text('while away 2') });

    await waitFor(() => hank.messages.length === 3, 'hank catches up after reconnecting', 30_000);
    expect(hank.messages.map(textOf)).toEqual(['before', 'while away 1', 'while away 2']);
    const [again] = await s.pushline.sessions.instancesOf(s.app.sdkAppId, ['t-hank']);
    expect(again).toMatchObject({ instanceId: instance!.instanceId, state: 'Online' });
    await ivy.chat.sendMessage({ receiver: 't-hank', body: text('after') });
    await waitFor(() => hank.messages.length === 4, 'and gets live messages again');
    expect(hank.messages.map(textOf)).toEqual(['before', 'while away 1', 'while away 2', 'after']);
    await ivy.chat.logout();
  });

  it('a second login beyond the login policy kicks the first', async () => {
    await s.pushline.apps.updateSettings(s.app.sdkAppId, {
      loginPolicy: { mode: 'multi', maxWeb: 1 },
    } as never);
    try {
      const first = await tencent('t-jack');
      await waitFor(() => first.ready, 'first ready');
      const second = await tencent('t-jack');
      await waitFor(() => first.kicked.length === 1, 'the first is kicked');
      expect(first.kicked).toEqual([first.TencentCloudChat.TYPES.KICKED_OUT_MULT_ACCOUNT]);
      expect(second.kicked).toEqual([]);
      const instances = await s.pushline.sessions.instancesOf(s.app.sdkAppId, ['t-jack']);
      expect(instances.filter((i) => i.state === 'Online')).toHaveLength(1);
      // The second one still works.
      const kim = await loggedIn(s, 'p-kim', { instanceID: 'kim-phone' });
      await kim.chat.sendMessage({ receiver: 't-jack', body: text('which one?') });
      await waitFor(() => second.messages.length === 1, 'the second gets it');
      expect(first.messages).toEqual([]);
      await kim.chat.logout();
    } finally {
      await s.pushline.apps.updateSettings(s.app.sdkAppId, { loginPolicy: { mode: 'multi' } } as never);
    }
  });

  it('an admin kick through the REST API ends the session: REST_API_Kick', async () => {
    const nina = await tencent('t-nina');
    await waitFor(() => nina.ready, 'nina ready');
    expect(await s.v4('im_open_login_svc/kick', { UserID: 't-nina' })).toMatchObject({ ErrorCode: 0 });
    await waitFor(() => nina.kicked.length === 1, 'nina is kicked');
    expect(nina.kicked).toEqual([nina.TencentCloudChat.TYPES.KICKED_OUT_REST_API]);
    const [instance] = await s.pushline.sessions.instancesOf(s.app.sdkAppId, ['t-nina']);
    expect(instance?.state).toBe('Offline');
  });
});
