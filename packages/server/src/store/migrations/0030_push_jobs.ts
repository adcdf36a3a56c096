import { type Kysely, sql } from 'kysely';
import { isSqlite } from '../db.js';

// The embedded push queue (push/queue/sql-queue.ts): one row per notification job. Settled jobs are deleted;
// dead letters and held jobs stay, told apart by `status`.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('push_jobs')
    .addColumn('id', isSqlite(db) ? 'integer' : 'bigserial', (c) =>
      isSqlite(db) ? c.primaryKey().autoIncrement() : c.primaryKey(),
    )
    .addColumn('push_id', 'text', (c) => c.notNull())
    .addColumn('sdkappid', 'bigint', (c) => c.notNull())
    .addColumn('certificate_id', 'bigint', (c) => c.notNull())
    .addColumn('group_key', 'text')
    .addColumn('task', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('queued'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_token', 'text')
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('last_answer', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('settled_at', 'bigint')
    .execute();
  // Leasing walks this index from the oldest due job.
  await db.schema
    .createIndex('push_jobs_due')
    .on('push_jobs')
    .columns(['next_attempt_at', 'id'])
    .where(sql.ref('status'), '=', 'queued')
    .execute();
  // Small partial indexes for the console and certificate resumes; queued rows (the hot path) skip them.
  await db.schema
    .createIndex('push_jobs_dead_by_app')
    .on('push_jobs')
    .columns(['sdkappid', 'id'])
    .where(sql.ref('status'), '=', 'dead')
    .execute();
  await db.schema
    .createIndex('push_jobs_held_by_certificate')
    .on('push_jobs')
    .columns(['certificate_id'])
    .where(sql.ref('status'), '=', 'held')
    .execute();
  if (!isSqlite(db)) {
    // A queue table churns: every row is inserted, updated and deleted within seconds. Vacuum and analyze it
    // far more often than the defaults (20% / 10% of the table) so dead rows and stale statistics do not
    // slow leasing down.
    await sql`alter table push_jobs set (autovacuum_vacuum_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.02)`.execute(
      db,
    );
  }
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('push_jobs').execute();
}
