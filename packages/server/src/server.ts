// Composition root: builds every module and wires them together. No logic of its own.
import { resolve } from 'node:path';
import type { Simulators } from '@pushline/simulator';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { AccountsService } from './apps/accounts.js';
import { AppsService } from './apps/apps.js';
import { countCallback, DailyStats } from './apps/daily-stats.js';
import { ProfileService } from './apps/profiles.js';
import { AttributeStore } from './audience/attributes.js';
import { AudienceQuery } from './audience/query.js';
import { TagStore } from './audience/tags.js';
import { ConsoleSessions } from './auth/console-sessions.js';
import { ConsoleUsersService } from './auth/console-users.js';
import { defaultLoginLimiters } from './auth/login-limiter.js';
import { RedisLoginLimiter } from './auth/redis-login-limiter.js';
import { loadMasterKey, SecretBox } from './auth/secret-box.js';
import { CertificateService } from './certificates/service.js';
import { CertificateStore } from './certificates/store.js';
import {
  databaseUrl,
  httpServerOptions,
  type PushlineConfig,
  pushQueueKind,
  trustedProxies,
  workerThreads,
} from './config.js';
import { BindingStore } from './devices/binding-store.js';
import { RedisRouter } from './devices/redis-router.js';
import { InMemoryRouter, type Router } from './devices/router.js';
import { SessionStore } from './devices/sessions.js';
import type { GatewayOptions } from './gateway/context.js';
import { Gateway } from './gateway/gateway.js';
import { registerGatewayMetrics } from './gateway/metrics.js';
import { registerConsoleApps } from './http/console/apps.js';
import { registerConsoleCertificates } from './http/console/certificates.js';
import { registerConsoleData } from './http/console/data.js';
import { registerConsoleOverview } from './http/console/overview.js';
import { SandboxPhones } from './http/console/sandbox-phone-book.js';
import { type ConsoleGuards, registerConsoleSession } from './http/console/session.js';
import { registerConsoleStatic } from './http/console/static.js';
import { registerConsoleTroubleshoot } from './http/console/troubleshoot.js';
import { registerConsoleUsers } from './http/console/users.js';
import { registerHealth, registerMetrics } from './http/health.js';
import { buildOpenApi, collectRoutes, registerOpenApi } from './http/openapi.js';
import { registerPushClick } from './http/push-click.js';
import { registerReceiptRoutes } from './http/receipts.js';
import { accountCommands } from './http/v4/accounts.js';
import { pushCommands } from './http/v4/all-member-push.js';
import { appInfoCommands } from './http/v4/app-info.js';
import type { V4Command } from './http/v4/command.js';
import { withCatalogue } from './http/v4/examples.js';
import { historyCommands } from './http/v4/history.js';
import { importCommands } from './http/v4/import.js';
import { deploymentAddresses } from './http/v4/ip-list.js';
import { messagingCommands } from './http/v4/messaging.js';
import { noSpeakingCommands } from './http/v4/nospeaking.js';
import { profileCommands } from './http/v4/profiles.js';
import { pushStatsCommands } from './http/v4/push-stats.js';
import { readStateCommands } from './http/v4/read-state.js';
import { recentContactCommands } from './http/v4/recent-contacts.js';
import { frameworkErrorAnswer, notFoundAnswer, registerV4 } from './http/v4/router.js';
import { snsCommands } from './http/v4/sns.js';
import { tagAttrCommands } from './http/v4/tags-attrs.js';
import { createLogger } from './logger.js';
import { MessageCallbacks } from './messaging/callbacks.js';
import { GroupJoinRequests } from './messaging/group-join-requests.js';
import { GroupsService } from './messaging/groups.js';
import { HistoryService } from './messaging/history.js';
import { ImportService } from './messaging/import.js';
import { InboxService } from './messaging/inbox.js';
import { countMessage } from './messaging/message-counts.js';
import { MessagingService } from './messaging/messages.js';
import { DEFAULT_RECALL_LIMIT_SECONDS, RecallService } from './messaging/recall.js';
import { ReceiveSettings } from './messaging/receive-settings.js';
import { RecentContacts } from './messaging/recent-contacts.js';
import { createMetrics, type Metrics } from './metrics.js';
import { CertificateChannels, type ChannelContext, channelContext } from './push/channels/index.js';
import { SendWorkers } from './push/channels/send-workers.js';
import { loadNodeId } from './push/dispatch/index.js';
import { parseVendorRateLimits } from './push/dispatch/rate-limits.js';
import { RedisTokenBuckets } from './push/dispatch/token-bucket-redis.js';
import { PushEngine, type PushEngineOptions, type PushRecorder } from './push/engine/index.js';
import { BatchedOutcomes, batchOutcomes } from './push/outcomes/batched-outcomes.js';
import { createOutcomes, newPushId, type Outcomes, type OutcomesOptions } from './push/outcomes/index.js';
import { createPushQueue } from './push/queue/create.js';
import { isOutbox, type PushQueue } from './push/queue/index.js';
import { resumeOrphaned, resumeUnfinished } from './push/tasks/resume.js';
import { PushTaskService } from './push/tasks/store.js';
import { WARMABLE_VENDORS } from './push/vendors/index.js';
import { type SignalingOptions, SignalingService } from './signaling/service.js';
import { FriendNotices } from './sns/friend-notices.js';
import { RelationGuard } from './sns/guard.js';
import { MuteService } from './sns/mutes.js';
import { RelationService } from './sns/relations.js';
import { collationWarning, linguisticCollation } from './store/collation.js';
import { isSqlite, openDatabase } from './store/db.js';
import { looseDirMode } from './store/files.js';
import { GroupCommit } from './store/group-commit.js';
import { migrateToLatest } from './store/migrate.js';
import { closeRedis, openRedis } from './store/redis.js';
import type { Database } from './store/schema.js';
import { WebhookSender } from './webhooks/sender.js';

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
  consoleUsers: ConsoleUsersService;
  consoleSessions: ConsoleSessions;
  /** Session guards for console API routes (http/console/session.ts). */
  consoleGuards: ConsoleGuards;
  /** User tags and attributes, and the audience query of all-member/tag/attribute pushes. */
  tags: TagStore;
  attributes: AttributeStore;
  audience: AudienceQuery;
  /** Push task records and progress (all-member/tag/attribute and batch pushes). */
  pushTasks: PushTaskService;
  /** The durable push queue (push/queue/): render enqueues, dispatch leases. */
  pushQueue: PushQueue;
  /** Certificate operations (validation, storage, channel invalidation, test sends). */
  certificateService: CertificateService;
  /** Certificate ID -> live vendor channel; the dispatcher sends through `channels.send(certId, tasks)`. */
  channels: CertificateChannels;
  metrics: Metrics;
  /** The v4 commands the router serves (its registry). */
  v4Commands: readonly V4Command[];
  /** The OpenAPI 3.1 document served at /openapi.json (http/openapi.ts). */
  openApi(): Record<string, unknown>;
  /** Push traces, statistics, Push.* webhooks and receipts (push/outcomes). */
  outcomes: Outcomes;
  http: FastifyInstance;
  /** Device instances, their state and push bindings (push targets for the push engine). */
  sessions: SessionStore;
  /** Push bindings (device tokens) per instance. */
  bindings: BindingStore;
  router: Router;
  gateway: Gateway;
  groups: GroupsService;
  receiveSettings: ReceiveSettings;
  /** Sending and the post-commit hook (`messaging.onMessageCommitted`). */
  messaging: MessagingService;
  inbox: InboxService;
  /** Message recall: REST, SDK, and the retraction of delivered notifications (push engine). */
  recall: RecallService;
  webhooks: WebhookSender;
  /** Message -> push jobs (in the send's transaction) and the dispatcher that sends them. */
  pushEngine: PushEngine;
  /** Call invitations and their server-side timeout (signaling/). */
  signaling: SignalingService;
  /** The clock every time-dependent rule uses (heartbeats, DND, message lifetime). */
  now: () => number;
  /** Starts listening; resolves to the base URL, e.g. http://127.0.0.1:8080 */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface CreateOptions {
  logger?: Logger;
  /** Built console files; default packages/console/dist. */
  consoleDir?: string;
  /** Clock in UNIX ms; tests pass a controllable one. */
  clock?: () => number;
  gateway?: Partial<GatewayOptions>;
  /** Channel tuning for tests (clock, APNs session limits...). */
  channels?: Partial<ChannelContext>;
  /** Dispatcher tuning for tests (backoff...). */
  push?: PushEngineOptions;
  /** A second recorder of push decisions and answers besides push/outcomes (tests read it). */
  pushRecorder?: PushRecorder;
  /** Tuning of push outcomes (flush interval, retention, webhook retries); tests shorten the delays. */
  outcomes?: Partial<OutcomesOptions>;
  /** Signaling tuning for tests (sweepIntervalMs 0: the test calls `signaling.sweep()`). */
  signaling?: SignalingOptions;
  /** The vendor simulators running in this process (sandbox mode): the console shows their phones. */
  simulators?: Simulators;
  /** How often the console's live streams re-check their session (default 15 s); tests shorten it. */
  consoleStreamCheckMs?: number;
}

