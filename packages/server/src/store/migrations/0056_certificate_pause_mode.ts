import type { Kysely } from 'kysely';

// What a paused certificate does with the pushes of messages that keep arriving: `hold` (queued, sent on
// resume unless they expire first) or `discard` (not queued; queued ones dropped). Null while active.
// Certificates paused before this migration were paused with the old behaviour (new pushes skipped): they
// become `discard`, so nothing held appears on resume that the operator did not expect.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('certificates').addColumn('paused_mode', 'text').execute();
  await db
    .updateTable('certificates')
    .set({ paused_mode: 'discard' })
    .where('status', '=', 'paused')
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('certificates').dropColumn('paused_mode').execute();
}
