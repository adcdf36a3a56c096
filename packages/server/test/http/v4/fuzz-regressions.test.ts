// The defects fuzz.test.ts found, each replayed as a plain test on SQLite and PostgreSQL, so that a
// regression fails by name (the fuzz suite only says "some input failed").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

const backends = await testBackends();

describe.each(backends)('defects found by fuzzing, on %s', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ backend });
    await s.v4('im_open_login_svc/multiaccount_import', { Accounts: ['u1', 'u2'] });
    await s.v4('group_open_http_svc/create_group', {
      Type: 'Public',
      GroupId: 'g1',
      Name: 'g1',
      Owner_Account: 'u1',
    });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('an empty list in a query is no SQL error (PostgreSQL refuses `in ()`)', async () => {
    const { db } = s.pushline;
    expect(await db.selectFrom('accounts').select('user_id').where('user_id', 'in', []).execute()).toEqual(
      [],
    );
    const all = await db.selectFrom('accounts').select('user_id').where('user_id', 'not in', []).execute();
    expect(all.map((r) => r.user_id).sort()).toEqual(['u1', 'u2']);
  });

  it('add_group_member naming only accounts that do not exist: Result 0 each, not 70500', async () => {
    const r = await s.v4('group_open_http_svc/add_group_member', {
      GroupId: 'g1',
      MemberList: [{ Member_Account: 'ghost' }],
    });
    expect(r).toMatchObject({ ActionStatus: 'OK', MemberList: [{ Member_Account: 'ghost', Result: 0 }] });
  });

  it('all_member_push_statistics with an empty TaskID list: 70402, not 70500', async () => {
    const r = await s.v4('timpush/all_member_push_statistics', { TaskID: [] });
    expect(r).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 70402 });
  });

  it('setC2CReceiveMessageOpt naming a user twice: set once, not a unique-key error (70500)', async () => {
    const { rawSocket, userSigFor } = await import('../../helpers/clients.js');
    const sock = await rawSocket(s);
    const login = await sock.request('login', {
      sdkAppId: s.app.sdkAppId,
      userId: 'u1',
      userSig: userSigFor(s, 'u1'),
      platform: 'Android',
      instanceId: 'phone',
    });
    expect(login.code).toBe(0);
    expect((await sock.request('setC2CReceiveMessageOpt', { userIds: ['u2', 'u2'], opt: 1 })).code).toBe(0);
    const got = await sock.request('getC2CReceiveMessageOpt', { userIds: ['u2'] });
    expect(got.data).toEqual({ options: [{ userId: 'u2', opt: 1 }] });
    sock.ws.close();
  });

  it('an identifier that is no UserID (NUL, control characters, too long) in the URL: 60004, not 70500', async () => {
    for (const identifier of ['\u0000', 'a\u0000', 'line\nbreak', 'x'.repeat(33)]) {
      const r = await s.v4(
        'im_open_login_svc/account_check',
        { CheckItem: [{ UserID: 'u1' }] },
        { identifier },
      );
      expect(r.ErrorCode, JSON.stringify(identifier)).toBe(60004);
    }
  });
});
