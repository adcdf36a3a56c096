import type { Kysely } from 'kysely';

// The edit version of a stored message (Tencent's MsgVersion): 0 until the message is edited, one more after
// each edit. Tencent's client SDK edits "from" the version it holds and is refused when another edit came
// first (messaging/history.ts modify).
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('messages')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').dropColumn('version').execute();
}
