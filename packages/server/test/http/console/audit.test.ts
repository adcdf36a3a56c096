// Console audit lines: sign-ins, failures and secret reveals are logged with who and what, never with
// the secret or a password.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppWithSecret, createPushline, loadConfig, type Pushline } from '../../../src/index.js';
import { ConsoleClient } from '../../helpers/console.js';
import { createPostgresDatabase, testBackends } from '../../helpers/databases.js';

const backends = await testBackends();
const PASSWORD = 'auditor-password-1';

describe.each(backends)('console audit log on %s', (backend) => {
  const lines: string[] = [];
  let dataDir: string;
  let pushline: Pushline;
  let url: string;
  let app: AppWithSecret;
  let dropDb: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'pushline-audit-'));
    const pgDb = backend === 'postgres' ? await createPostgresDatabase() : undefined;
    dropDb = pgDb?.drop;
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    const config = loadConfig({
      env: {},
      flags: { dataDir, port: 0, host: '127.0.0.1', ...(pgDb ? { db: pgDb.url } : {}) },
    });
    pushline = await createPushline(config, { logger: pino({ level: 'info' }, sink) });
    url = await pushline.listen();
    app = await pushline.apps.create({ name: 'Audited' });
    await pushline.consoleUsers.create({ username: 'auditor', password: PASSWORD, role: 'admin' });
  });
  afterAll(async () => {
    await pushline?.close();
    await dropDb?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs sign-ins and secret reveals without secrets or passwords', async () => {
    const c = new ConsoleClient(url);
    expect((await c.login('auditor', 'a-wrong-password-guess')).status).toBe(401);
    expect((await c.login('auditor', PASSWORD)).status).toBe(200);
    const reveal = await c.request('POST', `/api/console/apps/${app.sdkAppId}/secret/reveal`, {
      password: PASSWORD,
    });
    expect(reveal.body.secretKey).toBe(app.secretKey);

    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records).toContainEqual(expect.objectContaining({ audit: 'console.login.failed' }));
    expect(records).toContainEqual(expect.objectContaining({ audit: 'console.login', user: 'auditor' }));
    expect(records).toContainEqual(
      expect.objectContaining({ audit: 'console.secret.reveal', user: 'auditor', sdkAppId: app.sdkAppId }),
    );
    const all = lines.join('\n');
    expect(all).not.toContain(app.secretKey);
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain('a-wrong-password-guess');
    expect(all).not.toContain(c.cookie!.split('=')[1]!);
  });
});
