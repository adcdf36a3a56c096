import type { Kysely } from 'kysely';

// Message recall (messaging/recall.ts): a recalled message keeps its row as a tombstone (recalled_at) so
// that a second recall is answered "already recalled", queued pushes of it are not sent and the
// administrator's group history can show its MsgSeq as recalled; its inbox rows go. The index finds the
// pushes of a message, whose delivered notifications a recall retracts. (Messages are found by MsgKey or by
// group and MsgSeq through the indexes of 0060_history.)
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('recalled_at', 'bigint').execute();
  await db.schema
    .createIndex('push_traces_by_msg_key')
    .on('push_traces')
    .columns(['sdkappid', 'msg_key'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('push_traces_by_msg_key').execute();
  await db.schema.alterTable('messages').dropColumn('recalled_at').execute();
}
