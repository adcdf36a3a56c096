import type { Kysely } from 'kysely';

// User profiles (apps/profiles.ts): besides Nick and FaceUrl, which accounts already hold, an account keeps
// Tag_Profile_IM_AllowType and its custom profile fields (Tag_Profile_Custom_*, declared in the app
// settings) as a JSON object of tag name -> value.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('accounts')
    .addColumn('allow_type', 'text', (c) => c.notNull().defaultTo('AllowType_Type_NeedConfirm'))
    .execute();
  await db.schema
    .alterTable('accounts')
    .addColumn('profile_custom', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('accounts').dropColumn('profile_custom').execute();
  await db.schema.alterTable('accounts').dropColumn('allow_type').execute();
}
