import type { Kysely } from 'kysely';

// The sender's own clock for messages sent through Tencent's client SDK (`MsgClientTime`, UNIX seconds):
// that SDK names a message `<sender TinyID>-<client time>-<random>`, so history and pushes must give the
// client time back for the sender's devices to recognise their own messages. Null for every other source.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('client_time', 'bigint').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').dropColumn('client_time').execute();
}
