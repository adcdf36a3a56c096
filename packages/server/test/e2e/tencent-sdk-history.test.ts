// getMessageList of Tencent's own SDK (`@tencentcloud/chat`, unmodified) pages back through a conversation's
// history on Pushline (`openim.getroammsg`, `group_open_http_svc.group_msg_get`): every message once, in
// order — those the running SDK already has (it sent them or received them live) are recognised, not shown
// twice — and a freshly started SDK reads the same history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn, waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { type TencentClient, type TencentMessage, tencentLoggedIn, textOf } from '../helpers/tencent-sdk.js';

const backends = await testBackends();
const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];

/** Every page of getMessageList, oldest message first. */
async function wholeHistory(c: TencentClient, conversationID: string): Promise<TencentMessage[]> {
  const pages: TencentMessage[][] = [];
  let nextReqMessageID: string | undefined;
  for (let i = 0; i < 20; i++) {
    const { data } = await c.chat.getMessageList({ conversationID, nextReqMessageID });
    pages.unshift(data.messageList);
    if (data.isCompleted) return pages.flat();
    nextReqMessageID = data.nextReqMessageID;
  }
  throw new Error('getMessageList never completed');
}

describe.each(backends)('@tencentcloud/chat history on %s', (backend) => {
  let s: TestServer;
  const clients: TencentClient[] = [];
  const tencent = async (userId: string) => {
    const c = await tencentLoggedIn(s, userId);
    clients.push(c);
    await waitFor(() => c.ready, `${userId} ready`);
    return c;
  };

  beforeAll(async () => {
    s = await startTestServer({ backend });
    await s.v4('im_open_login_svc/multiaccount_import', { Accounts: ['t-olive', 't-quinn', 'p-paul'] });
  });
  afterAll(async () => {
    for (const c of clients) await c.destroy();
    await s?.close();
  });

  it('C2C: pages of 15 back to the first message, nothing twice, sent ones as flow out', async () => {
    const olive = await tencent('t-olive');
    const paul = await loggedIn(s, 'p-paul', { instanceID: 'paul-phone' });
    const T = olive.TencentCloudChat;
    const sent: string[] = [];
    for (let i = 1; i <= 32; i++) {
      const words = `message ${i}`;
      sent.push(words);
      if (i % 2 === 1) {
        await olive.chat.sendMessage(
          olive.chat.createTextMessage({
            to: 'p-paul',
            conversationType: T.TYPES.CONV_C2C,
            payload: { text: words },
          }),
        );
      } else {
        await paul.chat.sendMessage({ receiver: 't-olive', body: text(words) });
        await waitFor(() => olive.messages.length === i / 2, 'olive receives it live');
      }
    }
    const history = await wholeHistory(olive, 'C2Cp-paul');
    expect(history.map(textOf)).toEqual(sent);
    expect(new Set(history.map((m) => m.ID)).size).toBe(32);
    expect(history.map((m) => m.flow)).toEqual(sent.map((_, i) => (i % 2 === 0 ? 'out' : 'in')));

    // The same user on a second device, starting with an empty cache, reads the same history.
    const again = await tencent('t-olive');
    const fresh = await wholeHistory(again, 'C2Cp-paul');
    expect(fresh.map(textOf)).toEqual(sent);
    expect(fresh.map((m) => m.ID)).toEqual(history.map((m) => m.ID));
    await paul.chat.logout();
  });

  it('groups: pages back through MsgSeq, nothing twice, for a member who received them live', async () => {
    const created = await s.v4('group_open_http_svc/create_group', {
      Owner_Account: 't-quinn',
      Type: 'Work',
      Name: 'History',
      MemberList: [{ Member_Account: 't-olive' }, { Member_Account: 'p-paul' }],
    });
    const groupID = String(created.GroupId);
    const quinn = await tencent('t-quinn');
    const paul = await loggedIn(s, 'p-paul', { instanceID: 'paul-tablet' });
    const T = quinn.TencentCloudChat;
    const sent: string[] = [];
    let fromPaul = 0;
    for (let i = 1; i <= 45; i++) {
      const words = `group message ${i}`;
      sent.push(words);
      if (i % 3 === 0) {
        // The SDK lists a conversation's messages in the order they reached it: Paul's must have arrived live
        // before Quinn sends the next one, or her own message would precede his in her list.
        await waitFor(() => quinn.messages.length === fromPaul, 'quinn receives paul’s messages live');
        await quinn.chat.sendMessage(
          quinn.chat.createTextMessage({
            to: groupID,
            conversationType: T.TYPES.CONV_GROUP,
            payload: { text: words },
          }),
        );
      } else {
        await paul.chat.sendMessage({ groupId: groupID, body: text(words) });
        fromPaul++;
      }
    }
    await waitFor(() => quinn.messages.length === 30, 'quinn receives the others live');
    const history = await wholeHistory(quinn, `GROUP${groupID}`);
    expect(history.map(textOf)).toEqual(sent);
    expect(new Set(history.map((m) => m.ID)).size).toBe(45);

    const olive = await tencent('t-olive');
    const fresh = await wholeHistory(olive, `GROUP${groupID}`);
    expect(fresh.map(textOf)).toEqual(sent);
    expect(fresh.map((m) => m.ID)).toEqual(history.map((m) => m.ID));
    await paul.chat.logout();
  });
});
