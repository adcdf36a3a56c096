import type { Kysely } from 'kysely';

// The console's push records page lists an app's traces newest first, optionally for one user: without
// these indexes every page would scan all apps' traces of the last 7 days.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('push_traces_by_app_time')
    .on('push_traces')
    .columns(['sdkappid', 'created_at'])
    .execute();
  await db.schema
    .createIndex('push_traces_by_app_user_time')
    .on('push_traces')
    .columns(['sdkappid', 'to_user', 'created_at'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('push_traces_by_app_user_time').execute();
  await db.schema.dropIndex('push_traces_by_app_time').execute();
}
