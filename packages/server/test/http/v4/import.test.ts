// Importing history over REST (openim/importmsg), end to end on every backend: original times kept and
// ordered in admin_getroammsg and in an SDK client's message list, no offline push (a background phone gets
// only the live message sent afterwards), no unread for a history import and one for a real-time import,
// a repeat imported once (either direction), and every error code leaving nothing written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn, waitFor } from '../../helpers/clients.js';
import { testBackends } from '../../helpers/databases.js';
import { backgroundPhone, type PushWorld, random, startPushWorld, text } from '../../helpers/push-e2e.js';

const backends = await testBackends();

describe.each(backends)('openim/importmsg on %s', (backend) => {
  let w: PushWorld;
  const T0 = Math.floor(Date.now() / 1000) - 30 * 3600;
  const imported = (from: string, to: string, seq: number, rnd: number, at: number, Text: string, sync = 2) =>
    w.s.v4('openim/importmsg', {
      SyncFromOldSystem: sync,
      From_Account: from,
      To_Account: to,
      MsgSeq: seq,
      MsgRandom: rnd,
      MsgTimeStamp: at,
      MsgBody: text(Text),
    });
  const roam = (operator: string, peer: string) =>
    w.s.v4('openim/admin_getroammsg', {
      Operator_Account: operator,
      Peer_Account: peer,
      MaxCnt: 100,
      MinTime: T0 - 3600,
      MaxTime: Math.floor(Date.now() / 1000) + 60,
    });
  const said = (r: Record<string, unknown>) =>
    (r.MsgList as { MsgBody: { MsgContent: { Text: string } }[] }[]).map(
      (m) => m.MsgBody[0]!.MsgContent.Text,
    );

  beforeAll(async () => {
    w = await startPushWorld(backend);
    await w.s.v4('im_open_login_svc/multiaccount_import', {
      AccountList: ['alice', 'bob', 'carl'].map((UserID) => ({ UserID })),
    });
  });
  afterAll(async () => {
    await w?.close();
  });

  it('refuses bad input with Tencent codes and writes nothing', async () => {
    const ok = {
      SyncFromOldSystem: 2,
      From_Account: 'alice',
      To_Account: 'carl',
      MsgSeq: 1,
      MsgRandom: 1,
      MsgTimeStamp: T0,
      MsgBody: text('never'),
    };
    const cases: [Record<string, unknown>, number][] = [
      [{ ...ok, SyncFromOldSystem: 1 }, 90001],
      [{ ...ok, SyncFromOldSystem: undefined }, 90001],
      [{ ...ok, To_Account: undefined }, 90003],
      [{ ...ok, MsgRandom: 'x' }, 90005],
      [{ ...ok, MsgTimeStamp: -1 }, 90006],
      [{ ...ok, MsgBody: {} }, 90007],
      [{ ...ok, MsgBody: [{ MsgType: 'TIMNoSuchElem', MsgContent: {} }] }, 90002],
      [{ ...ok, CloudCustomData: 5 }, 90010],
      [{ ...ok, From_Account: 'nobody' }, 90048],
      [{ ...ok, To_Account: 'nobody' }, 90012],
    ];
    for (const [body, code] of cases) {
      const r = await w.s.v4('openim/importmsg', body);
      expect(r, JSON.stringify(body)).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: code });
    }
    const h = await roam('alice', 'carl');
    expect(h).toMatchObject({ ErrorCode: 0, MsgCnt: 0 });
  });

  it('keeps imported history with its original times, pushes nothing and counts no unread', async () => {
    const phone = await backgroundPhone(w, 'bob', 'apns');
    // Imported out of order within one second: history orders by time, then MsgSeq.
    expect(await imported('alice', 'bob', 10, 111, T0, 'first')).toMatchObject({ ErrorCode: 0 });
    expect(await imported('bob', 'alice', 11, 222, T0 + 60, 'second')).toMatchObject({ ErrorCode: 0 });
    expect(await imported('alice', 'bob', 12, 333, T0 + 120, 'third')).toMatchObject({ ErrorCode: 0 });
    // A repeat (same MsgSeq, MsgRandom, MsgTimeStamp; reversed direction, other content) is not stored again.
    expect(await imported('bob', 'alice', 10, 111, T0, 'repeat')).toMatchObject({
      ActionStatus: 'OK',
      ErrorCode: 0,
    });

    for (const [operator, peer] of [
      ['alice', 'bob'],
      ['bob', 'alice'],
    ] as const) {
      const h = await roam(operator, peer);
      expect(h).toMatchObject({ ErrorCode: 0, Complete: 1, MsgCnt: 3 });
      expect(said(h)).toEqual(['first', 'second', 'third']);
      expect((h.MsgList as { MsgTimeStamp: number }[]).map((m) => m.MsgTimeStamp)).toEqual([
        T0,
        T0 + 60,
        T0 + 120,
      ]);
      expect((h.MsgList as { MsgSeq: number }[]).map((m) => m.MsgSeq)).toEqual([10, 11, 12]);
    }

    // The SDK's message list holds them, newest first, with their original times; nothing is unread.
    const list = await phone.client.chat.getMessageList({ conversationID: 'c2c_alice', count: 10 });
    expect(list.map((m) => [m.body[0]?.MsgContent.Text, m.msgTime, m.from])).toEqual([
      ['third', T0 + 120, 'alice'],
      ['second', T0 + 60, 'bob'],
      ['first', T0, 'alice'],
    ]);
    expect(await phone.client.chat.getTotalUnreadMessageCount()).toBe(0);
    expect(phone.client.messages).toEqual([]);

    // A live message afterwards is pushed: the phone's notifications hold it alone.
    const live = await w.s.v4('openim/sendmsg', {
      From_Account: 'alice',
      To_Account: 'bob',
      MsgRandom: random(),
      MsgBody: text('live'),
    });
    expect(live).toMatchObject({ ErrorCode: 0 });
    await waitFor(() => expect(w.sim.received({ token: phone.token })).toHaveLength(1));
    expect(JSON.stringify(w.sim.received({ token: phone.token })[0]!.body)).toContain('live');
    expect(JSON.stringify(w.sim.received({ token: phone.token }))).not.toMatch(/first|second|third/);
    expect(await phone.client.chat.getTotalUnreadMessageCount()).toBe(1);
  });

  it('counts one unread for the receiver of a real-time import (SyncFromOldSystem 5)', async () => {
    expect(await imported('alice', 'carl', 1, random(), T0 + 5, 'realtime', 5)).toMatchObject({
      ErrorCode: 0,
    });
    const h = await roam('carl', 'alice');
    expect(said(h)).toEqual(['realtime']);
    const carl = await loggedIn(w.s, 'carl');
    expect(await carl.chat.getTotalUnreadMessageCount()).toBe(1);
    await carl.chat.logout();
  });

  it('imports group history with original times and seqs, no push, no unread, a repeat once', async () => {
    const G = 'group_open_http_svc';
    // import_group: the group's original creation time; errors write nothing.
    const group = {
      Owner_Account: 'alice',
      Type: 'Work',
      GroupId: 'crew',
      Name: 'Crew',
      Introduction: 'since long ago',
      CreateTime: T0,
    };
    const groupRefused: [Record<string, unknown>, number][] = [
      [{ ...group, Owner_Account: 'nobody' }, 10019],
      [{ ...group, CreateTime: Math.floor(Date.now() / 1000) + 3600 }, 10004],
      [{ ...group, Type: 'Nope' }, 10004],
      [{ ...group, GroupId: '@TGS#abc' }, 10015],
      [{ ...group, Name: undefined }, 10004],
    ];
    for (const [body, code] of groupRefused) {
      const r = await w.s.v4(`${G}/import_group`, body);
      expect(r, JSON.stringify(body)).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: code });
    }
    expect(await w.s.v4(`${G}/get_group_info`, { GroupIdList: ['crew'] })).toMatchObject({
      GroupInfo: [{ ErrorCode: 10010 }],
    });
    expect(await w.s.v4(`${G}/import_group`, group)).toMatchObject({ ErrorCode: 0, GroupId: 'crew' });
    expect(await w.s.v4(`${G}/import_group`, group)).toMatchObject({ ErrorCode: 10021 });
    expect(await w.s.v4(`${G}/get_group_info`, { GroupIdList: ['crew'] })).toMatchObject({
      GroupInfo: [{ ErrorCode: 0, CreateTime: T0, Owner_Account: 'alice', Introduction: 'since long ago' }],
    });
    expect(
      await w.s.v4(`${G}/add_group_member`, {
        GroupId: 'crew',
        Silence: 1,
        MemberList: [{ Member_Account: 'bob' }],
      }),
    ).toMatchObject({ ErrorCode: 0 });
    expect(
      await w.s.v4(`${G}/create_group`, {
        Owner_Account: 'alice',
        Type: 'AVChatRoom',
        GroupId: 'live',
        Name: 'Live',
      }),
    ).toMatchObject({ ErrorCode: 0 });
    const phone = await backgroundPhone(w, 'bob', 'fcm');
    const batch = {
      GroupId: 'crew',
      RecentContactFlag: 1,
      MsgList: [
        { From_Account: 'alice', SendTime: T0 + 10, Random: 7, MsgBody: text('g-one') },
        { From_Account: 'bob', SendTime: T0 + 20, Random: 8, MsgBody: text('g-two') },
      ],
    };
    expect(await w.s.v4(`${G}/import_group_msg`, batch)).toMatchObject({
      ErrorCode: 0,
      ImportMsgResult: [
        { MsgSeq: 1, MsgTime: T0 + 10, Result: 0 },
        { MsgSeq: 2, MsgTime: T0 + 20, Result: 0 },
      ],
    });
    // A repeat: the same MsgSeqs answered, nothing stored again.
    expect(await w.s.v4(`${G}/import_group_msg`, batch)).toMatchObject({
      ErrorCode: 0,
      ImportMsgResult: [
        { MsgSeq: 1, Result: 2 },
        { MsgSeq: 2, Result: 2 },
      ],
    });

    const msg = (SendTime: number, From_Account = 'alice') => ({
      From_Account,
      SendTime,
      MsgBody: text('no'),
    });
    const refused: [Record<string, unknown>, number][] = [
      [{ GroupId: 'nope', MsgList: [msg(T0 + 30)] }, 10010],
      [{ GroupId: 'live', MsgList: [msg(T0 + 30)] }, 10007],
      [{ GroupId: 'crew', MsgList: [msg(T0 + 30), msg(T0 + 5)] }, 10004],
      [{ GroupId: 'crew', MsgList: [msg(T0 - 60)] }, 10004],
      [{ GroupId: 'crew', MsgList: [msg(T0 + 30, 'nobody')] }, 10004],
      [{ GroupId: 'crew', MsgList: [msg(Math.floor(Date.now() / 1000) + 3600)] }, 10004],
      [{ GroupId: 'crew', MsgList: Array.from({ length: 8 }, (_, i) => msg(T0 + 30 + i)) }, 10004],
      [{ GroupId: 'crew', MsgList: [] }, 10004],
      [
        {
          GroupId: 'crew',
          MsgList: [{ ...msg(T0 + 30), MsgBody: [{ MsgType: 'TIMNoSuchElem', MsgContent: {} }] }],
        },
        10004,
      ],
    ];
    for (const [body, code] of refused) {
      const r = await w.s.v4(`${G}/import_group_msg`, body);
      expect(r, JSON.stringify(body)).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: code });
    }

    const h = await w.s.v4(`${G}/group_msg_get_simple`, { GroupId: 'crew', ReqMsgNumber: 20 });
    expect(h).toMatchObject({ ErrorCode: 0 });
    expect(
      (h.RspMsgList as { MsgSeq: number; MsgTimeStamp: number; From_Account: string }[]).map((m) => [
        m.MsgSeq,
        m.MsgTimeStamp,
        m.From_Account,
      ]),
    ).toEqual([
      [2, T0 + 20, 'bob'],
      [1, T0 + 10, 'alice'],
    ]);

    const list = await phone.client.chat.getMessageList({ conversationID: 'group_crew', count: 10 });
    expect(list.map((m) => [m.body[0]?.MsgContent.Text, m.msgTime, m.msgSeq])).toEqual([
      ['g-two', T0 + 20, 2],
      ['g-one', T0 + 10, 1],
    ]);
    const conversations = await phone.client.chat.getConversationList();
    expect(conversations.conversations.find((c) => c.conversationID === 'group_crew')?.unreadCount).toBe(0);

    // A live group message afterwards is pushed: the phone's notifications hold it alone, with MsgSeq 3.
    const live = await w.s.v4(`${G}/send_group_msg`, {
      GroupId: 'crew',
      From_Account: 'alice',
      Random: random(),
      MsgBody: text('group-live'),
    });
    expect(live).toMatchObject({ ErrorCode: 0, MsgSeq: 3 });
    await waitFor(() => expect(w.sim.received({ token: phone.token })).toHaveLength(1));
    expect(JSON.stringify(w.sim.received({ token: phone.token }))).toContain('group-live');
    expect(JSON.stringify(w.sim.received({ token: phone.token }))).not.toMatch(/g-one|g-two/);

    // import_group_member: original JoinTime, the group's kept history since then, UnreadMsgNum.
    const memberRefused: [Record<string, unknown>, number][] = [
      [{ GroupId: 'nope', MemberList: [{ Member_Account: 'carl' }] }, 10010],
      [{ GroupId: 'live', MemberList: [{ Member_Account: 'carl' }] }, 10007],
      [{ GroupId: 'crew', MemberList: [{ Member_Account: 'carl', JoinTime: T0 - 1 }] }, 10004],
      [{ GroupId: 'crew', MemberList: [{ Member_Account: 'carl', Role: 'Owner' }] }, 10004],
      [{ GroupId: 'crew', MemberList: [] }, 10004],
    ];
    for (const [body, code] of memberRefused) {
      const r = await w.s.v4(`${G}/import_group_member`, body);
      expect(r, JSON.stringify(body)).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: code });
    }
    expect(
      await w.s.v4(`${G}/import_group_member`, {
        GroupId: 'crew',
        MemberList: [
          { Member_Account: 'carl', Role: 'Admin', JoinTime: T0 + 15, UnreadMsgNum: 1 },
          { Member_Account: 'bob' },
          { Member_Account: 'nobody' },
        ],
      }),
    ).toMatchObject({
      ErrorCode: 0,
      MemberList: [
        { Member_Account: 'carl', Result: 1 },
        { Member_Account: 'bob', Result: 2 },
        { Member_Account: 'nobody', Result: 0 },
      ],
    });
    const info = await w.s.v4(`${G}/get_group_member_info`, { GroupId: 'crew' });
    expect(
      (info.MemberList as { Member_Account: string }[]).find((m) => m.Member_Account === 'carl'),
    ).toMatchObject({
      Role: 'Admin',
      JoinTime: T0 + 15,
    });
    const carl = await loggedIn(w.s, 'carl');
    const carlList = await carl.chat.getMessageList({ conversationID: 'group_crew', count: 10 });
    // Joined at T0 + 15: g-one (T0 + 10) is before, g-two and the live message after.
    expect(carlList.map((m) => m.body[0]?.MsgContent.Text)).toEqual(['group-live', 'g-two']);
    const carlConversations = await carl.chat.getConversationList();
    expect(carlConversations.conversations.find((c) => c.conversationID === 'group_crew')?.unreadCount).toBe(
      1,
    );
    await carl.chat.logout();
  });
});
