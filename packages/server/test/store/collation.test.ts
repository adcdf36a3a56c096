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

/** A new PostgreSQL database made with `opts`: what linguisticCollation says of it, and its URL for `then`. */
async function withDatabase(
  opts: { collate?: string; icuLocale?: string },
  then: (collation: string | undefined, url: string) => Promise<void>,
): Promise<void> {
  const created = await createPostgresDatabase(opts);
  try {
    const opened = openDatabase(created.url);
    const collation = await linguisticCollation(opened.db);
    await opened.close();
    await then(collation, created.url);
  } finally {
    await created.drop();
  }
}

describe.runIf(backends.includes('postgres'))('the database collation on PostgreSQL', () => {
  it("warns at start about a linguistic collation, and says to create the database with LC_COLLATE 'C'", async () => {
    await withDatabase({ collate: 'C.UTF-8' }, async (collation, url) => {
      expect(collation).toBe('C.UTF-8');
      const log = await warningsAtStart(url);
      expect(log).toContain('compares text with the collation \\"C.UTF-8\\"');
      expect(log).toContain("create it with LC_COLLATE 'C'");
    });
  });

  it('names an ICU collation', async () => {
    await withDatabase({ icuLocale: 'en-US' }, async (collation) => {
      expect(collation).toBe('en-US (ICU)');
    });
  });

  it('says nothing about a database in byte order', async () => {
    await withDatabase({ collate: 'C' }, async (collation, url) => {
      expect(collation).toBeUndefined();
      expect(await warningsAtStart(url)).not.toContain('collation');
    });
  });
});

describe('the database collation on SQLite', () => {
  it('is never in question', async () => {
    const opened = openDatabase('sqlite::memory:');
    expect(await linguisticCollation(opened.db)).toBeUndefined();
    await opened.close();
  });
});
