// Tencent fields Pushline does not implement are refused, never accepted and dropped: each refused field set to
// something Pushline cannot do is answered with the command's invalid-parameter code and an ErrorInfo naming
// the field, and nothing of the request is carried out; the same field at its default is accepted. Values of
// implemented enumerations are validated. get_group_member_info answers only real member fields and applies
// its filters. The gateway's sendMessage/inviteInGroup do the same with 6017. docs/rest-api.md "Fields
// Pushline refuses" lists exactly the fields the commands refuse.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PushlineError } from '@pushline/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountCommands } from '../../../src/http/v4/accounts.js';
import { pushCommands } from '../../../src/http/v4/all-member-push.js';
import type { V4Command } from '../../../src/http/v4/command.js';
import { historyCommands } from '../../../src/http/v4/history.js';
import { importCommands } from '../../../src/http/v4/import.js';
import { messagingCommands } from '../../../src/http/v4/messaging.js';
import { pushStatsCommands } from '../../../src/http/v4/push-stats.js';
import { snsCommands } from '../../../src/http/v4/sns.js';
import { tagAttrCommands } from '../../../src/http/v4/tags-attrs.js';
import { loggedIn, type TestClient, waitFor } from '../../helpers/clients.js';
import { testBackends } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

const backends = await testBackends();
const G = 'group_open_http_svc';
const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];
let nextRandom = 1;
const random = () => nextRandom++;

/** A valid request of each command the table uses; each row adds its fields. */
const base: Record<string, () => Record<string, unknown>> = {
  'openim/sendmsg': () => ({
    From_Account: 'alice',
    To_Account: 'bob',
    MsgRandom: random(),
    MsgBody: text('x'),
  }),
  'openim/batchsendmsg': () => ({ To_Account: ['bob'], MsgRandom: random(), MsgBody: text('x') }),
  [`${G}/send_group_msg`]: () => ({ GroupId: 'team', Random: random(), MsgBody: text('x') }),
  [`${G}/create_group`]: () => ({ Type: 'Work', Name: 'x' }),
  [`${G}/import_group`]: () => ({ Type: 'Work', Name: 'x', CreateTime: 1_600_000_000 }),
  [`${G}/modify_group_member_info`]: () => ({ GroupId: 'team', Member_Account: 'bob' }),
  [`${G}/get_group_member_info`]: () => ({ GroupId: 'team' }),
  [`${G}/add_group_member`]: () => ({ GroupId: 'team', MemberList: [{ Member_Account: 'carol' }] }),
  [`${G}/delete_group_member`]: () => ({ GroupId: 'team', MemberToDel_Account: ['dave'] }),
  [`${G}/modify_group_base_info`]: () => ({ GroupId: 'team' }),
  [`${G}/get_group_info`]: () => ({ GroupIdList: ['team'] }),
  [`${G}/get_joined_group_list`]: () => ({ Member_Account: 'bob' }),
  [`${G}/send_group_system_notification`]: () => ({ GroupId: 'team', Content: 'x' }),
};

const kv = [{ Key: 'level', Value: 'gold' }];
const C2C = ['openim/sendmsg', 'openim/batchsendmsg'];

