// C2C messages between real SDK clients and from the REST API: live delivery, storage and resume after
// reconnect, unread counts across devices, dedup, online-only messages, and every REST error code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommittedMessage, RecipientOutcome } from '../../src/index.js';
import { loggedIn, waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const backends = await testBackends();
const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];
const random = () => Math.floor(Math.random() * 4_000_000_000);

describe.each(backends)('C2C messaging on %s', (backend) => {
  let s: TestServer;
  const committed: { message: CommittedMessage; recipients: RecipientOutcome[] }[] = [];

  beforeAll(async () => {
    s = await startTestServer({ backend });
    s.pushline.messaging.onMessageCommitted((message, recipients) => {
      committed.push({ message, recipients });
    });
    await s.v4('im_open_login_svc/multiaccount_import', { Accounts: ['alice', 'bob', 'carol', 'dave'] });
  });
  afterAll(async () => {
    await s?.close();
  });

  it("two SDK clients chat; the sender's other device gets a copy, the sending device does not", async () => {
    const alice = await loggedIn(s, 'alice', { instanceID: 'alice-phone', platform: 'iPhone' });
    const alicePc = await loggedIn(s, 'alice', { instanceID: 'alice-pc', platform: 'PC' });
    const bob = await loggedIn(s, 'bob', { instanceID: 'bob-phone' });
    const sent = await alice.chat.sendMessage({
      receiver: 'bob',
      body: text('hi bob'),
      offlinePushInfo: { Title: 'Alice', Desc: 'hi bob' },
    });
    expect(sent.msgKey).toMatch(/^\d+_\d+_\d+$/);
    await waitFor(() => bob.messages.length === 1, 'bob receives');
    expect(bob.messages[0]).toMatchObject({
      conversationID: 'c2c_alice',
      from: 'alice',
      to: 'bob',
      body: text('hi bob'),
      msgKey: sent.msgKey,
      isSelf: false,
    });
    await waitFor(() => alicePc.messages.length === 1, 'alice PC gets a copy');
    expect(alicePc.messages[0]).toMatchObject({ conversationID: 'c2c_bob', isSelf: true });

    await bob.chat.sendMessage({ receiver: 'alice', body: text('hello alice') });
    await waitFor(() => alice.messages.length === 1, 'alice receives');
    expect(alice.messages.map((m) => m.from)).toEqual(['bob']); // not her own message
    const hook = committed.find((c) => c.message.msgKey === sent.msgKey);
    expect(hook?.message).toMatchObject({
      source: 'sdk',
      from: 'alice',
      to: 'bob',
      lifeTime: 604_800,
      senderInstanceId: 'alice-phone',
    });
    expect(hook?.message.offlinePushInfo).toMatchObject({ Desc: 'hi bob' });
    expect(hook?.recipients).toMatchObject([
      { userId: 'bob', conversationUnread: 1, totalUnread: 1, push: true },
    ]);
    for (const c of [alice, alicePc, bob]) await c.chat.logout();
  });

  it('stores messages for an offline device and delivers them once, in order, when it comes back', async () => {
    const carol = await loggedIn(s, 'carol', { instanceID: 'carol-phone' });
    await carol.chat.logout();
    for (const n of [1, 2, 3]) {
      const r = await s.v4('openim/sendmsg', {
        From_Account: 'dave',
        To_Account: 'carol',
        MsgRandom: random(),
        MsgBody: text(`m${n}`),
      });
      expect(r).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0 });
      expect(typeof r.MsgTime).toBe('number');
    }
    const back = await loggedIn(s, 'carol', { instanceID: 'carol-phone' });
    await waitFor(() => back.messages.length === 3, 'three synced');
    expect(back.messages.map((m) => m.body[0]?.MsgContent.Text)).toEqual(['m1', 'm2', 'm3']);
    // A new message while connected, then a reconnect (heartbeat-less drop) resumes without duplicates.
    await s.v4('openim/sendmsg', {
      From_Account: 'dave',
      To_Account: 'carol',
      MsgRandom: random(),
      MsgBody: text('m4'),
    });
    await waitFor(() => back.messages.length === 4, 'live');
    const lastSeq = back.chat.getLastSeq();
    await back.chat.logout();
    await s.v4('openim/sendmsg', {
      From_Account: 'dave',
      To_Account: 'carol',
      MsgRandom: random(),
      MsgBody: text('m5'),
    });
    const again = await loggedIn(s, 'carol', { instanceID: 'carol-phone', lastSeq });
    await waitFor(() => again.messages.length === 1, 'only the new one');
    await new Promise((r) => setTimeout(r, 100));
    expect(again.messages.map((m) => m.body[0]?.MsgContent.Text)).toEqual(['m5']);
    const history = await again.chat.getMessageList({ conversationID: 'c2c_dave', count: 10 });
    expect(history.map((m) => m.body[0]?.MsgContent.Text)).toEqual(['m5', 'm4', 'm3', 'm2', 'm1']);
    await again.chat.logout();
  });

  it('counts unread per conversation and in total; marking read on one device resets it on both', async () => {
    await s.v4('im_open_login_svc/multiaccount_import', { Accounts: ['u1', 'p1', 'p2'] });
    const phone = await loggedIn(s, 'u1', { instanceID: 'u1-phone' });
    const tablet = await loggedIn(s, 'u1', { instanceID: 'u1-tab', platform: 'iPad' });
    await phone.chat.doBackground(0);
    const peer1 = await loggedIn(s, 'p1');
    await peer1.chat.sendMessage({ receiver: 'u1', body: text('a') });
    await peer1.chat.sendMessage({ receiver: 'u1', body: text('b') });
    await s.v4('openim/sendmsg', {
      From_Account: 'p2',
      To_Account: 'u1',
      MsgRandom: random(),
      MsgBody: text('c'),
    });
    await waitFor(() => tablet.messages.length === 3 && phone.messages.length === 3, 'both devices got all');
    const list = await phone.chat.getConversationList();
    expect(list.totalUnread).toBe(3);
    expect(Object.fromEntries(list.conversations.map((c) => [c.conversationID, c.unreadCount]))).toEqual({
      c2c_p1: 2,
      c2c_p2: 1,
    });
    expect(list.conversations.find((c) => c.conversationID === 'c2c_p2')?.lastMessage?.body).toEqual(
      text('c'),
    );
    expect(await tablet.chat.markConversationRead('c2c_p1')).toBe(1);
    await waitFor(
      () => phone.changes.some((c) => c.conversationID === 'c2c_p1' && c.unreadCount === 0),
      'phone told',
    );
    expect(phone.totals.at(-1)).toBe(1);
    expect(await phone.chat.getTotalUnreadMessageCount()).toBe(1);
    await phone.chat.doForeground();
    for (const c of [phone, tablet, peer1]) await c.chat.logout();
  });

  it('MsgLifeTime 0 reaches online devices only; the same MsgRandom is delivered once', async () => {
    await s.v4('im_open_login_svc/multiaccount_import', { Accounts: ['on1', 'off1'] });
    const on = await loggedIn(s, 'on1');
    const r = await s.v4('openim/sendmsg', {
      To_Account: 'on1',
      MsgRandom: 1,
      MsgLifeTime: 0,
      MsgBody: text('now only'),
    });
    expect(r.ErrorCode).toBe(0);
    await waitFor(() => on.messages.length === 1, 'online-only delivered');
    expect(on.messages[0]).toMatchObject({ onlineOnly: true, from: s.app.adminIdentifier });
    await s.v4('openim/sendmsg', { To_Account: 'off1', MsgRandom: 2, MsgLifeTime: 0, MsgBody: text('lost') });
    const first = await s.v4('openim/sendmsg', { To_Account: 'off1', MsgRandom: 3, MsgBody: text('kept') });
    const dup = await s.v4('openim/sendmsg', { To_Account: 'off1', MsgRandom: 3, MsgBody: text('kept') });
    expect(dup.MsgKey).toBe(first.MsgKey);
    const off = await loggedIn(s, 'off1', { lastSeq: 0 });
    await waitFor(() => off.messages.length === 1, 'stored one');
    await new Promise((r) => setTimeout(r, 100));
    expect(off.messages.map((m) => m.body[0]?.MsgContent.Text)).toEqual(['kept']);
    expect((await off.chat.getConversationList()).totalUnread).toBe(1);
    await on.chat.logout();
    await off.chat.logout();
  });

  it('batchsendmsg delivers to every recipient and lists unknown accounts', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `b${i}`);
    await s.v4('im_open_login_svc/multiaccount_import', { Accounts: ids });
    const online = await loggedIn(s, 'b0');
    const r = await s.v4('openim/batchsendmsg', {
      To_Account: [...ids, 'ghost'],
      MsgRandom: random(),
      MsgBody: text('to all'),
      SendMsgControl: ['NoUnread'],
    });
    expect(r).toMatchObject({ ErrorCode: 0, ErrorList: [{ To_Account: 'ghost', ErrorCode: 70107 }] });
    expect(typeof r.MsgKey).toBe('string');
    await waitFor(() => online.messages.length === 1, 'online recipient');
    expect(await online.chat.getTotalUnreadMessageCount()).toBe(0); // NoUnread
    const later = await loggedIn(s, 'b29', { lastSeq: 0 });
    await waitFor(() => later.messages.length === 1, 'offline recipient after login');
    const only = await s.v4('openim/batchsendmsg', {
      To_Account: ['b1'],
      MsgRandom: 5,
      OnlineOnlyFlag: 1,
      MsgBody: text('x'),
    });
    expect(only.ErrorCode).toBe(0);
    await online.chat.logout();
    await later.chat.logout();
  });

  it('answers every documented error code', async () => {
    const ok = { To_Account: 'bob', MsgRandom: 1, MsgBody: text('x') };
    const code = async (path: string, body: unknown) => (await s.v4(path, body)).ErrorCode;
    expect(await code('openim/sendmsg', { ...ok, To_Account: undefined })).toBe(90003);
    expect(await code('openim/sendmsg', { ...ok, To_Account: 5 })).toBe(90003);
    expect(await code('openim/sendmsg', { ...ok, MsgRandom: 'x' })).toBe(90005);
    expect(await code('openim/sendmsg', { ...ok, MsgRandom: undefined })).toBe(90005);
    expect(await code('openim/sendmsg', { ...ok, MsgBody: {} })).toBe(90007);
    expect(
      await code('openim/sendmsg', { ...ok, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: {} }] }),
    ).toBe(90002);
    expect(await code('openim/sendmsg', { ...ok, MsgBody: [] })).toBe(90002);
    expect(await code('openim/sendmsg', { ...ok, MsgBody: [{ MsgType: 'TIMBogus', MsgContent: {} }] })).toBe(
      90002,
    );
    expect(await code('openim/sendmsg', { ...ok, OfflinePushInfo: { PushFlag: 'no' } })).toBe(90010);
    expect(await code('openim/sendmsg', { ...ok, SendMsgControl: 'NoUnread' })).toBe(90010);
    expect(await code('openim/sendmsg', { ...ok, To_Account: 'nobody' })).toBe(90012);
    expect(await code('openim/sendmsg', { ...ok, MsgLifeTime: 604_801 })).toBe(90026);
    expect(await code('openim/sendmsg', { ...ok, MsgLifeTime: 1.5 })).toBe(90044);
    expect(await code('openim/sendmsg', { ...ok, SyncOtherMachine: 'yes' })).toBe(90031);
    expect(await code('openim/sendmsg', { ...ok, From_Account: 'nobody' })).toBe(90048);
    expect(await code('openim/sendmsg', { ...ok, MsgBody: text('y'.repeat(13_000)) })).toBe(80002);
    expect(await code('openim/sendmsg', { ...ok, CloudCustomData: 'z'.repeat(13_000) })).toBe(93000);
    const many = Array.from({ length: 501 }, (_, i) => `x${i}`);
    expect(await code('openim/batchsendmsg', { ...ok, To_Account: many })).toBe(90011);
    expect(await code('openim/batchsendmsg', { ...ok, To_Account: 'bob' })).toBe(90003);
    const raw = await s.v4Raw('openim/sendmsg', '{bad json');
    expect(raw.ErrorCode).toBe(60003);
    // the server keeps working
    expect(await code('openim/sendmsg', ok)).toBe(0);
  });

  it('rejects an oversized SDK message with 80002 and keeps the connection', async () => {
    const c = await loggedIn(s, 'alice');
    await expect(
      c.chat.sendMessage({ receiver: 'bob', body: text('y'.repeat(13_000)) }),
    ).rejects.toMatchObject({ code: 80002 });
    await expect(c.chat.sendMessage({ receiver: 'nobody', body: text('y') })).rejects.toMatchObject({
      code: 90012,
    });
    expect((await c.chat.sendMessage({ receiver: 'bob', body: text('fine') })).msgKey).toBeTruthy();
    await c.chat.logout();
  });

  it('deleting an account ends its sessions and forgets its messages', async () => {
    await s.v4('im_open_login_svc/account_import', { UserID: 'gone' });
    const c = await loggedIn(s, 'gone');
    await s.v4('openim/sendmsg', { To_Account: 'gone', MsgRandom: random(), MsgBody: text('bye') });
    await waitFor(() => c.messages.length === 1, 'delivered');
    expect(
      (await s.v4('im_open_login_svc/account_delete', { DeleteItem: [{ UserID: 'gone' }] })).ErrorCode,
    ).toBe(0);
    await waitFor(() => c.kicked.length === 1, 'kicked');
    expect(await s.pushline.sessions.instancesOf(s.app.sdkAppId, ['gone'])).toEqual([]);
    expect(await s.pushline.inbox.conversations(s.app.sdkAppId, 'gone')).toEqual([]);
    expect(await s.pushline.inbox.after(s.app.sdkAppId, 'gone', 0)).toEqual([]);
  });

  it("SyncOtherMachine 1 copies a REST message to the sender's devices, 2 does not", async () => {
    await s.v4('im_open_login_svc/multiaccount_import', { Accounts: ['syncer', 'peer'] });
    const sender = await loggedIn(s, 'syncer');
    await s.v4('openim/sendmsg', {
      From_Account: 'syncer',
      To_Account: 'peer',
      MsgRandom: random(),
      SyncOtherMachine: 2,
      MsgBody: text('no copy'),
    });
    await s.v4('openim/sendmsg', {
      From_Account: 'syncer',
      To_Account: 'peer',
      MsgRandom: random(),
      SyncOtherMachine: 1,
      MsgBody: text('copy'),
    });
    await waitFor(() => sender.messages.length === 1, 'copy');
    await new Promise((r) => setTimeout(r, 100));
    expect(sender.messages.map((m) => [m.body[0]?.MsgContent.Text, m.isSelf, m.conversationID])).toEqual([
      ['copy', true, 'c2c_peer'],
    ]);
    expect(await sender.chat.getTotalUnreadMessageCount()).toBe(0); // own messages are never unread
    await sender.chat.logout();
  });

  it("a live receiver's devices get the unread total over all conversations; an offline one's is counted on login", async () => {
    await s.v4('im_open_login_svc/multiaccount_import', { Accounts: ['tu-a', 'tu-b', 'tu-live', 'tu-off'] });
    const send = (from: string, to: string, MsgRandom: number) =>
      s.v4('openim/sendmsg', { From_Account: from, To_Account: to, MsgRandom, MsgBody: text(`${from}`) });
    const live = await loggedIn(s, 'tu-live');
    for (const [i, from] of ['tu-a', 'tu-b', 'tu-a'].entries()) {
      expect((await send(from, 'tu-live', 900 + i)).ErrorCode).toBe(0);
      expect((await send(from, 'tu-off', 900 + i)).ErrorCode).toBe(0);
    }
    await waitFor(() => live.totals.length === 3, 'three live totals');
    expect(live.totals).toEqual([1, 2, 3]);
    const off = await loggedIn(s, 'tu-off');
    expect((await off.chat.getConversationList()).totalUnread).toBe(3);
    // Online now: the next send gives it the total of every conversation.
    expect((await send('tu-b', 'tu-off', 910)).ErrorCode).toBe(0);
    await waitFor(() => off.totals.length === 1, 'a live total');
    expect(off.totals).toEqual([4]);
    await live.chat.logout();
    await off.chat.logout();
  });

  it('onMessageStoring runs inside the send transaction; a failing hook rolls the send back', async () => {
    await s.v4('im_open_login_svc/multiaccount_import', { Accounts: ['tx1', 'rx1'] });
    const seen: number[] = [];
    const remove = s.pushline.messaging.onMessageStoring(async (trx, message, recipients) => {
      if (message.to !== 'rx1') return;
      const rows = await trx.selectFrom('inbox').select('seq').where('user_id', '=', 'rx1').execute();
      seen.push(rows.length);
      // rx1 is offline: its unread total is not read in the send (only live connections get it).
      expect(recipients).toMatchObject([{ userId: 'rx1', conversationUnread: rows.length }]);
      expect(recipients[0]!.totalUnread).toBeUndefined();
      if (message.body[0]?.MsgType === 'TIMTextElem' && message.body[0].MsgContent.Text === 'boom') {
        throw new Error('queue unavailable');
      }
    });
    try {
      expect(
        (
          await s.v4('openim/sendmsg', {
            From_Account: 'tx1',
            To_Account: 'rx1',
            MsgRandom: 1,
            MsgBody: text('ok'),
          })
        ).ErrorCode,
      ).toBe(0);
      const failed = await s.v4('openim/sendmsg', {
        From_Account: 'tx1',
        To_Account: 'rx1',
        MsgRandom: 2,
        MsgBody: text('boom'),
      });
      expect(failed.ErrorCode).toBe(70500);
      expect(seen).toEqual([1, 2]); // the hook saw its own message's row
      const rx = await loggedIn(s, 'rx1', { lastSeq: 0 });
      await waitFor(() => rx.messages.length === 1, 'only the committed one');
      await new Promise((r) => setTimeout(r, 100));
      expect(rx.messages.map((m) => m.body[0]?.MsgContent.Text)).toEqual(['ok']);
      expect(await rx.chat.getTotalUnreadMessageCount()).toBe(1);
      await rx.chat.logout();
    } finally {
      remove();
    }
  });

  it('resumes a backlog larger than one page in order, exactly once', async () => {
    await s.v4('im_open_login_svc/multiaccount_import', { Accounts: ['busy', 'chatty'] });
    const first = await loggedIn(s, 'busy', { instanceID: 'busy-1' });
    await first.chat.logout();
    const texts = Array.from({ length: 250 }, (_, i) => `n${i}`);
    for (let i = 0; i < texts.length; i += 10) {
      await Promise.all(
        texts.slice(i, i + 10).map((t) =>
          s.v4('openim/sendmsg', {
            From_Account: 'chatty',
            To_Account: 'busy',
            MsgRandom: random(),
            MsgBody: text(t),
          }),
        ),
      );
    }
    const back = await loggedIn(s, 'busy', { instanceID: 'busy-1' });
    await waitFor(() => back.messages.length === 250, 'whole backlog');
    await new Promise((r) => setTimeout(r, 100));
    const seqs = back.messages.map((m) => m.seq ?? 0);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(back.messages.map((m) => m.body[0]?.MsgContent.Text))).toEqual(new Set(texts));
    expect(back.messages).toHaveLength(250);
    expect(await back.chat.getTotalUnreadMessageCount()).toBe(250);
    await back.chat.logout();
  });
});
