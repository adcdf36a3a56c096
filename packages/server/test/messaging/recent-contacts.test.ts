// Recent contacts end to end: recentcontact/get_list (TimeStamp/StartIndex paging by 100 through conversations
// of the same second, pinned ones first and paged on their own, empty ones on request), recentcontact/top and
// recentcontact/delete (ClearRamble) with Tencent's codes, and the SDK's conversation list mirroring them:
// pinned conversations first, pinConversation and deleteConversation seen by REST and by the user's other
// devices. The server's clock stands still so that message times are exact.
import type { PushlineError } from '@pushline/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn, type TestClient, waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { random, text } from '../helpers/push-e2e.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const backends = await testBackends();

interface Session {
  Type: number;
  To_Account?: string;
  GroupId?: string;
  MsgTime: number;
  TopFlag: number;
}

describe.each(backends)('recent contacts on %s', (backend) => {
  let s: TestServer;
  let clock = Date.now();
  const T0 = Math.floor(clock / 1000);
  const peers = Array.from({ length: 105 }, (_, i) => `p${String(i).padStart(3, '0')}`);
  const v4 = (command: string, body: unknown) => s.v4(command, body);
  const list = (extra: Record<string, number> = {}) =>
    v4('recentcontact/get_list', {
      From_Account: 'ada',
      TimeStamp: 0,
      StartIndex: 0,
      TopTimeStamp: 0,
      TopStartIndex: 0,
      AssistFlags: 0,
      ...extra,
    });
  const names = (r: Record<string, unknown>) =>
    (r.SessionItem as Session[]).map((i) => `${i.TopFlag ? '^' : ''}${i.To_Account ?? `#${i.GroupId}`}`);
  const top = (op: number, items: unknown[]) =>
    v4('recentcontact/top', { From_Account: 'ada', OperationType: op, RecentContactItem: items });

  beforeAll(async () => {
    s = await startTestServer({ backend, create: { clock: () => clock } });
    for (const chunk of [['ada', 'zed', ...peers.slice(0, 98)], peers.slice(98)]) {
      const r = await v4('im_open_login_svc/multiaccount_import', {
        AccountList: chunk.map((UserID) => ({ UserID })),
      });
      expect(r).toMatchObject({ ErrorCode: 0 });
    }
    // 105 conversations in the same second, then one a second later, then a group one.
    const batch = await v4('openim/batchsendmsg', {
      From_Account: 'ada',
      To_Account: peers,
      MsgRandom: random(),
      MsgBody: text('hello all'),
    });
    expect(batch).toMatchObject({ ErrorCode: 0, ErrorList: [] });
    clock += 1000;
    expect(
      await v4('openim/sendmsg', {
        From_Account: 'p000',
        To_Account: 'ada',
        MsgRandom: random(),
        MsgBody: text('hi'),
      }),
    ).toMatchObject({ ErrorCode: 0 });
    clock += 1000;
    expect(
      await v4('group_open_http_svc/create_group', {
        Owner_Account: 'zed',
        Type: 'Work',
        GroupId: 'grp',
        Name: 'Group',
        MemberList: [{ Member_Account: 'ada' }],
      }),
    ).toMatchObject({ ErrorCode: 0 });
    expect(
      await v4('group_open_http_svc/send_group_msg', {
        GroupId: 'grp',
        From_Account: 'zed',
        Random: random(),
        MsgBody: text('group hi'),
      }),
    ).toMatchObject({ ErrorCode: 0 });
    clock += 1000;
  });
  afterAll(async () => {
    await s?.close();
  });

  it('get_list: newest first, 100 per page, continuing inside a second with TimeStamp/StartIndex', async () => {
    const first = await list();
    expect(first).toMatchObject({
      ActionStatus: 'OK',
      ErrorCode: 0,
      CompleteFlag: 0,
      TimeStamp: T0,
      StartIndex: 98,
    });
    const items = first.SessionItem as Session[];
    expect(items).toHaveLength(100);
    expect(items[0]).toEqual({ Type: 2, GroupId: 'grp', MsgTime: T0 + 2, TopFlag: 0 });
    expect(items[1]).toEqual({ Type: 1, To_Account: 'p000', MsgTime: T0 + 1, TopFlag: 0 });
    expect(items[2]).toEqual({ Type: 1, To_Account: 'p001', MsgTime: T0, TopFlag: 0 });
    expect(names(first).slice(2)).toEqual(peers.slice(1, 99));
    const second = await list({ TimeStamp: T0, StartIndex: 98 });
    expect(second).toMatchObject({ CompleteFlag: 1 });
    expect(names(second)).toEqual(peers.slice(99));
  });

  it('top pins (pinned first, TopFlag 1, paged on their own with bit 2); empty conversations only with bit 1', async () => {
    expect(
      await top(1, [
        { Type: 1, To_Account: 'p050' },
        { Type: 2, GroupId: 'grp' },
        { Type: 1, To_Account: 'zed' },
      ]),
    ).toMatchObject({ ErrorCode: 0 });
    // bit 0: pinned first (grp, then p050; zed's conversation is empty), then the others.
    const pinned = await list({ AssistFlags: 1 });
    expect(names(pinned).slice(0, 3)).toEqual(['^#grp', '^p050', 'p000']);
    expect(names(pinned)).toHaveLength(102);
    expect(names(pinned)).not.toContain('p050');
    expect(pinned).toMatchObject({ CompleteFlag: 0, TimeStamp: T0, StartIndex: 99 });
    const rest = await list({ AssistFlags: 1, TimeStamp: T0, StartIndex: 99 });
    // Pinned ones are not repeated on later pages.
    expect(names(rest)).toEqual(['p101', 'p102', 'p103', 'p104']);
    expect(rest.CompleteFlag).toBe(1);
    // bit 1: empty conversations too (zed, pinned, timed when it was pinned).
    const withEmpty = await list({ AssistFlags: 3 });
    expect(names(withEmpty).slice(0, 3)).toEqual(['^zed', '^#grp', '^p050']);
    expect((withEmpty.SessionItem as Session[])[0]!.MsgTime).toBe(T0 + 3);
    // bit 2: the pinned list pages with TopTimeStamp/TopStartIndex.
    const paged = await list({ AssistFlags: 5 });
    expect(paged).toMatchObject({ TopTimeStamp: T0, TopStartIndex: 1 });
    const paged2 = await list({
      AssistFlags: 5,
      TimeStamp: T0,
      StartIndex: 99,
      TopTimeStamp: T0,
      TopStartIndex: 1,
    });
    expect(names(paged2)).toEqual(['p101', 'p102', 'p103', 'p104']);
    expect(paged2.CompleteFlag).toBe(1);
    // Without bit 0 pinned conversations keep their place by time, still flagged.
    expect(names(await list()).slice(0, 2)).toEqual(['^#grp', 'p000']);

    // At most 50 pinned: refused as a whole, nothing changed.
    const many = peers.slice(51, 100).map((To_Account) => ({ Type: 1, To_Account }));
    expect(await top(1, many)).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 50002 });
    expect(names(await list({ AssistFlags: 3 })).filter((n) => n.startsWith('^'))).toHaveLength(3);
    // Unpin.
    expect(await top(2, [{ Type: 1, To_Account: 'zed' }])).toMatchObject({ ErrorCode: 0 });
    expect(names(await list({ AssistFlags: 3 })).slice(0, 3)).toEqual(['^#grp', '^p050', 'zed']);
  });

  it("delete: the conversation goes; ClearRamble 1 deletes the user's copies of its messages, 0 keeps them", async () => {
    const ada = await loggedIn(s, 'ada');
    try {
      expect(
        await v4('recentcontact/delete', {
          From_Account: 'ada',
          Type: 1,
          To_Account: 'p001',
          ClearRamble: 0,
        }),
      ).toMatchObject({
        ErrorCode: 0,
      });
      expect(
        await v4('recentcontact/delete', {
          From_Account: 'ada',
          Type: 1,
          To_Account: 'p002',
          ClearRamble: 1,
        }),
      ).toMatchObject({
        ErrorCode: 0,
      });
      const after = names(await list({ AssistFlags: 3, TimeStamp: T0, StartIndex: 0 }));
      expect(after).not.toContain('p001');
      expect(after).not.toContain('p002');
      expect(
        (await ada.chat.getMessageList({ conversationID: 'c2c_p001' })).map(
          (m) => m.body[0]?.MsgContent.Text,
        ),
      ).toEqual(['hello all']);
      expect(await ada.chat.getMessageList({ conversationID: 'c2c_p002' })).toEqual([]);
      // p002 still has its copy.
      const p002 = await loggedIn(s, 'p002');
      expect((await p002.chat.getMessageList({ conversationID: 'c2c_ada' })).length).toBe(1);
      await p002.chat.logout();
      // A new message brings the conversation back.
      clock += 1000;
      await v4('openim/sendmsg', {
        From_Account: 'p001',
        To_Account: 'ada',
        MsgRandom: random(),
        MsgBody: text('back'),
      });
      expect(names(await list()).slice(0, 2)).toEqual(['p001', '^#grp']);
      const group = await v4('recentcontact/delete', { From_Account: 'ada', Type: 2, ToGroupid: 'grp' });
      expect(group).toMatchObject({ ErrorCode: 0 });
      expect(names(await list({ AssistFlags: 1 }))).not.toContain('^#grp');
    } finally {
      await ada.chat.logout();
    }
  });

  it('request errors: 50001 for an account never imported, 50002 for bad parameters', async () => {
    const base = {
      From_Account: 'ada',
      TimeStamp: 0,
      StartIndex: 0,
      TopTimeStamp: 0,
      TopStartIndex: 0,
      AssistFlags: 0,
    };
    const cases: [string, unknown, number][] = [
      ['recentcontact/get_list', { ...base, From_Account: 'ghost' }, 50001],
      ['recentcontact/get_list', { ...base, AssistFlags: 8 }, 50002],
      ['recentcontact/get_list', { ...base, AssistFlags: undefined }, 50002],
      ['recentcontact/get_list', { ...base, TimeStamp: -1 }, 50002],
      ['recentcontact/delete', { From_Account: 'ghost', Type: 1, To_Account: 'p003' }, 50001],
      ['recentcontact/delete', { From_Account: 'ada', Type: 3, To_Account: 'p003' }, 50002],
      ['recentcontact/delete', { From_Account: 'ada', Type: 1, ToGroupid: 'grp' }, 50002],
      ['recentcontact/delete', { From_Account: 'ada', Type: 2, To_Account: 'p003' }, 50002],
      ['recentcontact/delete', { From_Account: 'ada', Type: 1, To_Account: 'p003', ClearRamble: 2 }, 50002],
      ['recentcontact/top', { From_Account: 'ada', OperationType: 1, RecentContactItem: [] }, 50002],
      [
        'recentcontact/top',
        { From_Account: 'ada', OperationType: 3, RecentContactItem: [{ Type: 1, To_Account: 'p003' }] },
        50002,
      ],
      [
        'recentcontact/top',
        { From_Account: 'ada', OperationType: 1, RecentContactItem: [{ Type: 2, To_Account: 'p003' }] },
        50002,
      ],
      [
        'recentcontact/top',
        { From_Account: 'ghost', OperationType: 1, RecentContactItem: [{ Type: 1, To_Account: 'p003' }] },
        50001,
      ],
    ];
    for (const [command, body, code] of cases) {
      expect(await v4(command, body), `${command} ${JSON.stringify(body)}`).toMatchObject({
        ActionStatus: 'FAIL',
        ErrorCode: code,
      });
    }
    // Nothing was deleted or pinned by the refused requests.
    const all = names(await list({ AssistFlags: 3, TimeStamp: T0, StartIndex: 0 }));
    expect(all).toContain('p003');
    expect(all).not.toContain('^p003');
  });

  it('SDK: pinned conversations first; pinConversation and deleteConversation seen by REST and the other device', async () => {
    const a1 = await loggedIn(s, 'ada', { instanceID: 'ada-1' });
    const a2: TestClient = await loggedIn(s, 'ada', { instanceID: 'ada-2', platform: 'iPhone' });
    const deleted: string[] = [];
    a2.chat.addListener({ onConversationDeleted: (ids) => deleted.push(...ids) });
    try {
      let conv = (await a1.chat.getConversationList()).conversations;
      expect(conv[0]).toMatchObject({ conversationID: 'c2c_p050', isPinned: true });
      expect(conv.filter((c) => c.isPinned).map((c) => c.conversationID)).toEqual(['c2c_p050']);
      await a1.chat.pinConversation('c2c_p104', true);
      // The other device hears of the pin.
      await waitFor(
        () =>
          (a2.changes as { conversationID: string; isPinned?: boolean }[]).some(
            (c) => c.conversationID === 'c2c_p104' && c.isPinned === true,
          ),
        'the pin reached the other device',
      );
      conv = (await a2.chat.getConversationList()).conversations;
      expect(conv.slice(0, 2).map((c) => [c.conversationID, c.isPinned])).toEqual([
        ['c2c_p050', true],
        ['c2c_p104', true],
      ]);
      expect(conv[2]!.isPinned).toBe(false);
      expect(names(await list({ AssistFlags: 1 })).slice(0, 2)).toEqual(['^p050', '^p104']);
      await a1.chat.pinConversation('c2c_p050', false);
      expect(names(await list({ AssistFlags: 1 }))[0]).toBe('^p104');

      await a1.chat.deleteConversation('c2c_p103');
      await waitFor(() => deleted.includes('c2c_p103'), 'the other device heard of the deletion');
      expect(names(await list({ TimeStamp: T0, StartIndex: 0 }))).not.toContain('p103');
      expect((await a2.chat.getConversationList()).conversations.map((c) => c.conversationID)).not.toContain(
        'c2c_p103',
      );
      // V2TIM's deleteConversation deletes the user's copies of the messages too.
      expect(await a2.chat.getMessageList({ conversationID: 'c2c_p103' })).toEqual([]);

      // A conversation with unread messages: the total drops by its count on every device.
      const before = await a2.chat.getTotalUnreadMessageCount();
      const unread = (await a2.chat.getConversationList()).conversations.find(
        (c) => c.conversationID === 'c2c_p000',
      )!.unreadCount;
      expect(unread).toBe(1);
      await a1.chat.deleteConversation('c2c_p000');
      await waitFor(() => deleted.includes('c2c_p000'), 'the second deletion heard');
      expect(a2.totals.at(-1)).toBe(before - 1);
      expect(await a2.chat.getTotalUnreadMessageCount()).toBe(before - 1);

      const bad = await a1.chat.pinConversation('nonsense', true).catch((e: unknown) => e);
      expect((bad as PushlineError).code).toBe(6017);
    } finally {
      await a1.chat.logout();
      await a2.chat.logout();
    }
  });
});
