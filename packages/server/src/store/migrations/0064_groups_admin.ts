import type { Kysely } from 'kysely';

// Group management (messaging/groups.ts, http/v4/groups.ts): a group's profile (introduction, notice,
// avatar, member limit, join option, everyone-muted switch, custom fields as a JSON object key -> value,
// and when its profile last changed) and each member's mute end (UNIX s, 0 = not muted) and custom fields.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  const groupColumns: [string, 'text' | 'bigint' | 'integer', string | number][] = [
    ['introduction', 'text', ''],
    ['notification', 'text', ''],
    ['face_url', 'text', ''],
    ['max_member_num', 'integer', 6000],
    ['apply_join_option', 'text', 'DisableApply'],
    ['shut_up_all', 'integer', 0],
    ['app_defined_data', 'text', '{}'],
    ['info_seq', 'bigint', 0],
    ['last_info_time', 'bigint', 0],
  ];
  for (const [name, type, value] of groupColumns) {
    await db.schema
      .alterTable('groups')
      .addColumn(name, type, (c) => c.notNull().defaultTo(value))
      .execute();
  }
  await db.schema
    .alterTable('group_members')
    .addColumn('shut_up_until', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('group_members')
    .addColumn('app_member_defined_data', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('group_members').dropColumn('app_member_defined_data').execute();
  await db.schema.alterTable('group_members').dropColumn('shut_up_until').execute();
  for (const name of [
    'last_info_time',
    'info_seq',
    'app_defined_data',
    'shut_up_all',
    'apply_join_option',
    'max_member_num',
    'face_url',
    'notification',
    'introduction',
  ]) {
    await db.schema.alterTable('groups').dropColumn(name).execute();
  }
}