/** Opens storage, runs migrations and builds every service; does not listen yet. */
export async function createPushline(config: PushlineConfig, opts: CreateOptions = {}): Promise<Pushline> {
  const log = opts.logger ?? createLogger(config.logLevel);
  // Owner-only: the database (message text, device tokens), the master key, the node ID (store/files.ts).
  // An existing directory keeps its mode; `listen` warns when it lets others in.
  const looseMode = looseDirMode(config.dataDir);
  const secrets = new SecretBox(
    loadMasterKey({ masterKey: config.masterKey, keyFile: resolve(config.dataDir, 'master.key') }),
  );
  const database = openDatabase(databaseUrl(config), {
    onCheckpointerStopped: (err) =>
      log.warn({ err }, 'the SQLite checkpoint thread stopped: the main thread checkpoints again'),
    onReadWorkerStopped: (err) =>
      log.warn({ err }, 'the SQLite read thread stopped: long reads run on the main thread again'),
  });
  let collation: string | undefined;
  try {
    await migrateToLatest(database.db);
    collation = await linguisticCollation(database.db);
  } catch (err) {
    await database.close();
    throw err;
  }
  const db = database.db;
  const apps = new AppsService(db, secrets);
  const accounts = new AccountsService(db);
  const profiles = new ProfileService(db, apps);
  const certificates = new CertificateStore(db, secrets);
  const consoleUsers = new ConsoleUsersService(db);
  const consoleSessions = new ConsoleSessions(db);
  const tags = new TagStore(db);
  const attributes = new AttributeStore(db);
  // Its counts (an all-member push's audience total, the console's estimate) are long reads.
  const audience = new AudienceQuery(db, database.reads);
  const pushTasks = new PushTaskService(db);
  const node = loadNodeId(config.nodeId, resolve(config.dataDir, 'node-id'));
  // SQLite has one connection: the sends and the push settlements of the same moment share one transaction
  // (store/group-commit.ts). PostgreSQL runs each in a transaction of its own, in parallel.
  const groupCommit = isSqlite(db) ? new GroupCommit(db) : undefined;
  const pushQueue = await createPushQueue(
    {
      kind: pushQueueKind(config),
      redis: config.redis,
      redisPrefix: config.redisPrefix,
      transact: groupCommit?.transact,
    },
    db,
    log,
    node.id,
  );
  const channelCtx = channelContext(config, {
    // Receipt URLs come from push/outcomes, built below; channels ask only when they send.
    receiptUrl: (id, vendor) => outcomes.receiptCallbackUrl(id, vendor),
    ...opts.channels,
  });
  // Several threads: the channels run on send workers (docs/delivery.md "Workers").
  const threads = workerThreads(config);
  const channels = new CertificateChannels(certificates, channelCtx, {
    ...(threads > 1
      ? {
          sender: new SendWorkers(
            threads - 1,
            {
              urls: channelCtx.urls,
              ca: channelCtx.ca,
              ...(channelCtx.apns ? { apns: channelCtx.apns } : {}),
              ...(channelCtx.fcm ? { fcm: channelCtx.fcm } : {}),
            },
            log,
          ),
        }
      : {}),
  });
  const certificateService = new CertificateService(certificates, channels);
  const metrics = createMetrics();
  const now = opts.clock ?? Date.now;
  // Several nodes (Redis): live traffic reaches the node holding the user's socket (docs/deployment.md).
  const router = config.redis
    ? new RedisRouter(config.redis, {
        prefix: config.redisPrefix,
        log,
        nodeTimeoutMs: config.nodeTimeout * 1000,
      })
    : new InMemoryRouter();
  if (router instanceof RedisRouter) await router.start();
  // Several nodes: vendor quotas and sign-in throttling are counted in Redis, for all nodes together.
  const sharedRedis = config.redis ? openRedis(config.redis, 'pushline-limits', log) : undefined;
  const sessions = new SessionStore(db, now);
  const bindings = new BindingStore(db, now);
  const groups = new GroupsService(db, now);
  const receiveSettings = new ReceiveSettings(db);
  const messaging = new MessagingService(db, groups, receiveSettings, router, log, now, groupCommit);
  // The message callbacks; their after-send half goes through the outbox of `outcomes` (built below).
  const messageCallbacks = new MessageCallbacks(apps, groups, () => outcomes.outbox, log, now);
  messaging.setCallbacks(messageCallbacks);
  // A group-committed batch of sends writes its push outcomes once: hourly counters summed, trace rows together.
  groupCommit?.setBatchScope((trx) => {
    const outcomes = new BatchedOutcomes();
    batchOutcomes(trx, outcomes);
    return outcomes;
  });
  const inbox = new InboxService(db, router, now);
  const groupJoinRequests = new GroupJoinRequests(db, now);
  // Daily operation counters (openconfigsvr/getappinfo): logins and committed messages, summed in memory and
  // written every 2 s (apps/daily-stats.ts); pushes come from the hourly push counters.
  const dailyStats = new DailyStats(db, now, (err) => log.error({ err }, 'daily statistics write failed'));
  sessions.onLogin((sdkAppId, userId) => {
    dailyStats.add(sdkAppId, 'login_times');
    dailyStats.saw(sdkAppId, 'login', userId);
    dailyStats.saw(sdkAppId, 'active', userId);
  });
  messaging.onMessageCommitted((message, recipients) => countMessage(dailyStats, message, recipients));
  groups.onActivity((sdkAppId, activity, n) => dailyStats.add(sdkAppId, `group_${activity}`, n));
  // The relationship chain, global mutes and recent contacts (sns/, messaging/recent-contacts.ts); the guard
  // refuses muted senders, blocked senders and non-friends (when the app asks) before anything else of a send.
  const relations = new RelationService(db, now);
  relations.setNotices(
    new FriendNotices(router, profiles, (app, owner, peers) => relations.friends(app, owner, peers)),
  );
  const mutes = new MuteService(db, now);
  const recentContacts = new RecentContacts(db, router, inbox, now);
  // Message edits (REST modify_*_msg and the Tencent gateway's modifyMessage) and history reads.
  const history = new HistoryService(db, router, now);
  messaging.setGuard(new RelationGuard(apps, relations, mutes));
  const recall = new RecallService(db, router, inbox, now, {
    limitSeconds: DEFAULT_RECALL_LIMIT_SECONDS,
    adminIdentifier: async (sdkAppId) => (await apps.get(sdkAppId))?.adminIdentifier ?? '',
    log,
  });
  // State.StateChange goes through the outbox of `outcomes` (built below), the one callback sender.
  const webhooks = new WebhookSender(apps, () => outcomes.outbox, log);
  const signaling = new SignalingService({ db, messaging, groups, accounts, log, now }, opts.signaling);
  const gateway = new Gateway(
    {
      apps,
      accounts,
      certificates,
      sessions,
      bindings,
      messaging,
      inbox,
      profiles,
      recall,
      groups,
      groupJoinRequests,
      receiveSettings,
      router,
      webhooks,
      signaling,
      relations,
      recentContacts,
      history,
      log,
      now,
    },
    {
      heartbeatTimeoutMs: config.heartbeatTimeout * 1000,
      heartbeatIntervalMs: (config.heartbeatTimeout * 1000) / 3,
      maxBufferedBytes: config.gatewayMaxBufferedBytes,
      maxInFlight: config.gatewayMaxInFlight,
      ...opts.gateway,
    },
  );
  registerGatewayMetrics(metrics, gateway);
  const outcomes = createOutcomes(
    { db, apps, registry: metrics.registry, log },
    {
      traceRetentionDays: config.pushTraceRetentionDays,
      statsRetentionDays: config.pushStatsRetentionDays,
      publicUrl: config.publicUrl,
      ...opts.outcomes,
    },
  );
  // Every callback POST (before-send directly, the rest through the outbox) counts for getappinfo's
  // CallBackReq / CallBackRsp.
  for (const poster of [messageCallbacks.poster, outcomes.outbox.poster])
    poster.onPosted((sdkAppId, answered) => countCallback(dailyStats, sdkAppId, answered));
  const pushEngine = new PushEngine(
    {
      outcomes: outcomes.recorder,
      observer: opts.pushRecorder,
      newPushId: () => newPushId(now()),
      messaging,
      queue: pushQueue,
      channels,
      certificateService,
      secrets,
      log,
      now,
      db,
      tasks: pushTasks,
      audience,
      node: { id: node.id, timeoutMs: config.nodeTimeout * 1000 },
      callEnded: (sdkAppId, ring) => signaling.ringEnded(sdkAppId, ring.inviteId, ring.userId),
      inbox,
      recall,
    },
    {
      batchSize: config.pushBatchSize,
      concurrency: config.pushConcurrency,
      maxAttempts: config.pushMaxAttempts,
      visibilityMs: config.pushVisibilityTimeout * 1000,
      ...(sharedRedis ? { buckets: new RedisTokenBuckets(sharedRedis, `${config.redisPrefix}budget:`) } : {}),
      vendorRateLimits: parseVendorRateLimits(config.pushRateLimits),
      ...opts.push,
    },
  );
  // The Redis queue's relay moves a message's jobs from the database as soon as the message commits.
  if (isOutbox(pushQueue)) {
    messaging.onMessageCommitted(() => pushQueue.kick());
    // The same for the badge updates of a read (registered after the engine's listener, so it runs after it)
    // and for a recall's retractions.
    inbox.onUnreadChanged(() => pushQueue.kick());
    recall.onRecalled(() => pushQueue.kick());
  }
  // One node without Redis: no socket survived a restart. Several nodes: the survivors release a dead node's.
  if (!config.redis) await sessions.recoverAfterRestart();
  if (router instanceof RedisRouter) router.onNodeDown((_node, sockets) => gateway.releaseSockets(sockets));

  // Forwarded headers count only from the configured proxies: request.ip is then the address the nearest
  // trusted proxy saw, and nothing a client writes into X-Forwarded-For can replace it.
  const proxies = trustedProxies(config);
  const http: FastifyInstance = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // Per-request access lines would dominate at push rates; errors and v4 failures are logged instead.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimit,
    // Header, request (body), keep-alive and idle timeouts: a slow or silent client cannot hold a connection.
    ...httpServerOptions(config),
    trustProxy: proxies.length > 0 ? proxies : false,
    // close() lets the requests in flight finish (closeHttp below); new requests on open connections get 503.
    forceCloseConnections: false,
    // A URL that does not decode: the Tencent envelope under /v4; never an echo of the URL (UserSig).
    frameworkErrors: frameworkErrorAnswer,
  });
  http.setNotFoundHandler(notFoundAnswer);
  // Every route registered from here on, for the console part of /openapi.json.
  const routes = collectRoutes(http);
  // Connections beyond the cap are closed as they arrive (WebSocket clients count too).
  http.server.maxConnections = config.httpMaxConnections;
  registerHealth(http, db);
  registerMetrics(http, metrics, { token: config.metricsToken, behindProxy: proxies.length > 0 });
  await registerReceiptRoutes(http, { apps, recorder: outcomes.recorder, bodyLimit: config.bodyLimit });
  registerPushClick(http, { apps, accounts, recorder: outcomes.recorder });
  const v4 = await registerV4(http, {
    apps,
    accounts,
    bodyLimit: config.bodyLimit,
    commands: withCatalogue([
      ...accountCommands(accounts, {
        onKick: (sdkAppId, userId) => gateway.kickUser(sdkAppId, userId),
        onDelete: async (sdkAppId, userIds) => {
          await gateway.forgetUsers(sdkAppId, userIds);
          await inbox.forget(sdkAppId, userIds);
          await relations.forget(sdkAppId, userIds);
          await groupJoinRequests.forget(sdkAppId, userIds);
        },
      }),
      ...messagingCommands({ accounts, messaging, groups, receiveSettings, sessions, recall }),
      ...profileCommands(profiles),
      ...readStateCommands({ accounts, groups, inbox }),
      ...historyCommands({ accounts, groups, history }),
      ...tagAttrCommands(tags, attributes),
      ...pushCommands({ tasks: pushTasks, attributes, accounts, starter: pushEngine.fanOut }),
      ...pushStatsCommands(db),
      ...snsCommands({ accounts, relations, profiles }),
      ...noSpeakingCommands({ accounts, mutes }),
      ...recentContactCommands({ accounts, recent: recentContacts }),
      ...importCommands({ accounts, groups, imports: new ImportService(db, router, now) }),
      ...appInfoCommands({
        reads: database.reads,
        dailyStats,
        now,
        ipList: () => deploymentAddresses(config),
      }),
    ]),
    onRequest: (command, code) =>
      metrics.v4Requests.inc({ command, result: code === 0 ? 'ok' : String(code) }),
  });
  // Several nodes: failed sign-ins count across all of them.
  const loginLimiters = defaultLoginLimiters(
    sharedRedis &&
      ((name, limits) => new RedisLoginLimiter(sharedRedis, `${config.redisPrefix}login:${name}:`, limits)),
  );
  const consoleGuards = await registerConsoleSession(http, {
    users: consoleUsers,
    sessions: consoleSessions,
    limiters: loginLimiters,
  });
  registerConsoleApps(http, {
    apps,
    users: consoleUsers,
    guards: consoleGuards,
    passwordLimiter: loginLimiters.byUsername,
  });
  registerConsoleData(http, {
    db,
    now,
    apps,
    accounts,
    attributes,
    audience,
    tasks: pushTasks,
    starter: pushEngine.fanOut,
    phones: opts.simulators ? new SandboxPhones(db, opts.simulators) : undefined,
    sessions,
    streamCheckMs: opts.consoleStreamCheckMs,
    guards: consoleGuards,
  });
  await registerConsoleStatic(http, opts.consoleDir);

  gateway.attach(http.server);
  await registerConsoleCertificates(http, {
    apps,
    accounts,
    certificates: certificateService,
    guards: consoleGuards,
  });
  // Console pages: overview, users and devices, troubleshooter.
  registerConsoleOverview(http, {
    db,
    reads: database.reads,
    guards: consoleGuards,
    apps,
    certificates: certificateService,
    pushQueue,
    now,
  });
  registerConsoleUsers(http, {
    db,
    guards: consoleGuards,
    apps,
    accounts,
    sessions,
    bindings,
    inbox,
    gateway,
    certificates: certificateService,
  });
  registerConsoleTroubleshoot(http, {
    db,
    guards: consoleGuards,
    apps,
    accounts,
    sessions,
    bindings,
    receiveSettings,
    certificates: certificateService,
    now,
  });

  // The OpenAPI document of the v4 commands and the console API (docs/rest-api.md#openapi-document).
  const openApi = () => buildOpenApi({ commands: v4.commands, routes });
  registerOpenApi(http, openApi);

  /**
   * Warnings and facts about exposure (and the database's collation), logged when the server starts listening
   * (not by CLI commands).
   */
  function logExposure(): void {
    if (looseMode !== undefined) {
      log.warn(
        { dataDir: config.dataDir, mode: looseMode.toString(8) },
        `the data directory ${config.dataDir} lets other users in (mode ${looseMode.toString(8)}); Pushline's files in it are 0600, but \`chmod 700\` it unless it is shared on purpose`,
      );
    }
    if (collation !== undefined) log.warn({ collation }, collationWarning(collation));
    if (proxies.length > 0) {
      log.info({ trustProxy: proxies }, `trusting X-Forwarded-* headers only from ${proxies.join(', ')}`);
    }
    if (!config.metricsToken && proxies.length > 0) {
      log.warn(
        '/metrics answers 403: with trustProxy set, requests may reach it through the proxy from anywhere; set metricsToken (PUSHLINE_METRICS_TOKEN) to scrape it',
      );
    } else if (!config.metricsToken && !config.sandbox) {
      log.warn(
        '/metrics has no metricsToken: it answers anyone connecting from this machine without X-Forwarded-* headers; a reverse proxy on this machine that adds none would make it public: set metricsToken (PUSHLINE_METRICS_TOKEN)',
      );
    }
  }

  let closed = false;
  let orphanTimer: NodeJS.Timeout | undefined;
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
    consoleUsers,
    consoleSessions,
    consoleGuards,
    tags,
    attributes,
    audience,
    pushTasks,
    pushQueue,
    certificateService,
    channels,
    metrics,
    v4Commands: v4.commands,
    openApi,
    outcomes,
    http,
    sessions,
    bindings,
    router,
    gateway,
    groups,
    receiveSettings,
    messaging,
    inbox,
    recall,
    webhooks,
    pushEngine,
    signaling,
    now,
    async listen() {
      logExposure();
      const url = await http.listen({ port: config.port, host: config.host });
      await pushEngine.start();
      // Open the vendor connections of the certificates in use now, not when their first push waits for them.
      certificates
        .warmable(config.warmConnections, WARMABLE_VENDORS)
        .then((ids) => channels.warm(ids))
        .catch((err: unknown) => log.warn({ err }, 'opening vendor connections at start'));
      // Listening is reported once the send workers have started: a push accepted before would wait for
      // them (~100 ms on a 2-core machine). Bounded, so that a worker that cannot start does not hold it up.
      await awaitAtMost(channels.ready(), SEND_WORKERS_START_MS);
      signaling.start();
      if (isOutbox(pushQueue)) pushQueue.start();
      await resumeUnfinished(pushTasks, pushEngine.fanOut);
      // Several nodes: push tasks of a node that died are picked up by the others.
      if (config.redis) {
        const staleMs = 2 * config.nodeTimeout * 1000;
        orphanTimer = setInterval(() => {
          resumeOrphaned(pushTasks, pushEngine.fanOut, staleMs, now()).catch((err: unknown) =>
            log.error({ err }, 'resuming orphaned push tasks'),
          );
        }, staleMs / 2);
        orphanTimer.unref();
      }
      return url;
    },
    async close() {
      if (closed) return;
      closed = true;
      await signaling.stop();
      clearInterval(orphanTimer);
      await gateway.close();
      webhooks.close();
      await closeHttp(http, config.shutdownTimeout * 500, log);
      await pushEngine.stop();
      node.release();
      await pushQueue.close();
      if (router instanceof RedisRouter) await router.close();
      if (sharedRedis) await closeRedis(sharedRedis);
      await channels.close();
      await outcomes.close();
      await dailyStats.close();
      await database.close();
    },
  };
}

/**
 * Stops accepting connections and lets the requests in flight finish, closing each connection as soon as it
 * falls idle; whatever still runs after `drainMs` (a client that stalls mid-request) is cut.
 */
async function closeHttp(http: FastifyInstance, drainMs: number, log: Logger): Promise<void> {
  const server = http.server;
  const reap = setInterval(() => server.closeIdleConnections(), 50);
  const cut = setTimeout(() => {
    log.warn({ drainMs }, 'shutting down: cutting the HTTP requests still running');
    server.closeAllConnections();
  }, drainMs);
  try {
    await http.close();
  } finally {
    clearInterval(reap);
    clearTimeout(cut);
  }
}

/** How long a starting node waits for its send workers before it reports itself listening anyway. */
const SEND_WORKERS_START_MS = 5_000;

/** Waits for `work`, but no longer than `ms`; never rejects. */
async function awaitAtMost(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work.catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}
