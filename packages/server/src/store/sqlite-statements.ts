// What Kysely's SQLite driver gets when it asks better-sqlite3 for a statement: a prepared statement kept per
// SQL text, and, for a statement that returns rows, rows built in JavaScript from better-sqlite3's arrays.
//
// - Kysely's driver prepares every query anew; at push rates preparing cost as much as running the statement
//   (bench/README.md). Reusing one is safe: Kysely runs one query at a time per connection.
// - better-sqlite3 builds each row object in C++, adding its columns one by one under names it looks up in
//   V8's string table for every row: on `openim/sendmsg` much of the main thread's time "in SQLite" was that
//   (bench/README.md "What limits it"). Asked for arrays (`raw`), it skips that work, and a function compiled
//   once per statement turns each array into an object literal of the statement's columns, which V8 creates
//   with one fixed shape. The rows are the same objects with the same values.
import type SqliteDatabase from 'better-sqlite3';
import type { SqliteDialectConfig, SqliteStatement } from 'kysely';

/** Prepared statements kept per SQL text (least recently used dropped first). */
const STATEMENT_CACHE_SIZE = 500;

export function cachedStatements(sqlite: SqliteDatabase.Database): SqliteDialectConfig['database'] {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (stmt) {
        cache.delete(sql); // re-inserted below: Map order is the recency order
      } else {
        stmt = statement(sqlite.prepare(sql));
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}

/** The statement as Kysely uses it: rows built from arrays for a statement that returns some. */
function statement(stmt: SqliteDatabase.Statement): SqliteStatement {
  if (!stmt.reader) return stmt;
  const toRow = rowBuilder(stmt.columns().map((c) => c.name));
  stmt.raw(true);
  return {
    reader: true,
    all(parameters) {
      const arrays = stmt.all(parameters) as unknown[][];
      const rows = new Array<unknown>(arrays.length);
      for (let i = 0; i < arrays.length; i++) rows[i] = toRow(arrays[i]!);
      return rows;
    },
    run: (parameters) => stmt.run(parameters),
    *iterate(parameters) {
      for (const values of stmt.iterate(parameters) as IterableIterator<unknown[]>) yield toRow(values);
    },
  };
}

/**
 * `(values) => ({ name0: values[0], name1: values[1], ... })` for these column names, compiled once. As in
 * better-sqlite3's own rows, a name that occurs twice keeps its last value. (The names are the statement's
 * columns and aliases, written by Pushline; JSON.stringify makes each one a string literal.)
 */
function rowBuilder(names: readonly string[]): (values: unknown[]) => unknown {
  const fields = names.map((name, i) => `${JSON.stringify(name)}: values[${i}]`).join(', ');
  return new Function('values', `return { ${fields} };`) as (values: unknown[]) => unknown;
}
