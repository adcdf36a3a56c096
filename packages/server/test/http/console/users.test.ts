// Console users in storage, on SQLite and PostgreSQL: creation rules, app grants, first admin, deletion.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleUserError } from '../../../src/auth/console-users.js';
import { testBackends } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

const backends = await testBackends();

describe.each(backends)('console users on %s', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ backend });
  });
  afterAll(async () => {
    await s?.close();
  });
  const users = () => s.pushline.consoleUsers;

  it('creates the first admin only while there are no users', async () => {
    const first = await users().ensureFirstAdmin();
    expect(first?.username).toBe('admin');
    expect(await users().authenticate('admin', first!.password)).toMatchObject({ role: 'admin' });
    expect(await users().ensureFirstAdmin()).toBeUndefined();
    expect(await users().count()).toBe(1);
  });

  it('refuses bad users with clear errors and writes nothing', async () => {
    const bad: [Parameters<ReturnType<typeof users>['create']>[0], RegExp][] = [
      [{ username: 'admin' }, /already exists/],
      [{ username: 'ADMIN' }, /already exists/],
      [{ username: 'weak', password: 'short' }, /at least 10 characters/],
      [{ username: 'weak', password: 'aaaaaaaaaa' }, /too easy to guess/],
      [{ username: 'weak', password: ' '.repeat(10) }, /too easy to guess/],
      [{ username: 'weak', password: 'weakweakweak' }, /too easy to guess/],
      [{ username: 'bad name!' }, /username must be/],
      [{ username: '' }, /username must be/],
      [{ username: 'lost', apps: [s.app.sdkAppId, 12345] }, /no app with SDKAppID 12345/],
      // biome-ignore lint/suspicious/noExplicitAny: an untyped caller's value
      [{ username: 'owner', role: 'owner' as any }, /role must be one of admin, member/],
    ];
    for (const [input, message] of bad) {
      await expect(users().create(input), input.username).rejects.toThrow(message);
      await expect(users().create(input)).rejects.toBeInstanceOf(ConsoleUserError);
    }
    expect((await users().list()).map((u) => u.username)).toEqual(['admin']);
    expect(await s.pushline.db.selectFrom('console_user_apps').selectAll().execute()).toEqual([]);
  });

  it('grants and revokes apps; a deleted app leaves every grant', async () => {
    const other = await s.pushline.apps.create({ name: 'Other' });
    const { user } = await users().create({ username: 'Member.One', apps: [s.app.sdkAppId] });
    expect(user).toMatchObject({ username: 'member.one', role: 'member', apps: [s.app.sdkAppId] });
    expect(await users().grantApps('member.one', [other.sdkAppId, s.app.sdkAppId])).toEqual(
      [s.app.sdkAppId, other.sdkAppId].sort((a, b) => a - b),
    );
    await expect(users().grantApps('member.one', [999])).rejects.toThrow(/no app with SDKAppID 999/);
    await expect(users().grantApps('nobody', [other.sdkAppId])).rejects.toThrow(/no console user named/);
    expect(await users().revokeApps('MEMBER.ONE', [s.app.sdkAppId])).toEqual([other.sdkAppId]);
    await s.pushline.apps.delete(other.sdkAppId);
    expect((await users().getByUsername('member.one'))?.apps).toEqual([]);
  });

  it('deletes a user with their sessions', async () => {
    const { user } = await users().create({ username: 'leaving', password: 'leaving-for-the-coast' });
    await s.pushline.consoleSessions.create(user.id);
    expect(await users().delete('Leaving')).toBe(true);
    expect(await users().delete('leaving')).toBe(false);
    const sessions = await s.pushline.db
      .selectFrom('console_sessions')
      .selectAll()
      .where('user_id', '=', user.id)
      .execute();
    expect(sessions).toEqual([]);
    expect(await users().authenticate('leaving', 'leaving-for-the-coast')).toBeUndefined();
  });

  it('refuses a weak new password on reset and keeps the old one', async () => {
    await users().create({ username: 'steady', password: 'steady-as-a-rock-1' });
    for (const weak of ['aaaaaaaaaa', ' '.repeat(10), 'steadysteady']) {
      await expect(users().resetPassword('steady', weak), weak).rejects.toThrow(/too easy to guess/);
    }
    expect(await users().authenticate('steady', 'steady-as-a-rock-1')).toBeDefined();
  });
});
