// Relationship-chain changes made elsewhere reach a running `@tencentcloud/chat` (unmodified) at once: friends
// added and deleted through REST, a friend request from `@pushline/sdk` and its answer, a friend added from
// another Tencent-SDK session, and blocklist changes — each as the SDK's FriendListMod push, so its loaded
// lists change and it emits FRIEND_LIST_UPDATED, FRIEND_APPLICATION_LIST_UPDATED and BLACKLIST_UPDATED without
// a new login.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn, waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { type TencentClient, tencentLoggedIn } from '../helpers/tencent-sdk.js';

const backends = await testBackends();

interface FriendEntry {
  userID: string;
  remark: string;
}
interface ApplicationEntry {
  userID: string;
  type: string;
  wording: string;
}

describe.each(backends)('@tencentcloud/chat relationship-chain notices on %s', (backend) => {
  let s: TestServer;
  const clients: TencentClient[] = [];

  beforeAll(async () => {
    s = await startTestServer({ backend });
    await s.v4('im_open_login_svc/multiaccount_import', { Accounts: ['t-gus', 't-ivy', 'p-hal'] });
    for (const user of ['t-ivy', 'p-hal'])
      await s.v4('profile/portrait_set', {
        From_Account: user,
        ProfileItem: [{ Tag: 'Tag_Profile_IM_AllowType', Value: 'AllowType_Type_AllowAny' }],
      });
    await s.v4('profile/portrait_set', {
      From_Account: 't-gus',
      ProfileItem: [{ Tag: 'Tag_Profile_IM_AllowType', Value: 'AllowType_Type_NeedConfirm' }],
    });
  });
  afterAll(async () => {
    for (const c of clients) await c.destroy();
    await s?.close();
  });

  it('pushes friend, request and blocklist changes made elsewhere to the running SDK', async () => {
    const gus = await tencentLoggedIn(s, 't-gus');
    clients.push(gus);
    const T = gus.TencentCloudChat;
    const friendEvents: FriendEntry[][] = [];
    const applicationEvents: { friendApplicationList: ApplicationEntry[] }[] = [];
    const blockEvents: string[][] = [];
    gus.chat.on(T.EVENT.FRIEND_LIST_UPDATED, (e: { data: FriendEntry[] }) => friendEvents.push(e.data));
    gus.chat.on(T.EVENT.FRIEND_APPLICATION_LIST_UPDATED, (e: { data: { friendApplicationList: [] } }) =>
      applicationEvents.push(e.data),
    );
    gus.chat.on(T.EVENT.BLACKLIST_UPDATED, (e: { data: string[] }) => blockEvents.push(e.data));
    await waitFor(() => gus.ready, 'gus ready');
    const friendIds = async () =>
      ((await gus.chat.getFriendList()).data as FriendEntry[]).map((f) => f.userID).sort();
    // The lists loaded at login (empty) are in place before anything changes.
    await new Promise((r) => setTimeout(r, 200));
    expect(await friendIds()).toEqual([]);
    const before = friendEvents.length;

    // A friend added through REST shows up in the running SDK, with its fields, and raises the event.
    expect(
      await s.v4('sns/friend_add', {
        From_Account: 't-gus',
        AddFriendItem: [{ To_Account: 'p-hal', Remark: 'Hal', AddSource: 'AddSource_Type_Web' }],
        AddType: 'Add_Type_Single',
        ForceAddFlags: 1,
      }),
    ).toMatchObject({ ErrorCode: 0, ResultItem: [{ ResultCode: 0 }] });
    await waitFor(() => friendEvents.length > before, 'FRIEND_LIST_UPDATED for the REST add');
    expect(friendEvents.at(-1)!.map((f) => [f.userID, f.remark])).toEqual([['p-hal', 'Hal']]);
    expect(await friendIds()).toEqual(['p-hal']);

    // Deleted through REST: gone from the running SDK's list.
    const beforeDelete = friendEvents.length;
    await s.v4('sns/friend_delete', {
      From_Account: 't-gus',
      To_Account: ['p-hal'],
      DeleteType: 'Delete_Type_Single',
    });
    await waitFor(() => friendEvents.length > beforeDelete, 'FRIEND_LIST_UPDATED for the REST delete');
    expect(await friendIds()).toEqual([]);

    // A friend request from @pushline/sdk appears as a received application; gus adding hal through REST
    // (the app's backend) answers it: the application goes and hal is gus's friend.
    const hal = await loggedIn(s, 'p-hal');
    expect((await hal.chat.addFriend({ userID: 't-gus', addWording: 'hi gus' })).resultCode).toBe(30539);
    await waitFor(() => applicationEvents.length > 0, 'FRIEND_APPLICATION_LIST_UPDATED for the request');
    expect(applicationEvents.at(-1)!.friendApplicationList.map((a) => [a.userID, a.type, a.wording])).toEqual(
      [['p-hal', T.TYPES.SNS_APPLICATION_SENT_TO_ME, 'hi gus']],
    );
    const beforeAnswer = applicationEvents.length;
    const beforeAccept = friendEvents.length;
    expect(
      await s.v4('sns/friend_add', {
        From_Account: 't-gus',
        AddFriendItem: [{ To_Account: 'p-hal', AddSource: 'AddSource_Type_Web' }],
        AddType: 'Add_Type_Both',
      }),
    ).toMatchObject({ ErrorCode: 0, ResultItem: [{ ResultCode: 0 }] });
    await waitFor(
      () =>
        applicationEvents.length > beforeAnswer &&
        applicationEvents.at(-1)!.friendApplicationList.length === 0,
      'the answered request leaves the application list',
    );
    await waitFor(() => friendEvents.length > beforeAccept, 'FRIEND_LIST_UPDATED for hal');
    expect(await friendIds()).toEqual(['p-hal']);

    // The other Tencent-SDK session asks gus (who must confirm); gus accepts in its SDK and both lists
    // change on both running SDKs.
    const ivy = await tencentLoggedIn(s, 't-ivy');
    clients.push(ivy);
    await waitFor(() => ivy.ready, 'ivy ready');
    const ivyAsks = await ivy.chat.addFriend({
      to: 't-gus',
      source: 'AddSource_Type_Web',
      wording: 'from ivy',
      type: T.TYPES.SNS_ADD_TYPE_BOTH,
    });
    expect(ivyAsks.data).toMatchObject({ code: 30539 });
    await waitFor(
      () => applicationEvents.at(-1)!.friendApplicationList.some((a) => a.userID === 't-ivy'),
      'ivy’s request reaches gus',
    );
    const beforeIvy = friendEvents.length;
    await gus.chat.acceptFriendApplication({ userID: 't-ivy', type: T.TYPES.SNS_APPLICATION_AGREE_AND_ADD });
    await waitFor(() => friendEvents.length > beforeIvy, 'FRIEND_LIST_UPDATED for ivy');
    await waitFor(async () => (await friendIds()).join() === 'p-hal,t-ivy', 'ivy is gus’s friend');
    const ivyFriends = (await ivy.chat.getFriendList()).data as FriendEntry[];
    expect(ivyFriends.map((f) => f.userID)).toEqual(['t-gus']);

    // Blocking (REST) removes the friendship on both running SDKs and fills gus's blocklist; unblocking
    // empties it.
    await s.v4('sns/black_list_add', { From_Account: 't-gus', To_Account: ['t-ivy'] });
    await waitFor(() => blockEvents.at(-1)?.join() === 't-ivy', 'BLACKLIST_UPDATED for the block');
    expect((await gus.chat.getBlacklist()).data).toEqual(['t-ivy']);
    await waitFor(async () => (await friendIds()).join() === 'p-hal', 'the blocked friend leaves gus’s list');
    await waitFor(
      async () => ((await ivy.chat.getFriendList()).data as FriendEntry[]).length === 0,
      'and ivy’s',
    );
    await s.v4('sns/black_list_delete', { From_Account: 't-gus', To_Account: ['t-ivy'] });
    await waitFor(() => blockEvents.at(-1)?.length === 0, 'BLACKLIST_UPDATED for the unblock');
    expect((await gus.chat.getBlacklist()).data).toEqual([]);
    await hal.chat.logout();
  });
});
