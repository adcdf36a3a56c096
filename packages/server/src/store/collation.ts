// PostgreSQL compares text in an index with the database's collation. Pushline's keys (UserIDs, instance IDs,
// PushIDs, task IDs, MsgKeys, tokens) are opaque identifiers, and under any collation but byte order ('C',
// 'POSIX') each comparison goes through the C library's strcoll on copies of both strings (or through ICU) — many times per
// index entry written or looked up: 100,000 push trace rows took 0.55 s to insert in byte order, 0.68–0.73 s
// with 'C.UTF-8' (which PostgreSQL 15 does not treat as byte order) and 0.79–0.84 s with ICU's 'en-US'
// (bench/README.md "What limits it", 2026-12-06 sixth session). docs/deployment.md says how to create the
// database so.
import { type Kysely, sql } from 'kysely';
import { isSqlite } from './db.js';

/**
 * The database's collation when it is not byte order; undefined for 'C', 'POSIX', PostgreSQL 17's builtin
 * provider (code point order) and SQLite.
 */
// biome-ignore lint/suspicious/noExplicitAny: works on any schema
export async function linguisticCollation(db: Kysely<any>): Promise<string | undefined> {
  if (isSqlite(db)) return undefined;
  // The whole row as JSON: the provider's columns differ between versions (datlocprovider from 15,
  // daticulocale in 15–16, datlocale from 17).
  const { rows } = await sql<{ row: Record<string, string | null> }>`
    select to_jsonb(d) as row from pg_database d where datname = current_database()`.execute(db);
  const row = rows[0]?.row;
  if (!row) return undefined;
  if (row.datlocprovider === 'b') return undefined;
  if (row.datlocprovider === 'i') return `${row.datlocale ?? row.daticulocale ?? 'und'} (ICU)`;
  const collation = row.datcollate ?? undefined;
  return collation === undefined || collation === 'C' || collation === 'POSIX' ? undefined : collation;
}

/** The warning logged at start when `linguisticCollation` found one. */
export function collationWarning(collation: string): string {
  return (
    `the PostgreSQL database compares text with the collation "${collation}": every index lookup of an ID ` +
    "costs more than with byte order; for a new database, create it with LC_COLLATE 'C' " +
    '(docs/deployment.md, "PostgreSQL")'
  );
}
