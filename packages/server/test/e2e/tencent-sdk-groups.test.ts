// Group management with `@tencentcloud/chat` (unmodified) on Pushline, mixed with `@pushline/sdk` members:
// createGroup, addGroupMember, updateGroupProfile, getGroupProfile, getGroupMemberList, deleteGroupMember,
// joinGroup (free, and a NeedPermission group → a join request accepted by a `@pushline/sdk` owner) and
// quitGroup — through the same group handlers as `@pushline/sdk` — and the group tips they cause reaching
// Tencent-SDK members as the SDK's own MSG_GRP_TIP messages, `@pushline/sdk` members as TIMGroupTipElem.
import { type GroupTipsElem, GroupTipsType, groupTipsOf, type ReceivedMessage } from '@pushline/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn, type TestClient, waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { type TencentClient, type TencentMessage, tencentLoggedIn } from '../helpers/tencent-sdk.js';

const backends = await testBackends();

const pushlineTips = (messages: ReceivedMessage[], groupID: string): GroupTipsElem[] =>
  messages.filter((m) => m.groupId === groupID).flatMap((m) => groupTipsOf(m) ?? []);

interface TipPayload {
  operationType: number;
  operatorID: string;
  userIDList: string[];
  newGroupProfile?: Record<string, unknown>;
}

