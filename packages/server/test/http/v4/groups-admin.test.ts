// Group management end to end through real HTTP and real SDK clients: the REST commands (get_group_info
// with its filters, modify_group_base_info, get_joined_group_list, get_role_in_group, forbid_send_msg,
// get_group_muted_account, change_group_owner, send_group_system_notification, get_appid_group_list and the
// profile fields of create_group), muted members refused (REST and SDK sends), group tips live and after a
// reconnect and never pushed, and the SDK's group management with Tencent's permission rules.
import {
  type GroupChangeInfo,
  GroupMemberFilter,
  GroupMemberRole,
  type GroupTipsElem,
  GroupTipsType,
  groupTipsOf,
  type PushlineError,
  type ReceivedMessage,
} from '@pushline/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genUserSig } from '../../../src/index.js';
import { loggedIn, type TestClient, waitFor } from '../../helpers/clients.js';
import { testBackends } from '../../helpers/databases.js';
import { backgroundPhone, type PushWorld, random, startPushWorld, text } from '../../helpers/push-e2e.js';

const backends = await testBackends();
const G = 'group_open_http_svc';

const tipsIn = (messages: ReceivedMessage[], groupID: string): GroupTipsElem[] =>
  messages.filter((m) => m.groupId === groupID).flatMap((m) => groupTipsOf(m) ?? []);
const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return (err as PushlineError).code;
  }
  return 0;
};

