// Composition root: builds every module and wires them together. No logic of its own.
import { resolve } from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { AccountsService } from './apps/accounts.js';
import { AppsService } from './apps/apps.js';
import { loadMasterKey, SecretBox } from './auth/secret-box.js';
import { databaseUrl, type PushlineConfig } from './config.js';
import { registerHealth, registerMetrics } from './http/health.js';
import { registerPushClick } from './http/push-click.js';
import { registerReceiptRoutes } from './http/receipts.js';
import { accountCommands } from './http/v4/accounts.js';
import { pushStatsCommands } from './http/v4/push-stats.js';
import { registerV4 } from './http/v4/router.js';
import { createLogger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { CertificateStore } from './push/certificates/store.js';
import { createOutcomes, type Outcomes, type OutcomesOptions } from './push/outcomes/index.js';
import { openDatabase } from './store/db.js';
import { migrateToLatest } from './store/migrate.js';
import type { Database } from './store/schema.js';

export interface Pushline {
  config: PushlineConfig;
  log: Logger;
  db: Kysely<Database>;
  dbKind: 'sqlite' | 'postgres';
  dbLocation: string;
  secrets: SecretBox;
  apps: AppsService;
  accounts: AccountsService;
  certificates: CertificateStore;
  metrics: Metrics;
  /** Push traces, statistics, Push.* webhooks and receipts (push/outcomes). */
  outcomes: Outcomes;
  http: FastifyInstance;
  /** Starts listening; resolves to the base URL, e.g. http://127.0.0.1:8080 */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface CreateOptions {
  logger?: Logger;
  /** Tuning of push outcomes (flush interval, retention, webhook retries); tests shorten the delays. */
  outcomes?: Partial<OutcomesOptions>;
}

/** Opens storage, runs migrations and builds every service; does not listen yet. */
export async function createPushline(config: PushlineConfig, opts: CreateOptions = {}): Promise<Pushline> {
  const log = opts.logger ?? createLogger(config.logLevel);
  const secrets = new SecretBox(
    loadMasterKey({ masterKey: config.masterKey, keyFile: resolve(config.dataDir, 'master.key') }),
  );
  const database = openDatabase(databaseUrl(config));
  try {
    await migrateToLatest(database.db);
  } catch (err) {
    await database.close();
    throw err;
  }
  const db = database.db;
  const apps = new AppsService(db, secrets);
  const accounts = new AccountsService(db);
  const certificates = new CertificateStore(db, secrets);
  const metrics = createMetrics();
  const outcomes = createOutcomes(
    { db, apps, registry: metrics.registry, log },
    {
      traceRetentionDays: config.pushTraceRetentionDays,
      statsRetentionDays: config.pushStatsRetentionDays,
      publicUrl: config.publicUrl,
      ...opts.outcomes,
    },
  );

  const http: FastifyInstance = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // Per-request access lines would dominate at push rates; errors and v4 failures are logged instead.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    forceCloseConnections: true,
  });
  registerHealth(http, db);
  registerMetrics(http, metrics, config.metricsToken);
  await registerReceiptRoutes(http, { apps, recorder: outcomes.recorder, bodyLimit: config.bodyLimit });
  registerPushClick(http, { apps, accounts, recorder: outcomes.recorder });
  await registerV4(http, {
    apps,
    accounts,
    bodyLimit: config.bodyLimit,
    commands: [...accountCommands(accounts), ...pushStatsCommands(db)],
    onRequest: (command, code) =>
      metrics.v4Requests.inc({ command, result: code === 0 ? 'ok' : String(code) }),
  });

  let closed = false;
  return {
    config,
    log,
    db,
    dbKind: database.kind,
    dbLocation: database.location,
    secrets,
    apps,
    accounts,
    certificates,
    metrics,
    outcomes,
    http,
    async listen() {
      return http.listen({ port: config.port, host: config.host });
    },
    async close() {
      if (closed) return;
      closed = true;
      await http.close();
      await outcomes.close();
      await database.close();
    },
  };
}
