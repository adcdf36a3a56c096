// `pushline admin ...` and the first-admin notice of `pushline serve`, as a user runs them: real processes
// on a real data directory (SQLite) or database (PostgreSQL).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, pushline, spawnServer, waitForExit } from '../helpers/cli.js';
import { ConsoleClient } from '../helpers/console.js';
import { createPostgresDatabase, testBackends } from '../helpers/databases.js';

const backends = await testBackends();
// Each CLI run is a fresh Node process: slow on a loaded machine.
const SLOW = { timeout: 180_000 };

async function waitFor(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !cond(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

describe.each(backends)('pushline admin on %s', (backend) => {
  let dataDir: string;
  let storage: string[];
  let dropDb: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    assertBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'pushline-admin-'));
    storage = ['--data', dataDir];
    if (backend === 'postgres') {
      const db = await createPostgresDatabase();
      dropDb = db.drop;
      storage.push('--db', db.url);
    }
  });
  afterAll(async () => {
    await dropDb?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates the first admin on first start, prints it once to stdout, never to the log', SLOW, async () => {
    const first = await spawnServer(['--sandbox', ...storage]);
    try {
      await waitFor(() => first.output().includes('console login:'), 'the banner');
      const out = first.output();
      expect(out).toContain(`console:         ${first.url}/console/`);
      const password = /console login:\s+admin \/ (\S+)/.exec(out)?.[1] ?? '';
      expect(password).toMatch(/^[\w-]{24}$/);
      const logLines = out.split('\n').filter((l) => l.startsWith('{'));
      expect(logLines.length).toBeGreaterThan(0);
      for (const line of logLines) expect(line).not.toContain(password);

      const c = new ConsoleClient(first.url);
      const login = await c.login('admin', password);
      expect(login.status).toBe(200);
      expect(login.body.user).toMatchObject({ username: 'admin', role: 'admin' });
    } finally {
      first.child.kill('SIGTERM');
      await waitForExit(first.child);
    }

    const second = await spawnServer(['--sandbox', ...storage]);
    try {
      await waitFor(() => second.output().includes('console:'), 'the banner');
      expect(second.output()).not.toContain('console login:');
    } finally {
      second.child.kill('SIGTERM');
      await waitForExit(second.child);
    }
  });

  it('creates, lists, resets and deletes console users', SLOW, async () => {
    const app = JSON.parse(
      (await pushline(['app', 'create', '--name', 'Team', '--json', ...storage])).stdout,
    );
    const created = await pushline([
      'admin',
      'create',
      '--username',
      'Ops',
      '--app',
      String(app.sdkAppId),
      '--app',
      '1400000000',
      ...storage,
    ]);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('created console user "ops" (member)');
    const generated = /password: (\S+)/.exec(created.stdout)?.[1] ?? '';
    expect(generated).toMatch(/^[\w-]{24}$/);

    const given = await pushline([
      'admin',
      'create',
      '-u',
      'boss',
      '--password',
      'a-long-password',
      '--role',
      'admin',
      ...storage,
    ]);
    expect(given.code).toBe(0);
    expect(given.stdout).not.toContain('a-long-password');

    const list = await pushline(['admin', 'list', '--json', ...storage]);
    const users = JSON.parse(list.stdout) as { username: string; role: string; apps: number[] }[];
    expect(users.map((u) => [u.username, u.role])).toEqual([
      ['admin', 'admin'],
      ['ops', 'member'],
      ['boss', 'admin'],
    ]);
    expect(users[1]?.apps).toEqual([1400000000, app.sdkAppId].sort((a, b) => a - b));
    const table = await pushline(['admin', 'list', ...storage]);
    expect(table.stdout).toMatch(/^ops\tmember\tapps=/m);

    const revoked = await pushline(['admin', 'revoke', '-u', 'ops', '--app', '1400000000', ...storage]);
    expect(revoked.stdout).toBe(`apps of "ops": ${app.sdkAppId}\n`);
    const granted = await pushline(['admin', 'grant', '-u', 'ops', '--app', '1400000000', ...storage]);
    expect(granted.stdout).toContain('1400000000');
    expect(granted.stdout).toContain(String(app.sdkAppId));

    const reset = await pushline(['admin', 'reset-password', '--username', 'ops', ...storage]);
    expect(reset.code).toBe(0);
    const fresh = /password: (\S+)/.exec(reset.stdout)?.[1] ?? '';
    expect(fresh).not.toBe(generated);

    // The new password signs in on a running server; the old one does not.
    const server = await spawnServer([...storage]);
    try {
      await waitFor(() => server.output().includes('console:'), 'the banner');
      expect(server.output()).not.toContain('console login:');
      expect((await new ConsoleClient(server.url).login('ops', generated)).status).toBe(401);
      const ok = await new ConsoleClient(server.url).login('ops', fresh);
      expect(ok.status).toBe(200);
      expect(ok.body.user.apps).toContain(app.sdkAppId);
    } finally {
      server.child.kill('SIGTERM');
      await waitForExit(server.child);
    }

    const deleted = await pushline(['admin', 'delete', '--username', 'ops', ...storage]);
    expect(deleted.stdout).toContain('deleted console user "ops"');
    const again = await pushline(['admin', 'delete', '--username', 'ops', ...storage]);
    expect(again.code).toBe(1);
  });

  it('refuses bad input with a clear message and creates nothing', SLOW, async () => {
    // One process per case: only the CLI's own handling here; every service error is in console-users.test.ts.
    const cases: [string[], RegExp][] = [
      [['admin', 'create', '-u', 'boss'], /already exists/],
      [['admin', 'create', '-u', 'lost', '--app', '12345'], /no app with SDKAppID 12345/],
      [['admin', 'create', '-u', 'x', '--role', 'owner'], /Allowed choices are admin, member/],
      [['admin', 'grant', '-u', 'ghost', '--app', '1400000000'], /no console user named "ghost"/],
      [
        ['admin', 'create', '-u', 'lazy', '--password', 'aaaaaaaaaa'],
        /^pushline: password is too easy to guess \(strength 0 of 4, at least 3 needed\): Repeated characters/,
      ],
      [['admin', 'reset-password', '-u', 'boss', '--password', ' '.repeat(10)], /too easy to guess/],
    ];
    for (const [args, message] of cases) {
      const r = await pushline([...args, ...storage]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(message);
    }
    const users = JSON.parse((await pushline(['admin', 'list', '--json', ...storage])).stdout) as {
      username: string;
    }[];
    expect(users.map((u) => u.username)).not.toContain('lost');
    expect(users.map((u) => u.username)).not.toContain('lazy');
  });
});
