// Bulk parameters for hot statements (the push queue, push traces, fan-out pages): a whole batch travels as
// ONE bound parameter, a JSON array read with json_each (SQLite) or json_array_elements / an array cast
// (PostgreSQL). The statement text stays small and constant whatever the batch size, far from SQLite's 32766
// and PostgreSQL's 65535 bound-parameter limits; neither side (nor the query builder) spends time on
// thousands of placeholders, and the prepared statement is reused.
import { type RawBuilder, sql } from 'kysely';

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
  return sqlite
    ? sql<boolean>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(values)}))`
    : sql<boolean>`${sql.ref(column)} = any(cast(${values} as text[]))`;
}

/**
 * `<column> in <ids>`. On PostgreSQL `= any(array)` gives the planner the ID count, so it looks the rows up
 * by primary key rather than scanning the table.
 */
export function idIn(sqlite: boolean, column: string, ids: readonly number[]): RawBuilder<boolean> {
  return sqlite
    ? sql<boolean>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(ids)}))`
    : sql<boolean>`${sql.ref(column)} = any(cast(${ids} as bigint[]))`;
}
