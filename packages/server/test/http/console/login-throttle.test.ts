// Sign-in throttling under parallel requests and with forged X-Forwarded-For headers: every attempt is
// counted before its password is checked, so the limits (5 per username, 20 per client address, 15
// minutes) hold however many requests arrive at once, on one node (memory) or several (Redis).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_LIMITS } from '../../../src/auth/login-limiter.js';
import { createPushline, type Pushline } from '../../../src/index.js';
import { ConsoleClient } from '../../helpers/console.js';
import { testBackends } from '../../helpers/databases.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../../helpers/redis.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

const backends = await testBackends();
const PASSWORD = 'correct-horse-battery';
const PARALLEL = 60;

/** The HTTP statuses, counted. */
function tally(statuses: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
}

/** `PARALLEL` sign-ins at once, spread over the given base URLs, each from a fresh client. */
async function burst(urls: string[], attempt: (i: number) => { username: string; password: string }) {
  const results = await Promise.all(
    Array.from({ length: PARALLEL }, (_, i) => {
      const { username, password } = attempt(i);
      return new ConsoleClient(urls[i % urls.length]!).login(username, password);
    }),
  );
  return results.map((r) => r.status);
}

const limiterKinds = [
  { kind: 'memory', backend: 'sqlite' as const, redis: false },
  ...(backends.includes('postgres') ? [{ kind: 'Redis', backend: 'postgres' as const, redis: true }] : []),
];

describe.each(limiterKinds)('parallel sign-ins with the $kind limiter', ({ backend, redis }) => {
  /**
   * A server for one test (the limits are per address, and every test talks from 127.0.0.1); with Redis a
   * second node on the same database and Redis. Returns the nodes' base URLs.
   */
  async function nodes(): Promise<string[]> {
    const prefix = testPrefix();
    const s = await startTestServer({
      backend,
      config: redis ? { redis: REDIS_URL, redisPrefix: prefix } : {},
    });
    const urls = [s.url];
    let second: Pushline | undefined;
    cleanups.push(async () => {
      await second?.close();
      await s.close();
      if (redis) await dropPrefix(prefix);
    });
    if (redis) {
      second = await createPushline(s.pushline.config);
      urls.push(await second.listen());
    }
    for (const username of ['grace', 'judy']) {
      await s.pushline.consoleUsers.create({ username, password: PASSWORD, role: 'admin' });
    }
    return urls;
  }
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it(`lets at most ${LOGIN_LIMITS.byUsername.maxFailures} of ${PARALLEL} parallel wrong passwords be checked; then the right one waits`, async () => {
    const urls = await nodes();
    const statuses = await burst(urls, (i) => ({ username: 'grace', password: `wrong-guess-${i}` }));
    const counts = tally(statuses);
    expect(counts[401] ?? 0).toBeGreaterThan(0);
    expect(counts[401] ?? 0).toBeLessThanOrEqual(LOGIN_LIMITS.byUsername.maxFailures);
    expect((counts[401] ?? 0) + (counts[429] ?? 0)).toBe(PARALLEL);
    for (const url of urls) {
      const right = await new ConsoleClient(url).login('grace', PASSWORD);
      expect(right.status).toBe(429);
      expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
      expect(right.headers.get('set-cookie')).toBeNull();
    }
    // Another user is not affected.
    expect((await new ConsoleClient(urls[0]!).login('judy', PASSWORD)).status).toBe(200);
  });

  it(`lets at most ${LOGIN_LIMITS.byAddress.maxFailures} of ${PARALLEL} parallel wrong passwords from one address across usernames`, async () => {
    const urls = await nodes();
    const statuses = await burst(urls, (i) => ({ username: `guess-${i}`, password: 'password123' }));
    const counts = tally(statuses);
    expect(counts[401] ?? 0).toBeGreaterThan(0);
    expect(counts[401] ?? 0).toBeLessThanOrEqual(LOGIN_LIMITS.byAddress.maxFailures);
    expect((counts[401] ?? 0) + (counts[429] ?? 0)).toBe(PARALLEL);
    expect((await new ConsoleClient(urls[0]!).login('judy', PASSWORD)).status).toBe(429);
  });
});

describe('parallel wrong passwords when revealing an app secret', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    await s.pushline.consoleUsers.create({ username: 'rita', password: PASSWORD, role: 'admin' });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('checks at most 5 and refuses the rest, then the right password too', async () => {
    const c = new ConsoleClient(s.url);
    expect((await c.login('rita', PASSWORD)).status).toBe(200);
    const path = `/api/console/apps/${s.app.sdkAppId}/secret/reveal`;
    const results = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) => c.request('POST', path, { password: `wrong-${i}` })),
    );
    const counts = tally(results.map((r) => r.status));
    expect(counts[403] ?? 0).toBeGreaterThan(0);
    expect(counts[403] ?? 0).toBeLessThanOrEqual(LOGIN_LIMITS.byUsername.maxFailures);
    expect((counts[403] ?? 0) + (counts[429] ?? 0)).toBe(PARALLEL);
    const right = await c.request('POST', path, { password: PASSWORD });
    expect(right.status).toBe(429);
    expect(right.body.secretKey).toBeUndefined();
  });
});

describe('forwarded client addresses', () => {
  /** Sequential wrong sign-ins for different usernames, each with a new forged X-Forwarded-For. */
  async function forgedAttempts(url: string, n: number, xff: (i: number) => string): Promise<number[]> {
    const statuses: number[] = [];
    for (let i = 0; i < n; i++) {
      const res = await new ConsoleClient(url).login(`nobody-${i}`, 'password123', {
        'x-forwarded-for': xff(i),
      });
      statuses.push(res.status);
    }
    return statuses;
  }
  const limit = LOGIN_LIMITS.byAddress.maxFailures;

  it('ignores X-Forwarded-For from an address that is not a configured proxy', async () => {
    // The test talks from 127.0.0.1; the only trusted proxy is elsewhere.
    const s = await startTestServer({ config: { trustProxy: ['192.0.2.10'] } });
    try {
      const statuses = await forgedAttempts(s.url, limit + 3, (i) => `203.0.113.${i + 1}`);
      expect(statuses.slice(0, limit)).toEqual(Array(limit).fill(401));
      expect(statuses.slice(limit)).toEqual([429, 429, 429]);
      // A new forged address does not help either.
      const res = await new ConsoleClient(s.url).login('nobody', 'x', { 'x-forwarded-for': '198.51.100.77' });
      expect(res.status).toBe(429);
    } finally {
      await s.close();
    }
  });

  it('takes the address the trusted proxy saw, not what the client wrote before it', async () => {
    // trustProxy: true trusts a proxy on this machine only; the client's own entries come first in the
    // header, the proxy appends the address it saw.
    const s = await startTestServer({ config: { trustProxy: true } });
    try {
      const statuses = await forgedAttempts(s.url, limit + 2, (i) => `10.0.0.${i + 1}, 203.0.113.5`);
      expect(statuses.slice(0, limit)).toEqual(Array(limit).fill(401));
      expect(statuses.slice(limit)).toEqual([429, 429]);
      // Another client behind the same proxy is not affected.
      const other = await new ConsoleClient(s.url).login('nobody', 'password123', {
        'x-forwarded-for': '203.0.113.6',
      });
      expect(other.status).toBe(401);
    } finally {
      await s.close();
    }
  });
});
