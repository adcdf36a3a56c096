import type { Kysely } from 'kysely';

// User tags and attributes for all-member/tag/attribute pushes (v4 all_member_push/im_*_tag, im_*_attr*).
// Rows reference the account, so deleting an account removes its tags and attributes, and a tag row always
// names an existing account (the audience query relies on that when it starts from a tag or attribute index).

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('user_tags')
    .addColumn('sdkappid', 'bigint', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    // (app, user, tag): a user's tags, and the per-user probe of a condition.
    .addPrimaryKeyConstraint('user_tags_pk', ['sdkappid', 'user_id', 'tag'])
    .addForeignKeyConstraint(
      'user_tags_account_fk',
      ['sdkappid', 'user_id'],
      'accounts',
      ['sdkappid', 'user_id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  // (app, tag, user): the members of a tag in user order, for cursor paging from a tag.
  await db.schema
    .createIndex('user_tags_by_tag')
    .on('user_tags')
    .columns(['sdkappid', 'tag', 'user_id'])
    .execute();

  await db.schema
    .createTable('attr_names')
    .addColumn('sdkappid', 'bigint', (c) => c.notNull().references('apps.sdkappid').onDelete('cascade'))
    /** Attribute number 0..9 (Tencent's "0".."9" keys). */
    .addColumn('slot', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('attr_names_pk', ['sdkappid', 'slot'])
    .addUniqueConstraint('attr_names_name_unique', ['sdkappid', 'name'])
    .execute();

  await db.schema
    .createTable('user_attrs')
    .addColumn('sdkappid', 'bigint', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('slot', 'integer', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_attrs_pk', ['sdkappid', 'user_id', 'slot'])
    .addForeignKeyConstraint(
      'user_attrs_account_fk',
      ['sdkappid', 'user_id'],
      'accounts',
      ['sdkappid', 'user_id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  // (app, slot, value, user): the users with one attribute value in user order, for cursor paging.
  await db.schema
    .createIndex('user_attrs_by_value')
    .on('user_attrs')
    .columns(['sdkappid', 'slot', 'value', 'user_id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('user_attrs').execute();
  await db.schema.dropTable('attr_names').execute();
  await db.schema.dropTable('user_tags').execute();
}
