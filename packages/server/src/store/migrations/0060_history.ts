import type { Kysely } from 'kysely';

// Message history and edits over the REST API (http/v4/history.ts): group history and modify_group_msg find
// a group's messages by MsgSeq, modify_c2c_msg finds a one-to-one message by MsgKey.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('messages_by_group_seq')
    .on('messages')
    .columns(['sdkappid', 'group_id', 'msg_seq'])
    .execute();
  await db.schema.createIndex('messages_by_key').on('messages').columns(['sdkappid', 'msg_key']).execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('messages_by_key').execute();
  await db.schema.dropIndex('messages_by_group_seq').execute();
}
