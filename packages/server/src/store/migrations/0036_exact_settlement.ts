import { type Kysely, sql } from 'kysely';
import { isSqlite } from '../db.js';

// Exact settlement and prompt recovery (docs/delivery.md "Settlement" and "Recovery"):
// - a lease names the node that holds it (`push_jobs.lease_owner`), so a node restarted on the same data, or
//   the survivors of a node that died, can take its jobs back at once instead of after the visibility timeout;
// - `push_nodes` is the liveness table those nodes read: each node refreshes `alive_until` while it runs;
// - a vendor answer is recorded once per push and attempt: the unique (push_id, attempt) index lets a
//   settlement that is replayed after a crash (the Redis queue settles after the database commit) insert
//   nothing twice. It replaces the plain push_id index, which its first column serves as well.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('push_jobs').addColumn('lease_owner', 'text').execute();

  await db.schema
    .createTable('push_nodes')
    .addColumn('node_id', 'text', (c) => c.primaryKey())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('alive_until', 'bigint', (c) => c.notNull())
    .execute();

  // Earlier versions could record one answer twice after a crash; keep the first of each pair.
  await sql`
    delete from push_trace_events
    where attempt is not null and id not in (
      select min(id) from push_trace_events where attempt is not null group by push_id, attempt
    )`.execute(db);
  await db.schema
    .createIndex('push_trace_events_by_push_attempt')
    .on('push_trace_events')
    .columns(['push_id', 'attempt'])
    .unique()
    .execute();
  await db.schema.dropIndex('push_trace_events_by_push').execute();
  if (!isSqlite(db)) await sql`analyze push_trace_events`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('push_trace_events_by_push')
    .on('push_trace_events')
    .column('push_id')
    .execute();
  await db.schema.dropIndex('push_trace_events_by_push_attempt').execute();
  await db.schema.dropTable('push_nodes').execute();
  await db.schema.alterTable('push_jobs').dropColumn('lease_owner').execute();
}
