import type { Kysely } from 'kysely';
import { isSqlite } from '../db.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('certificates')
    .addColumn('id', isSqlite(db) ? 'integer' : 'bigserial', (c) =>
      isSqlite(db) ? c.primaryKey().autoIncrement() : c.primaryKey(),
    )
    .addColumn('sdkappid', 'bigint', (c) => c.notNull().references('apps.sdkappid').onDelete('cascade'))
    .addColumn('vendor', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('environment', 'text')
    .addColumn('app_identifier', 'text', (c) => c.notNull())
    .addColumn('public_fields', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('secrets_enc', 'text', (c) => c.notNull())
    .addColumn('defaults', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('expires_at', 'bigint')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('paused_reason', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('certificates_by_app').on('certificates').columns(['sdkappid']).execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('certificates').execute();
}
