import type { Kysely } from 'kysely';

// Which live nodes can read packed push jobs (migration 0070, push/queue/sql-packs.ts). A node of an earlier
// version inserts its `push_nodes` row without this column and so says 0; while such a node is alive, the
// others write one row per job (push/dispatch/nodes.ts), so that a cluster upgraded one node at a time never
// hands a packed row to a node that would take it for a single job.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('push_nodes')
    .addColumn('reads_packed_jobs', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('push_nodes').dropColumn('reads_packed_jobs').execute();
}
