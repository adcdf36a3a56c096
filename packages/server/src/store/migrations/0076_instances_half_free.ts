import { type Kysely, sql } from 'kysely';
import { isSqlite } from '../db.js';

// PostgreSQL: room for a HOT update of every row of a page at once (0072 left a fifth of each page free). A
// fan-out raises the badge base of a page of 500 devices in one transaction, and devices that registered
// one after another sit on the same heap pages: with a fifth free, a quarter of a page's rows found room
// for their new version on it, the rest moved to other pages with a new primary-key entry each. Measured on
// 100,000 instances, three rounds of all-member badge updates 500 rows per transaction (bench/README.md
// "What limits it", 2026-12-06 sixth session): fillfactor 80 — 46 % HOT, 7.9–13.3 µs per row, the table
// 2,041 → 5,371 pages and its primary key 609 → 1,215; fillfactor 50 — 100 % HOT, 7.0–9.2 µs per row, 3,334
// pages and 609 throughout. Pages written before keep their fill until the table is rewritten (docs/
// deployment.md). SQLite updates rows in place: nothing to do.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  if (isSqlite(db)) return;
  await sql`alter table instances set (fillfactor = 50)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  if (isSqlite(db)) return;
  await sql`alter table instances set (fillfactor = 80)`.execute(db);
}
