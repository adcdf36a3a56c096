import type { Kysely } from 'kysely';
import { isSqlite } from '../db.js';

// Console users, the apps a member may see, and sessions. Sessions live in the database so that every
// Pushline node behind a load balancer accepts the same cookie.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = isSqlite(db);
  await db.schema
    .createTable('console_users')
    .addColumn('id', sqlite ? 'integer' : 'bigserial', (c) =>
      sqlite ? c.primaryKey().autoIncrement() : c.primaryKey(),
    )
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_login_at', 'bigint')
    .execute();

  await db.schema
    .createTable('console_user_apps')
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('console_users.id').onDelete('cascade'))
    .addColumn('sdkappid', 'bigint', (c) => c.notNull().references('apps.sdkappid').onDelete('cascade'))
    .addPrimaryKeyConstraint('console_user_apps_pk', ['user_id', 'sdkappid'])
    .execute();

  await db.schema
    .createTable('console_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('console_users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('console_sessions_by_user')
    .on('console_sessions')
    .columns(['user_id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('console_sessions').execute();
  await db.schema.dropTable('console_user_apps').execute();
  await db.schema.dropTable('console_users').execute();
}
