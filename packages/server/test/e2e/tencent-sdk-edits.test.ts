// modifyMessage with `@tencentcloud/chat` (unmodified) on Pushline: a Tencent-SDK user edits its C2C and
// group messages and the Tencent-SDK and `@pushline/sdk` holders are told (MESSAGE_MODIFIED /
// onRecvMessageModified); an edit made through the REST API reaches a Tencent-SDK receiver as
// MESSAGE_MODIFIED. One edit implementation (messaging/history.ts) for every door. Edits count in the
// message's version: an edit from a version that is no longer the message's is refused as a conflict.
import type { ModifiedMessage } from '@pushline/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn, waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { type TencentClient, tencentLoggedIn } from '../helpers/tencent-sdk.js';

const backends = await testBackends();

interface ChatMessage {
  ID: string;
  payload: { text?: string };
  [key: string]: unknown;
}

describe.each(backends)('@tencentcloud/chat message edits on %s', (backend) => {
  let s: TestServer;
  const clients: TencentClient[] = [];

  beforeAll(async () => {
    s = await startTestServer({ backend });
    await s.v4('im_open_login_svc/multiaccount_import', {
      Accounts: ['t-kim', 't-lee', 'p-max', 't-ann', 't-bob'],
    });
    await s.v4('group_open_http_svc/create_group', {
      Owner_Account: 't-kim',
      Type: 'Work',
      GroupId: 'desk',
      Name: 'Desk',
      MemberList: [{ Member_Account: 't-lee' }, { Member_Account: 'p-max' }],
    });
  });
  afterAll(async () => {
    for (const c of clients) await c.destroy();
    await s?.close();
  });

  it('edits from the Tencent SDK reach both SDKs; REST edits reach the Tencent SDK', async () => {
    const kim = await tencentLoggedIn(s, 't-kim');
    const lee = await tencentLoggedIn(s, 't-lee');
    clients.push(kim, lee);
    const max = await loggedIn(s, 'p-max');
    const maxEdits: ModifiedMessage[] = [];
    max.chat.addListener({ onRecvMessageModified: (m) => maxEdits.push(m) });
    const T = kim.TencentCloudChat;
    const leeEdits: ChatMessage[] = [];
    lee.chat.on(T.EVENT.MESSAGE_MODIFIED, (e: { data: ChatMessage[] }) => leeEdits.push(...e.data));
    await waitFor(() => kim.ready && lee.ready, 'ready');

    // C2C, Tencent SDK → Tencent SDK.
    const sent = (
      await kim.chat.sendMessage(
        kim.chat.createTextMessage({
          to: 't-lee',
          conversationType: T.TYPES.CONV_C2C,
          payload: { text: 'helo' },
        }),
      )
    ).data.message as ChatMessage;
    await waitFor(() => lee.messages.length === 1, 'lee receives it');
    sent.payload.text = 'hello';
    const edited = await kim.chat.modifyMessage(sent);
    expect(edited.data.message.payload.text).toBe('hello');
    await waitFor(() => leeEdits.length === 1, 'lee is told of the edit');
    expect(leeEdits[0]).toMatchObject({ ID: lee.messages[0]!.ID, payload: { text: 'hello' } });
    // The stored message changed: history on either side has the new text.
    const history = await s.v4('openim/admin_getroammsg', {
      Operator_Account: 't-kim',
      Peer_Account: 't-lee',
      MaxCnt: 10,
      MinTime: 0,
      MaxTime: 4_294_967_295,
    });
    expect(JSON.stringify(history.MsgList)).toContain('hello');
    expect(JSON.stringify(history.MsgList)).not.toContain('helo"');

    // Group: the Tencent-SDK sender edits; the Tencent-SDK and @pushline/sdk members are told.
    const inGroup = (
      await kim.chat.sendMessage(
        kim.chat.createTextMessage({
          to: 'desk',
          conversationType: T.TYPES.CONV_GROUP,
          payload: { text: 'v1' },
        }),
      )
    ).data.message as ChatMessage;
    await waitFor(() => max.messages.length === 1 && lee.messages.length === 2, 'the group message arrives');
    inGroup.payload.text = 'v2';
    await kim.chat.modifyMessage(inGroup);
    await waitFor(() => leeEdits.length === 2 && maxEdits.length === 1, 'both members are told');
    expect(leeEdits[1]).toMatchObject({ ID: lee.messages[1]!.ID, payload: { text: 'v2' } });
    expect(maxEdits[0]).toMatchObject({
      conversationID: 'group_desk',
      msgKey: max.messages[0]!.msgKey,
      body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'v2' } }],
    });

    // An edit made elsewhere (REST, as the app's backend would) reaches the Tencent SDK.
    const fromMax = await max.chat.sendMessage({
      receiver: 't-lee',
      body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'draft' } }],
    });
    await waitFor(() => lee.messages.length === 3, 'lee receives max’s message');
    expect(
      await s.v4('openim/modify_c2c_msg', {
        From_Account: 'p-max',
        To_Account: 't-lee',
        MsgKey: fromMax.msgKey,
        MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'final' } }],
      }),
    ).toMatchObject({ ErrorCode: 0 });
    await waitFor(() => leeEdits.length === 3, 'lee is told of the REST edit');
    expect(leeEdits[2]).toMatchObject({ ID: lee.messages[2]!.ID, payload: { text: 'final' } });

    // Someone else's conversation cannot be edited.
    const foreign = await kim.chat
      .modifyMessage({ ...lee.messages[2]!, from: 'p-max', to: 't-lee' })
      .catch((e: { code: number }) => e);
    expect(foreign.code).toBeGreaterThan(0);
    await max.chat.logout();
  });

  it('counts edits in versions and refuses an edit from a stale version with the current message', async () => {
    const ann = await tencentLoggedIn(s, 't-ann');
    const bob = await tencentLoggedIn(s, 't-bob');
    clients.push(ann, bob);
    const T = ann.TencentCloudChat;
    const bobEdits: ChatMessage[] = [];
    bob.chat.on(T.EVENT.MESSAGE_MODIFIED, (e: { data: ChatMessage[] }) => bobEdits.push(...e.data));
    await waitFor(() => ann.ready && bob.ready, 'ready');

    const sent = (
      await ann.chat.sendMessage(
        ann.chat.createTextMessage({
          to: 't-bob',
          conversationType: T.TYPES.CONV_C2C,
          payload: { text: 'a' },
        }),
      )
    ).data.message as ChatMessage;
    await waitFor(() => bob.messages.length === 1, 'bob receives it');
    expect(sent.version).toBe(0);
    const atBob = bob.messages[0] as unknown as ChatMessage;
    expect(atBob.version).toBe(0);

    // A first edit: version 0 → 1, on the answer and on the notice.
    sent.payload.text = 'b';
    const first = (await ann.chat.modifyMessage(sent)).data.message as ChatMessage;
    expect(first).toMatchObject({ payload: { text: 'b' }, version: 1, isModified: true });
    await waitFor(() => bobEdits.length === 1, 'bob is told of the first edit');
    expect(bobEdits[0]).toMatchObject({ ID: atBob.ID, payload: { text: 'b' }, version: 1 });

    // Both edit from version 1 at once: exactly one edit applies, the other is Tencent's conflict carrying
    // the server's message, which that SDK takes over.
    sent.payload.text = 'by ann';
    (atBob.payload as { text: string }).text = 'by bob';
    const outcomes = await Promise.allSettled([ann.chat.modifyMessage(sent), bob.chat.modifyMessage(atBob)]);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const winner = (won[0] as PromiseFulfilledResult<{ data: { message: ChatMessage } }>).value.data.message;
    expect(winner.version).toBe(2);
    const conflict = lost[0]!.reason as { code: number; data: { message: ChatMessage } };
    expect(conflict.code).toBe(2480);
    expect(conflict.data.message).toMatchObject({ version: 2, payload: { text: winner.payload.text } });

    // The stored message and both SDKs' histories say version 2 with the winner's text.
    const roam = await s.v4('openim/admin_getroammsg', {
      Operator_Account: 't-ann',
      Peer_Account: 't-bob',
      MaxCnt: 10,
      MinTime: 0,
      MaxTime: 4_294_967_295,
    });
    expect(JSON.stringify(roam.MsgList)).toContain(winner.payload.text!);

    // A REST edit (no version: it always applies) moves the message on to version 3; an SDK edit from a copy
    // taken before it, at version 2, conflicts and the answer carries the REST text and version 3.
    const stale = { ...sent };
    expect(stale.version).toBe(2);
    expect(
      await s.v4('openim/modify_c2c_msg', {
        From_Account: 't-ann',
        To_Account: 't-bob',
        MsgKey: (roam.MsgList as { MsgKey: string }[])[0]!.MsgKey,
        MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'from the backend' } }],
      }),
    ).toMatchObject({ ErrorCode: 0 });
    await waitFor(
      () => bobEdits.some((m) => m.version === 3 && m.payload.text === 'from the backend'),
      'bob is told of the REST edit at version 3',
    );
    await waitFor(() => sent.version === 3, 'ann’s own copy takes the REST edit');
    stale.payload.text = 'too late';
    const refused = await ann.chat.modifyMessage(stale).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      code: 2480,
      data: { message: { version: 3, payload: { text: 'from the backend' } } },
    });
    // Editing from the current version works again.
    sent.payload.text = 'mine again';
    const next = (await ann.chat.modifyMessage(sent)).data.message as ChatMessage;
    expect(next).toMatchObject({ version: 4, payload: { text: 'mine again' } });

    // A fresh login reads the version from history.
    await bob.destroy();
    clients.splice(clients.indexOf(bob), 1);
    const bob2 = await tencentLoggedIn(s, 't-bob');
    clients.push(bob2);
    await waitFor(() => bob2.ready, 'bob logs in again');
    const list = await bob2.chat.getMessageList({ conversationID: 'C2Ct-ann' });
    const again = (list.data.messageList as ChatMessage[]).find((m) => m.ID === atBob.ID);
    expect(again).toMatchObject({ version: 4, isModified: true, payload: { text: 'mine again' } });
  });
});
