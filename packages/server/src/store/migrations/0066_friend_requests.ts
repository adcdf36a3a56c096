import type { Kysely } from 'kysely';

// Pending friend requests (sns/friend-requests.ts): `from_id` asked `to_id`, whose AllowType needs
// confirmation, to become friends. One pending request per direction; a newer request replaces it.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sns_friend_requests')
    .addColumn('sdkappid', 'bigint', (c) => c.notNull())
    .addColumn('from_id', 'text', (c) => c.notNull())
    .addColumn('to_id', 'text', (c) => c.notNull())
    /** 1: the requester asked for both lists (Add_Type_Both), 0: its own list only. */
    .addColumn('both', 'integer', (c) => c.notNull())
    .addColumn('remark', 'text', (c) => c.notNull())
    .addColumn('group_name', 'text', (c) => c.notNull())
    .addColumn('add_source', 'text', (c) => c.notNull())
    .addColumn('add_wording', 'text', (c) => c.notNull())
    /** UNIX seconds. */
    .addColumn('add_time', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sns_friend_requests_pk', ['sdkappid', 'from_id', 'to_id'])
    .execute();
  await db.schema
    .createIndex('sns_friend_requests_to')
    .on('sns_friend_requests')
    .columns(['sdkappid', 'to_id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sns_friend_requests').execute();
}
