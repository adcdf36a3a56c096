// A scratch database for queue and dispatch tests: a SQLite file or a fresh PostgreSQL database, migrated.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type OpenedDatabase, openDatabase } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { type Backend, createPostgresDatabase } from './databases.js';

/** A fresh migrated database per harness; every `open` is a separate connection (pool) to it. */
export async function sqlQueueStorage(backend: Backend) {
  let url: string;
  let cleanup: () => Promise<void>;
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'pushline-queue-'));
    url = `sqlite:${join(dir, 'pushline.db')}`;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const pg = await createPostgresDatabase();
    url = pg.url;
    cleanup = pg.drop;
  }
  const opened: OpenedDatabase[] = [];
  const open = async () => {
    const database = openDatabase(url);
    opened.push(database);
    await migrateToLatest(database.db);
    return database;
  };
  return {
    url,
    open,
    async closeAll() {
      await Promise.all(opened.splice(0).map((d) => d.close()));
    },
    async drop() {
      await Promise.all(opened.splice(0).map((d) => d.close()));
      await cleanup();
    },
  };
}
