// A real Pushline instance on a random port with its own data directory (and database), plus helpers
// to call the v4 REST API as a Tencent server SDK would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AppWithSecret,
  type CreateOptions,
  createPushline,
  genUserSig,
  loadConfig,
  type Pushline,
} from '../../src/index.js';
import { type Backend, createPostgresDatabase } from './databases.js';
import { dropPrefix, REDIS_URL, testPrefix } from './redis.js';

/**
 * PUSHLINE_TEST_SCALEOUT=1 runs every PostgreSQL test server in scale-out mode (Redis router, queue and
 * limits, under a key prefix of its own), to run whole suites against the many-machines configuration.
 */
const SCALE_OUT = process.env.PUSHLINE_TEST_SCALEOUT === '1';

export interface TestServer {
  pushline: Pushline;
  url: string;
  dataDir: string;
  app: AppWithSecret;
  adminSig: string;
  /** POST /v4/<path> with the admin's credentials; `query` overrides URL parameters. */
  v4(path: string, body: unknown, query?: Record<string, string | undefined>): Promise<V4Response>;
  /** POST a raw body string. */
  v4Raw(
    path: string,
    raw: string | undefined,
    query?: Record<string, string | undefined>,
  ): Promise<V4Response>;
  close(): Promise<void>;
}

export type V4Response = { ActionStatus: string; ErrorCode: number; ErrorInfo: string } & Record<
  string,
  unknown
>;

export interface StartOptions {
  backend?: Backend;
  config?: Record<string, unknown>;
  /** Passed to createPushline (clock, gateway and webhook options). */
  create?: CreateOptions;
}

export async function startTestServer(opts: StartOptions = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pushline-test-'));
  const pgDb = opts.backend === 'postgres' ? await createPostgresDatabase() : undefined;
  const redisPrefix = pgDb && SCALE_OUT ? testPrefix() : undefined;
  const config = loadConfig({
    env: {},
    flags: {
      dataDir,
      port: 0,
      host: '127.0.0.1',
      logLevel: process.env.PUSHLINE_TEST_LOG_LEVEL ?? 'silent',
      // The channels on the test's own thread: suites inspect them and move their clock. The send workers
      // have their own suite (e2e-push-workers.test.ts).
      workers: 1,
      ...(pgDb ? { db: pgDb.url } : {}),
      ...(redisPrefix ? { redis: REDIS_URL, redisPrefix } : {}),
      ...opts.config,
    },
  });
  const pushline = await createPushline(config, opts.create);
  const url = await pushline.listen();
  const app = await pushline.apps.create({ name: 'Test App' });
  const adminSig = genUserSig({
    sdkAppId: app.sdkAppId,
    key: app.secretKey,
    identifier: app.adminIdentifier,
    expire: 86_400,
  });

  async function v4Raw(
    path: string,
    raw: string | undefined,
    query: Record<string, string | undefined> = {},
  ) {
    const params = new URLSearchParams();
    const all: Record<string, string | undefined> = {
      sdkappid: String(app.sdkAppId),
      identifier: app.adminIdentifier,
      usersig: adminSig,
      random: String(Math.floor(Math.random() * 4_294_967_295)),
      contenttype: 'json',
      ...query,
    };
    for (const [k, v] of Object.entries(all)) if (v !== undefined) params.set(k, v);
    const res = await fetch(`${url}/v4/${path}?${params}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      ...(raw !== undefined ? { body: raw } : {}),
    });
    if (res.status !== 200) throw new Error(`v4 answered HTTP ${res.status}`);
    return (await res.json()) as V4Response;
  }

  return {
    pushline,
    url,
    dataDir,
    app,
    adminSig,
    v4: (path, body, query) => v4Raw(path, JSON.stringify(body), query),
    v4Raw,
    async close() {
      await pushline.close();
      await pgDb?.drop();
      if (redisPrefix) await dropPrefix(redisPrefix);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
