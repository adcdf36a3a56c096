// The Tencent-compatible account REST API over real HTTP, once on SQLite and once on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genUserSig } from '../../../src/auth/usersig.js';
import { testBackends } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

const backends = await testBackends();

describe.each(backends)('v4 account API on %s', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ backend });
  });
  afterAll(async () => {
    await s?.close();
  });

  async function accountStatus(...ids: string[]) {
    const r = await s.v4('im_open_login_svc/account_check', { CheckItem: ids.map((UserID) => ({ UserID })) });
    expect(r.ErrorCode).toBe(0);
    return Object.fromEntries(
      (r.ResultItem as { UserID: string; AccountStatus: string }[]).map((i) => [i.UserID, i.AccountStatus]),
    );
  }

  it('imports one account (UserID and legacy Identifier) and re-import is idempotent', async () => {
    expect(await s.v4('im_open_login_svc/account_import', { UserID: 'alice', Nick: 'Alice' })).toEqual({
      ActionStatus: 'OK',
      ErrorInfo: '',
      ErrorCode: 0,
    });
    expect((await s.v4('im_open_login_svc/account_import', { Identifier: 'bob' })).ErrorCode).toBe(0);
    expect(
      (await s.v4('im_open_login_svc/account_import', { UserID: 'alice', Nick: 'Alice 2' })).ErrorCode,
    ).toBe(0);
    expect(await accountStatus('alice', 'bob', 'carol')).toEqual({
      alice: 'Imported',
      bob: 'Imported',
      carol: 'NotImported',
    });
    const alice = await s.pushline.accounts.get(s.app.sdkAppId, 'alice');
    expect(alice?.nick).toBe('Alice 2');
  });

  it('imports many accounts with AccountList and legacy Accounts, reporting FailAccounts', async () => {
    const tooLong = 'x'.repeat(33);
    const r = await s.v4('im_open_login_svc/multiaccount_import', {
      AccountList: [{ UserID: 'm1', Nick: 'M1' }, { UserID: 'm2' }, { UserID: tooLong }],
    });
    expect(r).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0, FailAccounts: [tooLong] });
    const legacy = await s.v4('im_open_login_svc/multiaccount_import', { Accounts: ['m3', 'm4'] });
    expect(legacy).toMatchObject({ ErrorCode: 0, FailAccounts: [] });
    expect(await accountStatus('m1', 'm2', 'm3', 'm4', tooLong)).toEqual({
      m1: 'Imported',
      m2: 'Imported',
      m3: 'Imported',
      m4: 'Imported',
      [tooLong]: 'NotImported',
    });
  });

  it('refuses 101 accounts in a batch and writes none of them', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => `batch${i}`);
    const r = await s.v4('im_open_login_svc/multiaccount_import', { Accounts: ids });
    expect(r).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 70206 });
    expect(r.ErrorInfo).toMatch(/at most 100/);
    expect(await accountStatus('batch0', 'batch100')).toEqual({
      batch0: 'NotImported',
      batch100: 'NotImported',
    });
    for (const path of ['account_check', 'account_delete']) {
      const key = path === 'account_check' ? 'CheckItem' : 'DeleteItem';
      const res = await s.v4(`im_open_login_svc/${path}`, { [key]: ids.map((UserID) => ({ UserID })) });
      expect(res.ErrorCode).toBe(70206);
    }
  });

  it('deletes accounts with per-item results', async () => {
    await s.v4('im_open_login_svc/multiaccount_import', { Accounts: ['d1', 'd2'] });
    const r = await s.v4('im_open_login_svc/account_delete', {
      DeleteItem: [{ UserID: 'd1' }, { UserID: 'ghost' }, { UserID: 'd2' }],
    });
    expect(r.ResultItem).toEqual([
      { ResultCode: 0, ResultInfo: '', UserID: 'd1' },
      { ResultCode: 70107, ResultInfo: 'account does not exist', UserID: 'ghost' },
      { ResultCode: 0, ResultInfo: '', UserID: 'd2' },
    ]);
    expect(await accountStatus('d1', 'd2')).toEqual({ d1: 'NotImported', d2: 'NotImported' });
  });

  it('kick invalidates UserSigs issued before it until a new one is generated', async () => {
    await s.v4('im_open_login_svc/account_import', { UserID: 'kicked' });
    const { app } = s;
    const before = genUserSig({
      sdkAppId: app.sdkAppId,
      key: app.secretKey,
      identifier: 'kicked',
      expire: 3600,
    });
    // The admin role is checked after the signature, so an old sig of a kicked user gets 70052.
    const asUser = (usersig: string) =>
      s.v4(
        'im_open_login_svc/account_check',
        { CheckItem: [{ UserID: 'x' }] },
        { identifier: 'kicked', usersig },
      );
    expect((await asUser(before)).ErrorCode).toBe(60010);

    expect((await s.v4('im_open_login_svc/kick', { UserID: 'kicked' })).ErrorCode).toBe(0);
    expect(await asUser(before)).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 70052 });
    const kick = await s.pushline.accounts.get(app.sdkAppId, 'kicked');
    const fresh = genUserSig({
      sdkAppId: app.sdkAppId,
      key: app.secretKey,
      identifier: 'kicked',
      expire: 3600,
      time: (kick?.kickedAt ?? 0) + 1,
    });
    expect((await asUser(fresh)).ErrorCode).toBe(60010);

    expect((await s.v4('im_open_login_svc/kick', { Identifier: 'kicked' })).ErrorCode).toBe(0);
    expect((await s.v4('im_open_login_svc/kick', { UserID: 'nobody' })).ErrorCode).toBe(70107);
  });

  describe('bad input gets its Tencent error code', () => {
    const cases: [string, () => Promise<{ ErrorCode: number; ActionStatus: string }>, number][] = [
      [
        'missing sdkappid',
        () => s.v4('im_open_login_svc/account_import', { UserID: 'a' }, { sdkappid: undefined }),
        60012,
      ],
      [
        'non-numeric sdkappid',
        () => s.v4('im_open_login_svc/account_import', { UserID: 'a' }, { sdkappid: 'abc' }),
        60006,
      ],
      [
        'unknown sdkappid',
        () => s.v4('im_open_login_svc/account_import', { UserID: 'a' }, { sdkappid: '1234' }),
        70020,
      ],
      [
        'missing identifier',
        () => s.v4('im_open_login_svc/account_import', { UserID: 'a' }, { identifier: undefined }),
        60004,
      ],
      [
        'missing usersig',
        () => s.v4('im_open_login_svc/account_import', { UserID: 'a' }, { usersig: undefined }),
        70002,
      ],
      [
        'garbage usersig',
        () => s.v4('im_open_login_svc/account_import', { UserID: 'a' }, { usersig: 'abc' }),
        70003,
      ],
      [
        'missing random',
        () => s.v4('im_open_login_svc/account_import', { UserID: 'a' }, { random: undefined }),
        60002,
      ],
      [
        'random beyond uint32',
        () => s.v4('im_open_login_svc/account_import', { UserID: 'a' }, { random: '4294967296' }),
        60002,
      ],
      [
        'wrong contenttype',
        () => s.v4('im_open_login_svc/account_import', { UserID: 'a' }, { contenttype: 'xml' }),
        60002,
      ],
      [
        'usersig of another identifier',
        () => s.v4('im_open_login_svc/account_import', { UserID: 'a' }, { identifier: 'other' }),
        70013,
      ],
      ['non-JSON body', () => s.v4Raw('im_open_login_svc/account_import', '{"UserID":'), 60003],
      ['empty body', () => s.v4Raw('im_open_login_svc/account_import', ''), 60003],
      ['array body', () => s.v4Raw('im_open_login_svc/account_import', '[]'), 60003],
      ['UserID of the wrong type', () => s.v4('im_open_login_svc/account_import', { UserID: 42 }), 70402],
      ['UserID missing', () => s.v4('im_open_login_svc/account_import', { Nick: 'x' }), 70402],
      [
        'UserID over 32 bytes',
        () => s.v4('im_open_login_svc/account_import', { UserID: 'é'.repeat(17) }),
        70402,
      ],
      [
        'Nick over 500 bytes',
        () => s.v4('im_open_login_svc/account_import', { UserID: 'n', Nick: 'x'.repeat(501) }),
        40601,
      ],
      [
        'AccountList of the wrong type',
        () => s.v4('im_open_login_svc/multiaccount_import', { AccountList: 'a' }),
        70402,
      ],
      ['CheckItem missing', () => s.v4('im_open_login_svc/account_check', {}), 70402],
      ['empty DeleteItem', () => s.v4('im_open_login_svc/account_delete', { DeleteItem: [] }), 70402],
      ['unknown command', () => s.v4('im_open_login_svc/no_such_thing', {}), 60009],
      ['unknown service', () => s.v4('nope/account_import', {}), 60009],
    ];
    it.each(cases)('%s', async (_name, call, code) => {
      const r = await call();
      expect(r.ActionStatus).toBe('FAIL');
      expect(r.ErrorCode).toBe(code);
    });

    it('oversize body gets 93000 and the server keeps running', async () => {
      const big = JSON.stringify({ UserID: 'big', Nick: 'x'.repeat(1_100_000) });
      const r = await s.v4Raw('im_open_login_svc/account_import', big);
      expect(r).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 93000 });
      expect(await accountStatus('big')).toEqual({ big: 'NotImported' });
    });

    it('a non-admin identifier with its own valid UserSig gets 60010', async () => {
      const { app } = s;
      const usersig = genUserSig({
        sdkAppId: app.sdkAppId,
        key: app.secretKey,
        identifier: 'alice',
        expire: 60,
      });
      const r = await s.v4(
        'im_open_login_svc/account_import',
        { UserID: 'z' },
        { identifier: 'alice', usersig },
      );
      expect(r.ErrorCode).toBe(60010);
    });

    it('GET is refused with the envelope', async () => {
      const res = await fetch(`${s.url}/v4/im_open_login_svc/account_check?sdkappid=${s.app.sdkAppId}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 60002 });
    });

    it('failed requests wrote nothing', async () => {
      expect(await accountStatus('a', 'n', 'z')).toEqual({
        a: 'NotImported',
        n: 'NotImported',
        z: 'NotImported',
      });
    });
  });
});
