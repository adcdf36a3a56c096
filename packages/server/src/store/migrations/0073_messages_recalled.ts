import { type Kysely, sql } from 'kysely';

// The dispatcher asks, for every batch of chat pushes (and their settlement again), which of their messages
// were recalled (messaging/recall.ts recalledMessages: `recalled_at is not null`). Through the MsgKey index
// each key's message row had to be read to find it was not recalled; recalled messages are few, so an index
// of those alone answers most batches without reading a row (bench/README.md "What limits it", 2026-12-06
// fifth session: 10.7 → 4.8 µs per call of three keys on 200,000 messages; 13.4 → 10.3 µs per call in
// scenario 3). Written only when a message is recalled.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('messages_recalled')
    .on('messages')
    .columns(['sdkappid', 'msg_key'])
    .where(sql.ref('recalled_at'), 'is not', null)
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('messages_recalled').execute();
}
