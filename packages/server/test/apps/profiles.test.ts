// User profiles end to end: profile/portrait_set and portrait_get with Tencent's shapes and codes, custom
// fields that must be declared in the app settings first, SDK clients that read other users' profiles and
// set their own (getUsersInfo, setSelfInfo), one source of truth with account_import, and C2C push titles
// that use the nickname as it is when the message is sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn, waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { backgroundPhone, type PushWorld, random, startPushWorld, text } from '../helpers/push-e2e.js';

const backends = await testBackends();

describe.each(backends)('user profiles on %s', (backend) => {
  let w: PushWorld;
  const v4 = (command: string, body: unknown) => w.s.v4(command, body);
  const get = (ids: string[], tags: string[]) =>
    v4('profile/portrait_get', { To_Account: ids, TagList: tags });

  beforeAll(async () => {
    w = await startPushWorld(backend);
    const r = await v4('im_open_login_svc/multiaccount_import', {
      AccountList: [
        { UserID: 'ann', Nick: 'Ann Imported', FaceUrl: 'https://img.example/ann.png' },
        { UserID: 'ben' },
      ],
    });
    expect(r).toMatchObject({ ErrorCode: 0 });
    await w.s.pushline.apps.updateSettings(w.s.app.sdkAppId, {
      profileCustomTags: [
        { name: 'Hobby', type: 'string' },
        { name: 'Level', type: 'integer' },
      ],
    });
  });
  afterAll(async () => {
    await w?.close();
  });

  it('portrait_get answers what account_import stored: one source of truth', async () => {
    const r = await get(['ann'], ['Tag_Profile_IM_Nick', 'Tag_Profile_IM_Image', 'Tag_Profile_IM_AllowType']);
    expect(r).toMatchObject({
      ActionStatus: 'OK',
      ErrorCode: 0,
      UserProfileItem: [
        {
          To_Account: 'ann',
          ResultCode: 0,
          ProfileItem: [
            { Tag: 'Tag_Profile_IM_Nick', Value: 'Ann Imported' },
            { Tag: 'Tag_Profile_IM_Image', Value: 'https://img.example/ann.png' },
            { Tag: 'Tag_Profile_IM_AllowType', Value: 'AllowType_Type_NeedConfirm' },
          ],
        },
      ],
    });
  });

  it('portrait_set then portrait_get round trip, custom fields included; account_import sees the new Nick', async () => {
    const set = await v4('profile/portrait_set', {
      From_Account: 'ann',
      ProfileItem: [
        { Tag: 'Tag_Profile_IM_Nick', Value: 'Ann' },
        { Tag: 'Tag_Profile_IM_Image', Value: 'https://img.example/ann2.png' },
        { Tag: 'Tag_Profile_IM_AllowType', Value: 'AllowType_Type_AllowAny' },
        { Tag: 'Tag_Profile_Custom_Hobby', Value: 'chess' },
        { Tag: 'Tag_Profile_Custom_Level', Value: 7 },
      ],
    });
    expect(set).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0 });
    const r = await get(
      ['ann', 'ben'],
      [
        'Tag_Profile_IM_Nick',
        'Tag_Profile_IM_AllowType',
        'Tag_Profile_Custom_Hobby',
        'Tag_Profile_Custom_Level',
      ],
    );
    expect(r.UserProfileItem).toEqual([
      {
        To_Account: 'ann',
        ResultCode: 0,
        ResultInfo: '',
        ProfileItem: [
          { Tag: 'Tag_Profile_IM_Nick', Value: 'Ann' },
          { Tag: 'Tag_Profile_IM_AllowType', Value: 'AllowType_Type_AllowAny' },
          { Tag: 'Tag_Profile_Custom_Hobby', Value: 'chess' },
          { Tag: 'Tag_Profile_Custom_Level', Value: 7 },
        ],
      },
      {
        To_Account: 'ben',
        ResultCode: 0,
        ResultInfo: '',
        ProfileItem: [
          { Tag: 'Tag_Profile_IM_Nick', Value: '' },
          { Tag: 'Tag_Profile_IM_AllowType', Value: 'AllowType_Type_NeedConfirm' },
          { Tag: 'Tag_Profile_Custom_Hobby', Value: '' },
          { Tag: 'Tag_Profile_Custom_Level', Value: 0 },
        ],
      },
    ]);
    const account = await w.s.pushline.accounts.get(w.s.app.sdkAppId, 'ann');
    expect(account).toMatchObject({ nick: 'Ann', faceUrl: 'https://img.example/ann2.png' });
  });

  it('every error code, and nothing written by a refused request', async () => {
    const set = (items: unknown, from: unknown = 'ann') =>
      v4('profile/portrait_set', { From_Account: from, ProfileItem: items });
    const nick = (Value: unknown) => ({ Tag: 'Tag_Profile_IM_Nick', Value });
    const cases: [unknown, number, RegExp][] = [
      [await set([nick('Changed'), { Tag: 'Tag_Profile_Custom_Secret', Value: 'x' }]), 40009, /not declared/],
      [await set([{ Tag: 'Tag_Profile_IM_Gender', Value: 'Gender_Type_Male' }]), 40009, /does not store/],
      [await set([{ Tag: 'Tag_Made_Up', Value: 'x' }]), 40009, /no such profile field/],
      [await set([nick('x'.repeat(501))]), 40601, /at most 500/],
      [await set([{ Tag: 'Tag_Profile_IM_AllowType', Value: 'Maybe' }]), 40001, /AllowType/],
      [await set([{ Tag: 'Tag_Profile_Custom_Level', Value: 'high' }]), 40001, /integer/],
      [await set([{ Tag: 'Tag_Profile_Custom_Hobby', Value: 5 }]), 40001, /string/],
      [await set([nick(true)]), 40001, /ProfileItem/],
      [await set([]), 40001, /ProfileItem/],
      [await set([nick('x')], 'nobody'), 40003, /does not exist/],
      [await set([nick('x')], ''), 40001, /From_Account/],
      [await v4('profile/portrait_set', { ProfileItem: [nick('x')] }), 40001, /From_Account/],
      [await get(['ann'], ['Tag_Profile_Custom_Secret']), 40009, /not declared/],
      [await get(['ann'], []), 40001, /TagList/],
      [await get([], ['Tag_Profile_IM_Nick']), 40001, /To_Account/],
      [
        await get(
          Array.from({ length: 101 }, (_, i) => `u${i}`),
          ['Tag_Profile_IM_Nick'],
        ),
        40001,
        /at most 100/,
      ],
    ];
    for (const [answer, code, info] of cases) {
      expect(answer).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: code });
      expect((answer as { ErrorInfo: string }).ErrorInfo).toMatch(info);
    }
    // The first request also held a good Nick: all or nothing.
    const r = await get(['ann'], ['Tag_Profile_IM_Nick']);
    expect(r.UserProfileItem).toMatchObject([
      { ProfileItem: [{ Tag: 'Tag_Profile_IM_Nick', Value: 'Ann' }] },
    ]);
    // An unknown account in portrait_get: its own ResultCode, the others answered.
    const mixed = await get(['ghost', 'ann'], ['Tag_Profile_IM_Nick']);
    expect(mixed).toMatchObject({
      ErrorCode: 0,
      FailAccount: ['ghost'],
      UserProfileItem: [
        { To_Account: 'ghost', ResultCode: 40003, ProfileItem: [] },
        { To_Account: 'ann', ResultCode: 0 },
      ],
    });
  });

  it('SDK clients read other users’ profiles and set their own', async () => {
    const ben = await loggedIn(w.s, 'ben');
    try {
      const [ann] = await ben.chat.getUsersInfo(['ann', 'nobody']);
      expect(ann).toEqual({
        userID: 'ann',
        nickName: 'Ann',
        faceURL: 'https://img.example/ann2.png',
        allowType: 0,
        customInfo: { Hobby: 'chess', Level: 7 },
      });
      expect(await ben.chat.getUsersInfo(['nobody'])).toEqual([]);

      const mine = await ben.chat.setSelfInfo({
        nickName: 'Benjamin',
        allowType: 2,
        customInfo: { Level: 3 },
      });
      expect(mine).toMatchObject({
        userID: 'ben',
        nickName: 'Benjamin',
        allowType: 2,
        customInfo: { Level: 3 },
      });
      const r = await get(
        ['ben'],
        ['Tag_Profile_IM_Nick', 'Tag_Profile_IM_AllowType', 'Tag_Profile_Custom_Level'],
      );
      expect(r.UserProfileItem).toMatchObject([
        {
          ProfileItem: [
            { Tag: 'Tag_Profile_IM_Nick', Value: 'Benjamin' },
            { Tag: 'Tag_Profile_IM_AllowType', Value: 'AllowType_Type_DenyAny' },
            { Tag: 'Tag_Profile_Custom_Level', Value: 3 },
          ],
        },
      ]);

      // Refusals carry Tencent's profile codes; nothing of a refused call is written.
      await expect(
        ben.chat.setSelfInfo({ nickName: 'Ben X', customInfo: { Secret: 'x' } }),
      ).rejects.toMatchObject({
        code: 40009,
      });
      await expect(ben.chat.setSelfInfo({ faceURL: 'y'.repeat(501) })).rejects.toMatchObject({ code: 40601 });
      await expect(ben.chat.setSelfInfo({})).rejects.toMatchObject({ code: 6017 });
      const [still] = await ben.chat.getUsersInfo(['ben']);
      expect(still?.nickName).toBe('Benjamin');
    } finally {
      await ben.chat.logout();
    }
  });

  it('a C2C push is titled with the nickname the sender set just before sending', async () => {
    const cleo = await backgroundPhone(w, 'cleo-p', 'fcm');
    const sender = await loggedIn(w.s, 'dan-p');
    try {
      await sender.chat.setSelfInfo({ nickName: 'Dan the First' });
      await sender.chat.sendMessage({ receiver: 'cleo-p', body: text('hi') });
      const first = await w.sim.waitFor({ token: cleo.token });
      expect(first).toMatchObject({ title: 'Dan the First', body: 'hi' });

      // The backend renames him; the very next push says so.
      const renamed = await v4('profile/portrait_set', {
        From_Account: 'dan-p',
        ProfileItem: [{ Tag: 'Tag_Profile_IM_Nick', Value: 'Dan Renamed' }],
      });
      expect(renamed).toMatchObject({ ErrorCode: 0 });
      const sent = await v4('openim/sendmsg', {
        From_Account: 'dan-p',
        To_Account: 'cleo-p',
        MsgRandom: random(),
        MsgBody: text('again'),
      });
      expect(sent).toMatchObject({ ErrorCode: 0 });
      const second = await waitFor(
        () => w.sim.received({ token: cleo.token }).find((p) => p.body === 'again'),
        'second push',
      );
      expect(second.title).toBe('Dan Renamed');
    } finally {
      await sender.chat.logout();
      await cleo.client.chat.logout();
    }
  });
});
