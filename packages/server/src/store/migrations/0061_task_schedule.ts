import type { Kysely } from 'kysely';

// Push tasks scheduled for later (the console's composer): `start_at` (UNIX ms) holds a queued task until
// then. The fan-out engine waits for it, also when it finds the task again at startup, so a scheduled task
// survives a restart. Null: start at once, as before.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('push_tasks').addColumn('start_at', 'bigint').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('push_tasks').dropColumn('start_at').execute();
}
