// The Tencent-SDK gateway (/binfo, /info) spoken to directly: bad frames, unknown commands, oversized
// frames and refused logins get clear answers and never take the server down; an a2 stops working once
// its login is over.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createLogger } from '../../../src/logger.js';
import { userSigFor, waitFor } from '../../helpers/clients.js';
import { testBackends } from '../../helpers/databases.js';
import { capturedLog } from '../../helpers/log-lines.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

const backends = await testBackends();

interface Raw {
  ws: WebSocket;
  frames: { head: Record<string, unknown>; body: Record<string, unknown> }[];
  closed: Promise<{ code: number; reason: string }>;
  request(servcmd: string, body?: unknown, head?: Record<string, unknown>): Promise<Record<string, unknown>>;
}

async function raw(s: TestServer, path: '/binfo' | '/info', instanceId: string): Promise<Raw> {
  const ws = new WebSocket(
    `${s.url.replace(/^http/, 'ws')}${path}?sdkappid=${s.app.sdkAppId}&instanceid=${instanceId}&platform=7`,
  );
  const frames: Raw['frames'] = [];
  ws.on('message', (d, isBinary) => {
    // /binfo answers in binary frames, /info in text frames.
    expect(isBinary).toBe(path === '/binfo');
    frames.push(JSON.parse(String(d)));
  });
  const closed = new Promise<{ code: number; reason: string }>((r) =>
    ws.on('close', (code, reason) => r({ code, reason: String(reason) })),
  );
  await new Promise((r, j) => {
    ws.once('open', r);
    ws.once('error', j);
  });
  let seq = 1000;
  return {
    ws,
    frames,
    closed,
    async request(servcmd, body = {}, head = {}) {
      const mine = ++seq;
      ws.send(
        JSON.stringify({ head: { ver: 'v4', sdkappid: s.app.sdkAppId, servcmd, seq: mine, ...head }, body }),
      );
      const f = await waitFor(
        () => frames.find((x) => x.head.servcmd === servcmd && x.head.seq === mine),
        servcmd,
      );
      return f.body;
    },
  };
}

