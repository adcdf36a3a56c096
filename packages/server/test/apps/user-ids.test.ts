// One UserID rule at every door (apps/user-id.ts): 1..32 bytes of UTF-8, well-formed Unicode, no control
// characters. The REST API, the gateway (login and ops) and the console agree on what is a UserID, and what
// one door accepts can be found again through the others. SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidUserIdError, userIdProblem } from '../../src/apps/user-id.js';
import { rawSocket, userSigFor } from '../helpers/clients.js';
import { ConsoleClient } from '../helpers/console.js';
import { testBackends } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const backends = await testBackends();

const SIXTEEN_SMILEYS = '😀'.repeat(16); // 32 UTF-16 units, 64 bytes
const EIGHT_SMILEYS = '😀'.repeat(8); // 32 bytes: the longest smiley UserID
const LONE = 'lone\ud800';

describe('the UserID rule', () => {
  it('counts UTF-8 bytes and refuses lone surrogates and control characters', () => {
    expect(userIdProblem('alice')).toBeUndefined();
    expect(userIdProblem(EIGHT_SMILEYS)).toBeUndefined();
    expect(userIdProblem('x'.repeat(32))).toBeUndefined();
    expect(userIdProblem('x'.repeat(33))).toMatch(/33 bytes/);
    expect(userIdProblem(SIXTEEN_SMILEYS)).toMatch(/64 bytes/);
    expect(userIdProblem('é'.repeat(17))).toMatch(/34 bytes/);
    expect(userIdProblem('')).toMatch(/empty/);
    expect(userIdProblem(LONE)).toMatch(/surrogate/);
    expect(userIdProblem('\udc00x')).toMatch(/surrogate/);
    expect(userIdProblem('a\u0000')).toMatch(/NUL/);
    expect(userIdProblem('a\nb')).toMatch(/control/);
  });
});

