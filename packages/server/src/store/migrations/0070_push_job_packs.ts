import type { Kysely } from 'kysely';
import { isSqlite } from '../db.js';

// Packed push jobs (push/queue/sql-packs.ts): one `push_jobs` row may hold the jobs of one certificate from
// one fan-out page, so that a page costs one insert, lease and delete instead of one per device. `push_count`
// is how many unsettled jobs the row still holds (1 for an ordinary row; the counts of the console and CLI add
// it up), `pack_size` how many it was written with (a row settled in parts is told apart by the two). The
// packed tasks live in `push_job_packs`, written once: a lease rewrites the small `push_jobs` row only (SQLite
// rewrites a whole record, overflow pages included, on every UPDATE).
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('push_jobs')
    .addColumn('push_count', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .alterTable('push_jobs')
    .addColumn('pack_size', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createTable('push_job_packs')
    .addColumn('job_id', isSqlite(db) ? 'integer' : 'bigint', (c) => c.primaryKey())
    .addColumn('tasks', 'text', (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('push_job_packs').execute();
  await db.schema.alterTable('push_jobs').dropColumn('pack_size').execute();
  await db.schema.alterTable('push_jobs').dropColumn('push_count').execute();
}
