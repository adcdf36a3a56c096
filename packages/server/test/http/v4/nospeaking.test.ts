// Global mute end to end: openconfigsvr/setnospeaking and getnospeaking with Tencent's fields and codes; a
// muted account refused on REST sends made on its behalf and on SDK sends (C2C 20012, group 10017), nothing
// stored; the mute lifting itself when its time passes (the server's clock is moved, no waiting); for ever.
import { groupTipsOf, PushlineError } from '@pushline/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn, type TestClient, waitFor } from '../../helpers/clients.js';
import { testBackends } from '../../helpers/databases.js';
import { random, text } from '../../helpers/push-e2e.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

const backends = await testBackends();

describe.each(backends)('global mute on %s', (backend) => {
  let s: TestServer;
  /** The server's clock stands still at this UNIX ms; tests move it (so remaining times are exact). */
  let clock = Date.now();
  let mo: TestClient;
  let pat: TestClient;
  const v4 = (command: string, body: unknown) => s.v4(command, body);
  const c2c = (from: string, t: string) =>
    v4('openim/sendmsg', { From_Account: from, To_Account: 'pat', MsgRandom: random(), MsgBody: text(t) });
  const group = (from: string, t: string) =>
    v4('group_open_http_svc/send_group_msg', {
      GroupId: 'club',
      From_Account: from,
      Random: random(),
      MsgBody: text(t),
    });
  const sdkCode = (p: Promise<unknown>) =>
    p.then(
      () => 0,
      (e: unknown) => (e instanceof PushlineError ? e.code : -1),
    );
  const mute = (c2cTime?: number, groupTime?: number) =>
    v4('openconfigsvr/setnospeaking', {
      Set_Account: 'mo',
      ...(c2cTime !== undefined ? { C2CmsgNospeakingTime: c2cTime } : {}),
      ...(groupTime !== undefined ? { GroupmsgNospeakingTime: groupTime } : {}),
    });
  const state = async () => {
    const r = await v4('openconfigsvr/getnospeaking', { Get_Account: 'mo' });
    expect(r).toMatchObject({ ErrorCode: 0 });
    return [r.C2CmsgNospeakingTime, r.GroupmsgNospeakingTime];
  };

  beforeAll(async () => {
    s = await startTestServer({ backend, create: { clock: () => clock } });
    expect(
      await v4('im_open_login_svc/multiaccount_import', {
        AccountList: [{ UserID: 'mo' }, { UserID: 'pat' }],
      }),
    ).toMatchObject({ ErrorCode: 0 });
    expect(
      await v4('group_open_http_svc/create_group', {
        Owner_Account: 'pat',
        Type: 'Work',
        GroupId: 'club',
        Name: 'Club',
        MemberList: [{ Member_Account: 'mo' }],
      }),
    ).toMatchObject({ ErrorCode: 0 });
    mo = await loggedIn(s, 'mo');
    pat = await loggedIn(s, 'pat');
  });
  afterAll(async () => {
    await mo?.chat.logout();
    await pat?.chat.logout();
    await s?.close();
  });

  it('answers Tencent codes for bad requests and sets nothing', async () => {
    const cases: [unknown, number][] = [
      [{ C2CmsgNospeakingTime: 10 }, 130004],
      [{ Set_Account: 7, C2CmsgNospeakingTime: 10 }, 130005],
      [{ Set_Account: 'ghost', C2CmsgNospeakingTime: 10 }, 130005],
      [{ Set_Account: 'mo' }, 130008],
      [{ Set_Account: 'mo', C2CmsgNospeakingTime: -1 }, 130001],
      [{ Set_Account: 'mo', C2CmsgNospeakingTime: 4_294_967_296 }, 130001],
      [{ Set_Account: 'mo', GroupmsgNospeakingTime: '60' }, 130001],
      [{ Set_Account: 'mo', GroupmsgNospeakingTime: 1.5 }, 130001],
    ];
    for (const [body, code] of cases) {
      expect(await v4('openconfigsvr/setnospeaking', body), JSON.stringify(body)).toMatchObject({
        ActionStatus: 'FAIL',
        ErrorCode: code,
      });
    }
    expect(await v4('openconfigsvr/getnospeaking', {})).toMatchObject({ ErrorCode: 130004 });
    expect(await v4('openconfigsvr/getnospeaking', { Get_Account: 'ghost' })).toMatchObject({
      ErrorCode: 130005,
    });
    expect(await state()).toEqual([0, 0]);
  });

  it('a C2C mute refuses C2C sends (20012) on REST and SDK, not group sends; it ends when its time passes', async () => {
    expect(await mute(60)).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0 });
    expect(await state()).toEqual([60, 0]);
    expect(await c2c('mo', 'muted rest')).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 20012 });
    expect(await sdkCode(mo.chat.sendMessage({ receiver: 'pat', body: text('muted sdk') }))).toBe(20012);
    // batchsendmsg on its behalf: refused as a whole.
    expect(
      await v4('openim/batchsendmsg', {
        From_Account: 'mo',
        To_Account: ['pat'],
        MsgRandom: random(),
        MsgBody: text('b'),
      }),
    ).toMatchObject({ ErrorCode: 20012 });
    // Group messages are not muted by a C2C mute.
    expect(await group('mo', 'group ok')).toMatchObject({ ErrorCode: 0 });
    // Nothing of the refused messages reached pat.
    const history = await pat.chat.getMessageList({ conversationID: 'c2c_mo' });
    expect(history).toEqual([]);

    clock += 30_000;
    expect(await state()).toEqual([30, 0]);
    expect((await c2c('mo', 'still muted')).ErrorCode).toBe(20012);
    clock += 30_000;
    expect(await state()).toEqual([0, 0]);
    expect(await c2c('mo', 'free again')).toMatchObject({ ErrorCode: 0 });
    expect(await sdkCode(mo.chat.sendMessage({ receiver: 'pat', body: text('free sdk') }))).toBe(0);
    await waitFor(() => pat.messages.some((m) => m.body[0]?.MsgContent.Text === 'free sdk'), 'pat got it');
  });

  it('a group mute refuses group sends (10017) on REST and SDK, not C2C; lifting with 0', async () => {
    expect(await mute(undefined, 120)).toMatchObject({ ErrorCode: 0 });
    expect(await state()).toEqual([0, 120]);
    expect(await group('mo', 'muted group')).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 10017 });
    expect(await sdkCode(mo.chat.sendMessage({ groupID: 'club', body: text('muted group sdk') }))).toBe(
      10017,
    );
    expect((await c2c('mo', 'c2c ok')).ErrorCode).toBe(0);
    // Others in the group still speak.
    expect((await group('pat', 'pat speaks')).ErrorCode).toBe(0);
    const groupHistory = await pat.chat.getMessageList({ conversationID: 'group_club' });
    expect(groupHistory.map((m) => m.body[0]?.MsgContent.Text)).not.toContain('muted group');
    expect(groupHistory.map((m) => m.body[0]?.MsgContent.Text)).not.toContain('muted group sdk');
    expect(await mute(undefined, 0)).toMatchObject({ ErrorCode: 0 });
    expect(await state()).toEqual([0, 0]);
    expect((await group('mo', 'group again')).ErrorCode).toBe(0);
  });

  it('a group mute does not swallow the group tips and join requests about the muted account', async () => {
    // Found by the fuzz test: tips named their operator as sender, and the mute check refused them (10017).
    const G = 'group_open_http_svc';
    for (const [GroupId, ApplyJoinOption] of [
      ['plaza', 'FreeAccess'],
      ['guarded', 'NeedPermission'],
    ])
      expect(
        await v4(`${G}/create_group`, {
          Owner_Account: 'pat',
          Type: 'Public',
          GroupId,
          Name: GroupId,
          ApplyJoinOption,
        }),
      ).toMatchObject({ ErrorCode: 0 });
    const heard: string[] = [];
    pat.chat.getGroupManager().addGroupListener({
      onMemberEnter: (g, list) => heard.push(`enter ${g} ${list.join(',')}`),
      onMemberLeave: (g, m) => heard.push(`leave ${g} ${m}`),
      onMemberInvited: (g, op, list) => heard.push(`invited ${g} ${op} ${list.join(',')}`),
      onReceiveJoinApplication: (g, m, why) => heard.push(`apply ${g} ${m} ${why}`),
    });
    expect(await mute(undefined, 600)).toMatchObject({ ErrorCode: 0 });
    // Its own message is still refused…
    expect(await sdkCode(mo.chat.sendMessage({ groupID: 'club', body: text('still muted') }))).toBe(10017);
    // …but what it does in groups is announced.
    await mo.chat.joinGroup('plaza');
    await waitFor(() => heard.includes('enter plaza mo'), 'pat saw mo join');
    await mo.chat.getGroupManager().quitGroup('plaza');
    await waitFor(() => heard.includes('leave plaza mo'), 'pat saw mo leave');
    await mo.chat.joinGroup('guarded', 'let me in');
    await waitFor(() => heard.includes('apply guarded mo let me in'), 'pat heard the request');
    // Work group: the muted member adds someone (the tip names mo as operator).
    expect(await v4('im_open_login_svc/account_import', { UserID: 'quin' })).toMatchObject({ ErrorCode: 0 });
    await mo.chat.getGroupManager().inviteUserToGroup('club', ['quin']);
    await waitFor(() => heard.includes('invited club mo quin'), 'pat saw mo add quin');
    // The tips are in the group's history too (found after a reconnect), and mo's refused message is not.
    const plaza = await pat.chat.getMessageList({ conversationID: 'group_plaza' });
    expect(plaza.map((m) => groupTipsOf(m)?.type)).toEqual(expect.arrayContaining([1, 3]));
    const club = await pat.chat.getMessageList({ conversationID: 'group_club' });
    expect(club.map((m) => m.body[0]?.MsgContent.Text)).not.toContain('still muted');
    expect(await mute(undefined, 0)).toMatchObject({ ErrorCode: 0 });
  });

  it('4294967295 mutes for ever: still muted long after, until set to 0', async () => {
    expect(await mute(4_294_967_295, 4_294_967_295)).toMatchObject({ ErrorCode: 0 });
    expect(await state()).toEqual([4_294_967_295, 4_294_967_295]);
    // The REST checks only (the SDK sessions would time out across such a jump).
    clock += 40 * 86_400_000;
    expect(await state()).toEqual([4_294_967_295, 4_294_967_295]);
    expect((await c2c('mo', 'x')).ErrorCode).toBe(20012);
    expect((await group('mo', 'x')).ErrorCode).toBe(10017);
    // An absent field leaves its mute as it is.
    expect(await mute(0)).toMatchObject({ ErrorCode: 0 });
    expect(await state()).toEqual([0, 4_294_967_295]);
    expect((await c2c('mo', 'x')).ErrorCode).toBe(0);
    expect((await group('mo', 'x')).ErrorCode).toBe(10017);
  });

  it('a C2C send checks the mute and the blocklist together: a C2C mute is refused as such, a group mute is not', async () => {
    expect(await mute(0, 0)).toMatchObject({ ErrorCode: 0 });
    expect(await v4('sns/black_list_add', { From_Account: 'pat', To_Account: ['mo'] })).toMatchObject({
      ErrorCode: 0,
    });
    expect((await c2c('mo', 'blocked')).ErrorCode).toBe(20007);
    expect(await mute(0, 60)).toMatchObject({ ErrorCode: 0 }); // group only: C2C is the blocklist's
    expect((await c2c('mo', 'blocked')).ErrorCode).toBe(20007);
    expect(await mute(60)).toMatchObject({ ErrorCode: 0 });
    expect((await c2c('mo', 'muted and blocked')).ErrorCode).toBe(20012);
    clock += 61_000; // both mutes over
    expect((await c2c('mo', 'blocked again')).ErrorCode).toBe(20007);
    expect(await v4('sns/black_list_delete', { From_Account: 'pat', To_Account: ['mo'] })).toMatchObject({
      ErrorCode: 0,
    });
    expect((await c2c('mo', 'free')).ErrorCode).toBe(0);
  });
});
