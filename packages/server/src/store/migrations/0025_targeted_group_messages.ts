import type { Kysely } from 'kysely';

// Targeted group messages (send_group_msg `To_Account`, SDK `receiverList`): the members a group message
// was meant for, so that nothing that lists a group's messages shows it to the others. Null = the whole group.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('receivers', 'text').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').dropColumn('receivers').execute();
}
