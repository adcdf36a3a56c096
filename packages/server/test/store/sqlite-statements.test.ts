// The statements Kysely runs on SQLite (src/store/sqlite-statements.ts): reused per SQL text, and rows built
// from better-sqlite3's arrays that are the same as better-sqlite3's own rows — keys in column order, values,
// NULLs, blobs, a name that occurs twice, RETURNING — through Kysely as through the statement itself.
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { cachedStatements } from '../../src/store/sqlite-statements.js';

const sqlite = new SqliteDatabase(':memory:');
sqlite.exec(`
  create table t (id integer primary key, name text, score real, data blob, note text);
  insert into t (id, name, score, data, note) values
    (1, 'one', 1.5, x'00ff', null),
    (2, 'two', null, null, 'n');
`);
const statements = cachedStatements(sqlite);
// biome-ignore lint/suspicious/noExplicitAny: a schema-less test database
const db = new Kysely<any>({ dialect: new SqliteDialect({ database: statements }) });
afterAll(async () => {
  await db.destroy();
});

/** The rows as better-sqlite3 itself builds them, from a statement of its own. */
const ownRows = (sql: string, ...params: unknown[]) => sqlite.prepare(sql).all(...params);

describe('SQLite statements', () => {
  it.each([
    ['select * from t order by id', []],
    ['select name, id, name as again from t where id > ? order by id desc', [0]],
    ['select id, note as id from t order by id', []], // a name twice: the last column's value
    ['select count(*), sum(score), group_concat(name) from t', []],
    ['select * from t where id = ?', [99]],
  ])('builds the rows better-sqlite3 builds: %s', async (sql, params) => {
    const { rows } = await db.executeQuery(CompiledQuery.raw(sql, params));
    expect(rows).toEqual(ownRows(sql, ...params));
    for (const [i, row] of rows.entries())
      expect(Object.keys(row as object)).toEqual(Object.keys(ownRows(sql, ...params)[i] as object));
  });

  it('returns RETURNING rows and runs statements without rows', async () => {
    const inserted = await db.executeQuery(
      CompiledQuery.raw("insert into t (id, name) values (3, 'three') returning id, name", []),
    );
    expect(inserted.rows).toEqual([{ id: 3, name: 'three' }]);
    const updated = await db.executeQuery(CompiledQuery.raw("update t set note = 'x' where id >= ?", [2]));
    expect(updated.numAffectedRows).toBe(2n);
    expect(ownRows('select note from t where id >= 2 order by id')).toEqual([{ note: 'x' }, { note: 'x' }]);
  });

  it('streams rows the same way', async () => {
    const streamed: unknown[] = [];
    for await (const row of db.selectFrom('t').select(['id', 'name']).orderBy('id').stream())
      streamed.push(row);
    expect(streamed).toEqual(ownRows('select id, name from t order by id'));
  });

  it('prepares a statement once per SQL text', () => {
    const sql = 'select id from t where id = ?';
    expect(statements.prepare(sql)).toBe(statements.prepare(sql));
  });
});
