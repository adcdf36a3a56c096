// WAL checkpoints on their own thread (src/store/checkpointer.ts): the commits reach the database file without
// the main connection checkpointing, closing leaves a complete database, and a checkpoint thread that cannot
// run hands the checkpoints back to the main connection.
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { startCheckpointer } from '../../src/store/checkpointer.js';
import { openDatabase } from '../../src/store/db.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const scratch = () => {
  const d = mkdtempSync(join(tmpdir(), 'pushline-ckpt-'));
  dirs.push(d);
  return d;
};

/** Rows in table t of the database file alone, as if the WAL were lost: only checkpointed commits count. */
function rowsInDatabaseFile(file: string): number {
  const copy = `${file}.copy`;
  copyFileSync(file, copy);
  const db = new SqliteDatabase(copy, { readonly: true });
  try {
    const exists = db.prepare("select count(*) as n from sqlite_master where name = 't'").get() as {
      n: number;
    };
    if (exists.n === 0) return 0;
    return (db.prepare('select count(*) as n from t').get() as { n: number }).n;
  } finally {
    db.close();
    rmSync(copy, { force: true });
  }
}

describe('the SQLite checkpoint thread', () => {
  it('moves committed transactions into the database file while the main connection does not checkpoint', async () => {
    const file = join(scratch(), 'pushline.db');
    const opened = openDatabase(`sqlite:${file}`);
    const db = opened.db;
    try {
      // The main connection's own checkpoints start only at a long WAL (4,000 pages), once the thread is up.
      await expect
        .poll(
          async () =>
            (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db)).rows[0],
        )
        .toEqual({ wal_autocheckpoint: 4000 });
      await sql`create table t (id integer primary key, v text)`.execute(db);
      // 200 small commits: a few hundred WAL pages, far below the main connection's threshold.
      for (let i = 0; i < 200; i++)
        await db.transaction().execute((trx) => sql`insert into t (v) values (${`row ${i}`})`.execute(trx));
      await expect.poll(() => rowsInDatabaseFile(file), { timeout: 5000, interval: 50 }).toBe(200);
    } finally {
      await opened.close();
    }
  });

  it('leaves every commit in the database file, and no WAL, once closed', async () => {
    const file = join(scratch(), 'pushline.db');
    const opened = openDatabase(`sqlite:${file}`);
    await sql`create table t (id integer primary key, v text)`.execute(opened.db);
    for (let i = 0; i < 50; i++) await sql`insert into t (v) values (${i})`.execute(opened.db);
    await opened.close();
    expect(rowsInDatabaseFile(file)).toBe(50);
    expect(!existsSync(`${file}-wal`) || statSync(`${file}-wal`).size === 0).toBe(true);
  });

  it('hands the checkpoints back to the main connection when its thread cannot run', async () => {
    const dir = scratch();
    const sqlite = new SqliteDatabase(join(dir, 'main.db'));
    sqlite.pragma('journal_mode = WAL');
    try {
      const stopped = new Promise<Error | undefined>((resolve) => {
        // A file the thread cannot open: it stops at once.
        startCheckpointer(sqlite, join(dir, 'missing', 'nothing.db'), { onStopped: resolve });
      });
      expect(await stopped).toBeInstanceOf(Error);
      expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    } finally {
      sqlite.close();
    }
  });

  it('is not started for an in-memory database', async () => {
    const opened = openDatabase('sqlite::memory:');
    const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(opened.db);
    expect(rows[0]).toEqual({ wal_autocheckpoint: 1000 });
    await opened.close();
  });
});