describe.each(backends)('Tencent-SDK gateway protocol on %s', (backend) => {
  let s: TestServer;
  const log = capturedLog();
  let offset = 0;
  beforeAll(async () => {
    s = await startTestServer({
      backend,
      create: {
        logger: createLogger('debug', log.stream),
        clock: () => Date.now() + offset,
        gateway: { sweepIntervalMs: 0 },
      },
    });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('logs in with a UserSig, answers unknown commands 60009, refuses calls before login', async () => {
    const c = await raw(s, '/info', 'raw-one');
    expect(await c.request('openim.sendmsg', { To_Account: 'x' })).toMatchObject({ ErrorCode: 6014 });
    const bad = await c.request('im_open_status.wslogin', {}, { identifier: 'r-ann', usersig: 'nonsense' });
    expect(bad.ErrorCode).toBe(70003);
    const long = 'x'.repeat(40);
    const badId = await c.request(
      'im_open_status.wslogin',
      {},
      { identifier: long, usersig: userSigFor(s, long) },
    );
    expect(badId).toMatchObject({ ErrorCode: 6017 });
    const annSig = userSigFor(s, 'r-ann');
    const ok = await c.request(
      'im_open_status.wslogin',
      { State: 'Online' },
      { identifier: 'r-ann', usersig: annSig },
    );
    expect(ok).toMatchObject({ ErrorCode: 0, InstId: 1 });
    expect(typeof ok.A2Key).toBe('string');
    expect(typeof ok.TinyId).toBe('string');
    expect(await c.request('heartbeat.alive')).toMatchObject({ ErrorCode: 0 });
    expect(await c.request('im_open_status.wshello')).toMatchObject({ ErrorCode: 0 });
    const unknown = await c.request('group_open_http_svc.destroy_group', { GroupId: 'g' });
    expect(unknown).toMatchObject({ ErrorCode: 60009 });
    expect(String(unknown.ErrorInfo)).toContain('group_open_http_svc.destroy_group');
    // A log line names it; the credentials of this socket are in no line.
    await waitFor(
      () =>
        log.lines.some(
          (l) =>
            l.includes('tencent gateway: command not implemented') &&
            l.includes('group_open_http_svc.destroy_group'),
        ),
      'log line',
    );
    const secrets = [annSig, String(ok.A2Key)];
    expect(log.lines.filter((l) => secrets.some((x) => l.includes(x)))).toEqual([]);
    // Bad text in a body is refused by name.
    const badText = await c.request('openim.sendmsg', {
      To_Account: 'r-ann',
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'a\u0000b' } }],
    });
    expect(badText).toMatchObject({ ErrorCode: 6017 });
    expect(await c.request('openim.sendmsg', { To_Account: 'r-ann', MsgBody: 'no' })).toMatchObject({
      ErrorCode: 6017,
    });
    c.ws.close();
  });

  it('an a2 logs the same instance in again until its login is logged out', async () => {
    const first = await raw(s, '/binfo', 'raw-two');
    const login = await first.request(
      'im_open_status.wslogin',
      {},
      {
        identifier: 'r-ben',
        usersig: userSigFor(s, 'r-ben'),
      },
    );
    const a2 = String(login.A2Key);
    first.ws.terminate();
    await waitFor(async () => {
      const [i] = await s.pushline.sessions.instancesOf(s.app.sdkAppId, ['r-ben']);
      return i?.state === 'Offline';
    }, 'disconnected');

    // After a dropped connection the a2 is enough (that is how the SDK reconnects).
    const again = await raw(s, '/binfo', 'raw-two');
    const relogin = await again.request('im_open_status.wslogin', {}, { a2 });
    expect(relogin).toMatchObject({ ErrorCode: 0 });
    // It is bound to its instance: another instance ID cannot use it.
    const other = await raw(s, '/binfo', 'raw-other');
    expect(await other.request('im_open_status.wslogin', {}, { a2: String(relogin.A2Key) })).toMatchObject({
      ErrorCode: 70001,
    });
    // A forged one is refused.
    const forged = `${String(relogin.A2Key).split('.')[0]}.AAAA`;
    expect(await other.request('im_open_status.wslogin', {}, { a2: forged })).toMatchObject({
      ErrorCode: 70001,
    });

    expect(await again.request('im_open_status.wslogout', { wslogout_type: 0 })).toMatchObject({
      ErrorCode: 0,
    });
    await again.closed;
    const after = await raw(s, '/binfo', 'raw-two');
    expect(await after.request('im_open_status.wslogin', {}, { a2: String(relogin.A2Key) })).toMatchObject({
      ErrorCode: 70001,
    });
    other.ws.close();
    after.ws.close();
  });

  it('frames it cannot read close the socket with a reason; the server carries on', async () => {
    const notJson = await raw(s, '/info', 'raw-three');
    notJson.ws.send('{not json');
    expect(await notJson.closed).toMatchObject({ code: 1007, reason: 'frame is not valid JSON' });

    const noHead = await raw(s, '/info', 'raw-four');
    noHead.ws.send(JSON.stringify({ body: {} }));
    expect((await noHead.closed).code).toBe(1007);

    const huge = await raw(s, '/binfo', 'raw-five');
    huge.ws.send(Buffer.alloc(s.pushline.gateway.options.maxFrameBytes + 1, 0x20));
    expect((await huge.closed).code).toBe(1009);

    // A bad instance ID is refused at the upgrade.
    const refused = new WebSocket(`${s.url.replace(/^http/, 'ws')}/binfo?instanceid=${'x'.repeat(65)}`);
    const status = await new Promise<number>((r) =>
      refused.on('unexpected-response', (_req, res) => r(res.statusCode ?? 0)),
    );
    expect(status).toBe(400);
    // Other paths still get 404, and the /ws gateway still works beside it.
    const nowhere = new WebSocket(`${s.url.replace(/^http/, 'ws')}/nowhere`);
    const notFound = await new Promise<number>((r) =>
      nowhere.on('unexpected-response', (_req, res) => r(res.statusCode ?? 0)),
    );
    expect(notFound).toBe(404);

    const fine = await raw(s, '/info', 'raw-six');
    expect(await fine.request('heartbeat.alive')).toMatchObject({ ErrorCode: 0 });
    fine.ws.close();
  });

  it('push token and app state: wrong reports are refused with the reason, background and foreground change the state', async () => {
    const c = await raw(s, '/info', 'raw-push');
    const sig = userSigFor(s, 'r-pia');
    expect(
      await c.request('im_open_status.wslogin', {}, { identifier: 'r-pia', usersig: sig }),
    ).toMatchObject({
      ErrorCode: 0,
    });
    const settoken = (body: Record<string, unknown>) => c.request('im_open_status.ws_stat_settoken', body);
    expect(await settoken({ PushMsg: 1, BusiID: 987_654, TokenID: 'tok', InstType: 2002 })).toMatchObject({
      ErrorCode: 6301,
      ErrorInfo: 'certificate ID (businessID) 987654 does not exist in this app',
    });
    expect(await settoken({ PushMsg: 1, BusiID: 1, TokenID: 'a', VarToken: 'b' })).toMatchObject({
      ErrorCode: 6017,
    });
    expect(await settoken({ PushMsg: 1, BusiID: 1, TokenID: 'a', IsTpns: 1 })).toMatchObject({
      ErrorCode: 6303,
    });
    expect(await settoken({ PushMsg: 1, BusiID: 'one', TokenID: 'a' })).toMatchObject({ ErrorCode: 6017 });
    expect(await settoken({ PushMsg: 1, BusiID: 1, TokenID: 'a', EnterVersion: 42 })).toMatchObject({
      ErrorCode: 6017,
    });
    // No token (PushMsg 0): accepted, nothing bound.
    expect(
      await settoken({ PushMsg: 0, BusiID: 0, TokenID: '', EnterVersion: s.app.sdkAppId }),
    ).toMatchObject({
      ErrorCode: 0,
    });
    expect(await s.pushline.bindings.of(s.app.sdkAppId, 'r-pia')).toEqual([]);

    // The upload plugin's request for an upload URL: Pushline hosts no files, and says so.
    for (const cmd of ['im_cos_msg.pre_sig', 'im_cos_msg.simple_sig', 'im_cos_sign_svr.cos']) {
      expect(await c.request(cmd, { FileType: 1, FileName: 'dot.png', UploadMethod: 0 })).toMatchObject({
        ErrorCode: 60009,
        ErrorInfo: 'Pushline does not host file uploads: store the file on your own server and send its URLs',
      });
    }
    // Recalls go through Pushline's recall: a message that does not exist, or someone else's, is refused.
    const info = { To_Account: 'r-nobody', MsgSeq: 1, MsgRandom: 2, MsgTimeStamp: 3 };
    expect(
      await c.request('openim.msgwithdraw', { MsgInfo: { From_Account: 'r-pia', ...info } }),
    ).toMatchObject({
      ErrorCode: 20022,
    });
    expect(
      await c.request('openim.msgwithdraw', { MsgInfo: { From_Account: 'r-bob', ...info } }),
    ).toMatchObject({
      ErrorCode: 20022,
      ErrorInfo: 'only the sender recalls a one-to-one message: From_Account must be you',
    });
    const state = async () => (await s.pushline.sessions.instancesOf(s.app.sdkAppId, ['r-pia']))[0];
    expect(
      await c.request('im_open_status.ws_stat_background', { C2cUnread: 2, GrpUnread: 3, IsWebUniapp: 0 }),
    ).toMatchObject({ ErrorCode: 0 });
    // Without a binding the instance stays reachable only live: Online, in the background.
    expect(await state()).toMatchObject({ state: 'Online', background: true, badgeBase: 5 });
    expect(await c.request('im_open_status.ws_stat_background', { C2cUnread: -1 })).toMatchObject({
      ErrorCode: 6017,
    });
    expect(await c.request('im_open_status.ws_stat_foreground', { IsWebUniapp: 0 })).toMatchObject({
      ErrorCode: 0,
    });
    expect(await state()).toMatchObject({ state: 'Online', background: false });
    c.ws.close();
  });

  it('a silent socket is closed at the heartbeat timeout and its instance goes Offline', async () => {
    const c = await raw(s, '/binfo', 'raw-seven');
    const sig = userSigFor(s, 'r-cid');
    expect(
      await c.request('im_open_status.wslogin', {}, { identifier: 'r-cid', usersig: sig }),
    ).toMatchObject({
      ErrorCode: 0,
    });
    offset += 10 * 60_000;
    await s.pushline.gateway.sweep();
    expect((await c.closed).code).toBe(4008);
    await waitFor(async () => {
      const [i] = await s.pushline.sessions.instancesOf(s.app.sdkAppId, ['r-cid']);
      return i?.state === 'Offline';
    }, 'offline');
  });
});
