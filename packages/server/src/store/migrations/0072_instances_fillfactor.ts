import { type Kysely, sql } from 'kysely';
import { isSqlite } from '../db.js';

// PostgreSQL: an instance row is rewritten by every push to it (the badge base) and every change of state, and
// no index covers those columns. With a fifth of each page left free, PostgreSQL can put the new version on
// the same page (a HOT update) instead of adding a primary-key entry per update (docs/deployment.md).
// Pages written before this migration keep no room until the table is rewritten (VACUUM FULL). SQLite
// updates rows in place: nothing to do.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  if (isSqlite(db)) return;
  await sql`alter table instances set (fillfactor = 80)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  if (isSqlite(db)) return;
  await sql`alter table instances reset (fillfactor)`.execute(db);
}
