import type { Kysely } from 'kysely';
import { isSqlite } from '../db.js';

// Gateway and messaging: device instances and their push bindings, messages, per-user inboxes (the sync
// log every device resumes from), conversations with unread counts, receive options, groups.

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = isSqlite(db);

  await db.schema
    .createTable('instances')
    .addColumn('sdkappid', 'bigint', (c) => c.notNull().references('apps.sdkappid').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('instance_id', 'text', (c) => c.notNull())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('background', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unread_base', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('acked_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('session_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('logged_in_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('instances_pk', ['sdkappid', 'user_id', 'instance_id'])
    .execute();

  await db.schema
    .createTable('push_bindings')
    .addColumn('sdkappid', 'bigint', (c) => c.notNull().references('apps.sdkappid').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('instance_id', 'text', (c) => c.notNull())
    .addColumn('token_type', 'integer', (c) => c.notNull())
    .addColumn('certificate_id', 'bigint', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('reported_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('push_bindings_pk', ['sdkappid', 'user_id', 'instance_id', 'token_type'])
    .execute();
  await db.schema
    .createIndex('push_bindings_token')
    .on('push_bindings')
    .columns(['sdkappid', 'certificate_id', 'token'])
    .unique()
    .execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', sqlite ? 'integer' : 'bigserial', (c) =>
      sqlite ? c.primaryKey().autoIncrement() : c.primaryKey(),
    )
    .addColumn('sdkappid', 'bigint', (c) => c.notNull().references('apps.sdkappid').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_account', 'text', (c) => c.notNull())
    .addColumn('to_account', 'text')
    .addColumn('group_id', 'text')
    .addColumn('msg_seq', 'bigint', (c) => c.notNull())
    .addColumn('msg_random', 'bigint', (c) => c.notNull())
    .addColumn('msg_time', 'bigint', (c) => c.notNull())
    .addColumn('msg_key', 'text', (c) => c.notNull())
    .addColumn('dedup_key', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('offline_push_info', 'text')
    .addColumn('cloud_custom_data', 'text')
    .addColumn('at_accounts', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('sender_instance', 'text')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('messages_dedup')
    .on('messages')
    .columns(['sdkappid', 'dedup_key', 'created_at'])
    .execute();
  await db.schema.createIndex('messages_expiry').on('messages').columns(['expires_at']).execute();

  await db.schema
    .createTable('user_seqs')
    .addColumn('sdkappid', 'bigint', (c) => c.notNull().references('apps.sdkappid').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_seqs_pk', ['sdkappid', 'user_id'])
    .execute();

  await db.schema
    .createTable('inbox')
    .addColumn('sdkappid', 'bigint', (c) => c.notNull().references('apps.sdkappid').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('message_id', 'bigint', (c) => c.notNull().references('messages.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('sync', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('inbox_pk', ['sdkappid', 'user_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('inbox_by_conversation')
    .on('inbox')
    .columns(['sdkappid', 'user_id', 'conversation_id', 'seq'])
    .execute();
  await db.schema.createIndex('inbox_by_message').on('inbox').columns(['message_id']).execute();

  await db.schema
    .createTable('conversations')
    .addColumn('sdkappid', 'bigint', (c) => c.notNull().references('apps.sdkappid').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('unread', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_message_id', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('conversations_pk', ['sdkappid', 'user_id', 'conversation_id'])
    .execute();

  await db.schema
    .createTable('receive_options')
    .addColumn('sdkappid', 'bigint', (c) => c.notNull().references('apps.sdkappid').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('opt', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('receive_options_pk', ['sdkappid', 'user_id', 'target'])
    .execute();

  await db.schema
    .createTable('dnd_settings')
    .addColumn('sdkappid', 'bigint', (c) => c.notNull().references('apps.sdkappid').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('opt', 'integer', (c) => c.notNull())
    .addColumn('start_time', 'bigint', (c) => c.notNull())
    .addColumn('duration', 'bigint', (c) => c.notNull())
    .addColumn('repeat', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('dnd_settings_pk', ['sdkappid', 'user_id'])
    .execute();

  await db.schema
    .createTable('groups')
    .addColumn('sdkappid', 'bigint', (c) => c.notNull().references('apps.sdkappid').onDelete('cascade'))
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('owner', 'text')
    .addColumn('next_msg_seq', 'bigint', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('groups_pk', ['sdkappid', 'group_id'])
    .execute();

  await db.schema
    .createTable('group_members')
    .addColumn('sdkappid', 'bigint', (c) => c.notNull().references('apps.sdkappid').onDelete('cascade'))
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('msg_flag', 'text', (c) => c.notNull())
    .addColumn('name_card', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('join_time', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_members_pk', ['sdkappid', 'group_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('group_members_by_user')
    .on('group_members')
    .columns(['sdkappid', 'user_id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'group_members',
    'groups',
    'dnd_settings',
    'receive_options',
    'conversations',
    'inbox',
    'user_seqs',
    'messages',
    'push_bindings',
    'instances',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