/** [command, fields, code, ErrorInfo] — refused: a Tencent field set to what Pushline does not do. */
const refused: [string, Record<string, unknown>, number, RegExp][] = [
  ...C2C.flatMap((c): [string, Record<string, unknown>, number, RegExp][] => [
    [
      c,
      { SupportMessageExtension: 1 },
      90010,
      /^SupportMessageExtension: Pushline has no message extensions/,
    ],
    [c, { IsNeedReadReceipt: 1 }, 90010, /^IsNeedReadReceipt: Pushline has no message read receipts/],
  ]),
  [`${G}/send_group_msg`, { SupportMessageExtension: 1 }, 10004, /^SupportMessageExtension: /],
  [`${G}/send_group_msg`, { IsNeedReadReceipt: 1 }, 10004, /^IsNeedReadReceipt: /],
  [`${G}/send_group_msg`, { NeedReadReceipt: 1 }, 10004, /^NeedReadReceipt: .*read receipts/],
  [`${G}/send_group_msg`, { TopicId: 'topic' }, 10004, /^TopicId: Pushline has no Community topics/],
  [`${G}/create_group`, { InviteJoinOption: 'FreeAccess' }, 10004, /^InviteJoinOption: .*DisableInvite/],
  [`${G}/create_group`, { SupportTopic: 1 }, 10004, /^SupportTopic: .*topics/],
  [`${G}/get_group_member_info`, { MemberInfoFilter: ['Role', 'MsgSeq'] }, 10004, /^MemberInfoFilter: /],
  [`${G}/get_group_member_info`, { MemberInfoFilter: ['LastSendMsgTime'] }, 10004, /^MemberInfoFilter: /],
  [`${G}/get_group_member_info`, { Next: 'cursor' }, 10004, /^Next: .*Offset/],
  [`${G}/modify_group_base_info`, { InviteJoinOption: 'FreeAccess' }, 10004, /^InviteJoinOption: /],
  [
    `${G}/get_group_info`,
    { ResponseFilter: { MemberInfoFilter: ['MsgSeq'] } },
    10004,
    /^ResponseFilter\.MemberInfoFilter: .*MsgSeq/,
  ],
  [
    `${G}/get_joined_group_list`,
    { ResponseFilter: { SelfInfoFilter: ['UnreadMsgNum'] } },
    10004,
    /^ResponseFilter\.SelfInfoFilter: /,
  ],
  [`${G}/send_group_system_notification`, { TopicId: 'topic' }, 10004, /^TopicId: .*topics/],
];

/** [command, fields] — the same fields at their default (what Pushline does anyway) are accepted. */
const accepted: [string, Record<string, unknown>][] = [
  ...C2C.flatMap((c): [string, Record<string, unknown>][] => [
    [c, { SupportMessageExtension: 0, IsNeedReadReceipt: 0 }],
    [c, { SendMsgControl: ['NoUnread', 'NoLastMsg', 'WithMuteNotifications'] }],
    [c, { ForbidCallbackControl: ['ForbidBeforeSendMsgCallback', 'ForbidAfterSendMsgCallback'] }],
  ]),
  [`${G}/send_group_msg`, { SupportMessageExtension: 0, IsNeedReadReceipt: 0, NeedReadReceipt: 0 }],
  ...['High', 'Normal', 'Low', 'Lowest'].map((MsgPriority): [string, Record<string, unknown>] => [
    `${G}/send_group_msg`,
    { MsgPriority },
  ]),
  [`${G}/send_group_msg`, { ForbidCallbackControl: ['ForbidBeforeSendMsgCallback'] }],
  [`${G}/send_group_msg`, { SendMsgControl: ['NoUnread', 'NoLastMsg', 'WithMuteNotifications'] }],
  [
    `${G}/create_group`,
    {
      Introduction: '',
      Notification: '',
      FaceUrl: '',
      MaxMemberCount: 6000,
      MaxMemberNum: 6000,
      ApplyJoinOption: 'DisableApply',
      InviteJoinOption: 'DisableInvite',
      AppDefinedData: [],
      SupportTopic: 0,
      MemberList: [{ Member_Account: 'bob', AppMemberDefinedData: [] }],
    },
  ],
  [`${G}/modify_group_member_info`, { ShutUpTime: 0, MuteTime: 0, AppMemberDefinedData: [] }],
  [`${G}/get_group_member_info`, { AppDefinedDataFilter_GroupMember: [], Next: '' }],
  // Fields refused before group management, now implemented (groups-admin.test.ts proves what they do).
  [
    `${G}/create_group`,
    {
      Introduction: 'About us',
      Notification: 'Be nice',
      FaceUrl: 'https://x/a.png',
      MaxMemberNum: 200,
      ApplyJoinOption: 'FreeAccess',
      AppDefinedData: kv,
      MemberList: [{ Member_Account: 'bob', AppMemberDefinedData: kv }],
    },
  ],
  [`${G}/create_group`, { MaxMemberCount: 200 }],
  [`${G}/import_group`, { ApplyJoinOption: 'DisableApply' }],
  [`${G}/modify_group_member_info`, { AppMemberDefinedData: kv }],
  [`${G}/get_group_member_info`, { MemberInfoFilter: ['AppMemberDefinedData'] }],
  [`${G}/get_group_member_info`, { AppDefinedDataFilter_GroupMember: ['level'] }],
  [`${G}/modify_group_base_info`, { ApplyJoinOption: 'DisableApply', InviteJoinOption: 'DisableInvite' }],
  [`${G}/add_group_member`, { Silence: 0 }],
  [`${G}/add_group_member`, { Silence: 1 }],
  [`${G}/delete_group_member`, { Silence: 1, Reason: 'spam' }],
];

