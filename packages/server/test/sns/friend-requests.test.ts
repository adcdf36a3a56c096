// Pending friend requests end to end on every backend: friend_add (REST) and addFriend (SDK) to an account
// that must confirm answer 30539 and keep the request; both sides see it in getFriendApplicationList; adding
// the requester back (REST or SDK) makes them friends with the request's remark and group; the SDK's
// acceptFriendApplication (AGREE: one way, AGREE_AND_ADD: both), refuseFriendApplication and
// deleteFriendApplication; a blocklist between the two or a deleted account drops the request. Both sides'
// online devices hear of new and answered requests and new friends (V2TIMFriendshipListener's callbacks).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn, type TestClient, waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const backends = await testBackends();

describe.each(backends)('friend requests on %s', (backend) => {
  let s: TestServer;
  const clients: TestClient[] = [];
  const v4 = (command: string, body: unknown) => s.v4(command, body);
  const relation = async (from: string, to: string) =>
    (
      (
        await v4('sns/friend_check', {
          From_Account: from,
          To_Account: [to],
          CheckType: 'CheckResult_Type_Both',
        })
      ).InfoItem as { Relation: string }[]
    )[0]!.Relation;
  const client = async (user: string) => {
    const c = await loggedIn(s, user);
    clients.push(c);
    return c;
  };
  const applications = async (c: TestClient) =>
    (await c.chat.getFriendApplicationList()).map((a) => [a.userID, a.type, a.addWording]);

  beforeAll(async () => {
    s = await startTestServer({ backend });
    const users = ['uma', 'val', 'wes', 'xia', 'yan', 'zed', 'abe', 'bea', 'cal', 'kim', 'lou', 'mae'];
    const r = await v4('im_open_login_svc/multiaccount_import', {
      AccountList: users.map((UserID) => ({ UserID, Nick: `Nick ${UserID}` })),
    });
    expect(r).toMatchObject({ ErrorCode: 0 });
  });
  afterAll(async () => {
    for (const c of clients) await c.chat.logout().catch(() => undefined);
    await s?.close();
  });

  it('friend_add to an account that must confirm keeps a request; adding back over REST makes them friends', async () => {
    const asked = await v4('sns/friend_add', {
      From_Account: 'val',
      AddFriendItem: [
        {
          To_Account: 'uma',
          AddSource: 'AddSource_Type_Web',
          Remark: 'Uma',
          GroupName: 'Pals',
          AddWording: 'hi',
        },
      ],
    });
    expect(asked).toMatchObject({ ErrorCode: 0, Fail_Account: ['uma'] });
    const item = (asked.ResultItem as { ResultCode: number; ResultInfo: string }[])[0]!;
    expect(item.ResultCode).toBe(30539);
    expect(item.ResultInfo).toMatch(/pending/);
    expect(await relation('val', 'uma')).toBe('CheckResult_Type_NoRelation');

    const uma = await client('uma');
    const val = await client('val');
    expect(await applications(uma)).toEqual([['val', 1, 'hi']]);
    expect(await applications(val)).toEqual([['uma', 2, 'hi']]);
    const [incoming] = await uma.chat.getFriendApplicationList();
    expect(incoming).toMatchObject({
      nickName: 'Nick val',
      addSource: 'AddSource_Type_Web',
      addTime: expect.any(Number),
    });

    // A second request the same way replaces the first (its wording is the latest).
    await v4('sns/friend_add', {
      From_Account: 'val',
      AddFriendItem: [
        {
          To_Account: 'uma',
          AddSource: 'AddSource_Type_Web',
          Remark: 'Uma',
          GroupName: 'Pals',
          AddWording: 'again',
        },
      ],
    });
    expect(await applications(uma)).toEqual([['val', 1, 'again']]);

    // uma adds val back (val must confirm too, but asked first): both lists, no new request.
    const back = await v4('sns/friend_add', {
      From_Account: 'uma',
      AddFriendItem: [{ To_Account: 'val', AddSource: 'AddSource_Type_Android' }],
    });
    expect(back).toMatchObject({ ErrorCode: 0, Fail_Account: [] });
    expect((back.ResultItem as { ResultCode: number }[])[0]!.ResultCode).toBe(0);
    expect(await relation('val', 'uma')).toBe('CheckResult_Type_BothWay');
    // val's list holds uma as val's request described it.
    const got = await v4('sns/friend_get_list', {
      From_Account: 'val',
      To_Account: ['uma'],
      TagList: ['Tag_SNS_IM_Remark', 'Tag_SNS_IM_Group', 'Tag_SNS_IM_AddWording'],
    });
    expect(JSON.stringify(got.InfoItem)).toContain('"Uma"');
    expect(JSON.stringify(got.InfoItem)).toContain('Pals');
    expect(await applications(uma)).toEqual([]);
    expect(await applications(val)).toEqual([]);
  });

  it('SDK: addFriend keeps a request; acceptFriendApplication AGREE adds one way, a second accept finds none', async () => {
    const wes = await client('wes');
    const xia = await client('xia');
    expect(
      (await wes.chat.addFriend({ userID: 'xia', addWording: 'me', addSource: 'Android' })).resultCode,
    ).toBe(30539);
    expect(await applications(xia)).toEqual([['wes', 1, 'me']]);
    expect(await xia.chat.acceptFriendApplication('wes', 0)).toEqual({
      userID: 'wes',
      resultCode: 0,
      resultInfo: '',
    });
    // AGREE: wes's list holds xia; xia's does not hold wes.
    expect(await relation('wes', 'xia')).toBe('CheckResult_Type_AWithB');
    expect((await wes.chat.getFriendList()).map((f) => f.userID)).toEqual(['xia']);
    expect((await xia.chat.acceptFriendApplication('wes')).resultCode).toBe(31704);
    expect(await applications(wes)).toEqual([]);
  });

  it('SDK: AGREE_AND_ADD adds both ways; refuse and delete remove a request and add nobody', async () => {
    const yan = await client('yan');
    const zed = await client('zed');
    expect((await yan.chat.addFriend({ userID: 'zed' })).resultCode).toBe(30539);
    expect((await zed.chat.refuseFriendApplication('yan')).resultCode).toBe(0);
    expect(await applications(zed)).toEqual([]);
    expect((await zed.chat.refuseFriendApplication('yan')).resultCode).toBe(31704);
    expect(await relation('yan', 'zed')).toBe('CheckResult_Type_NoRelation');

    // The sender withdraws its own request (SEND_OUT).
    expect((await yan.chat.addFriend({ userID: 'zed' })).resultCode).toBe(30539);
    expect((await yan.chat.deleteFriendApplication('zed', 2)).resultCode).toBe(0);
    expect(await applications(zed)).toEqual([]);
    // The receiver deletes one it received (COME_IN).
    expect((await yan.chat.addFriend({ userID: 'zed' })).resultCode).toBe(30539);
    expect((await zed.chat.deleteFriendApplication('yan', 1)).resultCode).toBe(0);
    expect(await applications(yan)).toEqual([]);

    expect((await yan.chat.addFriend({ userID: 'zed', friendRemark: 'Z' })).resultCode).toBe(30539);
    expect((await zed.chat.acceptFriendApplication('yan', 1)).resultCode).toBe(0);
    expect(await relation('yan', 'zed')).toBe('CheckResult_Type_BothWay');
    expect((await yan.chat.getFriendList()).map((f) => [f.userID, f.friendRemark])).toEqual([['zed', 'Z']]);
  });

  it('a blocklist between the two, or a deleted account, drops the request', async () => {
    const bea = await client('bea');
    for (const from of ['abe', 'cal']) {
      const r = await v4('sns/friend_add', {
        From_Account: from,
        AddFriendItem: [{ To_Account: 'bea', AddSource: 'AddSource_Type_Web' }],
      });
      expect((r.ResultItem as { ResultCode: number }[])[0]!.ResultCode).toBe(30539);
    }
    expect((await applications(bea)).map((a) => a[0]).sort()).toEqual(['abe', 'cal']);
    expect(await v4('sns/black_list_add', { From_Account: 'bea', To_Account: ['abe'] })).toMatchObject({
      ErrorCode: 0,
    });
    expect((await applications(bea)).map((a) => a[0])).toEqual(['cal']);
    expect(await v4('im_open_login_svc/account_delete', { DeleteItem: [{ UserID: 'cal' }] })).toMatchObject({
      ErrorCode: 0,
    });
    expect(await applications(bea)).toEqual([]);
    // Unblocked, abe's old request does not come back.
    await v4('sns/black_list_delete', { From_Account: 'bea', To_Account: ['abe'] });
    expect(await applications(bea)).toEqual([]);
  });
  it('online devices hear of new requests, answered ones and new friends (REST and SDK)', async () => {
    const heard: Record<string, string[]> = {};
    const listen = async (user: string) => {
      const c = await client(user);
      heard[user] = [];
      c.chat.addListener({
        onFriendApplicationListAdded: (list) =>
          heard[user]!.push(...list.map((a) => `added ${a.userID} ${a.type} ${a.nickName} ${a.addWording}`)),
        onFriendApplicationListDeleted: (ids) => heard[user]!.push(`deleted ${ids.join(',')}`),
        onFriendListAdded: (list) =>
          heard[user]!.push(
            ...list.map((f) => `friend ${f.userID} ${f.friendRemark} ${f.friendGroups.join('/')}`),
          ),
        onFriendListDeleted: (ids) => heard[user]!.push(`unfriended ${ids.join(',')}`),
        onBlackListAdded: (ids) => heard[user]!.push(`blocked ${ids.join(',')}`),
        onBlackListDeleted: (ids) => heard[user]!.push(`unblocked ${ids.join(',')}`),
      });
      return c;
    };
    await listen('kim');
    const lou = await listen('lou');
    const mae = await listen('mae');

    // A request by REST: the receiver hears COME_IN, the requester SEND_OUT, each with the other's profile.
    const r = await v4('sns/friend_add', {
      From_Account: 'kim',
      AddFriendItem: [
        {
          To_Account: 'lou',
          AddSource: 'AddSource_Type_Web',
          AddWording: 'hello',
          Remark: 'L',
          GroupName: 'Work',
        },
      ],
    });
    expect((r.ResultItem as { ResultCode: number }[])[0]!.ResultCode).toBe(30539);
    await waitFor(() => heard.lou!.includes('added kim 1 Nick kim hello'), 'lou heard the request');
    await waitFor(() => heard.kim!.includes('added lou 2 Nick lou hello'), 'kim heard its own request');
    expect(heard.mae).toEqual([]);

    // Accepted on the SDK (both lists): the request is gone on both sides; each sees its new friend.
    expect((await lou.chat.acceptFriendApplication('kim', 1)).resultCode).toBe(0);
    await waitFor(
      () => heard.kim!.includes('deleted lou') && heard.kim!.includes('friend lou L Work'),
      'kim heard the acceptance',
    );
    await waitFor(
      () => heard.lou!.includes('deleted kim') && heard.lou!.includes('friend kim  '),
      'lou heard it too',
    );

    // Refused: gone on both sides, nobody is anybody's friend.
    expect((await mae.chat.addFriend({ userID: 'lou', addWording: 'me' })).resultCode).toBe(30539);
    await waitFor(() => heard.lou!.includes('added mae 1 Nick mae me'), 'lou heard mae');
    expect((await lou.chat.refuseFriendApplication('mae')).resultCode).toBe(0);
    await waitFor(
      () => heard.mae!.includes('deleted lou') && heard.lou!.includes('deleted mae'),
      'both heard',
    );
    expect(heard.mae!.filter((h) => h.startsWith('friend'))).toEqual([]);

    // Answered by adding back (REST): one more request, then the reverse add makes them friends.
    expect((await mae.chat.addFriend({ userID: 'lou' })).resultCode).toBe(30539);
    await v4('sns/friend_add', {
      From_Account: 'lou',
      AddFriendItem: [{ To_Account: 'mae', AddSource: 'AddSource_Type_Web' }],
    });
    await waitFor(
      () =>
        heard.mae!.filter((h) => h === 'deleted lou').length === 2 &&
        heard.mae!.some((h) => h.startsWith('friend lou')),
      'mae heard lou add it back',
    );
    // Removed by REST, then blocked and unblocked on the SDK: the owner's devices hear each change.
    await v4('sns/friend_delete', {
      From_Account: 'mae',
      To_Account: ['lou'],
      DeleteType: 'Delete_Type_Single',
    });
    await waitFor(() => heard.mae!.includes('unfriended lou'), 'mae heard the removal');
    expect((await mae.chat.addToBlackList(['kim']))[0]).toMatchObject({ userID: 'kim', resultCode: 0 });
    await waitFor(() => heard.mae!.includes('blocked kim'), 'mae heard the block');
    expect((await mae.chat.deleteFromBlackList(['kim']))[0]).toMatchObject({ userID: 'kim', resultCode: 0 });
    await waitFor(() => heard.mae!.includes('unblocked kim'), 'mae heard the unblock');
    // A failed command announces nothing: a second accept finds no request.
    const before = heard.kim!.length;
    expect((await lou.chat.acceptFriendApplication('kim')).resultCode).toBe(31704);
    await new Promise((r) => setTimeout(r, 100));
    expect(heard.kim!.length).toBe(before);
  });
});
