import { type Kysely, sql } from 'kysely';

// The push queue's two lanes (push/queue/lanes.ts): `broadcast` is 1 for a push task's jobs, 0 for every other
// push. A lease walks each lane's due jobs apart, the direct lane first, so the due index leads with the lane.
// Jobs queued before this migration: a packed row holds a fan-out page (only push tasks are packed), and an
// ordinary row's task names its push task.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('push_jobs')
    .addColumn('broadcast', 'smallint', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`update push_jobs set broadcast = 1 where pack_size > 1 or task like ${'%"taskId":%'}`.execute(db);
  await db.schema.dropIndex('push_jobs_due').execute();
  await db.schema
    .createIndex('push_jobs_due_by_lane')
    .on('push_jobs')
    .columns(['broadcast', 'next_attempt_at', 'id'])
    .where(sql.ref('status'), '=', 'queued')
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('push_jobs_due_by_lane').execute();
  // 0030's due index, as 0030 wrote it (written out here: a migration never imports another's code).
  await db.schema
    .createIndex('push_jobs_due')
    .on('push_jobs')
    .columns(['next_attempt_at', 'id'])
    .where(sql.ref('status'), '=', 'queued')
    .execute();
  await db.schema.alterTable('push_jobs').dropColumn('broadcast').execute();
}
