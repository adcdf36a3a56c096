// openconfigsvr/getappinfo and ConfigSvc/GetIPList end to end on every backend: SDK logins, REST C2C and group
// sends and the offline pushes they cause show up in today's operation data (each user counted once), the
// RequestField filter answers exactly the asked fields, a field Pushline cannot count or an unknown one is
// refused; GetIPList answers the listening address, or the publicAddresses setting. And imported history is
// kept past the 7-day lifetime of sent messages.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/index.js';
import { loggedIn, waitFor } from '../../helpers/clients.js';
import { testBackends } from '../../helpers/databases.js';
import { backgroundPhone, type PushWorld, random, startPushWorld, text } from '../../helpers/push-e2e.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

const backends = await testBackends();

type Day = Record<string, string>;

function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');
}

describe.each(backends)('openconfigsvr/getappinfo on %s', (backend) => {
  let w: PushWorld;
  const today = async (body: Record<string, unknown> = {}) => {
    const r = await w.s.v4('openconfigsvr/getappinfo', body);
    expect(r).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0 });
    return (r.Result as Day[])[0]!;
  };
  const delta = (after: Day, before: Day, field: string) => Number(after[field]) - Number(before[field]);

  beforeAll(async () => {
    w = await startPushWorld(backend);
    await w.s.v4('im_open_login_svc/multiaccount_import', {
      AccountList: ['alice', 'bob', 'carl'].map((UserID) => ({ UserID })),
    });
    const g = await w.s.v4('group_open_http_svc/create_group', {
      Owner_Account: 'alice',
      Type: 'Public',
      GroupId: 'stats',
      Name: 'Stats',
      MemberList: [{ Member_Account: 'bob' }, { Member_Account: 'carl' }],
    });
    expect(g).toMatchObject({ ErrorCode: 0 });
  });
  afterAll(async () => {
    await w?.close();
  });

  it('answers the last 30 days, today first, with the app and the registrations', async () => {
    const r = await w.s.v4('openconfigsvr/getappinfo', {});
    expect(r).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0 });
    const days = r.Result as Day[];
    expect(days).toHaveLength(30);
    expect(days[0]!.Date).toBe(utcDate(Date.now()));
    expect(days[1]!.Date).toBe(utcDate(Date.now() - 86_400_000));
    expect(days[0]).toMatchObject({ AppId: String(w.s.app.sdkAppId), AppName: w.s.app.name });
    // Every account was created today: the three imported ones at least (and the administrator's).
    expect(Number(days[0]!.RegistUserNumOneDay)).toBeGreaterThanOrEqual(3);
    expect(days[0]!.RegistUserNumTotal).toBe(days[0]!.RegistUserNumOneDay);
    expect(days[1]).toMatchObject({ RegistUserNumOneDay: '0', RegistUserNumTotal: '0', LoginTimes: '0' });
    // Numbers are decimal strings, as Tencent answers them; no field Pushline cannot know is invented.
    for (const value of Object.values(days[0]!)) expect(typeof value).toBe('string');
    expect(days[0]).not.toHaveProperty('MaxOnlineNum');
    expect(days[0]).not.toHaveProperty('Company');
  });

  it('counts logins, messages up and down, senders and pushes of today', async () => {
    const before = await today();
    const phone = await backgroundPhone(w, 'bob', 'apns');
    const alice1 = await loggedIn(w.s, 'alice');
    const alice2 = await loggedIn(w.s, 'alice', { platform: 'iPhone' });
    for (const Text of ['one', 'two']) {
      const r = await w.s.v4('openim/sendmsg', {
        From_Account: 'alice',
        To_Account: 'bob',
        MsgRandom: random(),
        MsgBody: text(Text),
      });
      expect(r).toMatchObject({ ErrorCode: 0 });
    }
    const g = await w.s.v4('group_open_http_svc/send_group_msg', {
      GroupId: 'stats',
      From_Account: 'alice',
      Random: random(),
      MsgBody: text('to the group'),
    });
    expect(g).toMatchObject({ ErrorCode: 0 });
    // bob's phone is in the background: both C2C messages and the group message are pushed to it.
    await waitFor(() => expect(w.sim.received({ token: phone.token })).toHaveLength(3));

    await waitFor(async () => {
      const after = await today();
      expect(delta(after, before, 'C2CAPNSMsgNum')).toBe(2);
      expect(delta(after, before, 'GroupAPNSMsgNum')).toBe(1);
      expect(delta(after, before, 'APNSMsgNum')).toBe(3);
      return true;
    });
    const after = await today();
    expect(delta(after, before, 'LoginTimes')).toBe(3);
    expect(delta(after, before, 'LoginUserNum')).toBe(2);
    expect(delta(after, before, 'ActiveUserNum')).toBe(2);
    expect(delta(after, before, 'C2CUpMsgNum')).toBe(2);
    expect(delta(after, before, 'C2CDownMsgNum')).toBe(2);
    expect(delta(after, before, 'C2CSendMsgUserNum')).toBe(1);
    expect(delta(after, before, 'GroupUpMsgNum')).toBe(1);
    // bob and carl receive it; the sender's own copy is not a down message.
    expect(delta(after, before, 'GroupDownMsgNum')).toBe(2);
    expect(delta(after, before, 'GroupSendMsgUserNum')).toBe(1);
    expect(delta(after, before, 'GroupSendMsgGroupNum')).toBe(1);
    expect(delta(after, before, 'UpMsgNum')).toBe(3);
    expect(delta(after, before, 'DownMsgNum')).toBe(4);
    expect(delta(after, before, 'SendMsgUserNum')).toBe(1);

    // A second login of the same user is one more login, not one more user.
    await alice1.chat.logout();
    const again = await loggedIn(w.s, 'alice');
    const later = await today();
    expect(delta(later, after, 'LoginTimes')).toBe(1);
    expect(delta(later, after, 'LoginUserNum')).toBe(0);
    for (const c of [again, alice2, phone.client]) await c.chat.logout();
  });

  it('counts groups created and destroyed, members joined and gone (not those a group is created with)', async () => {
    const before = await today();
    const G = 'group_open_http_svc';
    expect(
      await w.s.v4(`${G}/create_group`, {
        Owner_Account: 'alice',
        Type: 'Public',
        GroupId: 'brief',
        Name: 'Brief',
        MemberList: [{ Member_Account: 'bob' }],
      }),
    ).toMatchObject({ ErrorCode: 0 });
    expect(
      await w.s.v4(`${G}/add_group_member`, { GroupId: 'brief', MemberList: [{ Member_Account: 'carl' }] }),
    ).toMatchObject({ ErrorCode: 0 });
    expect(
      await w.s.v4(`${G}/delete_group_member`, { GroupId: 'brief', MemberToDel_Account: ['carl', 'bob'] }),
    ).toMatchObject({ ErrorCode: 0 });
    expect(await w.s.v4(`${G}/destroy_group`, { GroupId: 'brief' })).toMatchObject({ ErrorCode: 0 });
    const after = await today();
    expect(delta(after, before, 'GroupNewGroupNum')).toBe(1);
    expect(delta(after, before, 'GroupJoinGroupTimes')).toBe(1);
    expect(delta(after, before, 'GroupQuitGroupTimes')).toBe(2);
    expect(delta(after, before, 'GroupDestroyGroupNum')).toBe(1);
  });

  it('counts callback requests (CallBackReq) and the ones the app answered (CallBackRsp)', async () => {
    // The app's callback server: answers every request, and counts them.
    let received = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/im`;
    const settings = (patch: Record<string, unknown>) =>
      w.s.pushline.apps.updateSettings(w.s.app.sdkAppId, patch as never);
    const send = async (Text: string) =>
      expect(
        await w.s.v4('openim/sendmsg', {
          From_Account: 'alice',
          To_Account: 'bob',
          MsgRandom: random(),
          MsgBody: text(Text),
        }),
      ).toMatchObject({ ErrorCode: 0 });
    try {
      const before = await today();
      expect(before).toHaveProperty('CallBackReq');
      await settings({
        callbackUrl: url,
        callbackCommands: ['C2C.CallbackBeforeSendMsg', 'C2C.CallbackAfterSendMsg'],
        callbackFailurePolicy: 'allow',
        callbackTimeoutMs: 2000,
      });
      await send('one');
      await send('two');
      await w.s.pushline.webhooks.drain(5000);
      // Two before-send callbacks (in the send) and two after-send ones (through the outbox).
      await waitFor(() => received === 4, 'the app got 4 callbacks');
      const answered = await today();
      expect(delta(answered, before, 'CallBackReq')).toBe(4);
      expect(delta(answered, before, 'CallBackRsp')).toBe(4);

      // Nobody listens there: a request, no answer (the send goes on: failure policy allow).
      await settings({
        callbackUrl: 'http://127.0.0.1:9/im',
        callbackCommands: ['C2C.CallbackBeforeSendMsg'],
      });
      await send('three');
      const unanswered = await today();
      expect(delta(unanswered, answered, 'CallBackReq')).toBe(1);
      expect(delta(unanswered, answered, 'CallBackRsp')).toBe(0);
      const only = await w.s.v4('openconfigsvr/getappinfo', { RequestField: ['CallBackReq', 'CallBackRsp'] });
      expect((only.Result as Day[])[0]).toEqual({
        CallBackReq: unanswered.CallBackReq,
        CallBackRsp: unanswered.CallBackRsp,
      });
    } finally {
      await settings({ callbackUrl: '', callbackCommands: [] });
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('RequestField answers exactly the asked fields; refuses unknown ones and those Pushline cannot count', async () => {
    const r = await w.s.v4('openconfigsvr/getappinfo', { RequestField: ['LoginTimes', 'C2CUpMsgNum'] });
    expect(r).toMatchObject({ ErrorCode: 0 });
    for (const day of r.Result as Day[])
      expect(Object.keys(day).sort()).toEqual(['C2CUpMsgNum', 'LoginTimes']);

    const cases: [unknown, RegExp][] = [
      [{ RequestField: ['MaxOnlineNum'] }, /MaxOnlineNum: Pushline does not record/],
      [{ RequestField: ['ChainIncrease', 'LoginTimes'] }, /ChainIncrease/],
      [{ RequestField: ['NoSuchField'] }, /NoSuchField is not an operation data field/],
      [{ RequestField: 'LoginTimes' }, /RequestField/],
      [{ RequestField: [1] }, /RequestField/],
    ];
    for (const [body, info] of cases) {
      const bad = await w.s.v4('openconfigsvr/getappinfo', body);
      expect(bad, JSON.stringify(body)).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 70402 });
      expect(bad.ErrorInfo).toMatch(info);
    }
  });

  it('ConfigSvc/GetIPList answers the address the server listens on when none is configured', async () => {
    const r = await w.s.v4('ConfigSvc/GetIPList', {});
    expect(r).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0, IPList: ['127.0.0.1'] });
  });
});

describe.each(backends)('ConfigSvc/GetIPList with publicAddresses on %s', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({
      backend,
      config: { publicAddresses: '203.0.113.7, 198.51.100.0/24,2001:db8::1' },
    });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('answers the configured addresses, in order', async () => {
    const r = await s.v4('ConfigSvc/GetIPList', {});
    expect(r).toMatchObject({ ErrorCode: 0, IPList: ['203.0.113.7', '198.51.100.0/24', '2001:db8::1'] });
  });

  it('refuses a setting that is not a list of addresses or CIDR ranges', () => {
    for (const bad of ['example.com', '10.0.0.0/33', '1.2.3.4/8/1']) {
      expect(() => loadConfig({ env: { PUSHLINE_PUBLIC_ADDRESSES: bad }, flags: {} }), bad).toThrow(
        /publicAddresses|IP address/,
      );
    }
  });
});

describe.each(backends)('imported history outlives the message lifetime on %s', (backend) => {
  let s: TestServer;
  let offsetMs = 0;
  beforeAll(async () => {
    s = await startTestServer({ backend, create: { clock: () => Date.now() + offsetMs } });
    await s.v4('im_open_login_svc/multiaccount_import', {
      AccountList: ['ann', 'ben'].map((UserID) => ({ UserID })),
    });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('keeps imported messages after 7 days, when sent ones are gone', async () => {
    const t0 = Math.floor(Date.now() / 1000) - 3600;
    const imported = await s.v4('openim/importmsg', {
      SyncFromOldSystem: 2,
      From_Account: 'ann',
      To_Account: 'ben',
      MsgSeq: 1,
      MsgRandom: 7,
      MsgTimeStamp: t0,
      MsgBody: text('imported'),
    });
    expect(imported).toMatchObject({ ErrorCode: 0 });
    const sent = await s.v4('openim/sendmsg', {
      From_Account: 'ann',
      To_Account: 'ben',
      MsgRandom: random(),
      MsgBody: text('sent'),
    });
    expect(sent).toMatchObject({ ErrorCode: 0 });
    const roam = async () => {
      const r = await s.v4('openim/admin_getroammsg', {
        Operator_Account: 'ben',
        Peer_Account: 'ann',
        MaxCnt: 100,
        MinTime: t0 - 60,
        MaxTime: Math.floor((Date.now() + offsetMs) / 1000) + 60,
      });
      expect(r).toMatchObject({ ErrorCode: 0 });
      return (r.MsgList as { MsgBody: { MsgContent: { Text: string } }[] }[]).map(
        (m) => m.MsgBody[0]!.MsgContent.Text,
      );
    };
    expect(await roam()).toEqual(['imported', 'sent']);
    offsetMs = 8 * 86_400_000;
    expect(await roam()).toEqual(['imported']);
    // The purge of expired messages leaves it too.
    await s.pushline.messaging.purgeExpired();
    expect(await roam()).toEqual(['imported']);
  });
});
