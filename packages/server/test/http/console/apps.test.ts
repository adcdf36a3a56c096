// The console's app API and its authorization, over real HTTP on SQLite and PostgreSQL. Every endpoint is
// tried anonymously, without the CSRF token, and by a member without access to the app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppWithSecret } from '../../../src/index.js';
import { CONSOLE_ENDPOINTS, ConsoleClient } from '../../helpers/console.js';
import { testBackends } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

const backends = await testBackends();
const ADMIN_PASSWORD = 'admin-password-1';
const MEMBER_PASSWORD = 'member-password-1';

describe.each(backends)('console apps API on %s', (backend) => {
  let s: TestServer;
  let admin: ConsoleClient;
  let member: ConsoleClient;
  /** Granted to the member. */
  let mine: AppWithSecret;
  /** Not granted to the member. */
  let theirs: AppWithSecret;

  beforeAll(async () => {
    s = await startTestServer({ backend });
    mine = s.app;
    theirs = await s.pushline.apps.create({ name: 'Other Team' });
    await s.pushline.consoleUsers.create({ username: 'root', password: ADMIN_PASSWORD, role: 'admin' });
    await s.pushline.consoleUsers.create({
      username: 'mia',
      password: MEMBER_PASSWORD,
      role: 'member',
      apps: [mine.sdkAppId],
    });
    admin = new ConsoleClient(s.url);
    member = new ConsoleClient(s.url);
    expect((await admin.login('root', ADMIN_PASSWORD)).status).toBe(200);
    expect((await member.login('mia', MEMBER_PASSWORD)).status).toBe(200);
  });
  afterAll(async () => {
    await s?.close();
  });

  const pathFor = (path: string, sdkAppId: number) => path.replace(':app', String(sdkAppId));

  it('refuses every endpoint to an anonymous request', async () => {
    const anonymous = new ConsoleClient(s.url);
    for (const e of CONSOLE_ENDPOINTS) {
      const res = await anonymous.request(e.method, pathFor(e.path, mine.sdkAppId), e.body?.(mine.sdkAppId));
      expect(res.status, `${e.method} ${e.path}`).toBe(401);
    }
    const forged = new ConsoleClient(s.url);
    forged.cookie = `pushline_session=${'A'.repeat(43)}`;
    for (const e of CONSOLE_ENDPOINTS) {
      const res = await forged.request(e.method, pathFor(e.path, mine.sdkAppId), e.body?.(mine.sdkAppId));
      expect(res.status, `forged ${e.method} ${e.path}`).toBe(401);
    }
    expect(await s.pushline.apps.get(mine.sdkAppId)).toBeDefined();
  });

  it('refuses every state-changing endpoint without the CSRF token', async () => {
    for (const e of CONSOLE_ENDPOINTS.filter((x) => x.method !== 'GET')) {
      const res = await admin.request(e.method, pathFor(e.path, mine.sdkAppId), e.body?.(mine.sdkAppId), {
        csrf: null,
      });
      expect(res.status, `${e.method} ${e.path}`).toBe(403);
    }
    expect((await s.pushline.apps.get(mine.sdkAppId))?.name).toBe(mine.name);
    expect((await admin.get('/api/console/session')).status).toBe(200);
  });

  it("hides another app's data from a member without access, on every app endpoint", async () => {
    for (const e of CONSOLE_ENDPOINTS.filter((x) => x.appScoped)) {
      const res = await member.request(e.method, pathFor(e.path, theirs.sdkAppId), e.body?.(theirs.sdkAppId));
      expect(res.status, `${e.method} ${e.path}`).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain(theirs.secretKey);
      expect(JSON.stringify(res.body)).not.toContain(theirs.name);
    }
    const after = await s.pushline.apps.get(theirs.sdkAppId);
    expect(after?.name).toBe('Other Team');
    const list = await member.get('/api/console/apps');
    expect(list.body.apps.map((a: { sdkAppId: number }) => a.sdkAppId)).toEqual([mine.sdkAppId]);
    // An app that does not exist looks the same as one the member may not see.
    expect((await member.get('/api/console/apps/999')).status).toBe(404);
    expect((await member.get('/api/console/apps/not-a-number')).status).toBe(404);
  });

  it('lets only admins create and delete apps', async () => {
    const created = await member.request('POST', '/api/console/apps', { name: 'Member App' });
    expect(created.status).toBe(403);
    const del = await member.request('DELETE', `/api/console/apps/${mine.sdkAppId}`, {
      confirmSdkAppId: mine.sdkAppId,
    });
    expect(del.status).toBe(403);
    expect((await s.pushline.apps.list()).map((a) => a.name)).not.toContain('Member App');
    expect(await s.pushline.apps.get(mine.sdkAppId)).toBeDefined();
  });

  it('lists every app for an admin and shows an app with its secret masked', async () => {
    const list = await admin.get('/api/console/apps');
    expect(list.status).toBe(200);
    const ids = list.body.apps.map((a: { sdkAppId: number }) => a.sdkAppId);
    expect(ids).toEqual(expect.arrayContaining([mine.sdkAppId, theirs.sdkAppId]));
    const one = await member.get(`/api/console/apps/${mine.sdkAppId}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      sdkAppId: mine.sdkAppId,
      name: mine.name,
      adminIdentifier: 'administrator',
      settings: { callbackUrl: '' },
    });
    expect(one.body.secretKeyMasked).toBe(`${'•'.repeat(12)}${mine.secretKey.slice(-4)}`);
    expect(JSON.stringify(one.body)).not.toContain(mine.secretKey);
    expect(JSON.stringify(list.body)).not.toContain(mine.secretKey);
  });

  it('reveals the secret key only with the right password', async () => {
    const path = `/api/console/apps/${mine.sdkAppId}/secret/reveal`;
    expect((await member.request('POST', path, {})).status).toBe(400);
    const wrong = await member.request('POST', path, { password: 'not-my-password' });
    expect(wrong.status).toBe(403);
    expect(JSON.stringify(wrong.body)).not.toContain(mine.secretKey);
    const right = await member.request('POST', path, { password: MEMBER_PASSWORD });
    expect(right.status).toBe(200);
    expect(right.body).toEqual({ secretKey: mine.secretKey });
  });

  it('edits name, admin identifier and settings; keeps settings it does not know', async () => {
    const path = `/api/console/apps/${mine.sdkAppId}`;
    const res = await member.request('PATCH', path, {
      name: 'Chat (prod)',
      adminIdentifier: 'ops_admin',
      settings: { callbackUrl: 'https://hooks.example.com/im', someFutureSwitch: true },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'Chat (prod)',
      adminIdentifier: 'ops_admin',
      settings: { callbackUrl: 'https://hooks.example.com/im', someFutureSwitch: true },
    });
    const partial = await member.request('PATCH', path, { settings: { callbackUrl: '' } });
    expect(partial.body.settings).toEqual({
      callbackUrl: '',
      // Every app has a callback token (Sign of its callbacks) from its creation.
      callbackToken: expect.stringMatching(/^[0-9a-f]{64}$/),
      someFutureSwitch: true,
    });
    const stored = await s.pushline.apps.get(mine.sdkAppId);
    expect(stored).toMatchObject({ name: 'Chat (prod)', adminIdentifier: 'ops_admin' });
  });

  it('refuses bad edits and writes nothing of them', async () => {
    const path = `/api/console/apps/${mine.sdkAppId}`;
    const before = await s.pushline.apps.get(mine.sdkAppId);
    const badUrl = await member.request('PATCH', path, {
      name: 'Half',
      settings: { callbackUrl: 'not a url' },
    });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.error).toMatch(/callbackUrl/);
    const badAdmin = await member.request('PATCH', path, { name: 'Half', adminIdentifier: 'x'.repeat(33) });
    expect(badAdmin.status).toBe(400);
    expect(badAdmin.body).toEqual({
      error: 'admin identifier is 33 bytes of UTF-8; at most 32 (a UserID of 1 to 32 bytes)',
      text: { key: 'adminIdentifierTooLong', params: { bytes: 33, max: 32 } },
    });
    const emptyName = await member.request('PATCH', path, { name: '   ' });
    expect(emptyName.status).toBe(400);
    expect(emptyName.body).toEqual({ error: 'app name must not be empty', text: { key: 'appNameRequired' } });
    const longName = await member.request('PATCH', path, { name: 'n'.repeat(129) });
    expect(longName.body).toEqual({
      error: 'the app name must be at most 128 characters',
      text: { key: 'appNameTooLong', params: { max: 128 } },
    });
    const unknownField = await member.request('PATCH', path, { secretKey: 'mine now' });
    expect(unknownField.status).toBe(400);
    const after = await s.pushline.apps.get(mine.sdkAppId);
    expect(after).toEqual(before);
  });

  it('creates an app and deletes it only with the SDKAppID confirmed', async () => {
    const bad = await admin.request('POST', '/api/console/apps', { name: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.text).toEqual({ key: 'appNameRequired' });
    const noAdmin = await admin.request('POST', '/api/console/apps', {
      name: 'No admin',
      adminIdentifier: ' ',
    });
    expect(noAdmin.status).toBe(400);
    expect(noAdmin.body.text).toEqual({ key: 'adminIdentifierEmpty' });
    const created = await admin.request('POST', '/api/console/apps', {
      name: 'Temporary',
      adminIdentifier: 'boss',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Temporary', adminIdentifier: 'boss' });
    const id = created.body.sdkAppId as number;
    const dup = await admin.request('POST', '/api/console/apps', { name: 'Again', sdkAppId: id });
    expect(dup.status).toBe(400);
    expect(dup.body).toEqual({
      error: `an app with SDKAppID ${id} already exists`,
      text: { key: 'appIdTaken', params: { sdkAppId: id } },
    });
    expect(dup.body.error).toMatch(/already exists/);

    const path = `/api/console/apps/${id}`;
    expect((await admin.request('DELETE', path, {})).status).toBe(400);
    expect((await admin.request('DELETE', path, { confirmSdkAppId: id + 1 })).status).toBe(400);
    expect(await s.pushline.apps.get(id)).toBeDefined();
    expect((await admin.request('DELETE', path, { confirmSdkAppId: id })).status).toBe(204);
    expect(await s.pushline.apps.get(id)).toBeUndefined();
    expect((await admin.get(path)).status).toBe(404);
  });
});
