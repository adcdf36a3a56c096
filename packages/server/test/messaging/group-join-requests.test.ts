// Requests to join a NeedPermission group end to end on every backend: create_group and
// modify_group_base_info take ApplyJoinOption NeedPermission; the SDK's joinGroup stores a request and the
// owner and admins are told (onReceiveJoinApplication); getGroupApplicationList lists the requests of the
// groups a user manages and its own; an admin accepts (the applicant joins, everyone sees it enter, the
// applicant gets onApplicationProcessed) or refuses (the applicant, not a member, gets onApplicationProcessed
// with isAgreeJoin false as a notice to it alone); members who do not manage cannot answer.
import type { PushlineError } from '@pushline/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn, type TestClient, waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const backends = await testBackends();
const G = 'group_open_http_svc';

const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return (err as PushlineError).code;
  }
  return 0;
};

describe.each(backends)('group join requests on %s', (backend) => {
  let s: TestServer;
  const clients: TestClient[] = [];
  const byUser: Record<string, TestClient> = {};
  const heard: Record<string, string[]> = {};
  const client = async (user: string) => {
    const c = await loggedIn(s, user);
    clients.push(c);
    byUser[user] = c;
    heard[user] = [];
    c.chat.getGroupManager().addGroupListener({
      onReceiveJoinApplication: (g, member, reason) => heard[user]!.push(`apply ${g} ${member} ${reason}`),
      onApplicationProcessed: (g, op, agreed, reason) =>
        heard[user]!.push(`processed ${g} ${op} ${agreed} ${reason}`),
      onMemberEnter: (g, members) => heard[user]!.push(`enter ${g} ${members.join(',')}`),
    });
    return c;
  };
  const members = async (groupId: string) =>
    (
      (await s.v4(`${G}/get_group_member_info`, { GroupId: groupId })).MemberList as {
        Member_Account: string;
      }[]
    ).map((m) => m.Member_Account);

  beforeAll(async () => {
    s = await startTestServer({ backend });
    await s.v4('im_open_login_svc/multiaccount_import', {
      AccountList: ['alice', 'bob', 'carl', 'dan', 'eve'].map((UserID) => ({ UserID })),
    });
  });
  afterAll(async () => {
    for (const c of clients) await c.chat.logout().catch(() => undefined);
    await s?.close();
  });

  it('REST takes NeedPermission on create_group and modify_group_base_info', async () => {
    const created = await s.v4(`${G}/create_group`, {
      Owner_Account: 'alice',
      Type: 'Public',
      GroupId: 'guild',
      Name: 'Guild',
      ApplyJoinOption: 'NeedPermission',
      MemberList: [{ Member_Account: 'bob', Role: 'Admin' }, { Member_Account: 'eve' }],
    });
    expect(created).toMatchObject({ ErrorCode: 0 });
    const info = await s.v4(`${G}/get_group_info`, { GroupIdList: ['guild'] });
    expect((info.GroupInfo as { ApplyJoinOption: string }[])[0]!.ApplyJoinOption).toBe('NeedPermission');
    await s.v4(`${G}/create_group`, {
      Owner_Account: 'alice',
      Type: 'Public',
      GroupId: 'open',
      Name: 'Open',
    });
    expect(
      await s.v4(`${G}/modify_group_base_info`, { GroupId: 'open', ApplyJoinOption: 'NeedPermission' }),
    ).toMatchObject({ ErrorCode: 0 });
  });

  it('joinGroup asks; the owner and admins are told; an admin accepts and the applicant joins', async () => {
    const alice = await client('alice');
    const bob = await client('bob');
    const carl = await client('carl');
    const eve = await client('eve');
    await carl.chat.joinGroup('guild', 'please');
    expect(await members('guild')).not.toContain('carl');
    await waitFor(
      () =>
        heard.alice!.includes('apply guild carl please') && heard.bob!.includes('apply guild carl please'),
    );
    // A member who does not manage the group is not told.
    expect(heard.eve).toEqual([]);

    const listed = await alice.chat.getGroupManager().getGroupApplicationList();
    expect(listed).toEqual([
      {
        groupID: 'guild',
        fromUser: 'carl',
        requestMsg: 'please',
        addTime: expect.any(Number),
        applicationType: 0,
      },
    ]);
    expect((await carl.chat.getGroupManager().getGroupApplicationList()).map((a) => a.fromUser)).toEqual([
      'carl',
    ]);
    expect(await eve.chat.getGroupManager().getGroupApplicationList()).toEqual([]);

    // Only the owner and admins answer.
    expect(await failure(eve.chat.getGroupManager().acceptGroupApplication('guild', 'carl'))).toBe(10007);
    expect(
      await bob.chat.getGroupManager().acceptGroupApplication('guild', 'carl', 'welcome'),
    ).toBeUndefined();
    expect(await members('guild')).toContain('carl');
    await waitFor(() => heard.carl!.includes('processed guild bob true welcome'));
    await waitFor(() => heard.alice!.includes('enter guild carl'));
    expect(await alice.chat.getGroupManager().getGroupApplicationList()).toEqual([]);
    // Answered once.
    expect(await failure(bob.chat.getGroupManager().acceptGroupApplication('guild', 'carl'))).toBe(10004);
    // Already a member: no second request.
    expect(await failure(carl.chat.joinGroup('guild'))).toBe(10013);
  });

  it('refuseGroupApplication removes the request and adds nobody', async () => {
    const dan = await client('dan');
    const alice = byUser.alice!;
    await dan.chat.joinGroup('guild', 'me too');
    expect((await alice.chat.getGroupManager().getGroupApplicationList()).map((a) => a.fromUser)).toEqual([
      'dan',
    ]);
    await alice.chat.getGroupManager().refuseGroupApplication('guild', 'dan', 'full');
    expect(await members('guild')).not.toContain('dan');
    // The applicant is told (it is not a member: a notice to it alone), with the reason; nobody else is.
    await waitFor(() => heard.dan!.includes('processed guild alice false full'), 'dan heard the refusal');
    expect(heard.dan!.filter((h) => h.startsWith('processed'))).toEqual(['processed guild alice false full']);
    expect(heard.alice!.some((h) => h.startsWith('processed guild alice false'))).toBe(false);
    expect(await alice.chat.getGroupManager().getGroupApplicationList()).toEqual([]);
    expect(await failure(alice.chat.getGroupManager().refuseGroupApplication('guild', 'dan'))).toBe(10004);
    // A request answered meanwhile by add_group_member: accepting it finds a member (10013).
    await dan.chat.joinGroup('guild');
    expect(
      await s.v4(`${G}/add_group_member`, { GroupId: 'guild', MemberList: [{ Member_Account: 'dan' }] }),
    ).toMatchObject({
      ErrorCode: 0,
    });
    expect(await failure(alice.chat.getGroupManager().acceptGroupApplication('guild', 'dan'))).toBe(10013);
    await s.v4(`${G}/delete_group_member`, { GroupId: 'guild', MemberToDel_Account: ['dan'] });
    // A destroyed group takes its requests with it.
    await s.v4(`${G}/modify_group_base_info`, { GroupId: 'open', ApplyJoinOption: 'NeedPermission' });
    await dan.chat.joinGroup('open');
    expect((await dan.chat.getGroupManager().getGroupApplicationList()).map((a) => a.groupID)).toEqual([
      'open',
    ]);
    expect(await s.v4(`${G}/destroy_group`, { GroupId: 'open' })).toMatchObject({ ErrorCode: 0 });
    expect(await dan.chat.getGroupManager().getGroupApplicationList()).toEqual([]);
    // The owner can open the group to anyone, after which joining needs no request.
    await alice.chat.getGroupManager().setGroupInfo({ groupID: 'guild', groupAddOpt: 2 });
    await dan.chat.joinGroup('guild');
    expect(await members('guild')).toContain('dan');
  });

  it("a group created without ApplyJoinOption gets Tencent's default for its type", async () => {
    const expected: [string, string][] = [
      ['Public', 'NeedPermission'],
      ['Work', 'DisableApply'],
      ['Private', 'DisableApply'],
      ['Meeting', 'FreeAccess'],
      ['ChatRoom', 'FreeAccess'],
      ['AVChatRoom', 'FreeAccess'],
      ['Community', 'FreeAccess'],
    ];
    for (const [Type] of expected)
      expect(
        await s.v4(`${G}/create_group`, { Owner_Account: 'alice', Type, GroupId: `def-${Type}`, Name: Type }),
      ).toMatchObject({ ErrorCode: 0 });
    const info = await s.v4(`${G}/get_group_info`, { GroupIdList: expected.map(([t]) => `def-${t}`) });
    expect((info.GroupInfo as { ApplyJoinOption: string }[]).map((g) => g.ApplyJoinOption)).toEqual(
      expected.map(([, option]) => option),
    );
    // And it behaves so: a join to the default Public group is a request, not a membership.
    const dan = await client('dan');
    await dan.chat.joinGroup('def-Public', 'hi');
    expect(await members('def-Public')).not.toContain('dan');
    expect(await dan.chat.getGroupManager().getGroupApplicationList()).toEqual([
      expect.objectContaining({ groupID: 'def-Public', fromUser: 'dan', requestMsg: 'hi' }),
    ]);
    // An explicit option is kept as given.
    expect(
      await s.v4(`${G}/create_group`, {
        Owner_Account: 'alice',
        Type: 'Public',
        GroupId: 'def-closed',
        Name: 'Closed',
        ApplyJoinOption: 'DisableApply',
      }),
    ).toMatchObject({ ErrorCode: 0 });
    const closed = await s.v4(`${G}/get_group_info`, { GroupIdList: ['def-closed'] });
    expect((closed.GroupInfo as { ApplyJoinOption: string }[])[0]!.ApplyJoinOption).toBe('DisableApply');
    expect(await failure(dan.chat.joinGroup('def-closed'))).toBe(10007);
  });
});
