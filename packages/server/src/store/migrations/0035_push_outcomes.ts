import { type Kysely, sql } from 'kysely';
import { isSqlite } from '../db.js';

// Push outcomes: one trace row per push, its stage events, hourly counters and the webhook outbox.
// No foreign key to apps: these tables take ~20k rows/s and are emptied by the retention job.

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = isSqlite(db);
  const autoId = sqlite ? 'integer' : 'bigserial';

  await db.schema
    .createTable('push_traces')
    .addColumn('push_id', 'text', (c) => c.primaryKey())
    .addColumn('sdkappid', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('msg_key', 'text')
    .addColumn('task_id', 'text')
    .addColumn('from_user', 'text')
    .addColumn('to_user', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text')
    .addColumn('instance_id', 'text')
    .addColumn('vendor', 'text')
    .addColumn('certificate_id', 'bigint')
    .addColumn('token_suffix', 'text')
    .addColumn('skip_reason', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('push_traces_by_time').on('push_traces').column('created_at').execute();
  await db.schema
    .createIndex('push_traces_by_task')
    .on('push_traces')
    .columns(['sdkappid', 'task_id', 'to_user'])
    .where(sql.ref('task_id'), 'is not', null)
    .execute();

  await db.schema
    .createTable('push_trace_events')
    .addColumn('id', autoId, (c) => (sqlite ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('push_id', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('attempt', 'integer')
    .addColumn('code', 'text')
    .addColumn('info', 'text')
    .addColumn('vendor_msg_id', 'text')
    .addColumn('latency_ms', 'integer')
    .execute();
  await db.schema
    .createIndex('push_trace_events_by_push')
    .on('push_trace_events')
    .column('push_id')
    .execute();
  await db.schema
    .createIndex('push_trace_events_by_vendor_msg')
    .on('push_trace_events')
    .column('vendor_msg_id')
    .where(sql.ref('vendor_msg_id'), 'is not', null)
    .execute();

  await db.schema
    .createTable('push_stats_hourly')
    .addColumn('sdkappid', 'bigint', (c) => c.notNull())
    /** UNIX seconds of the start of the hour (UTC). */
    .addColumn('hour', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('vendor', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('count', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('push_stats_hourly_pk', [
      'sdkappid',
      'hour',
      'kind',
      'task_id',
      'vendor',
      'outcome',
      'code',
    ])
    .execute();
  await db.schema.createIndex('push_stats_hourly_by_hour').on('push_stats_hourly').column('hour').execute();

  await db.schema
    .createTable('push_webhook_outbox')
    .addColumn('id', autoId, (c) => (sqlite ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('sdkappid', 'bigint', (c) => c.notNull())
    .addColumn('command', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('event_count', 'integer', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .execute();
  await db.schema
    .createIndex('push_webhook_outbox_due')
    .on('push_webhook_outbox')
    .column('next_at')
    .execute();
  await db.schema
    .createIndex('push_webhook_outbox_by_app')
    .on('push_webhook_outbox')
    .columns(['sdkappid', 'id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('push_webhook_outbox').execute();
  await db.schema.dropTable('push_stats_hourly').execute();
  await db.schema.dropTable('push_trace_events').execute();
  await db.schema.dropTable('push_traces').execute();
}
