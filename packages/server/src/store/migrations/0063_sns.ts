import type { Kysely } from 'kysely';

// The relationship chain (sns/*), global mutes (openconfigsvr/*) and pinned conversations (recentcontact/*):
// docs/internals/tencent-im.md#relationship-chain. Friendships are one row per direction (A's list holds B);
// a blocklist row means `user_id` blocked `blocked_id`; sns_sequences counts changes of a user's friend list
// and blocklist (friend_get's StandardSequence, black_list_get's CurruentSequence); a mute holds its end as
// UNIX ms (0 = none). A conversation's `pinned_at` (UNIX ms, 0 = not pinned) is recentcontact/top's flag.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sns_friends')
    .addColumn('sdkappid', 'bigint', (c) => c.notNull().references('apps.sdkappid').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('friend_id', 'text', (c) => c.notNull())
    .addColumn('remark', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('remark_time', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('group_names', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('add_source', 'text', (c) => c.notNull())
    .addColumn('add_wording', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('add_time', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sns_friends_pk', ['sdkappid', 'user_id', 'friend_id'])
    .execute();
  await db.schema
    .createIndex('sns_friends_reverse')
    .on('sns_friends')
    .columns(['sdkappid', 'friend_id'])
    .execute();
  await db.schema
    .createTable('sns_blocklist')
    .addColumn('sdkappid', 'bigint', (c) => c.notNull().references('apps.sdkappid').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('blocked_id', 'text', (c) => c.notNull())
    .addColumn('added_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sns_blocklist_pk', ['sdkappid', 'user_id', 'blocked_id'])
    .execute();
  await db.schema
    .createIndex('sns_blocklist_reverse')
    .on('sns_blocklist')
    .columns(['sdkappid', 'blocked_id'])
    .execute();
  await db.schema
    .createTable('sns_sequences')
    .addColumn('sdkappid', 'bigint', (c) => c.notNull().references('apps.sdkappid').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('friend_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('black_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('sns_sequences_pk', ['sdkappid', 'user_id'])
    .execute();
  await db.schema
    .createTable('account_mutes')
    .addColumn('sdkappid', 'bigint', (c) => c.notNull().references('apps.sdkappid').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('c2c_until', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('group_until', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('account_mutes_pk', ['sdkappid', 'user_id'])
    .execute();
  await db.schema
    .alterTable('conversations')
    .addColumn('pinned_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('conversations').dropColumn('pinned_at').execute();
  await db.schema.dropTable('account_mutes').execute();
  await db.schema.dropTable('sns_sequences').execute();
  await db.schema.dropTable('sns_blocklist').execute();
  await db.schema.dropTable('sns_friends').execute();
}
