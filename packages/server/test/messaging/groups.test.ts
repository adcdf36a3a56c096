// Groups over the REST API and group messages to real SDK clients, online and after reconnect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecipientOutcome } from '../../src/index.js';
import { loggedIn, waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const backends = await testBackends();
const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];
const G = 'group_open_http_svc';

describe.each(backends)('groups on %s', (backend) => {
  let s: TestServer;
  const outcomes = new Map<string, RecipientOutcome[]>();

  beforeAll(async () => {
    s = await startTestServer({ backend });
    s.pushline.messaging.onMessageCommitted((m, recipients) => {
      if (m.type === 'group') outcomes.set(m.msgKey, recipients);
    });
    await s.v4('im_open_login_svc/multiaccount_import', { Accounts: ['owner', 'm1', 'm2', 'm3', 'out'] });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('creates a group, manages members and MsgFlag', async () => {
    const created = await s.v4(`${G}/create_group`, {
      Owner_Account: 'owner',
      Type: 'Work',
      GroupId: 'team',
      Name: 'Team',
      MemberList: [{ Member_Account: 'm1' }, { Member_Account: 'm2', Role: 'Admin' }],
    });
    expect(created).toMatchObject({ ErrorCode: 0, GroupId: 'team' });
    const auto = await s.v4(`${G}/create_group`, { Type: 'Public', Name: 'Auto' });
    expect(auto.GroupId).toMatch(/^@TGS#/);

    // Silence: no group tip, which would take the group's first MsgSeq (groups-admin.test.ts covers tips).
    const add = await s.v4(`${G}/add_group_member`, {
      GroupId: 'team',
      Silence: 1,
      MemberList: [{ Member_Account: 'm3' }, { Member_Account: 'm1' }, { Member_Account: 'ghost' }],
    });
    expect(add.MemberList).toEqual([
      { Member_Account: 'm3', Result: 1 },
      { Member_Account: 'm1', Result: 2 },
      { Member_Account: 'ghost', Result: 0 },
    ]);
    expect(
      (
        await s.v4(`${G}/modify_group_member_info`, {
          GroupId: 'team',
          Member_Account: 'm3',
          MsgFlag: 'AcceptNotNotify',
        })
      ).ErrorCode,
    ).toBe(0);
    const info = await s.v4(`${G}/get_group_member_info`, { GroupId: 'team' });
    expect(info.MemberNum).toBe(4);
    const byId = Object.fromEntries(
      (info.MemberList as { Member_Account: string; Role: string; MsgFlag: string }[]).map((m) => [
        m.Member_Account,
        [m.Role, m.MsgFlag],
      ]),
    );
    expect(byId).toEqual({
      owner: ['Owner', 'AcceptAndNotify'],
      m1: ['Member', 'AcceptAndNotify'],
      m2: ['Admin', 'AcceptAndNotify'],
      m3: ['Member', 'AcceptNotNotify'],
    });
  });

  it('delivers group messages live and after reconnect, with MsgSeq, @ and MsgFlag outcomes', async () => {
    const m1 = await loggedIn(s, 'm1', { instanceID: 'm1' });
    const m2 = await loggedIn(s, 'm2', { instanceID: 'm2' });
    await m2.chat.logout();
    const r1 = await s.v4(`${G}/send_group_msg`, {
      GroupId: 'team',
      From_Account: 'owner',
      Random: 11,
      MsgBody: text('hello team'),
      GroupAtInfo: [{ GroupAtAllFlag: 0, GroupAt_Account: 'm1' }],
    });
    expect(r1).toMatchObject({ ErrorCode: 0, MsgSeq: 1 });
    const r2 = await s.v4(`${G}/send_group_msg`, {
      GroupId: 'team',
      Random: 12,
      MsgBody: text('from admin'),
    });
    expect(r2.MsgSeq).toBe(2);
    const dup = await s.v4(`${G}/send_group_msg`, {
      GroupId: 'team',
      Random: 12,
      MsgBody: text('from admin'),
    });
    expect(dup.MsgSeq).toBe(2);
    await waitFor(() => m1.messages.length === 2, 'm1 live');
    expect(m1.messages[0]).toMatchObject({
      conversationID: 'group_team',
      groupId: 'team',
      from: 'owner',
      msgSeq: 1,
      atUserList: ['m1'],
    });
    const back = await loggedIn(s, 'm2', { instanceID: 'm2' });
    await waitFor(() => back.messages.length === 2, 'm2 after reconnect');
    expect(back.messages.map((m) => m.msgSeq)).toEqual([1, 2]);
    const key = `1_11_${r1.MsgTime}`;
    const recipients = Object.fromEntries(
      (outcomes.get(key) ?? []).map((o) => [o.userId, [o.push, o.isAtMe]]),
    );
    expect(recipients).toEqual({ m1: [true, true], m2: [true, false], m3: [true, false] }); // REST ignores MsgFlag...
    const r3 = await s.v4(`${G}/send_group_msg`, {
      GroupId: 'team',
      Random: 13,
      MsgBody: text('muted?'),
      SendMsgControl: ['WithMuteNotifications'],
    });
    const muted = Object.fromEntries(
      (outcomes.get(`3_13_${r3.MsgTime}`) ?? []).map((o) => [o.userId, o.reason]),
    );
    expect(muted.m3).toBe('group-msgflag-not-notify'); // ...unless WithMuteNotifications
    expect(await m1.chat.getTotalUnreadMessageCount()).toBe(3);
    await m1.chat.logout();
    await back.chat.logout();
  });

  it('SDK members send to the group; non-members cannot', async () => {
    const m1 = await loggedIn(s, 'm1');
    const owner = await loggedIn(s, 'owner');
    const out = await loggedIn(s, 'out');
    await m1.chat.sendMessage({ groupID: 'team', body: text('sdk to group') });
    await waitFor(
      () => owner.messages.some((m) => m.body[0]?.MsgContent.Text === 'sdk to group'),
      'owner gets it',
    );
    await expect(out.chat.sendMessage({ groupID: 'team', body: text('x') })).rejects.toMatchObject({
      code: 10007,
    });
    await expect(out.chat.sendMessage({ groupID: 'nope', body: text('x') })).rejects.toMatchObject({
      code: 10010,
    });
    for (const c of [m1, owner, out]) await c.chat.logout();
  });

  it('fans a message out to a large group in one transaction', async () => {
    const ids = Array.from({ length: 400 }, (_, i) => `big${i}`);
    for (let i = 0; i < ids.length; i += 100) {
      await s.v4('im_open_login_svc/multiaccount_import', { Accounts: ids.slice(i, i + 100) });
    }
    const created = await s.v4(`${G}/create_group`, {
      Type: 'Public',
      GroupId: 'big',
      Name: 'Big',
      Owner_Account: 'big0',
      MemberList: ids.slice(1).map((Member_Account) => ({ Member_Account })),
    });
    expect(created.ErrorCode).toBe(0);
    const r = await s.v4(`${G}/send_group_msg`, {
      GroupId: 'big',
      From_Account: 'big0',
      Random: 77,
      MsgBody: text('all'),
    });
    expect(r.ErrorCode).toBe(0);
    const recipients = outcomes.get(`1_77_${r.MsgTime}`) ?? [];
    expect(recipients).toHaveLength(399);
    expect(new Set(recipients.map((o) => o.userId)).size).toBe(399);
    expect(recipients.every((o) => o.seq === 1 && o.conversationUnread === 1)).toBe(true);
    // The members are offline: their unread totals are read only where a live connection may take them
    // (a multi-node router cannot tell, and reads them all).
    expect(recipients.every((o) => o.totalUnread === undefined || o.totalUnread === 1)).toBe(true);
    const last = await loggedIn(s, 'big399', { lastSeq: 0 });
    await waitFor(() => last.messages.length === 1, 'member receives');
    await last.chat.logout();
  });

  it('answers the group error codes', async () => {
    const code = async (cmd: string, body: unknown) => (await s.v4(`${G}/${cmd}`, body)).ErrorCode;
    expect(await code('create_group', { Type: 'Work', GroupId: 'team', Name: 'again' })).toBe(10021);
    expect(await code('create_group', { Type: 'Nope', Name: 'x' })).toBe(10004);
    expect(await code('create_group', { Type: 'Work', Name: 'x', GroupId: '@TGS#mine' })).toBe(10015);
    expect(await code('create_group', { Type: 'Work', Name: 'x', Owner_Account: 'ghost' })).toBe(10019);
    expect(await code('send_group_msg', { GroupId: 'nope', Random: 1, MsgBody: text('x') })).toBe(10010);
    expect(await code('send_group_msg', { GroupId: 'team', MsgBody: text('x') })).toBe(10004);
    expect(
      await code('send_group_msg', { GroupId: 'team', Random: 1, From_Account: 'out', MsgBody: text('x') }),
    ).toBe(10007);
    expect(
      await code('send_group_msg', { GroupId: 'team', Random: 1, MsgBody: text('y'.repeat(8001)) }),
    ).toBe(80002);
    expect(
      await code('modify_group_member_info', { GroupId: 'team', Member_Account: 'm1', MsgFlag: 'Loud' }),
    ).toBe(10004);
    expect(
      await code('modify_group_member_info', { GroupId: 'team', Member_Account: 'out', MsgFlag: 'Discard' }),
    ).toBe(10007);
    expect(await code('get_group_member_info', { GroupId: 'nope' })).toBe(10010);
    expect(await code('delete_group_member', { GroupId: 'team', MemberToDel_Account: ['m3'] })).toBe(0);
    expect((await s.v4(`${G}/get_group_member_info`, { GroupId: 'team' })).MemberNum).toBe(3);
    expect(await code('destroy_group', { GroupId: 'team' })).toBe(0);
    expect(await code('destroy_group', { GroupId: 'team' })).toBe(10010);
  });
});
