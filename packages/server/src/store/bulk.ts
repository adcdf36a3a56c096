// Bulk statements on the hot paths (push jobs, push traces, fan-out pages), two ways:
// - `withValues`: a `VALUES (?, ?), (?, ?)...` list with plain placeholders, the statement text built here
//   and cached per row count and run as a compiled query: no query builder work per row, and SQLite reuses
//   the prepared statement. The cheapest way from one row to a few thousand.
// - `rowsTable` / `idIn` / `textIn`: the whole batch as ONE JSON or array parameter, for statements whose
//   text must not depend on the batch size (UPDATE ... FROM a batch of per-row values).
import { CompiledQuery, type Kysely, type RawBuilder, sql } from 'kysely';
import { isSqlite } from './db.js';

/** Parameters per statement: under SQLite's 32766 and PostgreSQL's 65535. */
const MAX_PARAMS = 30_000;
/** Statement texts kept (each row count of each statement is one). */
const TEXT_CACHE_SIZE = 256;
const texts = new Map<string, string>();

export interface ValuesStatement {
  /** Names the statement in the text cache. */
  key: string;
  /** The statement around its VALUES list (`values (...), (...)` is passed in), with `?` placeholders. */
  text: (values: string) => string;
  /** Parameters before and after the VALUES list's. */
  before?: readonly unknown[];
  after?: readonly unknown[];
  /**
   * The rows' column types. With them, PostgreSQL gets the rows as one array per column instead of a VALUES
   * list (`select * from unnest($1::text[], ...)`): one statement text for every row count, and a parse
   * and bind that do not grow with it (a 500-row VALUES list of 14 columns is 7,000 parameters to parse,
   * bind and plan on every call). Only where the rows are read as a set: the order of RETURNING rows is not
   * the rows' order.
   */
  columnTypes?: readonly ColumnType[];
}

/**
 * Runs `statement` with `rows` (arrays of `width` values each) in its VALUES list, in chunks that stay under
 * the databases' parameter limits; returns the rows the statement returns, in chunk order.
 */
export async function withValues<R>(
  // biome-ignore lint/suspicious/noExplicitAny: works on any schema
  db: Kysely<any>,
  statement: ValuesStatement,
  width: number,
  rows: readonly (readonly unknown[])[],
): Promise<R[]> {
  const sqlite = isSqlite(db);
  if (!sqlite && statement.columnTypes) return withColumnArrays(db, statement, statement.columnTypes, rows);
  const fixed = (statement.before?.length ?? 0) + (statement.after?.length ?? 0);
  const perChunk = Math.max(1, Math.floor((MAX_PARAMS - fixed) / width));
  const out: R[] = [];
  for (let i = 0; i < rows.length; i += perChunk) {
    const part = rows.slice(i, i + perChunk);
    const params: unknown[] = [...(statement.before ?? [])];
    for (const row of part) for (const v of row) params.push(v);
    params.push(...(statement.after ?? []));
    const result = await db.executeQuery<R>(
      CompiledQuery.raw(statementText(sqlite, statement, width, part.length), params),
    );
    out.push(...result.rows);
  }
  return out;
}

async function withColumnArrays<R>(
  // biome-ignore lint/suspicious/noExplicitAny: works on any schema
  db: Kysely<any>,
  statement: ValuesStatement,
  types: readonly ColumnType[],
  rows: readonly (readonly unknown[])[],
): Promise<R[]> {
  const key = `p|${statement.key}|unnest`;
  let text = texts.get(key);
  if (text === undefined) {
    const arrays = types.map((t) => `cast(? as ${t}[])`).join(', ');
    let n = 0;
    text = statement.text(`select * from unnest(${arrays})`).replace(/\?/g, () => `$${++n}`);
    texts.set(key, text);
  }
  const columns = types.map((_, i) => arrayLiteral(rows, i));
  const params = [...(statement.before ?? []), ...columns, ...(statement.after ?? [])];
  const result = await db.executeQuery<R>(CompiledQuery.raw(text, params));
  return result.rows;
}