describe.each(backends)('group management on %s', (backend) => {
  let w: PushWorld;
  const v4 = (cmd: string, body: unknown) => w.s.v4(`${G}/${cmd}`, body);
  const code = async (cmd: string, body: unknown) => (await v4(cmd, body)).ErrorCode;
  const clients: TestClient[] = [];
  /** Logs in; the same `instanceID` again resumes where that device left off (a reconnect). */
  const online = async (userID: string, instanceID = `${userID}-${clients.length}`) => {
    const c = await loggedIn(w.s, userID, { instanceID });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    w = await startPushWorld(backend);
    const r = await w.s.v4('im_open_login_svc/multiaccount_import', {
      Accounts: ['owner', 'adm', 'm1', 'm2', 'm3', 'out', 'n1', 'p1'],
    });
    expect(r.ErrorCode).toBe(0);
  });
  afterAll(async () => {
    for (const c of clients) await c.chat.logout().catch(() => {});
    await w?.close();
  });

  it('create_group keeps the profile fields; get_group_info answers them, filtered by ResponseFilter', async () => {
    const created = await v4('create_group', {
      Owner_Account: 'owner',
      Type: 'Public',
      GroupId: 'club',
      Name: 'Club',
      Introduction: 'About the club',
      Notification: 'Be nice',
      FaceUrl: 'https://x.example/club.png',
      MaxMemberNum: 10,
      ApplyJoinOption: 'FreeAccess',
      AppDefinedData: [{ Key: 'topic', Value: 'chess' }],
      MemberList: [
        { Member_Account: 'adm', Role: 'Admin', AppMemberDefinedData: [{ Key: 'level', Value: 'gold' }] },
        { Member_Account: 'm1' },
        { Member_Account: 'm2' },
      ],
    });
    expect(created).toMatchObject({ ErrorCode: 0, GroupId: 'club' });

    const all = await v4('get_group_info', { GroupIdList: ['club', 'nope'] });
    expect(all.ErrorCode).toBe(0);
    const [club, nope] = all.GroupInfo as Record<string, unknown>[];
    expect(club).toMatchObject({
      GroupId: 'club',
      ErrorCode: 0,
      Type: 'Public',
      Name: 'Club',
      Introduction: 'About the club',
      Notification: 'Be nice',
      FaceUrl: 'https://x.example/club.png',
      Owner_Account: 'owner',
      MemberNum: 4,
      MaxMemberNum: 10,
      ApplyJoinOption: 'FreeAccess',
      ShutUpAllMember: 'Off',
      NextMsgSeq: 1,
      LastMsgTime: 0,
      InfoSeq: 0,
      AppDefinedData: [{ Key: 'topic', Value: 'chess' }],
    });
    const members = club!.MemberList as Record<string, unknown>[];
    // Members joined in the same second are listed by account.
    expect(members.map((m) => [m.Member_Account, m.Role])).toEqual([
      ['adm', 'Admin'],
      ['m1', 'Member'],
      ['m2', 'Member'],
      ['owner', 'Owner'],
    ]);
    expect(members[0]).toMatchObject({
      AppMemberDefinedData: [{ Key: 'level', Value: 'gold' }],
      ShutUpUntil: 0,
    });
    expect(nope).toMatchObject({ GroupId: 'nope', ErrorCode: 10010 });

    const filtered = await v4('get_group_info', {
      GroupIdList: ['club'],
      ResponseFilter: {
        GroupBaseInfoFilter: ['Name', 'MemberNum'],
        MemberInfoFilter: ['Role'],
        AppDefinedDataFilter_Group: ['other'],
        AppDefinedDataFilter_GroupMember: ['level'],
      },
    });
    const [f] = filtered.GroupInfo as Record<string, unknown>[];
    expect(Object.keys(f!).sort()).toEqual(
      ['AppDefinedData', 'ErrorCode', 'ErrorInfo', 'GroupId', 'MemberList', 'MemberNum', 'Name'].sort(),
    );
    expect(f!.AppDefinedData).toEqual([]);
    expect((f!.MemberList as unknown[])[0]).toEqual({
      Member_Account: 'adm',
      Role: 'Admin',
      AppMemberDefinedData: [{ Key: 'level', Value: 'gold' }],
    });
    const baseOnly = await v4('get_group_info', {
      GroupIdList: ['club'],
      ResponseFilter: { GroupBaseInfoFilter: ['Type'] },
    });
    expect(baseOnly.GroupInfo).toEqual([{ GroupId: 'club', ErrorCode: 0, ErrorInfo: '', Type: 'Public' }]);

    // Refusals: nothing is created.
    const bad = { Type: 'Public', Name: 'Bad', GroupId: 'bad' };
    expect(await code('create_group', { ...bad, Introduction: 'x'.repeat(241) })).toBe(10004);
    expect(await code('create_group', { ...bad, Notification: 'x'.repeat(301) })).toBe(10004);
    expect(await code('create_group', { ...bad, FaceUrl: 'x'.repeat(101) })).toBe(10004);
    expect(await code('create_group', { ...bad, MaxMemberNum: 6001 })).toBe(10004);
    expect(
      await code('create_group', {
        ...bad,
        Owner_Account: 'owner',
        MaxMemberNum: 1,
        MemberList: [{ Member_Account: 'm1' }],
      }),
    ).toBe(10014);
    expect(
      await code('create_group', { ...bad, AppDefinedData: [{ Key: 'k'.repeat(17), Value: 'v' }] }),
    ).toBe(10004);
    expect(
      await code('create_group', {
        ...bad,
        AppDefinedData: Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })),
      }),
    ).toBe(10004);
    expect(
      await code('create_group', {
        ...bad,
        MemberList: [{ Member_Account: 'm1', AppMemberDefinedData: [{ Key: 'k', Value: 'v'.repeat(65) }] }],
      }),
    ).toBe(10004);
    expect(
      ((await v4('get_group_info', { GroupIdList: ['bad'] })).GroupInfo as { ErrorCode: number }[])[0]!
        .ErrorCode,
    ).toBe(10010);
    expect(await code('get_group_info', { GroupIdList: Array.from({ length: 51 }, (_, i) => `g${i}`) })).toBe(
      10004,
    );
    expect(await code('get_group_info', { GroupIdList: [] })).toBe(10004);
    expect(
      await code('get_group_info', {
        GroupIdList: ['club'],
        ResponseFilter: { MemberInfoFilter: ['MsgSeq'] },
      }),
    ).toBe(10004);
    expect(
      await code('get_group_info', {
        GroupIdList: ['club'],
        ResponseFilter: { GroupBaseInfoFilter: ['Age'] },
      }),
    ).toBe(10004);
  });

  it('modify_group_base_info changes the profile; online members get the tip, others find it after reconnect', async () => {
    const m1 = await online('m1');
    await (await online('m2', 'm2-phone')).chat.logout();
    const changes: GroupChangeInfo[][] = [];
    m1.chat.getGroupManager().addGroupListener({ onGroupInfoChanged: (_g, list) => changes.push(list) });
    const r = await v4('modify_group_base_info', {
      GroupId: 'club',
      Name: 'Chess club',
      Notification: 'Tournament on Friday',
      AppDefinedData: [
        { Key: 'topic', Value: '' },
        { Key: 'room', Value: '12' },
      ],
    });
    expect(r.ErrorCode).toBe(0);
    const [info] = (await v4('get_group_info', { GroupIdList: ['club'] })).GroupInfo as Record<
      string,
      unknown
    >[];
    expect(info).toMatchObject({
      Name: 'Chess club',
      Notification: 'Tournament on Friday',
      Introduction: 'About the club',
      InfoSeq: 1,
      AppDefinedData: [{ Key: 'room', Value: '12' }],
    });
    expect(info!.LastInfoTime).toBeGreaterThan(0);
    await waitFor(() => changes.length === 1, 'm1 gets the info-change tip');
    expect(changes[0]).toEqual([
      { type: 1, field: 'Name', value: 'Chess club' },
      { type: 3, field: 'Notification', value: 'Tournament on Friday' },
      { type: 6, field: 'AppDefinedData', key: 'topic', value: '' },
      { type: 6, field: 'AppDefinedData', key: 'room', value: '12' },
    ]);
    const tip = tipsIn(m1.messages, 'club')[0]!;
    expect(tip).toMatchObject({ type: GroupTipsType.GROUP_INFO_CHANGE, opMember: w.s.app.adminIdentifier });

    // m2 was offline: the tip is in its history when it connects.
    const m2 = await online('m2', 'm2-phone');
    await waitFor(() => tipsIn(m2.messages, 'club').length === 1, 'm2 syncs the tip');
    expect(tipsIn(m2.messages, 'club')[0]!.type).toBe(GroupTipsType.GROUP_INFO_CHANGE);
    // Tips do not count as unread.
    expect(await m2.chat.getTotalUnreadMessageCount()).toBe(0);

    // Refused: nothing written.
    expect(await code('modify_group_base_info', { GroupId: 'nope', Name: 'x' })).toBe(10010);
    expect(await code('modify_group_base_info', { GroupId: 'club', MaxMemberNum: 2 })).toBe(10004);
    expect(await code('modify_group_base_info', { GroupId: 'club', Name: '' })).toBe(10004);
    expect(await code('modify_group_base_info', { GroupId: 'club', InviteJoinOption: 'FreeAccess' })).toBe(
      10004,
    );
    expect(await code('modify_group_base_info', { GroupId: 'club', ShutUpAllMember: 'Yes' })).toBe(10004);
    expect(
      await code('modify_group_base_info', {
        GroupId: 'club',
        Name: 'Never',
        AppDefinedData: Array.from({ length: 10 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })),
      }),
    ).toBe(10004);
    const [after] = (await v4('get_group_info', { GroupIdList: ['club'] })).GroupInfo as Record<
      string,
      unknown
    >[];
    expect(after).toMatchObject({
      Name: 'Chess club',
      InfoSeq: 1,
      AppDefinedData: [{ Key: 'room', Value: '12' }],
    });
    // The same values again: nothing changes, InfoSeq stays, no tip.
    expect(await code('modify_group_base_info', { GroupId: 'club', Name: 'Chess club' })).toBe(0);
    const [same] = (await v4('get_group_info', { GroupIdList: ['club'] })).GroupInfo as Record<
      string,
      unknown
    >[];
    expect(same!.InfoSeq).toBe(1);
  });

  it('muted members cannot send (REST and SDK, 10017) until unmuted; ShutUpAllMember spares owner and admins', async () => {
    const send = (from: string | undefined, t: string) =>
      v4('send_group_msg', {
        GroupId: 'club',
        ...(from ? { From_Account: from } : {}),
        Random: random(),
        MsgBody: text(t),
      });
    const m1 = clients.find((c) => c.chat.getLoginUser() === 'm1')!;
    const muted: { userID: string; muteTime: number }[][] = [];
    m1.chat.getGroupManager().addGroupListener({ onMemberInfoChanged: (_g, list) => muted.push(list) });

    expect(await code('forbid_send_msg', { GroupId: 'club', Members_Account: ['m1'], ShutUpTime: 600 })).toBe(
      0,
    );
    const list = await v4('get_group_muted_account', { GroupId: 'club' });
    const now = Math.floor(Date.now() / 1000);
    expect(list.ShuttedUinList).toEqual([{ Member_Account: 'm1', ShuttedUntil: expect.any(Number) }]);
    const until = (list.ShuttedUinList as { ShuttedUntil: number }[])[0]!.ShuttedUntil;
    expect(until).toBeGreaterThan(now);
    const [member] = (
      await v4('get_group_member_info', {
        GroupId: 'club',
        MemberInfoFilter: ['ShutUpUntil'],
        Limit: 1,
        Offset: 1,
      })
    ).MemberList as Record<string, unknown>[];
    expect(member).toEqual({ Member_Account: 'm1', ShutUpUntil: until });
    await waitFor(() => muted.length === 1, 'm1 gets the mute tip');
    expect(muted[0]).toEqual([{ userID: 'm1', muteTime: 600 }]);

    expect((await send('m1', 'muted?')).ErrorCode).toBe(10017);
    expect(await failure(m1.chat.sendMessage({ groupID: 'club', body: text('muted sdk') }))).toBe(10017);
    expect((await send('m2', 'not muted')).ErrorCode).toBe(0);

    expect(await code('forbid_send_msg', { GroupId: 'club', Members_Account: ['m1'], ShutUpTime: 0 })).toBe(
      0,
    );
    expect((await v4('get_group_muted_account', { GroupId: 'club' })).ShuttedUinList).toEqual([]);
    expect((await send('m1', 'free again')).ErrorCode).toBe(0);
    expect(await failure(m1.chat.sendMessage({ groupID: 'club', body: text('free sdk') }))).toBe(0);

    // modify_group_member_info ShutUpTime: the same mute.
    expect(
      await code('modify_group_member_info', { GroupId: 'club', Member_Account: 'm1', ShutUpTime: 120 }),
    ).toBe(0);
    expect((await send('m1', 'muted again')).ErrorCode).toBe(10017);
    expect(
      await code('modify_group_member_info', { GroupId: 'club', Member_Account: 'm1', MuteTime: 0 }),
    ).toBe(0);
    expect((await send('m1', 'free once more')).ErrorCode).toBe(0);

    // Everyone muted: members cannot send, the owner, admins and the administrator can.
    expect(await code('modify_group_base_info', { GroupId: 'club', ShutUpAllMember: 'On' })).toBe(0);
    expect((await send('m2', 'all muted')).ErrorCode).toBe(10017);
    expect(await failure(m1.chat.sendMessage({ groupID: 'club', body: text('all muted sdk') }))).toBe(10017);
    expect((await send('adm', 'admin speaks')).ErrorCode).toBe(0);
    expect((await send('owner', 'owner speaks')).ErrorCode).toBe(0);
    expect((await send(undefined, 'administrator speaks')).ErrorCode).toBe(0);
    expect(await code('modify_group_base_info', { GroupId: 'club', ShutUpAllMember: 'Off' })).toBe(0);
    expect((await send('m2', 'all free')).ErrorCode).toBe(0);

    // Refusals.
    await v4('create_group', {
      Type: 'Work',
      GroupId: 'work1',
      Name: 'W',
      Owner_Account: 'owner',
      MemberList: [{ Member_Account: 'm1' }],
    });
    expect(await code('forbid_send_msg', { GroupId: 'work1', Members_Account: ['m1'], ShutUpTime: 60 })).toBe(
      10007,
    );
    expect(
      await code('modify_group_member_info', { GroupId: 'work1', Member_Account: 'm1', ShutUpTime: 60 }),
    ).toBe(10007);
    expect(await code('forbid_send_msg', { GroupId: 'nope', Members_Account: ['m1'], ShutUpTime: 60 })).toBe(
      10010,
    );
    expect(
      await code('forbid_send_msg', { GroupId: 'club', Members_Account: ['m1', 'out'], ShutUpTime: 60 }),
    ).toBe(10007);
    expect((await v4('get_group_muted_account', { GroupId: 'club' })).ShuttedUinList).toEqual([]);
    expect(await code('forbid_send_msg', { GroupId: 'club', Members_Account: ['m1'] })).toBe(10004);
    expect(await code('forbid_send_msg', { GroupId: 'club', Members_Account: [], ShutUpTime: 1 })).toBe(
      10004,
    );
    expect(await code('get_group_muted_account', { GroupId: 'nope' })).toBe(10010);
  });

  it('member custom data: modify_group_member_info AppMemberDefinedData and AppDefinedDataFilter_GroupMember', async () => {
    expect(
      await code('modify_group_member_info', {
        GroupId: 'club',
        Member_Account: 'm1',
        AppMemberDefinedData: [{ Key: 'level', Value: 'silver' }],
      }),
    ).toBe(0);
    const r = await v4('get_group_member_info', {
      GroupId: 'club',
      AppDefinedDataFilter_GroupMember: ['level'],
    });
    const byId = Object.fromEntries(
      (r.MemberList as { Member_Account: string; AppMemberDefinedData: unknown }[]).map((m) => [
        m.Member_Account,
        m.AppMemberDefinedData,
      ]),
    );
    expect(byId).toMatchObject({
      adm: [{ Key: 'level', Value: 'gold' }],
      m1: [{ Key: 'level', Value: 'silver' }],
      m2: [],
    });
    expect(
      await code('modify_group_member_info', {
        GroupId: 'club',
        Member_Account: 'm1',
        NameCard: 'never',
        AppMemberDefinedData: Array.from({ length: 6 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })),
      }),
    ).toBe(10004);
    const m1 = (
      (await v4('get_group_member_info', { GroupId: 'club', MemberInfoFilter: ['NameCard'] })).MemberList as {
        Member_Account: string;
        NameCard: string;
      }[]
    ).find((m) => m.Member_Account === 'm1');
    expect(m1?.NameCard).toBe('');
  });

  it('change_group_owner, get_role_in_group, get_joined_group_list and get_appid_group_list', async () => {
    expect(await code('change_group_owner', { GroupId: 'club', NewOwner_Account: 'adm' })).toBe(0);
    const roles = await v4('get_role_in_group', { GroupId: 'club', User_Account: ['owner', 'adm', 'out'] });
    expect(roles.UserIdList).toEqual([
      { Member_Account: 'owner', Role: 'Member' },
      { Member_Account: 'adm', Role: 'Owner' },
      { Member_Account: 'out', Role: 'NotMember' },
    ]);
    const [info] = (
      await v4('get_group_info', {
        GroupIdList: ['club'],
        ResponseFilter: { GroupBaseInfoFilter: ['Owner_Account'] },
      })
    ).GroupInfo as Record<string, unknown>[];
    expect(info!.Owner_Account).toBe('adm');
    const m1 = clients.find((c) => c.chat.getLoginUser() === 'm1')!;
    await waitFor(
      () =>
        tipsIn(m1.messages, 'club').some((t) =>
          t.groupChangeInfoList?.some((c) => c.field === 'Owner_Account' && c.value === 'adm'),
        ),
      'owner change tip',
    );
    expect(await code('change_group_owner', { GroupId: 'club', NewOwner_Account: 'out' })).toBe(10007);
    expect(await code('change_group_owner', { GroupId: 'club', NewOwner_Account: 'ghost' })).toBe(10019);
    expect(await code('change_group_owner', { GroupId: 'nope', NewOwner_Account: 'm1' })).toBe(10010);
    await v4('create_group', {
      Type: 'AVChatRoom',
      GroupId: 'live',
      Name: 'Live',
      Owner_Account: 'owner',
      MemberList: [{ Member_Account: 'm1' }],
    });
    expect(await code('change_group_owner', { GroupId: 'live', NewOwner_Account: 'm1' })).toBe(10007);
    expect(await code('get_role_in_group', { GroupId: 'nope', User_Account: ['m1'] })).toBe(10010);
    expect(await code('get_role_in_group', { GroupId: 'club', User_Account: [] })).toBe(10004);

    // m1 is in club (Public, with messages), work1 (Work, no message yet) and live (AVChatRoom).
    const plain = await v4('get_joined_group_list', { Member_Account: 'm1' });
    expect(plain).toMatchObject({ TotalCount: 1, GroupIdList: [{ GroupId: 'club' }] });
    const inactive = await v4('get_joined_group_list', { Member_Account: 'm1', WithNoActiveGroups: 1 });
    expect((inactive.GroupIdList as { GroupId: string }[]).map((g) => g.GroupId).sort()).toEqual([
      'club',
      'work1',
    ]);
    const huge = await v4('get_joined_group_list', {
      Member_Account: 'm1',
      WithHugeGroups: 1,
      WithNoActiveGroups: 1,
    });
    expect(huge.TotalCount).toBe(3);
    const page = await v4('get_joined_group_list', {
      Member_Account: 'm1',
      WithHugeGroups: 1,
      WithNoActiveGroups: 1,
      GroupType: 'Work',
      Limit: 1,
      Offset: 0,
      ResponseFilter: { GroupBaseInfoFilter: ['Name', 'Type'], SelfInfoFilter: ['Role', 'MsgFlag'] },
    });
    expect(page).toMatchObject({
      TotalCount: 1,
      GroupIdList: [
        {
          GroupId: 'work1',
          Name: 'W',
          Type: 'Work',
          SelfInfo: { Role: 'Member', MsgFlag: 'AcceptAndNotify' },
        },
      ],
    });
    const typed = await v4('get_joined_group_list', { Member_Account: 'm1', GroupType: 'Work' });
    expect(typed).toMatchObject({ TotalCount: 0, GroupIdList: [] });
    const offset = await v4('get_joined_group_list', {
      Member_Account: 'm1',
      WithHugeGroups: 1,
      WithNoActiveGroups: 1,
      Offset: 2,
    });
    expect(offset).toMatchObject({ TotalCount: 3 });
    expect(offset.GroupIdList).toHaveLength(1);
    expect(await code('get_joined_group_list', { Member_Account: 'ghost' })).toBe(10019);
    expect(
      await code('get_joined_group_list', {
        Member_Account: 'm1',
        ResponseFilter: { SelfInfoFilter: ['UnreadMsgNum'] },
      }),
    ).toBe(10004);
    expect(await code('get_joined_group_list', { Member_Account: 'm1', GroupType: 'Club' })).toBe(10004);

    const first = await v4('get_appid_group_list', { Limit: 2 });
    expect(first).toMatchObject({
      TotalCount: 3,
      Next: 2,
      GroupIdList: [{ GroupId: 'club' }, { GroupId: 'live' }],
    });
    const rest = await v4('get_appid_group_list', { Limit: 2, Next: first.Next });
    expect(rest).toMatchObject({ TotalCount: 3, Next: 0, GroupIdList: [{ GroupId: 'work1' }] });
    expect(await v4('get_appid_group_list', { GroupType: 'AVChatRoom' })).toMatchObject({
      TotalCount: 1,
      Next: 0,
      GroupIdList: [{ GroupId: 'live' }],
    });
    expect(await code('get_appid_group_list', { Limit: 0 })).toBe(10004);
  });

  it('send_group_system_notification reaches the members named, live and after reconnect', async () => {
    const m1 = clients.find((c) => c.chat.getLoginUser() === 'm1')!;
    const got: string[] = [];
    m1.chat.getGroupManager().addGroupListener({ onReceiveRESTCustomData: (g, d) => got.push(`${g}:${d}`) });
    const m2 = clients.find((c) => c.chat.getLoginUser() === 'm2' && c.chat.getLoginStatus() === 1)!;
    await m2.chat.logout();
    expect(
      await code('send_group_system_notification', {
        GroupId: 'club',
        ToMembers_Account: ['m2'],
        Content: 'only m2',
      }),
    ).toBe(0);
    expect(await code('send_group_system_notification', { GroupId: 'club', Content: 'everyone' })).toBe(0);
    await waitFor(() => got.includes('club:everyone'), 'm1 gets the notification to everyone');
    expect(got).toEqual(['club:everyone']);
    const back = await online('m2', 'm2-phone');
    const m2got: string[] = [];
    await waitFor(
      () => back.messages.filter((m) => m.body[0]?.MsgType === 'TIMGroupSystemNotifyElem').length === 2,
      'm2 syncs both notifications',
    );
    for (const m of back.messages)
      if (m.body[0]?.MsgType === 'TIMGroupSystemNotifyElem') m2got.push(String(m.body[0].MsgContent.content));
    expect(m2got).toEqual(['only m2', 'everyone']);

    expect(
      await code('send_group_system_notification', { GroupId: 'club', Content: 'x', TopicId: 't' }),
    ).toBe(10004);
    expect(await code('send_group_system_notification', { GroupId: 'club', Content: '' })).toBe(10004);
    expect(
      await code('send_group_system_notification', {
        GroupId: 'club',
        ToMembers_Account: ['out'],
        Content: 'x',
      }),
    ).toBe(10004);
    expect(
      await code('send_group_system_notification', {
        GroupId: 'live',
        ToMembers_Account: ['m1'],
        Content: 'x',
      }),
    ).toBe(10004);
    expect(await code('send_group_system_notification', { GroupId: 'nope', Content: 'x' })).toBe(10010);
  });

  it('add_group_member and delete_group_member announce with tips unless Silence; the removed member gets it too', async () => {
    const m1 = clients.find((c) => c.chat.getLoginUser() === 'm1')!;
    const invited: string[][] = [];
    const kicked: { op: string; list: string[] }[] = [];
    m1.chat.getGroupManager().addGroupListener({
      onMemberInvited: (_g, _op, list) => invited.push(list),
      onMemberKicked: (_g, op, list) => kicked.push({ op, list }),
    });
    expect(
      await code('add_group_member', { GroupId: 'club', Silence: 1, MemberList: [{ Member_Account: 'n1' }] }),
    ).toBe(0);
    expect(await code('add_group_member', { GroupId: 'club', MemberList: [{ Member_Account: 'm3' }] })).toBe(
      0,
    );
    await waitFor(() => invited.length === 1, 'm1 sees m3 invited');
    expect(invited).toEqual([['m3']]); // n1 came silently
    const m3 = await online('m3');
    const m3kicked: string[] = [];
    m3.chat.getGroupManager().addGroupListener({ onMemberKicked: (_g, _op, list) => m3kicked.push(...list) });
    expect(
      await code('delete_group_member', { GroupId: 'club', MemberToDel_Account: ['m3'], Reason: 'spam' }),
    ).toBe(0);
    await waitFor(() => kicked.length === 1 && m3kicked.length === 1, 'both see the kick');
    expect(kicked[0]).toEqual({ op: w.s.app.adminIdentifier, list: ['m3'] });
    expect(tipsIn(m3.messages, 'club').at(-1)).toMatchObject({ type: GroupTipsType.KICKED, reason: 'spam' });
    // MaxMemberNum 10 (create_group): club has adm, owner, m1, m2, n1 = 5; six more do not fit.
    await w.s.v4('im_open_login_svc/multiaccount_import', { Accounts: ['f1', 'f2', 'f3', 'f4', 'f5', 'f6'] });
    expect(
      await code('add_group_member', {
        GroupId: 'club',
        MemberList: ['f1', 'f2', 'f3', 'f4', 'f5', 'f6'].map((Member_Account) => ({ Member_Account })),
      }),
    ).toBe(10014);
  });

  it("another app sees none of this app's groups", async () => {
    const other = await w.s.pushline.apps.create({ name: 'Other App' });
    const query = {
      sdkappid: String(other.sdkAppId),
      identifier: other.adminIdentifier,
      usersig: genUserSig({
        sdkAppId: other.sdkAppId,
        key: other.secretKey,
        identifier: other.adminIdentifier,
        expire: 3600,
      }),
    };
    const as = (cmd: string, body: unknown) => w.s.v4(`${G}/${cmd}`, body, query);
    await w.s.v4('im_open_login_svc/multiaccount_import', { Accounts: ['m1'] }, query);
    expect(await as('get_appid_group_list', {})).toMatchObject({ TotalCount: 0, GroupIdList: [] });
    expect(
      ((await as('get_group_info', { GroupIdList: ['club'] })).GroupInfo as { ErrorCode: number }[])[0]!
        .ErrorCode,
    ).toBe(10010);
    expect(
      (await as('forbid_send_msg', { GroupId: 'club', Members_Account: ['m1'], ShutUpTime: 60 })).ErrorCode,
    ).toBe(10010);
    expect((await as('modify_group_base_info', { GroupId: 'club', Name: 'Taken over' })).ErrorCode).toBe(
      10010,
    );
    expect((await as('change_group_owner', { GroupId: 'club', NewOwner_Account: 'm1' })).ErrorCode).toBe(
      10010,
    );
    expect(
      await as('get_joined_group_list', { Member_Account: 'm1', WithHugeGroups: 1, WithNoActiveGroups: 1 }),
    ).toMatchObject({
      TotalCount: 0,
    });
    const [club] = (await v4('get_group_info', { GroupIdList: ['club'] })).GroupInfo as Record<
      string,
      unknown
    >[];
    expect(club).toMatchObject({ Name: 'Chess club', Owner_Account: 'adm' });
  });

  it('group tips are never pushed offline', async () => {
    const phone = await backgroundPhone(w, 'p1', 'apns');
    clients.push(phone.client);
    expect(await code('add_group_member', { GroupId: 'club', MemberList: [{ Member_Account: 'p1' }] })).toBe(
      0,
    );
    expect(await code('modify_group_base_info', { GroupId: 'club', Introduction: 'New intro' })).toBe(0);
    expect(await code('send_group_system_notification', { GroupId: 'club', Content: 'sys' })).toBe(0);
    const r = await v4('send_group_msg', {
      GroupId: 'club',
      From_Account: 'adm',
      Random: random(),
      MsgBody: text('real message'),
    });
    expect(r.ErrorCode).toBe(0);
    const shown = await w.sim.waitFor({ token: phone.token });
    expect(shown.body).toContain('real message');
    expect(w.sim.received({ token: phone.token })).toHaveLength(1);
    const records = [...w.recorder.acceptedRecords, ...w.recorder.skippedRecords].filter(
      (x) => x.toUser === 'p1',
    );
    expect(records).toHaveLength(1);
    // The phone's own connection got the tips live all the same.
    await waitFor(() => tipsIn(phone.client.messages, 'club').length === 2, 'p1 gets the tips live');
  });

  it('SDK group management with Tencent permission rules', async () => {
    const owner = await online('owner');
    const m1 = clients.find((c) => c.chat.getLoginUser() === 'm1')!;
    const m2 = clients.find((c) => c.chat.getLoginUser() === 'm2' && c.chat.getLoginStatus() === 1)!;
    const out = await online('out');
    const og = owner.chat.getGroupManager();
    const entered: string[] = [];
    og.addGroupListener({ onMemberEnter: (_g, list) => entered.push(...list) });

    // Work group: members invite, only the owner removes, nobody joins by asking.
    const w2 = await og.createGroup({
      groupType: 'Work',
      groupID: 'w2',
      groupName: 'W2',
      memberList: [{ userID: 'm1' }],
    });
    expect(w2).toBe('w2');
    expect(await failure(og.createGroup({ groupType: 'Work', groupID: 'w2', groupName: 'again' }))).toBe(
      10021,
    );
    expect(await m1.chat.getGroupManager().inviteUserToGroup('w2', ['m2', 'ghost', 'm1'])).toEqual([
      { userID: 'm2', result: 1 },
      { userID: 'ghost', result: 0 },
      { userID: 'm1', result: 2 },
    ]);
    expect(await failure(m1.chat.getGroupManager().kickGroupMember('w2', ['m2']))).toBe(10007);
    expect(await failure(out.chat.getGroupManager().joinGroup('w2'))).toBe(10007);
    expect(await failure(out.chat.getGroupManager().inviteUserToGroup('w2', ['n1']))).toBe(10007);
    const m2kicked: string[] = [];
    m2.chat.getGroupManager().addGroupListener({ onMemberKicked: (_g, _op, list) => m2kicked.push(...list) });
    expect(await og.kickGroupMember('w2', ['m2', 'out'], 'bye')).toEqual([
      { userID: 'm2', result: 1 },
      { userID: 'out', result: 2 },
    ]);
    await waitFor(() => m2kicked.includes('m2'), 'm2 learns it was removed');
    // Work: any member changes the profile; not the join option or everyone-muted.
    expect(
      await failure(m1.chat.getGroupManager().setGroupInfo({ groupID: 'w2', groupName: 'Renamed' })),
    ).toBe(0);
    expect(await failure(m1.chat.getGroupManager().setGroupInfo({ groupID: 'w2', allMuted: true }))).toBe(
      10007,
    );
    expect(await failure(og.setGroupInfo({ groupID: 'w2', groupAddOpt: 2 }))).toBe(10007);
    expect(await failure(og.muteGroupMember('w2', 'm1', 60))).toBe(10007);
    expect(await failure(m1.chat.getGroupManager().quitGroup('w2'))).toBe(0);
    expect(await failure(m1.chat.getGroupManager().quitGroup('w2'))).toBe(10007);

    // Public group: joined when groupAddOpt allows anyone; owner and admins manage.
    await og.createGroup({
      groupType: 'Public',
      groupID: 'p2',
      groupName: 'P2',
      memberList: [{ userID: 'adm', role: 300 }],
    });
    // Created without groupAddOpt: Tencent's default for Public, AUTH (join requests).
    expect((await og.getGroupsInfo(['p2']))[0]!.info?.groupAddOpt).toBe(1);
    expect(await failure(og.setGroupInfo({ groupID: 'p2', groupAddOpt: 0 }))).toBe(0);
    expect(await failure(out.chat.getGroupManager().joinGroup('p2'))).toBe(10007);
    // AUTH (join requests): the owner may set it (group-join-requests.test.ts drives the requests).
    expect(await failure(og.setGroupInfo({ groupID: 'p2', groupAddOpt: 1 }))).toBe(0);
    expect(await failure(og.setGroupInfo({ groupID: 'p2', groupAddOpt: 2, introduction: 'Open' }))).toBe(0);
    expect(await failure(out.chat.getGroupManager().joinGroup('p2', 'let me in'))).toBe(6017);
    expect(await failure(out.chat.getGroupManager().joinGroup('p2'))).toBe(0);
    await waitFor(() => entered.includes('out'), 'the owner sees out join');
    expect(await failure(out.chat.getGroupManager().joinGroup('p2'))).toBe(10013);
    expect(await failure(out.chat.getGroupManager().inviteUserToGroup('p2', ['n1']))).toBe(10007);
    expect(await failure(out.chat.getGroupManager().setGroupInfo({ groupID: 'p2', groupName: 'Mine' }))).toBe(
      10007,
    );
    expect(await failure(out.chat.getGroupManager().kickGroupMember('p2', ['adm']))).toBe(10007);
    expect(await failure(og.quitGroup('p2'))).toBe(10009);

    // Mutes: owner and admins; the admin not the owner or another admin.
    const adm = await online('adm');
    expect(await failure(out.chat.getGroupManager().muteGroupMember('p2', 'adm', 60))).toBe(10007);
    expect(await failure(adm.chat.getGroupManager().muteGroupMember('p2', 'owner', 60))).toBe(10007);
    expect(await failure(adm.chat.getGroupManager().muteGroupMember('p2', 'out', 60))).toBe(0);
    expect(await failure(out.chat.sendMessage({ groupID: 'p2', body: text('hi') }))).toBe(10017);
    const members = await og.getGroupMemberList('p2', GroupMemberFilter.ALL);
    expect(members.memberInfoList.find((m) => m.userID === 'out')!.muteUntil).toBeGreaterThan(0);
    expect(await failure(adm.chat.getGroupManager().muteGroupMember('p2', 'out', 0))).toBe(0);
    expect(await failure(out.chat.sendMessage({ groupID: 'p2', body: text('hi again') }))).toBe(0);
    // Admins remove members, not the owner.
    expect(await failure(adm.chat.getGroupManager().kickGroupMember('p2', ['owner']))).toBe(10007);

    // Profiles and member lists.
    const infos = await out.chat.getGroupManager().getGroupsInfo(['p2', 'w2', 'nope']);
    expect(infos.map((i) => [i.groupID, i.resultCode])).toEqual([
      ['p2', 0],
      ['w2', 10007],
      ['nope', 10010],
    ]);
    expect(infos[0]!.info).toMatchObject({
      groupType: 'Public',
      groupName: 'P2',
      introduction: 'Open',
      owner: 'owner',
      memberCount: 3,
      groupAddOpt: 2,
      allMuted: false,
      role: GroupMemberRole.MEMBER,
    });
    const page1 = await og.getGroupMemberList('p2', GroupMemberFilter.ALL, 0, 2);
    expect(page1.nextSeq).toBe(2);
    const page2 = await og.getGroupMemberList('p2', GroupMemberFilter.ALL, page1.nextSeq, 2);
    expect(page2.nextSeq).toBe(0);
    expect([...page1.memberInfoList, ...page2.memberInfoList].map((m) => [m.userID, m.role]).sort()).toEqual([
      ['adm', 300],
      ['out', 200],
      ['owner', 400],
    ]);
    const admins = await og.getGroupMemberList('p2', GroupMemberFilter.ADMIN);
    expect(admins.memberInfoList.map((m) => m.userID)).toEqual(['adm']);
    expect(await failure(m1.chat.getGroupManager().getGroupMemberList('p2'))).toBe(10007);

    // V2TIMManager's own createGroup/joinGroup/quitGroup.
    expect(await owner.chat.createGroup('Meeting', 'meet', 'Meet')).toBe('meet');
    expect(await failure(out.chat.joinGroup('meet'))).toBe(0);
    expect((await out.chat.getGroupManager().getGroupsInfo(['meet']))[0]!.info?.groupAddOpt).toBe(2);
    expect(await failure(out.chat.quitGroup('meet'))).toBe(0);
    expect(await failure(owner.chat.quitGroup('meet'))).toBe(10009);

    // Types the SDK does not manage.
    expect(await failure(og.createGroup({ groupType: 'AVChatRoom' as never, groupName: 'x' }))).toBe(6017);
    expect(await failure(og.createGroup({ groupType: 'Community' as never, groupName: 'x' }))).toBe(6017);
    expect(await failure(m1.chat.getGroupManager().quitGroup('live'))).toBe(6017);
    expect(await failure(og.quitGroup('nope'))).toBe(10010);
  });
});
