import { type Kysely, sql } from 'kysely';

// Every push writes a trace row, and every index of push_traces is one more entry to write for it (six until
// this migration). Two of them did work for nothing:
// - push_traces_by_msg_key held an entry for every push, also the task pushes (all-member, tag, batch pushes),
//   whose MsgKey is NULL; it is only ever searched by a MsgKey (a recall finds the pushes of its message), so
//   it now indexes chat pushes alone, like push_traces_by_task indexes task pushes alone;
// - push_traces_by_time (created_at alone) served only the retention job, which now walks the traces app by
//   app through push_traces_by_app_time (push/outcomes/retention.ts).
// PostgreSQL, 100,000 task-push rows inserted 500 at a time: 7.5 → 6.5 µs per row (bench/README.md "What
// limits it", 2026-12-06 sixth session).
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('push_traces_by_msg_key').execute();
  await db.schema
    .createIndex('push_traces_by_msg_key')
    .on('push_traces')
    .columns(['sdkappid', 'msg_key'])
    .where(sql.ref('msg_key'), 'is not', null)
    .execute();
  await db.schema.dropIndex('push_traces_by_time').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('push_traces_by_time').on('push_traces').column('created_at').execute();
  await db.schema.dropIndex('push_traces_by_msg_key').execute();
  await db.schema
    .createIndex('push_traces_by_msg_key')
    .on('push_traces')
    .columns(['sdkappid', 'msg_key'])
    .execute();
}