describe.each(backends)('@tencentcloud/chat group management on %s', (backend) => {
  let s: TestServer;
  const clients: TencentClient[] = [];
  const pushline: TestClient[] = [];
  const tencent = async (user: string) => {
    const c = await tencentLoggedIn(s, user);
    clients.push(c);
    await waitFor(() => c.ready, `${user} ready`);
    return c;
  };
  const tencentTips = (c: TencentClient, groupID: string): TipPayload[] =>
    c.messages
      .filter((m: TencentMessage) => m.to === groupID && m.type === c.TencentCloudChat.TYPES.MSG_GRP_TIP)
      .map((m) => m.payload as unknown as TipPayload);
  const members = async (groupID: string) =>
    (
      (await s.v4('group_open_http_svc/get_group_member_info', { GroupId: groupID })).MemberList as {
        Member_Account: string;
        Role: string;
      }[]
    )
      .map((m) => `${m.Member_Account}:${m.Role}`)
      .sort();

  beforeAll(async () => {
    s = await startTestServer({ backend });
    await s.v4('im_open_login_svc/multiaccount_import', { Accounts: ['t-gus', 't-ivy', 'p-hal'] });
  });
  afterAll(async () => {
    for (const c of clients) await c.destroy();
    for (const c of pushline) await c.chat.logout().catch(() => undefined);
    await s?.close();
  });

  it('creates a Work group, adds, renames, lists and removes members; tips reach both SDKs', async () => {
    const gus = await tencent('t-gus');
    const ivy = await tencent('t-ivy');
    const hal = await loggedIn(s, 'p-hal');
    pushline.push(hal);
    const T = gus.TencentCloudChat;

    const created = await gus.chat.createGroup({
      type: T.TYPES.GRP_WORK,
      name: 'Crew',
      groupID: 'crew',
      introduction: 'the crew',
      memberList: [{ userID: 'p-hal' }],
    });
    expect(created.data.group.groupID).toBe('crew');
    expect(await members('crew')).toEqual(['p-hal:Member', 't-gus:Owner']);
    expect(
      (await hal.chat.getGroupManager().getGroupsInfo(['crew'])).map((g) => [
        g.resultCode,
        g.info?.groupName,
      ]),
    ).toEqual([[0, 'Crew']]);

    const added = await gus.chat.addGroupMember({ groupID: 'crew', userIDList: ['t-ivy'] });
    expect(added.data.successUserIDList).toEqual(['t-ivy']);
    await waitFor(() => tencentTips(ivy, 'crew').length >= 1, 'ivy gets the join tip');
    expect(tencentTips(ivy, 'crew')[0]).toMatchObject({
      operationType: T.TYPES.GRP_TIP_MBR_JOIN,
      operatorID: 't-gus',
      userIDList: ['t-ivy'],
    });
    await waitFor(
      () => pushlineTips(hal.messages, 'crew').some((t) => t.type === GroupTipsType.INVITE),
      'hal gets the invite tip',
    );

    await gus.chat.updateGroupProfile({ groupID: 'crew', name: 'Crew 2', notification: 'meet at 9' });
    await waitFor(
      () => tencentTips(ivy, 'crew').some((t) => t.operationType === T.TYPES.GRP_TIP_GRP_PROFILE_UPDATED),
      'ivy gets the profile tip',
    );
    const changed = tencentTips(ivy, 'crew').find(
      (t) => t.operationType === T.TYPES.GRP_TIP_GRP_PROFILE_UPDATED,
    )!;
    expect(changed.newGroupProfile).toMatchObject({ groupName: 'Crew 2', notification: 'meet at 9' });
    // The tip updated ivy's own copy of the group.
    const ivyView = (await ivy.chat.getGroupProfile({ groupID: 'crew' })).data.group;
    expect(ivyView).toMatchObject({ name: 'Crew 2', notification: 'meet at 9', introduction: 'the crew' });
    await waitFor(
      () => pushlineTips(hal.messages, 'crew').some((t) => t.type === GroupTipsType.GROUP_INFO_CHANGE),
      'hal gets the profile tip',
    );

    const list = (await gus.chat.getGroupMemberList({ groupID: 'crew', count: 30, offset: 0 })).data
      .memberList as { userID: string; role: string }[];
    expect(list.map((m) => `${m.userID}:${m.role}`).sort()).toEqual([
      `p-hal:${T.TYPES.GRP_MBR_ROLE_MEMBER}`,
      `t-gus:${T.TYPES.GRP_MBR_ROLE_OWNER}`,
      `t-ivy:${T.TYPES.GRP_MBR_ROLE_MEMBER}`,
    ]);

    await gus.chat.deleteGroupMember({ groupID: 'crew', userIDList: ['t-ivy'], reason: 'done' });
    expect(await members('crew')).toEqual(['p-hal:Member', 't-gus:Owner']);
    await waitFor(
      () => pushlineTips(hal.messages, 'crew').some((t) => t.type === GroupTipsType.KICKED),
      'hal gets the kick tip',
    );
    await waitFor(
      () => tencentTips(ivy, 'crew').some((t) => t.operationType === T.TYPES.GRP_TIP_MBR_KICKED_OUT),
      'ivy is told she was removed',
    );
    // Only Work groups take members added by a member, as with @pushline/sdk's inviteUserToGroup.
    await gus.chat.createGroup({ type: T.TYPES.GRP_PUBLIC, name: 'Open', groupID: 'open' });
    const refused = await gus.chat
      .addGroupMember({ groupID: 'open', userIDList: ['t-ivy'] })
      .catch((e: { code: number }) => e);
    expect(refused.code).toBe(10007);
  });

  it('joinGroup: free groups at once, NeedPermission groups by a request the owner accepts; quitGroup', async () => {
    const ivy = clients[1]!; // t-ivy, logged in by the test above
    const hal = pushline[0]!;
    const T = ivy.TencentCloudChat;
    const groups = hal.chat.getGroupManager();
    for (const [GroupId, ApplyJoinOption] of [
      ['free', 'FreeAccess'],
      ['vetted', 'NeedPermission'],
    ])
      expect(
        await s.v4('group_open_http_svc/create_group', {
          Owner_Account: 'p-hal',
          Type: 'Public',
          GroupId,
          Name: GroupId,
          ApplyJoinOption,
        }),
      ).toMatchObject({ ErrorCode: 0 });

    const joined = await ivy.chat.joinGroup({ groupID: 'free' });
    expect(joined.data.status).toBe(T.TYPES.JOIN_STATUS_SUCCESS);
    expect(await members('free')).toEqual(['p-hal:Owner', 't-ivy:Member']);
    await waitFor(
      () => pushlineTips(hal.messages, 'free').some((t) => t.type === GroupTipsType.JOIN),
      'hal sees ivy join',
    );

    const asked = await ivy.chat.joinGroup({ groupID: 'vetted', applyMessage: 'let me in' });
    expect(asked.data.status).toBe(T.TYPES.JOIN_STATUS_WAIT_APPROVAL);
    expect(await members('vetted')).toEqual(['p-hal:Owner']);
    const pending = await groups.getGroupApplicationList();
    expect(pending.map((a) => [a.groupID, a.fromUser, a.requestMsg])).toEqual([
      ['vetted', 't-ivy', 'let me in'],
    ]);
    await groups.acceptGroupApplication('vetted', 't-ivy');
    expect(await members('vetted')).toEqual(['p-hal:Owner', 't-ivy:Member']);

    await ivy.chat.quitGroup('free');
    expect(await members('free')).toEqual(['p-hal:Owner']);
    await waitFor(
      () => pushlineTips(hal.messages, 'free').some((t) => t.type === GroupTipsType.QUIT),
      'hal sees ivy leave',
    );
  });
});
