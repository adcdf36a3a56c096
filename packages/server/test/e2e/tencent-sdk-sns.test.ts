// The relationship chain with `@tencentcloud/chat` (unmodified) on Pushline: the friend list, friend groups
// and blocklist the SDK loads at login come from Pushline's lists; addFriend (direct, and to an account that
// must confirm), friend requests accepted and refused from the SDK, checkFriend, deleteFriend, and a
// blocklist made from the SDK that refuses a `@pushline/sdk` sender (20007) — one relationship chain for the
// REST API, `@pushline/sdk` and the Tencent SDK.

import { PushlineError } from '@pushline/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn, type TestClient, waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { type TencentClient, tencentLoggedIn } from '../helpers/tencent-sdk.js';

const backends = await testBackends();

describe.each(backends)('@tencentcloud/chat relationship chain on %s', (backend) => {
  let s: TestServer;
  const clients: TencentClient[] = [];
  const tencentUser = new Map<TencentClient, string>();
  const pushline = new Map<string, TestClient>();
  const pushlineUser = async (user: string) => {
    const c = pushline.get(user) ?? (await loggedIn(s, user));
    pushline.set(user, c);
    return c;
  };
  const tencent = async (user: string) => {
    const c = await tencentLoggedIn(s, user);
    clients.push(c);
    tencentUser.set(c, user);
    // The SDK refuses calls (with an empty message) until it is ready.
    await waitFor(() => c.ready, `${user} ready`);
    return c;
  };
  const relation = async (from: string, to: string) =>
    (
      (
        await s.v4('sns/friend_check', {
          From_Account: from,
          To_Account: [to],
          CheckType: 'CheckResult_Type_Both',
        })
      ).InfoItem as { Relation: string }[]
    )[0]!.Relation;

  beforeAll(async () => {
    s = await startTestServer({ backend });
    await s.v4('im_open_login_svc/multiaccount_import', {
      AccountList: ['t-ann', 't-bob', 't-cid', 'p-dot', 'p-eli', 'p-fox'].map((UserID) => ({
        UserID,
        Nick: `Nick ${UserID}`,
      })),
    });
    for (const user of ['t-ann', 't-bob', 't-cid', 'p-dot', 'p-fox'])
      await s.v4('profile/portrait_set', {
        From_Account: user,
        ProfileItem: [{ Tag: 'Tag_Profile_IM_AllowType', Value: 'AllowType_Type_AllowAny' }],
      });
    await s.v4('profile/portrait_set', {
      From_Account: 'p-eli',
      ProfileItem: [{ Tag: 'Tag_Profile_IM_AllowType', Value: 'AllowType_Type_NeedConfirm' }],
    });
  });
  afterAll(async () => {
    for (const c of clients) await c.destroy();
    for (const c of pushline.values()) await c.chat.logout().catch(() => undefined);
    await s?.close();
  });

  it('loads the friend list, friend groups and blocklist made elsewhere at login', async () => {
    expect(
      await s.v4('sns/friend_add', {
        From_Account: 't-ann',
        AddFriendItem: [
          { To_Account: 'p-dot', Remark: 'Dotty', GroupName: 'work', AddSource: 'AddSource_Type_Web' },
        ],
        AddType: 'Add_Type_Both',
      }),
    ).toMatchObject({ ErrorCode: 0, ResultItem: [{ ResultCode: 0 }] });
    await s.v4('sns/black_list_add', { From_Account: 't-ann', To_Account: ['p-fox'] });
    const ann = await tencent('t-ann');
    // The SDK loads its lists right after login, not necessarily before SDK_READY.
    await waitFor(
      async () =>
        (await ann.chat.getFriendList()).data.length === 1 &&
        (await ann.chat.getBlacklist()).data.length === 1 &&
        (await ann.chat.getFriendGroupList()).data.length === 1,
      'the lists loaded',
    );
    const friends = (await ann.chat.getFriendList()).data;
    expect(
      friends.map((f: { userID: string; remark: string; groupList: string[]; source: string }) => [
        f.userID,
        f.remark,
        f.groupList,
        f.source,
      ]),
    ).toEqual([['p-dot', 'Dotty', ['work'], 'AddSource_Type_Web']]);
    const groups = (await ann.chat.getFriendGroupList()).data;
    expect(groups.map((g: { name: string; userIDList: string[] }) => [g.name, g.userIDList])).toEqual([
      ['work', ['p-dot']],
    ]);
    expect((await ann.chat.getBlacklist()).data).toEqual(['p-fox']);
    // deleteFriend of a friend in the list the SDK loaded: gone both ways, for REST too.
    const T = ann.TencentCloudChat;
    const deleted = await ann.chat.deleteFriend({
      userIDList: ['p-dot'],
      type: T.TYPES.SNS_DELETE_TYPE_BOTH,
    });
    expect(deleted.data.successUserIDList.map((r: { userID: string }) => r.userID)).toEqual(['p-dot']);
    expect(await relation('t-ann', 'p-dot')).toBe('CheckResult_Type_NoRelation');
  });

  it('addFriend directly and checkFriend from the SDK', async () => {
    const bob = await tencent('t-bob');
    const T = bob.TencentCloudChat;
    const added = await bob.chat.addFriend({
      to: 'p-dot',
      source: 'AddSource_Type_Web',
      remark: 'D',
      type: T.TYPES.SNS_ADD_TYPE_BOTH,
    });
    expect(added.data).toMatchObject({ userID: 'p-dot', code: 0 });
    expect(await relation('t-bob', 'p-dot')).toBe('CheckResult_Type_BothWay');
    // @pushline/sdk sees the same friendship.
    const dot = await pushlineUser('p-dot');
    expect((await dot.chat.getFriendList()).map((f) => f.userID)).toContain('t-bob');
    const checked = await bob.chat.checkFriend({
      userIDList: ['p-dot', 'p-fox'],
      type: T.TYPES.SNS_CHECK_TYPE_BOTH,
    });
    expect(
      checked.data.successUserIDList.map((r: { userID: string; relation: string }) => [r.userID, r.relation]),
    ).toEqual([
      ['p-dot', 'CheckResult_Type_BothWay'],
      ['p-fox', 'CheckResult_Type_NoRelation'],
    ]);
  });

  it('a friend request: addFriend to an account that must confirm, accepted by @pushline/sdk', async () => {
    const cid = await tencent('t-cid');
    const T = cid.TencentCloudChat;
    const asked = await cid.chat.addFriend({
      to: 'p-eli',
      source: 'AddSource_Type_Web',
      wording: 'hi eli',
      type: T.TYPES.SNS_ADD_TYPE_BOTH,
    });
    expect(asked.data).toMatchObject({ userID: 'p-eli', code: 30539 });
    expect(await relation('t-cid', 'p-eli')).toBe('CheckResult_Type_NoRelation');
    const eli = await pushlineUser('p-eli');
    expect((await eli.chat.getFriendApplicationList()).map((a) => [a.userID, a.addWording])).toEqual([
      ['t-cid', 'hi eli'],
    ]);
    await eli.chat.acceptFriendApplication('t-cid', 1);
    expect(await relation('t-cid', 'p-eli')).toBe('CheckResult_Type_BothWay');
  });

  it('a friend request from @pushline/sdk accepted, and one refused, from the Tencent SDK', async () => {
    await s.v4('profile/portrait_set', {
      From_Account: 't-ann',
      ProfileItem: [{ Tag: 'Tag_Profile_IM_AllowType', Value: 'AllowType_Type_NeedConfirm' }],
    });
    const eli = await pushlineUser('p-eli');
    expect((await eli.chat.addFriend({ userID: 't-ann', addWording: 'from eli' })).resultCode).toBe(30539);
    const fox = await pushlineUser('p-fox');
    await s.v4('sns/black_list_delete', { From_Account: 't-ann', To_Account: ['p-fox'] });
    expect((await fox.chat.addFriend({ userID: 't-ann', addWording: 'from fox' })).resultCode).toBe(30539);
    // A second Tencent-SDK login of t-ann loads the requests at login.
    const [oldAnn] = clients.splice(0, 1);
    await oldAnn!.destroy();
    const ann = await tencent('t-ann');
    const T = ann.TencentCloudChat;
    await waitForApplications(ann, 2);
    const apps = (await ann.chat.getFriendApplicationList()).data;
    expect(
      apps.friendApplicationList
        .map((a: { userID: string; type: string; wording: string }) => [a.userID, a.type, a.wording])
        .sort(),
    ).toEqual([
      ['p-eli', T.TYPES.SNS_APPLICATION_SENT_TO_ME, 'from eli'],
      ['p-fox', T.TYPES.SNS_APPLICATION_SENT_TO_ME, 'from fox'],
    ]);
    await ann.chat.acceptFriendApplication({ userID: 'p-eli', type: T.TYPES.SNS_APPLICATION_AGREE_AND_ADD });
    expect(await relation('t-ann', 'p-eli')).toBe('CheckResult_Type_BothWay');
    await ann.chat.refuseFriendApplication({ userID: 'p-fox' });
    expect(await relation('t-ann', 'p-fox')).toBe('CheckResult_Type_NoRelation');
    expect(await eli.chat.getFriendApplicationList()).toEqual([]);
    expect(await fox.chat.getFriendApplicationList()).toEqual([]);
  });

  it('addToBlacklist from the SDK refuses the blocked sender (20007) until removed', async () => {
    const bob = clients.find((c) => tencentUser.get(c) === 't-bob')!;
    const dot = await pushlineUser('p-dot');
    await bob.chat.addToBlacklist({ userIDList: ['p-dot'] });
    const refused = await dot.chat
      .sendMessage({ receiver: 't-bob', body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hey' } }] })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PushlineError);
    expect((refused as PushlineError).code).toBe(20007);
    expect(
      (
        await s.v4('sns/black_list_check', {
          From_Account: 't-bob',
          To_Account: ['p-dot'],
          CheckType: 'BlackCheckResult_Type_Single',
        })
      ).BlackListCheckItem,
    ).toMatchObject([{ Relation: 'BlackCheckResult_Type_AWithB' }]);
    await bob.chat.removeFromBlacklist({ userIDList: ['p-dot'] });
    await dot.chat.sendMessage({
      receiver: 't-bob',
      body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hey again' } }],
    });
    // Blocking removed the friendship both ways (Tencent's rule), for every door.
    expect(await relation('t-bob', 'p-dot')).toBe('CheckResult_Type_NoRelation');
    // The other way round: a Tencent-SDK sender blocked by a @pushline/sdk user is refused too.
    await dot.chat.addToBlackList(['t-bob']);
    const T = bob.TencentCloudChat;
    const fromBob = await bob.chat
      .sendMessage(
        bob.chat.createTextMessage({
          to: 'p-dot',
          conversationType: T.TYPES.CONV_C2C,
          payload: { text: 'hi' },
        }),
      )
      .catch((e: { code: number }) => e);
    expect(fromBob.code).toBe(20007);
  });
});

async function waitForApplications(c: TencentClient, n: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const list = (await c.chat.getFriendApplicationList()).data.friendApplicationList;
    if (list.length >= n) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${n} friend applications`);
}
