import type { Kysely } from 'kysely';

// Push tasks: one row per all-member/tag/attribute push and per timpush/batch request, with the request to
// replay, the audience cursor (so a task resumes after a crash) and its progress counters.

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('push_tasks')
    .addColumn('task_id', 'text', (c) => c.primaryKey())
    .addColumn('sdkappid', 'bigint', (c) => c.notNull().references('apps.sdkappid').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('command', 'text', (c) => c.notNull())
    .addColumn('msg_random', 'bigint', (c) => c.notNull())
    // "<command>:<MsgRandom>" while the task dedups repeats (7 days), else null; unique per app.
    .addColumn('dedup_key', 'text')
    .addColumn('data_id', 'text')
    .addColumn('audience', 'text')
    .addColumn('request', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('audience_total', 'bigint')
    .addColumn('enqueued', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('sent', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('failed', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('cursor', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('push_tasks_dedup')
    .unique()
    .on('push_tasks')
    .columns(['sdkappid', 'dedup_key'])
    .execute();
  // Listing an app's tasks newest first, paged by (created_at, task_id).
  await db.schema
    .createIndex('push_tasks_by_app')
    .on('push_tasks')
    .columns(['sdkappid', 'created_at', 'task_id'])
    .execute();
  // Finding unfinished tasks at startup.
  await db.schema.createIndex('push_tasks_by_status').on('push_tasks').columns(['status']).execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('push_tasks').execute();
}