/** [command, fields, code, ErrorInfo] — values outside what Tencent defines. */
const invalidValues: [string, Record<string, unknown>, number, RegExp][] = [
  ['openim/sendmsg', { SendMsgControl: ['NoPush'] }, 90010, /SendMsgControl/],
  ['openim/sendmsg', { ForbidCallbackControl: ['ForbidAll'] }, 90010, /ForbidCallbackControl/],
  ['openim/sendmsg', { SupportMessageExtension: 2 }, 90010, /SupportMessageExtension/],
  ['openim/batchsendmsg', { IsNeedReadReceipt: 5 }, 90010, /IsNeedReadReceipt/],
  [`${G}/send_group_msg`, { MsgPriority: 'Urgent' }, 10004, /MsgPriority/],
  [`${G}/send_group_msg`, { SendMsgControl: ['NoPush'] }, 10004, /SendMsgControl/],
  [`${G}/send_group_msg`, { ForbidCallbackControl: ['ForbidAll'] }, 10004, /ForbidCallbackControl/],
  [`${G}/create_group`, { ApplyJoinOption: 'Open' }, 10004, /ApplyJoinOption/],
  [`${G}/create_group`, { SupportTopic: 2 }, 10004, /SupportTopic/],
  [`${G}/add_group_member`, { Silence: 2 }, 10004, /Silence/],
  [`${G}/delete_group_member`, { Silence: -1 }, 10004, /Silence/],
  [`${G}/get_group_member_info`, { MemberInfoFilter: ['Age'] }, 10004, /MemberInfoFilter/],
  [`${G}/get_group_member_info`, { MemberRoleFilter: ['Boss'] }, 10004, /MemberRoleFilter/],
];

