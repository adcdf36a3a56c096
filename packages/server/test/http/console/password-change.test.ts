// A console user changes their own password over real HTTP (SQLite and PostgreSQL): the current password
// again (counted like a sign-in), a strong new one, the user's other sessions ended.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_LIMITS } from '../../../src/auth/login-limiter.js';
import { ConsoleClient } from '../../helpers/console.js';
import { testBackends } from '../../helpers/databases.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

const backends = await testBackends();
const PASSWORD = 'correct-horse-battery';
const NEW_PASSWORD = 'staple-lantern-orbit-9';
const PATH = '/api/console/me/password';

describe.each(backends)('changing one’s own console password on %s', (backend) => {
  let s: TestServer;
  let ip = 0;
  /** A signed-in client with an address of its own (trustProxy: true, a proxy on this machine). */
  async function signedIn(username: string, password = PASSWORD): Promise<ConsoleClient> {
    const address = `198.51.100.${++ip}`;
    const c = new ConsoleClient(s.url);
    const request = c.request.bind(c);
    c.request = (method, path, body, opts = {}) =>
      request(method, path, body, { ...opts, headers: { 'x-forwarded-for': address, ...opts.headers } });
    expect((await c.login(username, password)).status).toBe(200);
    return c;
  }

  beforeAll(async () => {
    s = await startTestServer({ backend, config: { trustProxy: true } });
    for (const username of ['olga', 'pavel', 'quinn', 'rosa']) {
      await s.pushline.consoleUsers.create({ username, password: PASSWORD, role: 'member' });
    }
  });
  afterAll(async () => {
    await s?.close();
  });

  it('changes the password and ends the other sessions, keeping this one', async () => {
    const laptop = await signedIn('olga');
    const phone = await signedIn('olga');
    const res = await laptop.request('POST', PATH, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(res.status).toBe(204);
    expect((await laptop.get('/api/console/session')).status).toBe(200);
    expect((await phone.get('/api/console/session')).status).toBe(401);
    expect((await new ConsoleClient(s.url).login('olga', PASSWORD)).status).toBe(401);
    expect((await new ConsoleClient(s.url).login('olga', NEW_PASSWORD)).status).toBe(200);
  });

  it('refuses a weak new password with the reason, and changes nothing', async () => {
    const c = await signedIn('pavel');
    for (const weak of ['aaaaaaaaaa', ' '.repeat(10), 'password1234', 'pavelpavel']) {
      const res = await c.request('POST', PATH, { currentPassword: PASSWORD, newPassword: weak });
      expect(res.status, JSON.stringify(weak)).toBe(400);
      expect(res.body.error).toMatch(
        /^password is too easy to guess \(strength [0-2] of 4, at least 3 needed\)/,
      );
      expect(res.body.error).toContain('Use four or more unrelated words, or a generated password.');
    }
    const short = await c.request('POST', PATH, { currentPassword: PASSWORD, newPassword: 'short' });
    expect(short.body.error).toBe('password must have at least 10 characters');
    const same = await c.request('POST', PATH, { currentPassword: PASSWORD, newPassword: PASSWORD });
    expect(same.status).toBe(400);
    expect(same.body.error).toBe('the new password is the same as the current one');
    expect((await c.request('POST', PATH, { newPassword: NEW_PASSWORD })).status).toBe(400);
    // None of these cost a sign-in attempt, and the password is unchanged.
    expect((await new ConsoleClient(s.url).login('pavel', PASSWORD)).status).toBe(200);
  });

  it('refuses a wrong current password and needs the session and its CSRF token', async () => {
    const c = await signedIn('quinn');
    const wrong = await c.request('POST', PATH, {
      currentPassword: 'not-my-password',
      newPassword: NEW_PASSWORD,
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toBe('wrong current password');
    const noCsrf = await c.request(
      'POST',
      PATH,
      { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
      { csrf: null },
    );
    expect(noCsrf.status).toBe(403);
    const anonymous = await new ConsoleClient(s.url).request('POST', PATH, {
      currentPassword: PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    expect(anonymous.status).toBe(401);
    expect((await new ConsoleClient(s.url).login('quinn', PASSWORD)).status).toBe(200);
  });

  it('counts wrong current passwords like failed sign-ins, also in parallel', async () => {
    const c = await signedIn('rosa');
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        c.request('POST', PATH, { currentPassword: `wrong-${i}`, newPassword: NEW_PASSWORD }),
      ),
    );
    const wrong = results.filter((r) => r.status === 403).length;
    const limited = results.filter((r) => r.status === 429).length;
    expect(wrong).toBeGreaterThan(0);
    expect(wrong).toBeLessThanOrEqual(LOGIN_LIMITS.byUsername.maxFailures);
    expect(wrong + limited).toBe(50);
    // The right current password waits too, and so does signing in as rosa.
    const right = await c.request('POST', PATH, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await new ConsoleClient(s.url).login('rosa', PASSWORD)).status).toBe(429);
  });
});
