// SQLite checkpoints on their own thread (store/checkpointer.ts): the writer's commits no longer copy the
// -wal file back into the database; the checkpoint thread does, while the writer keeps committing, and what
// was committed is in the database file for any new connection, after a clean close and without one.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { WRITER_CHECKPOINT_PAGES } from '../src/store/checkpointer.js';
import { type OpenedDatabase, openDatabase } from '../src/store/db.js';
import { waitUntil } from './helpers/simulators.js';

describe('SQLite checkpoint thread', () => {
  const dirs: string[] = [];
  const opened: OpenedDatabase[] = [];
  afterEach(async () => {
    for (const o of opened.splice(0)) await o.close().catch(() => {});
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  function open(): { file: string; database: OpenedDatabase } {
    const dir = mkdtempSync(join(tmpdir(), 'pushline-ckpt-'));
    dirs.push(dir);
    const file = join(dir, 'pushline.db');
    const database = openDatabase(`sqlite:${file}`);
    opened.push(database);
    return { file, database };
  }

  /** ~`pages` pages of rows, in transactions of 50 rows as the send path commits them. */
  async function write(database: OpenedDatabase, pages: number): Promise<void> {
    await sql`create table if not exists filler (id integer primary key, body text not null)`.execute(
      database.db,
    );
    const body = 'x'.repeat(1000);
    for (let t = 0; t < Math.ceil((pages * 4) / 50); t++) {
      await database.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 50; i++) await sql`insert into filler (body) values (${body})`.execute(trx);
      });
    }
  }

  it('copies committed pages into the database file from its own thread', async () => {
    const { file, database } = open();
    const pragma = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(database.db);
    // The writer checkpoints by itself only as a safety net, far above SQLite's 1,000 pages.
    expect(pragma.rows[0]?.wal_autocheckpoint).toBe(WRITER_CHECKPOINT_PAGES);
    const before = statSync(file).size;
    await write(database, 2_000);
    // 2,000 pages is below the writer's threshold: only the checkpoint thread can have grown the file.
    await waitUntil(() => statSync(file).size > before + 4 * 1024 * 1024, 'the pages in the database file');
    // Every committed row is there for another connection.
    const reader = new SqliteDatabase(file, { readonly: true });
    try {
      const { n } = reader.prepare('select count(*) as n from filler').get() as { n: number };
      expect(n).toBe(Math.ceil((2_000 * 4) / 50) * 50);
    } finally {
      reader.close();
    }
  });

  it('leaves no -wal file after a clean close, and loses nothing', async () => {
    const { file, database } = open();
    await write(database, 500);
    await database.close();
    opened.splice(opened.indexOf(database), 1);
    expect(() => statSync(`${file}-wal`)).toThrow();
    const reader = new SqliteDatabase(file, { readonly: true });
    try {
      const { n } = reader.prepare('select count(*) as n from filler').get() as { n: number };
      expect(n).toBe(Math.ceil((500 * 4) / 50) * 50);
    } finally {
      reader.close();
    }
  });
});
