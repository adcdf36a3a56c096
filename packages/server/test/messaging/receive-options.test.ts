// Receive options and do-not-disturb: the pure rules (with an injected clock) and their effect on real
// sends from the SDK and the REST API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dndActive, evaluateReceive, type GlobalDnd, type RecipientOutcome } from '../../src/index.js';
import { loggedIn, waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];
const DAY = 86_400;
const T0 = Date.UTC(2026, 0, 10, 0, 0, 0); // a midnight, UTC

describe('receive option rules', () => {
  const base = { now: T0, isAtMe: false, honourOptions: true };
  it('maps each V2TIMReceiveMessageOpt', () => {
    expect(evaluateReceive({ ...base, c2cOpt: 0 })).toEqual({ online: true, push: true, reason: 'ok' });
    expect(evaluateReceive({ ...base, c2cOpt: 1 })).toMatchObject({ online: false, push: false });
    expect(evaluateReceive({ ...base, c2cOpt: 2 })).toMatchObject({ online: true, push: false });
    expect(evaluateReceive({ ...base, groupOpt: 3 })).toMatchObject({ online: true, push: false });
    expect(evaluateReceive({ ...base, groupOpt: 3, isAtMe: true })).toMatchObject({
      online: true,
      push: true,
    });
    expect(evaluateReceive({ ...base, groupOpt: 4 })).toMatchObject({ online: false, push: false });
    expect(evaluateReceive({ ...base, groupOpt: 4, isAtMe: true })).toMatchObject({
      online: true,
      push: true,
    });
    expect(evaluateReceive({ ...base, memberMsgFlag: 'AcceptNotNotify' })).toMatchObject({
      online: true,
      push: false,
    });
    expect(evaluateReceive({ ...base, memberMsgFlag: 'Discard' })).toMatchObject({ online: false });
    expect(evaluateReceive({ ...base, c2cOpt: 1, honourOptions: false })).toMatchObject({
      online: true,
      push: true,
    });
  });

  it('evaluates daily, once and permanent DND windows', () => {
    const daily: GlobalDnd = {
      opt: 2,
      startTime: T0 / 1000 + 22 * 3600,
      duration: 8 * 3600,
      repeat: 'daily',
    };
    const at = (hours: number) => T0 / 1000 + hours * 3600;
    expect(dndActive(daily, at(21))).toBe(false); // before the first window
    expect(dndActive(daily, at(23))).toBe(true);
    expect(dndActive(daily, at(24 + 5))).toBe(true); // 05:00 next day
    expect(dndActive(daily, at(24 + 7))).toBe(false); // 07:00 next day
    expect(dndActive(daily, at(10 * 24 + 23))).toBe(true); // ten days later, still repeating
    const once: GlobalDnd = { ...daily, repeat: 'once' };
    expect(dndActive(once, at(23))).toBe(true);
    expect(dndActive(once, at(24 + 23))).toBe(false);
    const permanent: GlobalDnd = { opt: 2, startTime: at(1), duration: DAY, repeat: 'permanent' };
    expect(dndActive(permanent, at(100 * 24))).toBe(true);
    expect(dndActive({ ...daily, opt: 0 }, at(23))).toBe(false);
    expect(
      evaluateReceive({ now: at(23) * 1000, isAtMe: false, honourOptions: true, globalDnd: daily }),
    ).toEqual({
      online: true,
      push: false,
      reason: 'global-dnd',
    });
  });
});

const backends = await testBackends();