const QUOTE_OR_BACKSLASH = /["\\]/;
const QUOTES_AND_BACKSLASHES = /["\\]/g;

/**
 * Column `column` of `rows` as a PostgreSQL array literal (`{"a","b\\"c",NULL,3}`), the text the driver would
 * send for a JS array. Built here because the driver escapes every element with two regular expressions
 * and a function call or two: ~4 µs per pushed device over a trace row and an answer in scenario 6's profile
 * (bench/README.md). Text is quoted, with `"` and `\` escaped; numbers go as they are.
 */
export function arrayLiteral(rows: readonly (readonly unknown[])[], column: number): string {
  let out = '{';
  for (let r = 0; r < rows.length; r++) {
    if (r > 0) out += ',';
    const v = (rows[r] as readonly unknown[])[column];
    if (v === null || v === undefined) out += 'NULL';
    else if (typeof v === 'string')
      out += QUOTE_OR_BACKSLASH.test(v) ? `"${v.replace(QUOTES_AND_BACKSLASHES, '\\$&')}"` : `"${v}"`;
    else if (typeof v === 'number' || typeof v === 'bigint') out += String(v);
    else throw new TypeError(`bulk rows hold text and numbers, not ${typeof v} (column ${column})`);
  }
  return `${out}}`;
}

function statementText(sqlite: boolean, statement: ValuesStatement, width: number, count: number): string {
  const key = `${sqlite ? 's' : 'p'}|${statement.key}|${width}|${count}`;
  let text = texts.get(key);
  if (text === undefined) {
    const row = `(${new Array(width).fill('?').join(',')})`;
    text = statement.text(`values ${new Array(count).fill(row).join(',')}`);
    if (!sqlite) {
      let n = 0;
      text = text.replace(/\?/g, () => `$${++n}`);
    }
    if (texts.size >= TEXT_CACHE_SIZE) texts.delete(texts.keys().next().value as string);
    texts.set(key, text);
  }
  return text;
}

export type ColumnType = 'bigint' | 'integer' | 'text';

/**
 * A derived table `(select ...) as <alias>` with the given columns, holding `rows` (one array per row,
 * values in the order of `columns`). Use it in FROM clauses or as an INSERT's source.
 */
export function rowsTable(
  sqlite: boolean,
  alias: string,
  columns: readonly (readonly [name: string, type: ColumnType])[],
  rows: readonly (readonly unknown[])[],
): RawBuilder<unknown> {
  const json = JSON.stringify(rows);
  const source = sqlite ? sql`json_each(${json})` : sql`json_array_elements(cast(${json} as json))`;
  const picks = sql.join(
    columns.map(
      ([name, type], i) => sql`cast(value ->> ${sql.lit(i)} as ${sql.raw(type)}) as ${sql.id(name)}`,
    ),
  );
  return sql`(select ${picks} from ${source}) as ${sql.id(alias)}`;
}

/** `<column> in <values>` for text values, as one JSON (SQLite) or array (PostgreSQL) parameter. */
export function textIn(sqlite: boolean, column: string, values: readonly string[]): RawBuilder<boolean> {
  return inList(sqlite, column, listParam(sqlite, values), 'text');
}

/**
 * `<column> in <ids>`. On PostgreSQL `= any(array)` gives the planner the ID count, so it looks the rows up
 * by primary key rather than scanning the table.
 */
export function idIn(sqlite: boolean, column: string, ids: readonly number[]): RawBuilder<boolean> {
  return inList(sqlite, column, listParam(sqlite, ids), 'bigint');
}

/**
 * A list of values as one parameter: a JSON array (SQLite, read with `json_each`), the array itself
 * (PostgreSQL). With `inList`, a statement's text stays the same whatever the number of values, so a
 * statement built once (store/compiled.ts `reuse`) can take a list: pass `listParam(...)` as the value.
 */
export function listParam(sqlite: boolean, values: readonly unknown[]): unknown {
  return sqlite ? JSON.stringify(values) : values;
}

/** `<column> in <list>`, the list being one parameter made by `listParam`. */
export function inList(
  sqlite: boolean,
  column: string,
  list: unknown,
  type: 'bigint' | 'text',
): RawBuilder<boolean> {
  return sqlite
    ? sql<boolean>`${sql.ref(column)} in (select value from json_each(${list}))`
    : sql<boolean>`${sql.ref(column)} = any(cast(${list} as ${sql.raw(type)}[]))`;
}
