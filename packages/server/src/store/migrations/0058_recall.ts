import type { Kysely } from 'kysely';

// Message recall (messaging/recall.ts): a recalled message keeps its row as a tombstone (recalled_at) so
// that a second recall is answered "already recalled" and queued pushes of it are not sent; its inbox rows
// go. The indexes find a message by MsgKey (C2C) or by group and MsgSeq, and the pushes of a message.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('recalled_at', 'bigint').execute();
  await db.schema.createIndex('messages_by_key').on('messages').columns(['sdkappid', 'msg_key']).execute();
  await db.schema
    .createIndex('messages_by_group_seq')
    .on('messages')
    .columns(['sdkappid', 'group_id', 'msg_seq'])
    .execute();
  await db.schema
    .createIndex('push_traces_by_msg_key')
    .on('push_traces')
    .columns(['sdkappid', 'msg_key'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('push_traces_by_msg_key').execute();
  await db.schema.dropIndex('messages_by_group_seq').execute();
  await db.schema.dropIndex('messages_by_key').execute();
  await db.schema.alterTable('messages').dropColumn('recalled_at').execute();
}
