import type { Kysely } from 'kysely';

// Whether an instance's socket is up (1 from login to disconnect or logout). Its state alone does not tell:
// a backgrounded app with its socket still up and a killed one are both PushOnline. Binding changes made
// from elsewhere (a vendor declaring the token gone) use it to leave the instance Online or Offline.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('instances')
    .addColumn('connected', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // Before this column, Online meant connected.
  await db.updateTable('instances').set({ connected: 1 }).where('state', '=', 'Online').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('instances').dropColumn('connected').execute();
}
