import { type Kysely, type MigrationResult, Migrator } from 'kysely';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';

/** Pushline's migrator on `db` (tests also use it to stop at an earlier migration). */
// biome-ignore lint/suspicious/noExplicitAny: a database may be at any earlier schema
export function pushlineMigrator(db: Kysely<any>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'pushline_migrations',
    migrationLockTableName: 'pushline_migrations_lock',
    // Areas own number ranges (see migrations/index.ts), so a lower number may arrive later.
    allowUnorderedMigrations: true,
  });
}

export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationResult[]> {
  const { error, results } = await pushlineMigrator(db).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${message}`);
  }
  return results ?? [];
}
