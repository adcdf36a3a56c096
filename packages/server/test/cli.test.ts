// The `pushline` command as a user runs it: a real process on a real data directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyUserSig } from '../src/auth/usersig.js';
import { assertBuilt, pushline, spawnServer, waitForExit } from './helpers/cli.js';
import { createPostgresDatabase, testBackends } from './helpers/databases.js';

const backends = await testBackends();

describe('pushline CLI', { timeout: 120_000 }, () => {
  let dataDir: string;
  beforeAll(() => {
    assertBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'pushline-cli-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates, lists and deletes apps; prints working UserSigs', async () => {
    const created = await pushline(['app', 'create', '--name', 'Chat', '--data', dataDir, '--json']);
    expect(created.code).toBe(0);
    const app = JSON.parse(created.stdout) as {
      sdkAppId: number;
      secretKey: string;
      adminIdentifier: string;
      adminUserSig: string;
    };
    expect(app.adminIdentifier).toBe('administrator');
    expect(app.secretKey).toMatch(/^[0-9a-f]{64}$/);
    const adminOk = verifyUserSig({
      userSig: app.adminUserSig,
      sdkAppId: app.sdkAppId,
      key: app.secretKey,
      identifier: 'administrator',
    });
    expect(adminOk.ok).toBe(true);

    const sig = await pushline([
      'usersig',
      '--app',
      String(app.sdkAppId),
      '--user',
      'alice',
      '--expire',
      '60',
      '--data',
      dataDir,
    ]);
    expect(sig.code).toBe(0);
    const verified = verifyUserSig({
      userSig: sig.stdout.trim(),
      sdkAppId: app.sdkAppId,
      key: app.secretKey,
      identifier: 'alice',
    });
    expect(verified).toMatchObject({ ok: true, sig: { expire: 60 } });

    const list = await pushline(['app', 'list', '--data', dataDir]);
    expect(list.stdout).toContain(`${app.sdkAppId}\tChat`);

    expect((await pushline(['app', 'delete', String(app.sdkAppId), '--data', dataDir])).code).toBe(0);
    const missing = await pushline(['app', 'delete', String(app.sdkAppId), '--data', dataDir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no app with SDKAppID');
  });

  it('explains bad arguments', async () => {
    const r = await pushline(['usersig', '--app', 'abc', '--user', 'x', '--data', dataDir]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('--app must be a positive integer');
    const badDb = await pushline(['migrate', '--db', 'mysql://x', '--data', dataDir]);
    expect(badDb.code).toBe(1);
    expect(badDb.stderr).toContain('unsupported database URL');
  });

  it.runIf(backends.includes('postgres'))('migrates a PostgreSQL database', async () => {
    const db = await createPostgresDatabase();
    try {
      const r = await pushline(['migrate', '--db', db.url, '--data', dataDir]);
      expect(r.stdout).toContain('database is up to date (postgres');
      const again = await pushline(['migrate', '--db', db.url, '--data', dataDir]);
      expect(again.code).toBe(0);
    } finally {
      await db.drop();
    }
  });

  it('serves in sandbox mode, answers health and metrics, and stops cleanly on SIGTERM', async () => {
    const sandboxDir = mkdtempSync(join(tmpdir(), 'pushline-sandbox-'));
    try {
      const { child, url, output } = await spawnServer(['--sandbox', '--data', sandboxDir]);
      const health = await fetch(`${url}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok' });
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toContain('pushline_process_');

      // The banner prints the demo app and a working admin UserSig.
      await waitFor(() => output().includes('admin UserSig:'));
      const sig = /admin UserSig:\s+(\S+)/.exec(output())?.[1] ?? '';
      const r = await fetch(
        `${url}/v4/im_open_login_svc/account_import?sdkappid=1400000000&identifier=administrator&usersig=${sig}&random=7&contenttype=json`,
        { method: 'POST', body: JSON.stringify({ UserID: 'alice' }) },
      );
      expect(await r.json()).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0 });
      expect(output()).not.toContain(sig.slice(0, 10) + '","'); // the UserSig never appears in a log line

      child.kill('SIGTERM');
      expect(await waitForExit(child)).toBe(0);
      expect(output()).toContain('shutting down');

      // Second start: the demo app is kept, not created again.
      const second = await spawnServer(['--sandbox', '--data', sandboxDir]);
      await waitFor(() => second.output().includes('admin UserSig:'));
      expect(second.output()).not.toContain('(created now)');
      second.child.kill('SIGTERM');
      expect(await waitForExit(second.child)).toBe(0);
    } finally {
      rmSync(sandboxDir, { recursive: true, force: true });
    }
  });
});

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!cond()) throw new Error('condition not met');
}
