import type { Kysely } from 'kysely';

// Pending requests to join a group whose ApplyJoinOption is NeedPermission (messaging/group-join-requests.ts):
// one per (group, applicant), until an owner or admin accepts or refuses it.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('group_join_requests')
    .addColumn('sdkappid', 'bigint', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    /** UNIX seconds. */
    .addColumn('add_time', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_join_requests_pk', ['sdkappid', 'group_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('group_join_requests_user')
    .on('group_join_requests')
    .columns(['sdkappid', 'user_id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('group_join_requests').execute();
}
