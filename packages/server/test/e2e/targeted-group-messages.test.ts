// Targeted group messages (send_group_msg `To_Account`, the SDK's `receiverList`): only the members named
// receive the message — live, in their history after a reconnect and as a push — and the other members never
// see it. It does not count as unread. What cannot be targeted is refused with Tencent's 10004, and TopicId
// (Community topics, which Pushline does not have) is refused instead of being ignored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn, waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { backgroundPhone, type PushWorld, random, startPushWorld, text } from '../helpers/push-e2e.js';

const backends = await testBackends();
const G = 'group_open_http_svc';

describe.each(backends)('targeted group messages on %s', (backend) => {
  let w: PushWorld;

  beforeAll(async () => {
    w = await startPushWorld(backend);
    const users = ['boss', 'amy', 'bo', 'cid', 'dee'];
    await w.s.v4('im_open_login_svc/multiaccount_import', {
      AccountList: users.map((UserID) => ({ UserID })),
    });
    const created = await w.s.v4(`${G}/create_group`, {
      Owner_Account: 'boss',
      Type: 'Work',
      GroupId: 'staff',
      Name: 'Staff',
      MemberList: ['amy', 'bo', 'cid'].map((Member_Account) => ({ Member_Account })),
    });
    expect(created).toMatchObject({ ErrorCode: 0 });
    const room = await w.s.v4(`${G}/create_group`, {
      Owner_Account: 'boss',
      Type: 'AVChatRoom',
      GroupId: 'stage',
      Name: 'Stage',
    });
    expect(room).toMatchObject({ ErrorCode: 0 });
  });
  afterAll(async () => {
    await w?.close();
  });

  const texts = (messages: { body: { MsgType: string; MsgContent: { Text?: string } }[] }[]) =>
    messages.map((m) => m.body[0]?.MsgContent.Text);

  it('reaches only the members named: live, in history and as a push', async () => {
    const amy = await loggedIn(w.s, 'amy');
    const bo = await loggedIn(w.s, 'bo');
    const cidPhone = await backgroundPhone(w, 'cid', 'apns');
    const boPhone = await backgroundPhone(w, 'bo', 'fcm', 0, 'bo-phone');

    const secret = await w.s.v4(`${G}/send_group_msg`, {
      GroupId: 'staff',
      From_Account: 'boss',
      Random: random(),
      MsgBody: text('raise for cid'),
      To_Account: ['cid'],
    });
    expect(secret).toMatchObject({ ErrorCode: 0 });
    const everyone = await w.s.v4(`${G}/send_group_msg`, {
      GroupId: 'staff',
      From_Account: 'boss',
      Random: random(),
      MsgBody: text('all hands at 3'),
    });
    expect(everyone).toMatchObject({ ErrorCode: 0 });

    // Live: amy and bo get the message for everyone and nothing else.
    await waitFor(() => amy.messages.length >= 1 && bo.messages.length >= 1, 'the group message live');
    expect(texts(amy.messages)).toEqual(['all hands at 3']);
    expect(texts(bo.messages)).toEqual(['all hands at 3']);
    // Push: cid's phone gets the targeted one; bo's phone only the message for everyone.
    const cidPush = await waitFor(
      () => w.sim.received({ token: cidPhone.token }).find((p) => p.body?.includes('raise for cid')),
      "cid's push",
    );
    expect(cidPush).toBeTruthy();
    await waitFor(() => w.sim.received({ token: boPhone.token }).length === 1, "bo's push");
    expect(w.sim.received({ token: boPhone.token }).map((p) => p.body)).toEqual([
      expect.stringContaining('all hands at 3'),
    ]);
    // History, also after a reconnect (sync from the inbox): cid has both, the others one.
    await cidPhone.client.chat.doForeground();
    const cidHistory = await cidPhone.client.chat.getMessageList({ conversationID: 'group_staff' });
    expect(texts(cidHistory).sort()).toEqual(['all hands at 3', 'raise for cid']);
    const amyHistory = await amy.chat.getMessageList({ conversationID: 'group_staff' });
    expect(texts(amyHistory)).toEqual(['all hands at 3']);
    await amy.chat.logout();
    const amyAgain = await loggedIn(w.s, 'amy');
    const amyLater = await amyAgain.chat.getMessageList({ conversationID: 'group_staff' });
    expect(texts(amyLater)).toEqual(['all hands at 3']);
    // Not counted as unread: cid's unread for the group is the message for everyone only.
    const conversations = await cidPhone.client.chat.getConversationList();
    expect(conversations.conversations.find((c) => c.conversationID === 'group_staff')?.unreadCount).toBe(1);
    await amyAgain.chat.logout();
    await bo.chat.logout();
    await cidPhone.client.chat.logout();
    await boPhone.client.chat.logout();
  });

  it('lets an SDK member send a targeted message with receiverList', async () => {
    const amy = await loggedIn(w.s, 'amy', { instanceID: 'amy-2' });
    const bo = await loggedIn(w.s, 'bo', { instanceID: 'bo-2' });
    const cid = await loggedIn(w.s, 'cid', { instanceID: 'cid-2' });
    await amy.chat.sendMessage({ groupID: 'staff', body: text('just for bo'), receiverList: ['bo'] });
    await amy.chat.sendMessage({ groupID: 'staff', body: text('for the team') });
    await waitFor(() => cid.messages.length >= 1 && bo.messages.length >= 2, 'the messages live');
    expect(texts(bo.messages)).toEqual(['just for bo', 'for the team']);
    expect(texts(cid.messages)).toEqual(['for the team']);
    await expect(
      amy.chat.sendMessage({ groupID: 'staff', body: text('x'), receiverList: ['dee'] }),
    ).rejects.toMatchObject({ code: 10004 });
    await amy.chat.logout();
    await bo.chat.logout();
    await cid.chat.logout();
  });

  it('refuses what cannot be targeted, and TopicId, with 10004', async () => {
    const send = (extra: Record<string, unknown>, group = 'staff') =>
      w.s.v4(`${G}/send_group_msg`, {
        GroupId: group,
        From_Account: 'boss',
        Random: random(),
        MsgBody: text('x'),
        ...extra,
      });
    const refusals: [Record<string, unknown>, RegExp, string?][] = [
      [{ To_Account: [] }, /at least one group member/],
      [{ To_Account: ['dee'] }, /not members of group "staff": dee/],
      [{ To_Account: ['nobody'] }, /not members of group "staff": nobody/],
      [{ To_Account: ['amy'], GroupAtInfo: [{ GroupAtAllFlag: 1 }] }, /cannot @-mention/],
      [{ To_Account: Array.from({ length: 501 }, (_, i) => `u${i}`) }, /at most 500/],
      [{ To_Account: ['amy'] }, /AVChatRoom groups have no targeted messages/, 'stage'],
      [{ TopicId: '@TGS#_@TGS#cIOPE4BOWO3G' }, /TopicId: Pushline has no Community topics/],
    ];
    for (const [extra, why, group] of refusals) {
      const r = await send(extra, group);
      expect(r, JSON.stringify(extra).slice(0, 80)).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 10004 });
      expect(r.ErrorInfo).toMatch(why);
    }
  });
});
