// Statements on the send path whose text never changes, written with Kysely as everywhere else but built and
// compiled once: Kysely builds, freezes and compiles a statement's tree on every call, and the SQLite driver
// then looks its prepared statement up by a freshly built SQL string. On `openim/sendmsg` that was a tenth of
// the CPU of a message (bench/README.md "What limits it").
//
// How: the first call builds the statement with a marker in place of each value and compiles it; the marker
// positions in the compiled parameter list are remembered, and every later call runs the same SQL text with
// the values put where the markers were. Only for statements whose shape does not depend on the values (no
// `in (...)` lists of varying length, no conditional clauses): `reuse` refuses a build whose parameters do
// not hold every marker exactly where a value goes. A list of values is one parameter instead
// (store/bulk.ts `listParam` for the value, `inList` in the statement).
import { type Compilable, CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import { isSqlite } from './db.js';

const MARKER = '\u0000pushline-value-';

/** Where a compiled parameter's value comes from: a value, or one property of a row value. */
type Slot = { value: number; key?: string } | undefined;

interface Compiled {
  sql: string;
  /** Per compiled parameter: where its value comes from; undefined for a constant of the statement. */
  slots: Slot[];
  constants: readonly unknown[];
}

/**
 * Wraps a statement builder taking `values` into a function that runs the statement with new values without
 * building it again (one compiled form per dialect). A value may be a row object (for `.values(row)`): each
 * of its properties is then a parameter, and every call must pass the same properties (`undefined` is bound
 * as NULL, where Kysely would have left the column out).
 */
export function reuse<A extends readonly unknown[], R>(
  // biome-ignore lint/suspicious/noExplicitAny: works on any schema
  build: (db: Kysely<any>, ...values: A) => Compilable<R>,
  // biome-ignore lint/suspicious/noExplicitAny: see above
): (db: Kysely<any>, ...values: A) => Promise<QueryResult<R>> {
  const byDialect = new Map<boolean, Compiled>();
  return (db, ...values) => {
    const sqlite = isSqlite(db);
    let compiled = byDialect.get(sqlite);
    if (!compiled) {
      compiled = compileWithMarkers(db, build, values);
      byDialect.set(sqlite, compiled);
    }
    const { slots, constants } = compiled;
    const params = new Array<unknown>(slots.length);
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i];
      if (slot === undefined) {
        params[i] = constants[i];
        continue;
      }
      const v = values[slot.value];
      params[i] = (slot.key === undefined ? v : (v as Record<string, unknown>)[slot.key]) ?? null;
    }
    return db.executeQuery<R>(CompiledQuery.raw(compiled.sql, params));
  };
}

function isRow(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function compileWithMarkers<A extends readonly unknown[], R>(
  // biome-ignore lint/suspicious/noExplicitAny: see reuse()
  db: Kysely<any>,
  // biome-ignore lint/suspicious/noExplicitAny: see reuse()
  build: (db: Kysely<any>, ...values: A) => Compilable<R>,
  sample: A,
): Compiled {
  const expected = new Set<string>();
  const markers = sample.map((v, i) => {
    if (!isRow(v)) {
      expected.add(`${i}`);
      return `${MARKER}${i}`;
    }
    return Object.fromEntries(
      Object.keys(v).map((key) => {
        expected.add(`${i}.${key}`);
        return [key, `${MARKER}${i}.${key}`];
      }),
    );
  }) as unknown as A;
  const query = build(db, ...markers).compile();
  const seen = new Set<string>();
  const slots = query.parameters.map((p): Slot => {
    if (typeof p !== 'string' || !p.startsWith(MARKER)) return undefined;
    const ref = p.slice(MARKER.length);
    seen.add(ref);
    const dot = ref.indexOf('.');
    return dot < 0 ? { value: Number(ref) } : { value: Number(ref.slice(0, dot)), key: ref.slice(dot + 1) };
  });
  if (seen.size !== expected.size || query.sql.includes(MARKER)) {
    // A value that became part of the SQL text, or was dropped: this statement cannot be reused as is.
    throw new Error(`reuse(): the statement does not take each of its values as a parameter`);
  }
  return { sql: query.sql, slots, constants: query.parameters };
}
