// Long reads on a worker thread (src/store/read-worker.ts): they see what the main connection committed, the
// main thread runs on while one is in the worker, writes and transactions are refused, and a worker that
// cannot open the file hands its reads to the main connection.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { longReads } from '../../src/store/read-worker.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function scratchDatabase() {
  const dir = mkdtempSync(join(tmpdir(), 'pushline-reads-'));
  const file = join(dir, 'pushline.db');
  const opened = openDatabase(`sqlite:${file}`);
  cleanups.push(async () => {
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { file, opened };
}

// biome-ignore lint/suspicious/noExplicitAny: a scratch table outside the schema
const untyped = (db: Kysely<any>) => db;

describe('long reads on SQLite', () => {
  it('see what the main connection committed, and the main thread runs on while one is in the worker', async () => {
    const { file, opened } = scratchDatabase();
    await sql`create table t (n integer)`.execute(opened.db);
    await untyped(opened.db)
      .insertInto('t')
      .values([{ n: 1 }, { n: 2 }, { n: 3 }])
      .execute();
    const reads = longReads(file, opened.db);
    cleanups.unshift(() => reads.stop());
    const sum = await sql<{ s: number }>`select sum(n) as s from t where n > ${1}`.execute(reads.db);
    expect(sum.rows).toEqual([{ s: 5 }]);
    expect(reads.answered).toBe(1);

    // A read that walks two million rows: a timer set after it was asked fires before it answers. On the main
    // connection better-sqlite3 would hold the thread until the read's end, and the timer would come after.
    const order: string[] = [];
    const slow = sql<{
      n: number;
    }>`with recursive s(i) as (select 1 union all select i + 1 from s where i < 2000000)
      select count(*) as n from s`
      .execute(reads.db)
      .then((r) => order.push(`read ${r.rows[0]?.n}`));
    await new Promise<void>((resolve) =>
      setTimeout(() => {
        order.push('timer');
        resolve();
      }, 0),
    );
    await slow;
    expect(order).toEqual(['timer', 'read 2000000']);
  });

  it('refuses writes and transactions, and leaves the database as it was', async () => {
    const { file, opened } = scratchDatabase();
    await sql`create table t (n integer)`.execute(opened.db);
    const reads = longReads(file, opened.db);
    cleanups.unshift(() => reads.stop());
    await expect(untyped(reads.db).insertInto('t').values({ n: 1 }).execute()).rejects.toThrow(/not a read/);
    await expect(reads.db.transaction().execute(async () => 1)).rejects.toThrow(/no transactions/);
    const count = await sql<{ n: number }>`select count(*) as n from t`.execute(opened.db);
    expect(count.rows).toEqual([{ n: 0 }]);
    // A bad read is the caller's error, not the worker's end: the next read is answered by the worker.
    await expect(sql`select x from nowhere`.execute(reads.db)).rejects.toThrow(/no such table/);
    await sql`select 1`.execute(reads.db);
    expect(reads.answered).toBe(1);
  });

  it('runs the reads on the main connection when the worker cannot open the file', async () => {
    const { opened } = scratchDatabase();
    await sql`create table t (n integer)`.execute(opened.db);
    await untyped(opened.db).insertInto('t').values({ n: 7 }).execute();
    const stopped: Error[] = [];
    const reads = longReads('/nonexistent/pushline.db', opened.db, (err) => stopped.push(err));
    cleanups.unshift(() => reads.stop());
    const first = await sql<{ n: number }>`select n from t`.execute(reads.db);
    expect(first.rows).toEqual([{ n: 7 }]);
    expect(stopped).toHaveLength(1);
    const second = await sql<{ n: number }>`select n from t`.execute(reads.db);
    expect(second.rows).toEqual([{ n: 7 }]);
    expect(reads.answered).toBe(0);
  });
});
