import { type Kysely, sql } from 'kysely';
import { isSqlite } from '../db.js';

// PostgreSQL compresses a large text value before it stores it. A packed row's tasks (push/queue/sql-packs.ts)
// are the JSON of up to 500 pushes, ~120 KB, written once and read once: with PostgreSQL's default method
// (pglz) the insert of one such pack took ~1.1 ms of the database's CPU, ~2 µs per push; with lz4, 0.2 ms
// (bench/README.md "What limits it", 2026-12-06 sixth session). lz4 exists from PostgreSQL 14 when the server
// was built with it (the PostgreSQL packages of Debian, Ubuntu, the official Docker images and the main cloud
// services are); elsewhere the column keeps the server's default. Packs written before keep theirs: values
// are read whichever way they were stored. SQLite stores text as it is: nothing to do.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  if (isSqlite(db) || !(await lz4Available(db))) return;
  await sql`alter table push_job_packs alter column tasks set compression lz4`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  if (isSqlite(db) || !(await lz4Available(db))) return;
  await sql`alter table push_job_packs alter column tasks set compression default`.execute(db);
}

/** Whether this PostgreSQL server can compress with lz4 (the setting's choices list it). */
// biome-ignore lint/suspicious/noExplicitAny: see up()
async function lz4Available(db: Kysely<any>): Promise<boolean> {
  const { rows } = await sql<{ lz4: boolean }>`
    select coalesce(bool_or('lz4' = any(enumvals)), false) as lz4
    from pg_settings where name = 'default_toast_compression'`.execute(db);
  return rows[0]?.lz4 === true;
}
