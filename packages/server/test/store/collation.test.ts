// A PostgreSQL database that compares text with a linguistic collation is named at start, with what to do
// (store/collation.ts): not for byte order ('C'), nor for SQLite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createPushline, loadConfig } from '../../src/index.js';
import { linguisticCollation } from '../../src/store/collation.js';
import { openDatabase } from '../../src/store/db.js';
import { createPostgresDatabase, testBackends } from '../helpers/databases.js';
import { capturedLog } from '../helpers/log-lines.js';

const backends = await testBackends();
const root = mkdtempSync(join(tmpdir(), 'pushline-collation-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function warningsAtStart(db: string): Promise<string> {
  const { lines, stream } = capturedLog();
  const config = loadConfig({
    env: {},
    flags: { dataDir: mkdtempSync(join(root, 'd-')), db, port: 0, host: '127.0.0.1', workers: 1 },
  });
  const p = await createPushline(config, { logger: pino({ level: 'warn' }, stream) });
  try {
    await p.listen();
    return lines.join('');
  } finally {
    await p.close();
  }
}

describe.runIf(backends.includes('postgres'))('the database collation on PostgreSQL', () => {
  it("warns at start about a linguistic collation, and says to create the database with LC_COLLATE 'C'", async () => {
    const created = await createPostgresDatabase({ collate: 'C.UTF-8' });
    try {
      const opened = openDatabase(created.url);
      expect(await linguisticCollation(opened.db)).toBe('C.UTF-8');
      await opened.close();
      const log = await warningsAtStart(created.url);
      expect(log).toContain('compares text with the collation \\"C.UTF-8\\"');
      expect(log).toContain("create it with LC_COLLATE 'C'");
    } finally {
      await created.drop();
    }
  });

  it('names an ICU collation', async () => {
    const created = await createPostgresDatabase({ icuLocale: 'en-US' });
    try {
      const opened = openDatabase(created.url);
      expect(await linguisticCollation(opened.db)).toBe('en-US (ICU)');
      await opened.close();
    } finally {
      await created.drop();
    }
  });

  it('says nothing about a database in byte order', async () => {
    const created = await createPostgresDatabase({ collate: 'C' });
    try {
      const opened = openDatabase(created.url);
      expect(await linguisticCollation(opened.db)).toBeUndefined();
      await opened.close();
      expect(await warningsAtStart(created.url)).not.toContain('collation');
    } finally {
      await created.drop();
    }
  });
});

describe('the database collation on SQLite', () => {
  it('is never in question', async () => {
    const opened = openDatabase('sqlite::memory:');
    expect(await linguisticCollation(opened.db)).toBeUndefined();
    await opened.close();
  });
});
