// Console sign-in over real HTTP on SQLite and PostgreSQL: cookies, CSRF, sign-out, expiry, rate limits.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleClient } from '../../helpers/console.js';
import { testBackends } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

const backends = await testBackends();
const PASSWORD = 'correct-horse-battery';

describe.each(backends)('console session on %s', (backend) => {
  let s: TestServer;
  let ipCounter = 0;
  /** A client that appears to come from its own address (trustProxy + X-Forwarded-For). */
  function client() {
    const ip = `198.51.100.${++ipCounter}`;
    const c = new ConsoleClient(s.url);
    const origRequest = c.request.bind(c);
    c.request = (method, path, body, opts = {}) =>
      origRequest(method, path, body, { ...opts, headers: { 'x-forwarded-for': ip, ...opts.headers } });
    return c;
  }
  async function user(username: string, role: 'admin' | 'member' = 'admin') {
    await s.pushline.consoleUsers.create({ username, password: PASSWORD, role });
  }

  beforeAll(async () => {
    s = await startTestServer({ backend, config: { trustProxy: true } });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('signs in with an HttpOnly SameSite=Strict cookie and stores only the token hash', async () => {
    await user('alice');
    const c = client();
    const res = await c.login('Alice', PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ username: 'alice', role: 'admin' });
    expect(res.body.csrfToken).toMatch(/^[\w-]{43}$/);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^pushline_session=[\w-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Secure/i);

    const token = c.cookie!.split('=')[1]!;
    const rows = await s.pushline.db.selectFrom('console_sessions').selectAll().execute();
    expect(rows.map((r) => r.id)).toContain(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(token);

    const me = await c.get('/api/console/session');
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ user: res.body.user, csrfToken: res.body.csrfToken });
    const stored = await s.pushline.consoleUsers.get(res.body.user.id);
    expect(stored?.lastLoginAt).toBeGreaterThan(0);
  });

  it('issues a new token on every sign-in and ends the session the browser had before', async () => {
    await user('nina');
    const c = client();
    await c.login('nina', PASSWORD);
    const before = c.cookie!;
    await c.login('nina', PASSWORD);
    expect(c.cookie).not.toBe(before);
    expect((await c.get('/api/console/session')).status).toBe(200);
    const old = client();
    old.cookie = before;
    expect((await old.get('/api/console/session')).status).toBe(401);
    // The console's first look: signed out is an answer, not an error (no failed request before sign-in).
    expect(await old.get('/api/console/session?optional=1')).toMatchObject({
      status: 200,
      body: { user: null },
    });
    expect((await c.get('/api/console/session?optional=1')).body.user.username).toBe('nina');
  });

  it('marks the cookie Secure when the request came over HTTPS', async () => {
    await user('secure-sam');
    const res = await client().login('secure-sam', PASSWORD, { 'x-forwarded-proto': 'https' });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/; Secure/i);
  });

  it('answers unknown users and wrong passwords alike', async () => {
    await user('bob');
    const wrong = await client().login('bob', 'not-the-password');
    const unknown = await client().login('nobody-here', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect((await client().request('POST', '/api/console/session', { username: 'bob' })).status).toBe(400);
  });

  it('requires the session CSRF token on state-changing requests', async () => {
    await user('carol');
    await user('dave');
    const carol = client();
    const dave = client();
    await carol.login('carol', PASSWORD);
    await dave.login('dave', PASSWORD);
    const body = { name: 'CSRF probe' };
    expect((await carol.request('POST', '/api/console/apps', body, { csrf: null })).status).toBe(403);
    expect((await carol.request('POST', '/api/console/apps', body, { csrf: 'x'.repeat(43) })).status).toBe(
      403,
    );
    expect((await carol.request('POST', '/api/console/apps', body, { csrf: dave.csrfToken! })).status).toBe(
      403,
    );
    expect((await s.pushline.apps.list()).map((a) => a.name)).not.toContain('CSRF probe');
    expect((await carol.request('POST', '/api/console/apps', body)).status).toBe(201);
    expect((await carol.request('DELETE', '/api/console/session', undefined, { csrf: null })).status).toBe(
      403,
    );
  });

  it('signs out: the cookie is cleared and the old token no longer works', async () => {
    await user('erin');
    const c = client();
    await c.login('erin', PASSWORD);
    const oldCookie = c.cookie!;
    const out = await c.request('DELETE', '/api/console/session');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^pushline_session=;/);
    expect(c.cookie).toBeUndefined();
    const replay = client();
    replay.cookie = oldCookie;
    expect((await replay.get('/api/console/session')).status).toBe(401);
  });

  it('refuses expired sessions and sessions of a user whose password was reset', async () => {
    await user('frank');
    const c = client();
    await c.login('frank', PASSWORD);
    await s.pushline.db
      .updateTable('console_sessions')
      .set({ expires_at: Date.now() - 1 })
      .execute();
    expect((await c.get('/api/console/session')).status).toBe(401);

    await c.login('frank', PASSWORD);
    expect((await c.get('/api/console/session')).status).toBe(200);
    const fresh = await s.pushline.consoleUsers.resetPassword('frank');
    expect((await c.get('/api/console/session')).status).toBe(401);
    expect((await client().login('frank', PASSWORD)).status).toBe(401);
    expect((await client().login('frank', fresh)).status).toBe(200);
  });

  it('locks a username after 5 failures for 15 minutes, even with the right password', async () => {
    await user('grace');
    for (let i = 0; i < 5; i++) expect((await client().login('grace', `wrong-${i}`)).status).toBe(401);
    const locked = await client().login('grace', PASSWORD);
    expect(locked.status).toBe(429);
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(locked.headers.get('set-cookie')).toBeNull();
    // Another user is not affected.
    await user('heidi');
    expect((await client().login('heidi', PASSWORD)).status).toBe(200);
  });

  it('a success resets the username count', async () => {
    await user('ivan');
    for (let i = 0; i < 4; i++) await client().login('ivan', 'wrong-password');
    expect((await client().login('ivan', PASSWORD)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await client().login('ivan', 'wrong-password')).status).toBe(401);
    expect((await client().login('ivan', PASSWORD)).status).toBe(200);
  });

  it('throttles a client address after 20 failures across usernames', async () => {
    await user('judy');
    const attacker = client();
    for (let i = 0; i < 20; i++) expect((await attacker.login(`guess${i}`, 'password123')).status).toBe(401);
    const blocked = await attacker.login('judy', PASSWORD);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await client().login('judy', PASSWORD)).status).toBe(200);
  });
});
