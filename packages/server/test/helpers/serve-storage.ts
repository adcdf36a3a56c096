// The storage of a test's `pushline serve` processes, which the test kills and starts again on the same data
// (crash tests): a data directory, on PostgreSQL a database of its own, with the Redis queue a key prefix of
// its own. Also opens a Pushline on it without serving (to seed it, and to read the records back).
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Simulators } from '@pushline/simulator';
import { createPushline, loadConfig, type Pushline } from '../../src/index.js';
import { waitForExit } from './cli.js';
import { type Backend, createPostgresDatabase } from './databases.js';
import { dropPrefix, REDIS_URL, testPrefix } from './redis.js';
import { simConfig } from './simulators.js';

export interface ServeStorage {
  dataDir: string;
  /** The database the processes use (`sqlite:` in the data directory, or the test's PostgreSQL database). */
  url: string;
  /** The Redis key prefix of the Redis queue, when it is used. */
  redisPrefix?: string;
  /** The storage flags of `pushline serve`. */
  flags: string[];
  /** A Pushline on this storage that does not serve, its vendors the simulators'. */
  open(sim: Simulators): Promise<Pushline>;
  /** Removes the data directory, the database and the Redis keys. */
  remove(): Promise<void>;
}

export async function serveStorage(
  backend: Backend,
  name: string,
  opts: { redis?: boolean } = {},
): Promise<ServeStorage> {
  const dataDir = mkdtempSync(join(tmpdir(), `pushline-${name}-`));
  const pg = backend === 'postgres' ? await createPostgresDatabase() : undefined;
  const redisPrefix = opts.redis ? testPrefix() : undefined;
  return {
    dataDir,
    url: pg?.url ?? `sqlite:${join(dataDir, 'pushline.db')}`,
    ...(redisPrefix ? { redisPrefix } : {}),
    flags: [
      '--data',
      dataDir,
      ...(pg ? ['--db', pg.url] : []),
      ...(redisPrefix ? ['--redis', REDIS_URL] : []),
    ],
    open: (sim) =>
      createPushline(
        loadConfig({
          env: {},
          flags: {
            dataDir,
            logLevel: 'silent',
            ...(pg ? { db: pg.url } : {}),
            ...(redisPrefix ? { redis: REDIS_URL, redisPrefix } : {}),
            ...simConfig(sim),
          },
        }),
      ),
    async remove() {
      rmSync(dataDir, { recursive: true, force: true });
      await pg?.drop();
      if (redisPrefix) await dropPrefix(redisPrefix);
    },
  };
}

/** SIGKILLs a `pushline serve` still running (a test that failed half-way) and waits for its end. */
export async function killIfRunning(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  child.kill('SIGKILL');
  await waitForExit(child);
}