describe.each(backends)('refused v4 fields on %s', (backend) => {
  let s: TestServer;
  let committed = 0;

  beforeAll(async () => {
    s = await startTestServer({ backend });
    s.pushline.messaging.onMessageCommitted(() => {
      committed++;
    });
    await s.v4('im_open_login_svc/multiaccount_import', {
      Accounts: ['alice', 'bob', 'carol', 'dave', 'erin'],
    });
    const team = await s.v4(`${G}/create_group`, {
      Owner_Account: 'alice',
      Type: 'Work',
      GroupId: 'team',
      Name: 'Team',
      MemberList: [{ Member_Account: 'bob' }, { Member_Account: 'erin', Role: 'Admin' }],
    });
    expect(team).toMatchObject({ ErrorCode: 0 });
  });
  afterAll(async () => {
    await s?.close();
  });

  it.each(refused)('%s refuses %j', async (command, fields, code, info) => {
    const r = await s.v4(command, { ...base[command]!(), ...fields });
    expect(r).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: code });
    expect(r.ErrorInfo).toMatch(info);
  });

  it.each(accepted)('%s accepts %j', async (command, fields) => {
    const r = await s.v4(command, { ...base[command]!(), ...fields });
    expect(r).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0 });
  });

  it.each(invalidValues)('%s validates %j', async (command, fields, code, info) => {
    const r = await s.v4(command, { ...base[command]!(), ...fields });
    expect(r).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: code });
    expect(r.ErrorInfo).toMatch(info);
  });

  it('carries out nothing of a refused request', async () => {
    const before = committed;
    expect(
      (await s.v4('openim/sendmsg', { ...base['openim/sendmsg']!(), IsNeedReadReceipt: 1 })).ErrorCode,
    ).toBe(90010);
    expect(
      (await s.v4(`${G}/send_group_msg`, { ...base[`${G}/send_group_msg`]!(), MsgPriority: 'Urgent' }))
        .ErrorCode,
    ).toBe(10004);
    expect(committed).toBe(before);

    const club = { Type: 'Public', Name: 'Club', GroupId: 'club', Owner_Account: 'alice' };
    expect((await s.v4(`${G}/create_group`, { ...club, InviteJoinOption: 'FreeAccess' })).ErrorCode).toBe(
      10004,
    );
    expect((await s.v4(`${G}/get_group_member_info`, { GroupId: 'club' })).ErrorCode).toBe(10010);
    expect((await s.v4(`${G}/create_group`, club)).ErrorCode).toBe(0);

    // Members of a Work group cannot be muted (10007): the NameCard of the same request is not set either.
    const modify = { GroupId: 'team', Member_Account: 'bob', NameCard: 'Bobby' };
    expect((await s.v4(`${G}/modify_group_member_info`, { ...modify, ShutUpTime: 600 })).ErrorCode).toBe(
      10007,
    );
    const info = await s.v4(`${G}/get_group_member_info`, {
      GroupId: 'team',
      MemberInfoFilter: ['NameCard'],
    });
    const bob = (info.MemberList as Record<string, unknown>[]).find((m) => m.Member_Account === 'bob');
    expect(bob).toEqual({ Member_Account: 'bob', NameCard: '' });
  });

  it('get_group_member_info answers only real member fields, filtered by MemberInfoFilter', async () => {
    const all = await s.v4(`${G}/get_group_member_info`, { GroupId: 'team' });
    expect(all.ErrorCode).toBe(0);
    const list = all.MemberList as Record<string, unknown>[];
    expect(list.length).toBeGreaterThan(0);
    for (const m of list) {
      // No made-up MsgSeq (read position) or LastSendMsgTime: Pushline does not keep them.
      expect(Object.keys(m).sort()).toEqual(
        ['JoinTime', 'Member_Account', 'MsgFlag', 'NameCard', 'Role', 'ShutUpUntil'].sort(),
      );
      expect(m.JoinTime).toEqual(expect.any(Number));
      expect(m.JoinTime).toBeGreaterThan(1_600_000_000);
      expect(m.ShutUpUntil).toBe(0);
    }
    const some = await s.v4(`${G}/get_group_member_info`, {
      GroupId: 'team',
      MemberInfoFilter: ['Role', 'MuteUntil'],
    });
    expect(some.MemberList).toContainEqual({ Member_Account: 'alice', Role: 'Owner', MuteUntil: 0 });
    for (const m of some.MemberList as Record<string, unknown>[]) {
      expect(Object.keys(m).sort()).toEqual(['Member_Account', 'MuteUntil', 'Role']);
    }
  });

  it('get_group_member_info filters roles before paging; MemberNum stays the group size', async () => {
    // Members in join order: alice (Owner), bob, erin (Admin), then carol from the accepted add_group_member.
    const admins = await s.v4(`${G}/get_group_member_info`, {
      GroupId: 'team',
      MemberRoleFilter: ['Admin'],
      Limit: 1,
    });
    expect(admins.MemberList).toEqual([expect.objectContaining({ Member_Account: 'erin', Role: 'Admin' })]);
    const size = (await s.v4(`${G}/get_group_member_info`, { GroupId: 'team' })).MemberNum as number;
    expect(admins.MemberNum).toBe(size);
    const page2 = await s.v4(`${G}/get_group_member_info`, {
      GroupId: 'team',
      MemberRoleFilter: ['Owner', 'Member'],
      Limit: 1,
      Offset: 1,
    });
    expect((page2.MemberList as { Role: string }[]).map((m) => m.Role)).toEqual(['Member']);
  });
});