describe.each(backends)('UserIDs at every door on %s', (backend) => {
  let s: TestServer;
  let admin: ConsoleClient;

  beforeAll(async () => {
    s = await startTestServer({ backend, create: { gateway: { sweepIntervalMs: 0 } } });
    const first = await s.pushline.consoleUsers.ensureFirstAdmin();
    admin = new ConsoleClient(s.url);
    expect((await admin.login('admin', first!.password)).status).toBe(200);
  });
  afterAll(async () => {
    await s?.close();
  });

  async function status(...ids: string[]) {
    const r = await s.v4('im_open_login_svc/account_check', { CheckItem: ids.map((UserID) => ({ UserID })) });
    expect(r.ErrorCode).toBe(0);
    return (r.ResultItem as { AccountStatus: string }[]).map((i) => i.AccountStatus);
  }

  async function gatewayLogin(userId: string) {
    const sock = await rawSocket(s);
    try {
      return await sock.request('login', {
        sdkAppId: s.app.sdkAppId,
        userId,
        userSig: userSigFor(s, userId),
        platform: 'Android',
        instanceId: 'phone',
      });
    } finally {
      sock.ws.close();
    }
  }

  it('a 64-byte UserID of 32 UTF-16 units: refused by the gateway login as by REST, not imported', async () => {
    expect((await s.v4('im_open_login_svc/account_import', { UserID: SIXTEEN_SMILEYS })).ErrorCode).toBe(
      70402,
    );
    const login = await gatewayLogin(SIXTEEN_SMILEYS);
    expect(login.code).toBe(6017);
    expect(login.message).toMatch(/userId: UserID is 64 bytes/);
    expect(await status(EIGHT_SMILEYS)).toEqual(['NotImported']);
    expect(await s.pushline.accounts.get(s.app.sdkAppId, SIXTEEN_SMILEYS)).toBeUndefined();
  });

  it('a 32-byte UserID of 16 UTF-16 units: accepted by both, and found by both', async () => {
    expect((await gatewayLogin(EIGHT_SMILEYS)).code).toBe(0);
    expect(await status(EIGHT_SMILEYS)).toEqual(['Imported']);
    const other = `${'😀'.repeat(7)}ab`;
    expect((await s.v4('im_open_login_svc/account_import', { UserID: other })).ErrorCode).toBe(0);
    expect(await status(other)).toEqual(['Imported']);
    expect((await gatewayLogin(other)).code).toBe(0);
  });

  it('a lone surrogate is refused by REST (every command) and by the gateway, and nothing is stored', async () => {
    const imp = await s.v4Raw('im_open_login_svc/account_import', '{"UserID":"lone\\ud800"}');
    expect(imp).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 70402 });
    expect(imp.ErrorInfo).toMatch(/UserID.*surrogate/);
    const multi = await s.v4Raw(
      'im_open_login_svc/multiaccount_import',
      '{"Accounts":["ok1","lone\\udc00"]}',
    );
    expect(multi.ErrorCode).toBe(70402);
    const check = await s.v4Raw(
      'im_open_login_svc/account_check',
      '{"CheckItem":[{"UserID":"lone\\ud800"}]}',
    );
    expect(check.ErrorCode).toBe(70402);
    // The command's own code for a bad field: 90003 To_Account of openim/sendmsg.
    const send = await s.v4Raw(
      'openim/sendmsg',
      '{"To_Account":"lone\\ud800","MsgRandom":1,"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"x"}}]}',
    );
    expect(send.ErrorCode).toBe(90003);
    expect((await gatewayLogin(LONE)).code).toBe(6017);
    expect(await status('lone', 'ok1')).toEqual(['NotImported', 'NotImported']);
    const rows = await s.pushline.db.selectFrom('accounts').select('user_id').execute();
    expect(rows.map((r) => r.user_id).filter((id) => id.startsWith('lone'))).toEqual([]);
  });

  it('NUL and control characters are refused (REST, gateway)', async () => {
    const nul = await s.v4Raw('im_open_login_svc/account_import', '{"UserID":"nul\\u0000"}');
    expect(nul.ErrorCode).toBe(70402);
    expect((await s.v4('im_open_login_svc/account_import', { UserID: 'line\nbreak' })).ErrorCode).toBe(70402);
    expect((await gatewayLogin('tab\tbed')).code).toBe(6017);
  });

  it('SDK ops take the same rule for every UserID they carry', async () => {
    const sock = await rawSocket(s);
    const login = await sock.request('login', {
      sdkAppId: s.app.sdkAppId,
      userId: 'opsuser',
      userSig: userSigFor(s, 'opsuser'),
      platform: 'Android',
      instanceId: 'phone',
    });
    expect(login.code).toBe(0);
    const text = { MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } };
    const r1 = await sock.request('sendMessage', { receiver: SIXTEEN_SMILEYS, body: [text] });
    expect(r1).toMatchObject({ code: 6017, message: expect.stringMatching(/receiver: UserID is 64 bytes/) });
    const r2 = await sock.request('setC2CReceiveMessageOpt', { userIds: ['ok', 'x'.repeat(33)], opt: 2 });
    expect(r2.code).toBe(6017);
    sock.send(
      '{"type":"req","id":"lone","op":"sendMessage","data":{"receiver":"opsuser","body":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"\\ud800"}}]}}',
    );
    const r3 = await (async () => {
      for (let i = 0; i < 200; i++) {
        const f = sock.frames.find((x) => x.id === 'lone');
        if (f) return f;
        await new Promise((r) => setTimeout(r, 10));
      }
      return undefined;
    })();
    expect(r3).toMatchObject({
      code: 6017,
      message: expect.stringMatching(/data\.body\.0\.MsgContent\.Text/),
    });
    sock.ws.close();
  });

  it('the console refuses invalid UserIDs with 400 instead of searching or failing', async () => {
    const base = `/api/console/apps/${s.app.sdkAppId}`;
    const long = encodeURIComponent('x'.repeat(33));
    expect((await admin.get(`${base}/users/${long}`)).status).toBe(400);
    expect((await admin.request('POST', `${base}/users/${long}/kick`)).status).toBe(400);
    const nul = await admin.get(`${base}/users/nul%00`);
    expect(nul.status).toBe(400);
    // Refused before the route, as every console input with a NUL: a message key naming where.
    expect(nul.body).toEqual({
      error: 'params.userid: must not contain NUL characters',
      text: { key: 'badTextNul', params: { field: 'params.userid' } },
    });
    const t = await admin.get(`${base}/troubleshoot?userId=${encodeURIComponent(SIXTEEN_SMILEYS)}`);
    expect(t.status).toBe(400);
    expect(t.body.error).toMatch(/64 bytes/);
    expect(t.body.text).toEqual({ key: 'userIdTooLong', params: { bytes: 64, max: 32 } });
    const empty = await admin.get(`${base}/troubleshoot?userId=%20`);
    expect(empty.body.text).toEqual({ key: 'userIdEmpty' });
    const task = await admin.request('POST', `${base}/push-tasks`, {
      audience: 'all',
      text: 'hello',
      fromAccount: 'x'.repeat(33),
    });
    expect(task.status).toBe(400);
    // A lone surrogate anywhere in a console body.
    const res = await fetch(`${s.url}/api/console/apps/${s.app.sdkAppId}`, {
      method: 'PATCH',
      headers: {
        'content-type': 'application/json',
        cookie: admin.cookie!,
        'x-csrf-token': admin.csrfToken!,
      },
      body: '{"name":"bad\\udfff"}',
    });
    expect(res.status).toBe(400);
    expect((await res.json()).text).toEqual({ key: 'badTextNotUnicode', params: { field: 'body.name' } });
    expect((await s.pushline.apps.get(s.app.sdkAppId))?.name).toBe('Test App');
  });

  it('AccountsService.import refuses what no door should have let through', async () => {
    await expect(
      s.pushline.accounts.import(s.app.sdkAppId, [{ userId: 'fine' }, { userId: LONE }]),
    ).rejects.toBeInstanceOf(InvalidUserIdError);
    expect(await status('fine')).toEqual(['NotImported']);
  });
});
