// The relationship chain end to end: sns/friend_* and sns/black_list_* with Tencent's fields, paging and
// codes; the receiver's AllowType; a blocked sender refused with 20007 and nothing stored or pushed; the app's
// C2C friend check (20009 / 20010 / 20011) on REST and SDK sends; the SDK's friend and blocklist methods.
import { PushlineError } from '@pushline/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn, waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { backgroundPhone, type PushWorld, random, startPushWorld, text } from '../helpers/push-e2e.js';

const backends = await testBackends();

describe.each(backends)('relationship chain on %s', (backend) => {
  let w: PushWorld;
  const v4 = (command: string, body: unknown) => w.s.v4(command, body);
  const check = async (from: string, to: string[], type = 'CheckResult_Type_Both') =>
    Object.fromEntries(
      (
        (await v4('sns/friend_check', { From_Account: from, To_Account: to, CheckType: type })).InfoItem as {
          To_Account: string;
          Relation: string;
        }[]
      ).map((i) => [i.To_Account, i.Relation]),
    );
  const allow = (user: string, value: string) =>
    v4('profile/portrait_set', {
      From_Account: user,
      ProfileItem: [{ Tag: 'Tag_Profile_IM_AllowType', Value: value }],
    });
  const send = (from: string, to: string, t: string) =>
    v4('openim/sendmsg', { From_Account: from, To_Account: to, MsgRandom: random(), MsgBody: text(t) });

  beforeAll(async () => {
    w = await startPushWorld(backend);
    const users = ['ann', 'ben', 'cat', 'dan', 'eve', 'fay', 'gus', 'pia', 'quin', 'ron', 'sam', 'tom'];
    const r = await v4('im_open_login_svc/multiaccount_import', {
      AccountList: users.map((UserID) => ({ UserID, Nick: `Nick ${UserID}` })),
    });
    expect(r).toMatchObject({ ErrorCode: 0 });
  });
  afterAll(async () => {
    await w?.close();
  });

  it('friend_add follows the peer AllowType; ForceAddFlags overrides it; AddType Single is one way', async () => {
    expect(await allow('ben', 'AllowType_Type_AllowAny')).toMatchObject({ ErrorCode: 0 });
    expect(await allow('dan', 'AllowType_Type_DenyAny')).toMatchObject({ ErrorCode: 0 });
    const add = (items: unknown[], extra: Record<string, unknown> = {}) =>
      v4('sns/friend_add', { From_Account: 'ann', AddFriendItem: items, ...extra });
    const r = await add([
      { To_Account: 'ben', AddSource: 'AddSource_Type_Android', Remark: 'Benny', GroupName: 'Work' },
      { To_Account: 'cat', AddSource: 'AddSource_Type_Android' },
      { To_Account: 'dan', AddSource: 'AddSource_Type_Android' },
      { To_Account: 'nobody', AddSource: 'AddSource_Type_Android' },
      { To_Account: 'ann', AddSource: 'AddSource_Type_Android' },
    ]);
    expect(r).toMatchObject({
      ActionStatus: 'OK',
      ErrorCode: 0,
      Fail_Account: ['cat', 'dan', 'nobody', 'ann'],
    });
    expect(
      (r.ResultItem as { To_Account: string; ResultCode: number }[]).map((i) => [i.To_Account, i.ResultCode]),
    ).toEqual([
      ['ben', 0],
      ['cat', 30539],
      ['dan', 30516],
      ['nobody', 30003],
      ['ann', 30001],
    ]);
    // Add_Type_Both (the default): both lists hold the other; nothing was stored for cat or dan.
    expect(await check('ann', ['ben', 'cat', 'dan'])).toEqual({
      ben: 'CheckResult_Type_BothWay',
      cat: 'CheckResult_Type_NoRelation',
      dan: 'CheckResult_Type_NoRelation',
    });
    // Forced: AllowType does not count; Add_Type_Single: only ann's list changes.
    const forced = await add(
      [
        { To_Account: 'cat', AddSource: 'AddSource_Type_Web' },
        { To_Account: 'dan', AddSource: 'AddSource_Type_Web' },
      ],
      { ForceAddFlags: 1, AddType: 'Add_Type_Single' },
    );
    expect(forced.Fail_Account).toEqual([]);
    expect(await check('ann', ['cat', 'dan'])).toEqual({
      cat: 'CheckResult_Type_AWithB',
      dan: 'CheckResult_Type_AWithB',
    });
    expect(await check('cat', ['ann'])).toEqual({ ann: 'CheckResult_Type_BWithA' });
    expect(await check('cat', ['ann'], 'CheckResult_Type_Single')).toEqual({
      ann: 'CheckResult_Type_NoRelation',
    });
    expect(await check('ann', ['cat'], 'CheckResult_Type_Single')).toEqual({
      cat: 'CheckResult_Type_AWithB',
    });

    // friend_get_list: the friend fields and profile fields asked for.
    const got = await v4('sns/friend_get_list', {
      From_Account: 'ann',
      To_Account: ['ben', 'eve', 'nobody'],
      TagList: ['Tag_SNS_IM_Remark', 'Tag_SNS_IM_Group', 'Tag_SNS_IM_AddSource', 'Tag_Profile_IM_Nick'],
    });
    expect(got).toMatchObject({ ErrorCode: 0, Fail_Account: ['eve', 'nobody'] });
    expect(got.InfoItem).toEqual([
      {
        To_Account: 'ben',
        SnsProfileItem: [
          { Tag: 'Tag_SNS_IM_Remark', Value: 'Benny' },
          { Tag: 'Tag_SNS_IM_Group', Value: ['Work'] },
          { Tag: 'Tag_SNS_IM_AddSource', Value: 'AddSource_Type_Android' },
          { Tag: 'Tag_Profile_IM_Nick', Value: 'Nick ben' },
        ],
        ResultCode: 0,
        ResultInfo: '',
      },
      expect.objectContaining({ To_Account: 'eve', ResultCode: 31704, SnsProfileItem: [] }),
      expect.objectContaining({ To_Account: 'nobody', ResultCode: 30003 }),
    ]);
  });

  it('request errors: 30001 for bad fields, 30003 for an unknown From_Account; nothing half-written', async () => {
    const cases: [string, unknown, number][] = [
      ['sns/friend_add', { From_Account: 'ann' }, 30001],
      ['sns/friend_add', { From_Account: 'ann', AddFriendItem: [{ To_Account: 'eve' }] }, 30001],
      [
        'sns/friend_add',
        { From_Account: 'ann', AddFriendItem: [{ To_Account: 'eve', AddSource: 'Android' }] },
        30001,
      ],
      [
        'sns/friend_add',
        {
          From_Account: 'ann',
          AddFriendItem: [{ To_Account: 'eve', AddSource: 'AddSource_Type_TooLongName' }],
        },
        30001,
      ],
      [
        'sns/friend_add',
        {
          From_Account: 'ann',
          AddFriendItem: [{ To_Account: 'eve', AddSource: 'AddSource_Type_A', Remark: 'r'.repeat(97) }],
        },
        30001,
      ],
      [
        'sns/friend_add',
        {
          From_Account: 'ann',
          AddFriendItem: [{ To_Account: 'eve', AddSource: 'AddSource_Type_A' }],
          AddType: 'Both',
        },
        30001,
      ],
      [
        'sns/friend_add',
        { From_Account: 'ghost', AddFriendItem: [{ To_Account: 'eve', AddSource: 'AddSource_Type_A' }] },
        30003,
      ],
      [
        'sns/friend_import',
        {
          From_Account: 'ann',
          AddFriendItem: [
            {
              To_Account: 'eve',
              AddSource: 'AddSource_Type_A',
              CustomItem: [{ Tag: 'Tag_SNS_Custom_X', Value: 1 }],
            },
          ],
        },
        30001,
      ],
      ['sns/friend_delete', { From_Account: 'ann', To_Account: [] }, 30001],
      ['sns/friend_delete', { From_Account: 'ann', To_Account: ['ben'], DeleteType: 'Both' }, 30001],
      ['sns/friend_delete_all', { From_Account: 'ghost' }, 30003],
      ['sns/friend_check', { From_Account: 'ann', To_Account: ['ben'] }, 30001],
      [
        'sns/friend_check',
        {
          From_Account: 'ann',
          To_Account: Array.from({ length: 1001 }, (_, i) => `u${i}`),
          CheckType: 'CheckResult_Type_Both',
        },
        30001,
      ],
      ['sns/friend_get', { From_Account: 'ann' }, 30001],
      ['sns/friend_get', { From_Account: 'ann', StartIndex: -1 }, 30001],
      [
        'sns/friend_get_list',
        { From_Account: 'ann', To_Account: ['ben'], TagList: ['Tag_SNS_Custom_X'] },
        30001,
      ],
      [
        'sns/friend_get_list',
        { From_Account: 'ann', To_Account: ['ben'], TagList: ['Tag_Profile_IM_Gender'] },
        30001,
      ],
      ['sns/black_list_add', { From_Account: 'ann', To_Account: 'ben' }, 30001],
      ['sns/black_list_delete', { From_Account: 'ghost', To_Account: ['ben'] }, 30003],
      ['sns/black_list_get', { From_Account: 'ann', StartIndex: 0, MaxLimited: 0, LastSequence: 0 }, 30001],
      [
        'sns/black_list_check',
        { From_Account: 'ann', To_Account: ['ben'], CheckType: 'CheckResult_Type_Both' },
        30001,
      ],
    ];
    for (const [command, body, code] of cases) {
      const r = await v4(command, body);
      expect(r, `${command} ${JSON.stringify(body).slice(0, 120)}`).toMatchObject({
        ActionStatus: 'FAIL',
        ErrorCode: code,
      });
    }
    // None of the refused requests added eve anywhere.
    expect(await check('ann', ['eve'])).toEqual({ eve: 'CheckResult_Type_NoRelation' });
  });

  it('friend_import keeps the given fields, one way; friend_get pages by 100 with StandardSequence', async () => {
    const extra = Array.from({ length: 140 }, (_, i) => `imp${String(i).padStart(3, '0')}`);
    for (let i = 0; i < extra.length; i += 100) {
      const r = await v4('im_open_login_svc/multiaccount_import', {
        AccountList: extra.slice(i, i + 100).map((UserID) => ({ UserID })),
      });
      expect(r.ErrorCode).toBe(0);
    }
    const imported = await v4('sns/friend_import', {
      From_Account: 'fay',
      AddFriendItem: [
        {
          To_Account: 'dan',
          Remark: 'Danny',
          RemarkTime: 1_420_000_001,
          GroupName: ['Old', 'Friends'],
          AddSource: 'AddSource_Type_Import',
          AddWording: 'hello',
          AddTime: 1_420_000_000,
        },
        ...extra.map((To_Account, i) => ({
          To_Account,
          AddSource: 'AddSource_Type_Import',
          AddTime: 1_500_000_000 + i,
        })),
      ],
    });
    expect(imported).toMatchObject({ ErrorCode: 0, Fail_Account: [] });
    // dan denies everyone, but an import does not ask; it is one way.
    expect(await check('fay', ['dan'])).toEqual({ dan: 'CheckResult_Type_AWithB' });
    // Importing again: the existing friend is kept as it was.
    await v4('sns/friend_import', {
      From_Account: 'fay',
      AddFriendItem: [{ To_Account: 'dan', Remark: 'changed', AddSource: 'AddSource_Type_Import' }],
    });

    const page1 = await v4('sns/friend_get', { From_Account: 'fay', StartIndex: 0 });
    expect(page1).toMatchObject({
      ErrorCode: 0,
      FriendNum: 141,
      CompleteFlag: 0,
      NextStartIndex: 100,
      CustomSequence: 0,
    });
    const items1 = page1.UserDataItem as {
      To_Account: string;
      ValueItem: { Tag: string; Value: unknown }[];
    }[];
    expect(items1).toHaveLength(100);
    // Oldest first: dan was added in 2015.
    expect(items1[0]).toEqual({
      To_Account: 'dan',
      ValueItem: [
        { Tag: 'Tag_SNS_IM_Remark', Value: 'Danny' },
        { Tag: 'Tag_SNS_IM_RemarkTime', Value: 1_420_000_001 },
        { Tag: 'Tag_SNS_IM_Group', Value: ['Old', 'Friends'] },
        { Tag: 'Tag_SNS_IM_AddSource', Value: 'AddSource_Type_Import' },
        { Tag: 'Tag_SNS_IM_AddWording', Value: 'hello' },
        { Tag: 'Tag_SNS_IM_AddTime', Value: 1_420_000_000 },
      ],
    });
    const seq = page1.StandardSequence as number;
    expect(seq).toBeGreaterThan(0);
    const page2 = await v4('sns/friend_get', { From_Account: 'fay', StartIndex: 100, StandardSequence: 0 });
    expect(page2).toMatchObject({
      FriendNum: 141,
      CompleteFlag: 1,
      NextStartIndex: 0,
      StandardSequence: seq,
    });
    const items2 = page2.UserDataItem as { To_Account: string }[];
    expect(items2.map((i) => i.To_Account)).toEqual(extra.slice(99));
    // The client holds this version: the standard fields are not sent again.
    const same = await v4('sns/friend_get', { From_Account: 'fay', StartIndex: 0, StandardSequence: seq });
    expect((same.UserDataItem as { ValueItem: unknown[] }[]).every((i) => i.ValueItem.length === 0)).toBe(
      true,
    );

    // friend_delete, then friend_delete_all (both ways).
    const del = await v4('sns/friend_delete', { From_Account: 'fay', To_Account: ['dan', 'dan', 'eve'] });
    expect(del.ResultItem).toEqual([
      { To_Account: 'dan', ResultCode: 0, ResultInfo: '' },
      expect.objectContaining({ To_Account: 'eve', ResultCode: 31704 }),
    ]);
    const after = await v4('sns/friend_get', { From_Account: 'fay', StartIndex: 0, StandardSequence: seq });
    expect(after.StandardSequence).toBeGreaterThan(seq);
    expect(after.FriendNum).toBe(140);
    await v4('sns/friend_import', {
      From_Account: 'imp000',
      AddFriendItem: [{ To_Account: 'fay', AddSource: 'AddSource_Type_Import' }],
    });
    expect(await check('fay', ['imp000', 'imp001'])).toEqual({
      imp000: 'CheckResult_Type_BothWay',
      imp001: 'CheckResult_Type_AWithB',
    });
    expect(
      await v4('sns/friend_delete_all', { From_Account: 'fay', DeleteType: 'Delete_Type_Both' }),
    ).toMatchObject({
      ErrorCode: 0,
    });
    expect(await check('fay', ['imp000', 'imp001'])).toEqual({
      imp000: 'CheckResult_Type_NoRelation',
      imp001: 'CheckResult_Type_NoRelation',
    });
    expect((await v4('sns/friend_get', { From_Account: 'fay', StartIndex: 0 })).FriendNum).toBe(0);
  });

  it('blocklist: add ends friendships, check, get pages with CurruentSequence, delete; friend_add refused across it', async () => {
    // ann and ben are friends both ways (first test).
    const add = await v4('sns/black_list_add', {
      From_Account: 'ben',
      To_Account: ['ann', 'gus', 'nobody', 'ben'],
    });
    expect(add).toMatchObject({ ErrorCode: 0, Fail_Account: ['nobody', 'ben'] });
    expect((add.ResultItem as { ResultCode: number }[]).map((i) => i.ResultCode)).toEqual([
      0, 0, 30003, 30001,
    ]);
    expect(await check('ann', ['ben'])).toEqual({ ben: 'CheckResult_Type_NoRelation' });
    const bcheck = async (from: string, to: string[], type: string) =>
      (
        (await v4('sns/black_list_check', { From_Account: from, To_Account: to, CheckType: type }))
          .BlackListCheckItem as { To_Account: string; Relation: string }[]
      ).map((i) => [i.To_Account, i.Relation]);
    expect(await bcheck('ben', ['ann', 'cat'], 'BlackCheckResult_Type_Both')).toEqual([
      ['ann', 'BlackCheckResult_Type_AWithB'],
      ['cat', 'BlackCheckResult_Type_NO'],
    ]);
    expect(await bcheck('ann', ['ben'], 'BlackCheckResult_Type_Both')).toEqual([
      ['ben', 'BlackCheckResult_Type_BWithA'],
    ]);
    expect(await bcheck('ann', ['ben'], 'BlackCheckResult_Type_Single')).toEqual([
      ['ben', 'BlackCheckResult_Type_NO'],
    ]);
    await v4('sns/black_list_add', { From_Account: 'ann', To_Account: ['ben'] });
    expect(await bcheck('ann', ['ben'], 'BlackCheckResult_Type_Both')).toEqual([
      ['ben', 'BlackCheckResult_Type_BothWay'],
    ]);

    // Paging one by one.
    const p1 = await v4('sns/black_list_get', {
      From_Account: 'ben',
      StartIndex: 0,
      MaxLimited: 1,
      LastSequence: 0,
    });
    expect(p1).toMatchObject({ ErrorCode: 0, StartIndex: 1 });
    const p2 = await v4('sns/black_list_get', {
      From_Account: 'ben',
      StartIndex: 1,
      MaxLimited: 1,
      LastSequence: 0,
    });
    expect(p2).toMatchObject({ StartIndex: 0 });
    const listed = [
      ...(p1.BlackListItem as { To_Account: string }[]),
      ...(p2.BlackListItem as { To_Account: string }[]),
    ];
    expect(listed.map((i) => i.To_Account).sort()).toEqual(['ann', 'gus']);
    expect(p1.BlackListItem).toEqual([
      { To_Account: expect.any(String), AddBlackTimeStamp: expect.any(Number) },
    ]);
    const seq = p1.CurruentSequence as number;
    expect(seq).toBeGreaterThan(0);
    const unchanged = await v4('sns/black_list_get', {
      From_Account: 'ben',
      StartIndex: 0,
      MaxLimited: 10,
      LastSequence: seq,
    });
    expect(unchanged).toMatchObject({ BlackListItem: [], StartIndex: 0, CurruentSequence: seq });

    // Across a blocklist, no friend_add either way, forced or not.
    const tryAdd = async (from: string, to: string) =>
      (
        (
          await v4('sns/friend_add', {
            From_Account: from,
            AddFriendItem: [{ To_Account: to, AddSource: 'AddSource_Type_A' }],
            ForceAddFlags: 1,
          })
        ).ResultItem as { ResultCode: number }[]
      )[0]!.ResultCode;
    expect(await tryAdd('gus', 'ben')).toBe(30525);
    expect(await tryAdd('ben', 'gus')).toBe(30515);

    const del = await v4('sns/black_list_delete', { From_Account: 'ben', To_Account: ['gus', 'cat'] });
    expect((del.ResultItem as { ResultCode: number }[]).map((i) => i.ResultCode)).toEqual([0, 31704]);
    expect(await tryAdd('gus', 'ben')).toBe(0);
    const p3 = await v4('sns/black_list_get', {
      From_Account: 'ben',
      StartIndex: 0,
      MaxLimited: 10,
      LastSequence: seq,
    });
    expect(p3.CurruentSequence).toBeGreaterThan(seq);
    expect(p3.BlackListItem).toEqual([{ To_Account: 'ann', AddBlackTimeStamp: expect.any(Number) }]);
  });

  it('a blocked sender is refused with 20007 on REST and SDK; nothing is stored or pushed', async () => {
    const pia = await backgroundPhone(w, 'pia', 'fcm');
    const quin = await loggedIn(w.s, 'quin');
    try {
      expect(await v4('sns/black_list_add', { From_Account: 'pia', To_Account: ['quin'] })).toMatchObject({
        ErrorCode: 0,
      });
      expect(await send('quin', 'pia', 'quin: rest')).toMatchObject({
        ActionStatus: 'FAIL',
        ErrorCode: 20007,
      });
      const sdk = await quin.chat
        .sendMessage({ receiver: 'pia', body: text('quin: sdk') })
        .catch((e: unknown) => e);
      expect(sdk).toBeInstanceOf(PushlineError);
      expect((sdk as PushlineError).code).toBe(20007);
      const batch = await v4('openim/batchsendmsg', {
        From_Account: 'quin',
        To_Account: ['pia', 'ron'],
        MsgRandom: random(),
        MsgBody: text('quin: batch'),
      });
      expect(batch).toMatchObject({ ErrorCode: 0, ErrorList: [{ To_Account: 'pia', ErrorCode: 20007 }] });
      // The one who blocked may still write to the blocked one.
      expect(await send('pia', 'quin', 'pia: hi')).toMatchObject({ ErrorCode: 0 });
      // A message from someone else is pushed: once it arrived, the refused ones would have too.
      expect(await send('ron', 'pia', 'ron: hello')).toMatchObject({ ErrorCode: 0 });
      await w.sim.waitFor({ token: pia.token });
      const pushed = JSON.stringify(w.sim.received({ token: pia.token, limit: 100 }));
      expect(pushed).toContain('ron: hello');
      expect(pushed).not.toContain('quin:');
      // Nor stored: pia's history with quin holds only her own message.
      const history = await pia.client.chat.getMessageList({ conversationID: 'c2c_quin' });
      expect(history.map((m) => m.body[0]?.MsgContent.Text)).toEqual(['pia: hi']);
      // Unblocked: quin's messages go through again.
      await v4('sns/black_list_delete', { From_Account: 'pia', To_Account: ['quin'] });
      expect(await send('quin', 'pia', 'quin: again')).toMatchObject({ ErrorCode: 0 });
      await waitFor(
        () => JSON.stringify(w.sim.received({ token: pia.token, limit: 100 })).includes('quin: again'),
        'the unblocked message pushed',
      );
    } finally {
      await pia.client.chat.logout();
      await quin.chat.logout();
    }
  });

  it('the C2C friend check: only friends both ways may message (20009 / 20010 / 20011)', async () => {
    await w.s.pushline.apps.updateSettings(w.s.app.sdkAppId, { c2cFriendCheck: true });
    const sam = await loggedIn(w.s, 'sam');
    try {
      expect((await send('sam', 'tom', 'x')).ErrorCode).toBe(20009);
      const sdk = await sam.chat.sendMessage({ receiver: 'tom', body: text('x') }).catch((e: unknown) => e);
      expect((sdk as PushlineError).code).toBe(20009);
      // sam's list holds tom, tom's does not hold sam.
      await v4('sns/friend_import', {
        From_Account: 'sam',
        AddFriendItem: [{ To_Account: 'tom', AddSource: 'AddSource_Type_A' }],
      });
      expect((await send('sam', 'tom', 'x')).ErrorCode).toBe(20010);
      expect((await send('tom', 'sam', 'x')).ErrorCode).toBe(20011);
      await v4('sns/friend_import', {
        From_Account: 'tom',
        AddFriendItem: [{ To_Account: 'sam', AddSource: 'AddSource_Type_A' }],
      });
      expect((await send('sam', 'tom', 'x')).ErrorCode).toBe(0);
      expect((await sam.chat.sendMessage({ receiver: 'tom', body: text('y') })).msgKey).toBeTruthy();
      // The administrator sending as itself is not checked.
      expect(
        (await v4('openim/sendmsg', { To_Account: 'tom', MsgRandom: random(), MsgBody: text('admin') }))
          .ErrorCode,
      ).toBe(0);
      // Switched off: non-friends write again.
      await w.s.pushline.apps.updateSettings(w.s.app.sdkAppId, { c2cFriendCheck: false });
      expect((await send('eve', 'tom', 'x')).ErrorCode).toBe(0);
    } finally {
      await w.s.pushline.apps.updateSettings(w.s.app.sdkAppId, { c2cFriendCheck: false });
      await sam.chat.logout();
    }
  });

  it('SDK: getFriendList, addFriend, checkFriend, deleteFromFriendList, addToBlackList, getBlackList, deleteFromBlackList', async () => {
    await allow('eve', 'AllowType_Type_AllowAny');
    const ron = await loggedIn(w.s, 'ron');
    try {
      expect(await ron.chat.getFriendList()).toEqual([]);
      const added = await ron.chat.addFriend({
        userID: 'eve',
        friendRemark: 'Evie',
        friendGroup: 'Mates',
        addSource: 'Android',
      });
      expect(added).toEqual({ userID: 'eve', resultCode: 0, resultInfo: '' });
      // cat must confirm: refused, and the SDK cannot force it.
      expect((await ron.chat.addFriend({ userID: 'cat' })).resultCode).toBe(30539);
      const friends = await ron.chat.getFriendList();
      expect(friends).toEqual([
        {
          userID: 'eve',
          friendRemark: 'Evie',
          friendGroups: ['Mates'],
          addTime: expect.any(Number),
          userFullInfo: expect.objectContaining({ userID: 'eve', nickName: 'Nick eve' }),
        },
      ]);
      expect(await check('eve', ['ron'])).toEqual({ ron: 'CheckResult_Type_BothWay' });
      expect((await ron.chat.checkFriend(['eve', 'cat'])).map((r) => [r.userID, r.resultType])).toEqual([
        ['eve', 3],
        ['cat', 0],
      ]);
      const removed = await ron.chat.deleteFromFriendList(['eve'], 1);
      expect(removed).toEqual([{ userID: 'eve', resultCode: 0, resultInfo: '' }]);
      expect((await ron.chat.checkFriend(['eve'])).map((r) => r.resultType)).toEqual([2]);
      expect((await ron.chat.checkFriend(['eve'], 1)).map((r) => r.resultType)).toEqual([0]);

      expect(await ron.chat.addToBlackList(['eve'])).toEqual([
        { userID: 'eve', resultCode: 0, resultInfo: '' },
      ]);
      // Blocking ended eve's half of the friendship too.
      expect(await check('eve', ['ron'])).toEqual({ ron: 'CheckResult_Type_NoRelation' });
      expect((await ron.chat.getBlackList()).map((u) => u.userID)).toEqual(['eve']);
      expect((await send('eve', 'ron', 'blocked')).ErrorCode).toBe(20007);
      expect((await ron.chat.deleteFromBlackList(['eve', 'cat'])).map((r) => r.resultCode)).toEqual([
        0, 31704,
      ]);
      expect(await ron.chat.getBlackList()).toEqual([]);
    } finally {
      await ron.chat.logout();
    }
  });

  it('deleting an account removes it from every list', async () => {
    await v4('sns/friend_import', {
      From_Account: 'gus',
      AddFriendItem: [{ To_Account: 'imp139', AddSource: 'AddSource_Type_A' }],
    });
    await v4('sns/black_list_add', { From_Account: 'gus', To_Account: ['imp138'] });
    expect(
      await v4('im_open_login_svc/account_delete', {
        DeleteItem: [{ UserID: 'imp139' }, { UserID: 'imp138' }],
      }),
    ).toMatchObject({
      ErrorCode: 0,
    });
    const list = await v4('sns/friend_get', { From_Account: 'gus', StartIndex: 0 });
    expect((list.UserDataItem as { To_Account: string }[]).map((i) => i.To_Account)).not.toContain('imp139');
    const bl = await v4('sns/black_list_get', {
      From_Account: 'gus',
      StartIndex: 0,
      MaxLimited: 10,
      LastSequence: 0,
    });
    expect(bl.BlackListItem).toEqual([]);
  });
});