describe.each(backends)('refused gateway fields on %s', (backend) => {
  let s: TestServer;
  let alice: TestClient;
  let bob: TestClient;

  beforeAll(async () => {
    s = await startTestServer({ backend });
    await s.v4('im_open_login_svc/multiaccount_import', { Accounts: ['alice', 'bob'] });
    await s.v4(`${G}/create_group`, {
      Owner_Account: 'alice',
      Type: 'Work',
      GroupId: 'pair',
      Name: 'Pair',
      MemberList: [{ Member_Account: 'bob' }],
    });
    alice = await loggedIn(s, 'alice');
    bob = await loggedIn(s, 'bob');
  });
  afterAll(async () => {
    await alice?.chat.logout().catch(() => {});
    await bob?.chat.logout().catch(() => {});
    await s?.close();
  });

  const refusedSends: [Record<string, unknown>, RegExp][] = [
    [{ needReadReceipt: true }, /^needReadReceipt: Pushline has no message read receipts/],
    [{ isSupportMessageExtension: true }, /^isSupportMessageExtension: Pushline has no message extensions/],
    [{ priority: 'Urgent' }, /priority/],
  ];

  it.each(refusedSends)('sendMessage refuses %j with 6017', async (extra, message) => {
    const sent = alice.chat.sendMessage({ receiver: 'bob', body: text('x'), ...extra } as never);
    const err = await sent.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PushlineError);
    expect(err).toMatchObject({ code: 6017 });
    expect((err as Error).message).toMatch(message);
  });

  it('sendMessage accepts the defaults and every priority', async () => {
    for (const priority of ['High', 'Normal', 'Low', 'Lowest'] as const) {
      const r = await alice.chat.sendMessage({
        groupID: 'pair',
        body: text(`p ${priority}`),
        priority,
        needReadReceipt: false,
        isSupportMessageExtension: false,
      } as never);
      expect(r.msgSeq).toBeGreaterThan(0);
    }
  });

  it('sendMessage honours isExcludedFromUnreadCount and isExcludedFromLastMessage', async () => {
    const conversation = async () =>
      (await bob.chat.getConversationList()).conversations.find((c) => c.conversationID === 'c2c_alice');
    await alice.chat.sendMessage({ receiver: 'bob', body: text('counted') });
    await waitFor(async () => (await conversation())?.unreadCount === 1, 'the counted message');
    await alice.chat.sendMessage({ receiver: 'bob', body: text('quiet'), isExcludedFromUnreadCount: true });
    await waitFor(() => bob.messages.some((m) => m.body[0]?.MsgContent.Text === 'quiet'), 'the quiet one');
    let c = await conversation();
    expect(c?.unreadCount).toBe(1);
    expect(c?.lastMessage?.body[0]?.MsgContent.Text).toBe('quiet');

    await alice.chat.sendMessage({ receiver: 'bob', body: text('hidden'), isExcludedFromLastMessage: true });
    await waitFor(() => bob.messages.some((m) => m.body[0]?.MsgContent.Text === 'hidden'), 'the hidden one');
    c = await conversation();
    expect(c?.unreadCount).toBe(2);
    expect(c?.lastMessage?.body[0]?.MsgContent.Text).toBe('quiet');
  });

  it('inviteInGroup refuses onlineUserOnly false: group invitations are online-only', async () => {
    const signaling = alice.chat.getSignalingManager();
    const params = { groupID: 'pair', inviteeList: ['bob'], data: '{"call":1}' };
    const err = await signaling
      .inviteInGroup({ ...params, onlineUserOnly: false } as never)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 6017 });
    expect((err as Error).message).toMatch(/^onlineUserOnly: group invitations reach online members only/);
    const inviteId = await signaling.inviteInGroup({ ...params, onlineUserOnly: true });
    expect(inviteId).toEqual(expect.any(String));
    await signaling.cancel(inviteId);
  });
});

describe('docs/rest-api.md "Fields Pushline refuses"', () => {
  it('lists exactly the fields the v4 commands refuse', () => {
    const none = {} as never;
    const commands: V4Command[] = [
      ...accountCommands(none),
      ...messagingCommands(none),
      ...historyCommands(none),
      ...tagAttrCommands(none, none),
      ...pushCommands(none),
      ...pushStatsCommands(none),
      ...snsCommands(none),
      ...importCommands(none),
    ];
    const inCode = commands.flatMap((c) => (c.refused ?? []).map((r) => `${c.name} ${r.field}`)).sort();
    expect(inCode.length).toBeGreaterThan(15);

    const doc = readFileSync(resolve(import.meta.dirname, '../../../../../docs/rest-api.md'), 'utf8');
    const section = doc.split(/^## Fields Pushline refuses$/m)[1]?.split(/^## /m)[0] ?? '';
    const rows = section.split('\n').filter((l) => l.startsWith('| `'));
    const ticks = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    const inDocs = rows
      .flatMap((row) => {
        const [, commandCell = '', fieldCell = ''] = row.split('|');
        return ticks(commandCell).flatMap((c) => ticks(fieldCell).map((f) => `${c} ${f}`));
      })
      .sort();
    expect(inDocs).toEqual(inCode);
  });
});
