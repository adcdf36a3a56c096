// The suites that touch storage run once per backend: SQLite always, PostgreSQL when reachable.
// In CI (PUSHLINE_REQUIRE_POSTGRES=1) an unreachable PostgreSQL is a failure, not a skip.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { afterEach } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import type { Database } from '../../src/store/schema.js';

export type Backend = 'sqlite' | 'postgres';

export const POSTGRES_ADMIN_URL =
  process.env.PUSHLINE_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

let postgresReachable: Promise<boolean> | undefined;

async function probePostgres(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The backends to run a suite on. */
export async function testBackends(): Promise<Backend[]> {
  postgresReachable ??= probePostgres();
  if (await postgresReachable) return ['sqlite', 'postgres'];
  if (process.env.PUSHLINE_REQUIRE_POSTGRES === '1') {
    throw new Error(
      `PostgreSQL is required (PUSHLINE_REQUIRE_POSTGRES=1) but ${POSTGRES_ADMIN_URL} is unreachable`,
    );
  }
  console.warn(
    `PostgreSQL at ${POSTGRES_ADMIN_URL} is unreachable: skipping the PostgreSQL run of this suite`,
  );
  return ['sqlite'];
}

function adminUrlFor(database: string): string {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Creates an empty PostgreSQL database for one test server; returns its URL and a dropper. `collate`: its
 * LC_COLLATE, or `icuLocale`: an ICU collation (default: the server's template's).
 */
export async function createPostgresDatabase(
  opts: { collate?: string; icuLocale?: string } = {},
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `pushline_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    let statement = `create database ${name}`;
    if (opts.collate !== undefined) statement += ` template template0 lc_collate '${opts.collate}'`;
    else if (opts.icuLocale !== undefined)
      statement += ` template template0 locale_provider icu icu_locale '${opts.icuLocale}'`;
    await admin.query(statement);
  } finally {
    await admin.end();
  }
  return {
    url: adminUrlFor(name),
    async drop() {
      const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** An empty database of one backend, without a server: for tests of migrations and single statements. */
export interface EmptyDatabase {
  db: Kysely<Database>;
  /** Closes it (and drops the PostgreSQL database). */
  close(): Promise<void>;
}

/** A new empty database: SQLite in memory, or a PostgreSQL database of its own. */
export async function emptyDatabase(backend: Backend): Promise<EmptyDatabase> {
  const created = backend === 'postgres' ? await createPostgresDatabase() : undefined;
  const opened = openDatabase(created ? created.url : 'sqlite::memory:');
  return {
    db: opened.db,
    async close() {
      await opened.close();
      await created?.drop();
    },
  };
}

/**
 * For a suite: a function that opens a new empty database of `backend`, each closed after its test. Call
 * inside `describe`.
 */
export function emptyDatabases(backend: Backend): () => Promise<EmptyDatabase> {
  const open: EmptyDatabase[] = [];
  afterEach(async () => {
    for (const d of open.splice(0).reverse()) await d.close();
  });
  return async () => {
    const d = await emptyDatabase(backend);
    open.push(d);
    return d;
  };
}

/**
 * An `apps` row for tests that write straight into an empty database (no server, so no real secret key):
 * insert it before rows that reference the app.
 */
export function appRow(sdkappid: number, settings = '{}') {
  return {
    sdkappid,
    name: `app ${sdkappid}`,
    secret_key_enc: 'sealed',
    admin_identifier: 'administrator',
    settings,
    created_at: 1,
    updated_at: 1,
  };
}
