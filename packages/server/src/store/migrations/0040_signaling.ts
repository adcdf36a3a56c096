import type { Kysely } from 'kysely';

// Call invitations (signaling/): one row per invitation and one per invitee with its state, so the
// server-side timeout survives restarts: the sweeper finds pending invitees whose time is up.

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('signaling_invites')
    .addColumn('sdkappid', 'bigint', (c) => c.notNull().references('apps.sdkappid').onDelete('cascade'))
    .addColumn('invite_id', 'text', (c) => c.notNull())
    .addColumn('inviter', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('invitee_list', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('timeout', 'integer', (c) => c.notNull())
    .addColumn('online_only', 'integer', (c) => c.notNull())
    .addColumn('offline_push_info', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addPrimaryKeyConstraint('signaling_invites_pk', ['sdkappid', 'invite_id'])
    .execute();
  await db.schema
    .createTable('signaling_invitees')
    .addColumn('sdkappid', 'bigint', (c) => c.notNull())
    .addColumn('invite_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // Copied from the invite so the sweep reads one index; null = no timeout (timeout 0).
    .addColumn('expires_at', 'bigint')
    // Set when a sweeper claims the timeout; a claim older than a minute is taken over after a crash.
    .addColumn('claimed_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('signaling_invitees_pk', ['sdkappid', 'invite_id', 'user_id'])
    .addForeignKeyConstraint(
      'signaling_invitees_invite',
      ['sdkappid', 'invite_id'],
      'signaling_invites',
      ['sdkappid', 'invite_id'],
      (c) => c.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('signaling_invitees_due')
    .on('signaling_invitees')
    .columns(['status', 'expires_at'])
    .execute();
  await db.schema
    .createIndex('signaling_invitees_by_user')
    .on('signaling_invitees')
    .columns(['sdkappid', 'user_id', 'status'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('signaling_invitees').execute();
  await db.schema.dropTable('signaling_invites').execute();
}