describe.each(backends)('receive options end to end on %s', (backend) => {
  let s: TestServer;
  let clock = T0;
  const outcomes: RecipientOutcome[][] = [];
  const last = () => outcomes.at(-1) ?? [];

  beforeAll(async () => {
    s = await startTestServer({ backend, create: { clock: () => clock, gateway: { sweepIntervalMs: 0 } } });
    s.pushline.messaging.onMessageCommitted((_m, r) => {
      outcomes.push(r);
    });
    await s.v4('im_open_login_svc/multiaccount_import', { Accounts: ['rx', 'tx', 'tx2'] });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('C2C options set from the SDK apply to SDK sends and to REST sends only WithMuteNotifications', async () => {
    const rx = await loggedIn(s, 'rx');
    const tx = await loggedIn(s, 'tx');
    await rx.chat.setC2CReceiveMessageOpt(['tx'], 2);
    await rx.chat.setC2CReceiveMessageOpt(['tx2'], 1);
    expect(await rx.chat.getC2CReceiveMessageOpt(['tx', 'tx2', 'other'])).toEqual([
      { userID: 'tx', opt: 2 },
      { userID: 'tx2', opt: 1 },
      { userID: 'other', opt: 0 },
    ]);
    await tx.chat.sendMessage({ receiver: 'rx', body: text('quiet') });
    await waitFor(() => rx.messages.length === 1, 'delivered but not pushed');
    expect(last()).toMatchObject([{ userId: 'rx', push: false, reason: 'c2c-not-notify' }]);

    const rest = (from: string, extra: object = {}) =>
      s.v4('openim/sendmsg', {
        From_Account: from,
        To_Account: 'rx',
        MsgRandom: Math.floor(Math.random() * 1e9),
        MsgBody: text(from),
        ...extra,
      });
    await rest('tx2');
    expect(last()).toMatchObject([{ userId: 'rx', push: true, reason: 'options-ignored' }]);
    await waitFor(() => rx.messages.length === 2, 'REST ignores NOT_RECEIVE by default');
    await rest('tx2', { SendMsgControl: ['WithMuteNotifications'] });
    expect(last()).toEqual([]); // not received at all
    await new Promise((r) => setTimeout(r, 100));
    expect(rx.messages).toHaveLength(2);
    await rx.chat.setC2CReceiveMessageOpt(['tx', 'tx2'], 0);
    await rest('tx2', { SendMsgControl: ['WithMuteNotifications'] });
    expect(last()).toMatchObject([{ push: true, reason: 'ok' }]);
    await rx.chat.logout();
    await tx.chat.logout();
  });

  it('group options from the SDK', async () => {
    await s.v4('group_open_http_svc/create_group', {
      Type: 'Work',
      GroupId: 'g1',
      Name: 'g1',
      MemberList: [{ Member_Account: 'rx' }, { Member_Account: 'tx' }],
    });
    const rx = await loggedIn(s, 'rx');
    const tx = await loggedIn(s, 'tx');
    await rx.chat.setGroupReceiveMessageOpt('g1', 3);
    expect(await rx.chat.getGroupReceiveMessageOpt('g1')).toBe(3);
    await tx.chat.sendMessage({ groupID: 'g1', body: text('plain') });
    expect(last()).toMatchObject([{ userId: 'rx', push: false, reason: 'group-not-notify-except-at' }]);
    await tx.chat.sendMessage({ groupID: 'g1', body: text('@rx'), atUserList: ['rx'] });
    expect(last()).toMatchObject([{ userId: 'rx', push: true, isAtMe: true }]);
    await rx.chat.setGroupReceiveMessageOpt('g1', 0);
    await rx.chat.logout();
    await tx.chat.logout();
  });

  it('reads every receiver’s option and DND in one statement, each for its own user', async () => {
    const settings = s.pushline.receiveSettings;
    const T_APP = s.app.sdkAppId;
    await settings.setOpt(T_APP, 'rx', ['c2c_tx'], 2);
    await settings.setOpt(T_APP, 'tx2', ['c2c_tx'], 1);
    await settings.setOpt(T_APP, 'tx2', ['c2c_other'], 2); // another conversation: not read
    const dnd = { opt: 2, startTime: 100, duration: 3600, repeat: 'daily' as const, level: 1 };
    await settings.setDnd(T_APP, 'rx', dnd);
    await settings.setDnd(T_APP, 'tx', { ...dnd, opt: 1, level: 0 });
    const { opts, dnds } = await settings.ofReceivers(T_APP, ['rx', 'tx', 'tx2', 'ghost', 'rx'], 'c2c_tx');
    expect([...opts].sort()).toEqual([
      ['rx', 2],
      ['tx2', 1],
    ]);
    expect(Object.fromEntries(dnds)).toEqual({ rx: dnd, tx: { ...dnd, opt: 1, level: 0 } });
    expect(await settings.ofReceivers(T_APP, [], 'c2c_tx')).toEqual({ opts: new Map(), dnds: new Map() });
    await settings.setOpt(T_APP, 'rx', ['c2c_tx'], 0);
    await settings.setOpt(T_APP, 'tx2', ['c2c_tx', 'c2c_other'], 0);
    await settings.setDnd(T_APP, 'rx', { ...dnd, opt: 0 });
    await settings.setDnd(T_APP, 'tx', { ...dnd, opt: 0 });
  });

  it('the global DND window from the SDK (daily) and from admin_set_do_not_disturb (once)', async () => {
    const rx = await loggedIn(s, 'rx');
    const tx = await loggedIn(s, 'tx');
    const start = T0 / 1000 + 22 * 3600;
    await rx.chat.setAllReceiveMessageOptByTimestamp(2, start, 8 * 3600);
    expect(await rx.chat.getAllReceiveMessageOpt()).toEqual({
      opt: 2,
      startTimeStamp: start,
      duration: 28_800,
      repeat: 'daily',
    });
    const send = async () => {
      await tx.chat.sendMessage({ receiver: 'rx', body: text('dnd?') });
      return last()[0]?.reason;
    };
    clock = T0 + 12 * 3600_000;
    expect(await send()).toBe('ok');
    clock = T0 + 23 * 3600_000;
    expect(await send()).toBe('global-dnd');
    clock = T0 + (3 * 24 + 2) * 3600_000; // 02:00 three days later
    expect(await send()).toBe('global-dnd');

    // permanent when the duration is a day or more
    await rx.chat.setAllReceiveMessageOptByTimestamp(2, start, DAY);
    expect((await rx.chat.getAllReceiveMessageOpt()).repeat).toBe('permanent');
    clock = T0 + 50 * 24 * 3600_000 + 12 * 3600_000;
    expect(await send()).toBe('global-dnd');
    await rx.chat.setAllReceiveMessageOptByTimestamp(0, 0, 0);
    expect(await send()).toBe('ok');

    const now = Math.floor(clock / 1000);
    const r = await s.v4('im_msg_db_logic/admin_set_do_not_disturb', {
      To_Account: 'rx',
      StartTime: now - 60,
      EndTime: now + 3600,
      IsRepeated: 0,
      Level: 1,
    });
    expect(r).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0 });
    expect(await send()).toBe('global-dnd');
    clock += 2 * 3600_000;
    expect(await send()).toBe('ok'); // the single window is over
    expect(
      (
        await s.v4('im_msg_db_logic/admin_set_do_not_disturb', {
          To_Account: 'ghost',
          StartTime: 1,
          EndTime: 2,
        })
      ).ErrorCode,
    ).toBe(70107);
    expect(
      (await s.v4('im_msg_db_logic/admin_set_do_not_disturb', { To_Account: 'rx', StartTime: 5, EndTime: 2 }))
        .ErrorCode,
    ).toBe(70402);
    await rx.chat.logout();
    await tx.chat.logout();
  });

  it('query_online_status lists unknown accounts in ErrorList', async () => {
    const r = await s.v4('openim/query_online_status', { To_Account: ['rx', 'ghost'] });
    expect(r).toMatchObject({
      ErrorCode: 0,
      QueryResult: [{ To_Account: 'rx', State: 'Offline' }],
      ErrorList: [{ To_Account: 'ghost', ErrorCode: 70107 }],
    });
    expect((r.QueryResult as object[])[0]).not.toHaveProperty('Detail');
    expect(
      (
        await s.v4('openim/query_online_status', {
          To_Account: Array.from({ length: 501 }, (_, i) => `q${i}`),
        })
      ).ErrorCode,
    ).toBe(70206);
  });
});
