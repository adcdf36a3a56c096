// Configuration: defaults < config file (--config / PUSHLINE_CONFIG, JSON or YAML) < PUSHLINE_* environment
// < command-line flags. Every key is listed once in CONFIG_KEYS, which also feeds docs/configuration.md.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DEFAULT_PUSH_RATE_LIMITS, parseVendorRateLimits } from './push/dispatch/rate-limits.js';

const url = z.string().url();

/** Names of address ranges that `trustProxy` accepts besides addresses and CIDRs (proxy-addr's). */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** Undefined when `entry` is an IP address, a CIDR or a range name, else the reason. */
export function proxyAddressProblem(entry: string): string | undefined {
  if (PROXY_RANGE_NAMES.includes(entry)) return undefined;
  const [address = '', prefix, extra] = entry.split('/');
  const kind = isIP(address);
  if (kind === 0 || extra !== undefined) {
    return `"${entry}" is not an IP address, a CIDR (10.0.0.0/8) or one of ${PROXY_RANGE_NAMES.join(', ')}`;
  }
  if (prefix !== undefined) {
    const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
    if (bits < 0 || bits > (kind === 4 ? 32 : 128)) return `"${entry}" has a bad prefix length`;
  }
  return undefined;
}

/**
 * `trustProxy`: a boolean, or the proxies' addresses. A string (environment, flags, config file) is
 * `true`/`false` (also 1/0, yes/no, on/off) or a comma-separated list.
 */
const trustProxySchema = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value;
    const text = value.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(text)) return true;
    if (['', '0', 'false', 'no', 'off'].includes(text)) return false;
    return value.split(',').map((v) => v.trim());
  },
  z.union([
    z.boolean(),
    z
      .array(z.string())
      .min(1)
      .superRefine((list, ctx) => {
        for (const entry of list) {
          const problem = proxyAddressProblem(entry);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }
      }),
  ]),
);

/**
 * `publicAddresses`: the IP addresses or CIDR ranges of this deployment (ConfigSvc/GetIPList). A string
 * (environment, flags) is a comma-separated list; empty means "not set".
 */
const publicAddressesSchema = z.preprocess(
  (value) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((v) => v.trim())
          .filter((v) => v !== '')
      : value,
  z
    .array(z.string())
    .superRefine((list, ctx) => {
      for (const entry of list) {
        if (!isAddressOrCidr(entry))
          ctx.addIssue({ code: 'custom', message: `"${entry}" is not an IP address or CIDR range` });
      }
    })
    .optional(),
);

function isAddressOrCidr(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  const version = isIP(address ?? '');
  if (version === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
}

export const configSchema = z.object({
  host: z.string().min(1),
  port: z.coerce.number().int().min(0).max(65535),
  dataDir: z.string().min(1),
  db: z.string().min(1).optional(),
  redis: z.string().min(1).optional(),
  redisPrefix: z.string().min(1),
  pushQueue: z.enum(['auto', 'sql', 'redis']),
  nodeTimeout: z.coerce.number().int().min(1).max(600),
  nodeId: z
    .string()
    .regex(/^[\w.:-]{1,100}$/, 'letters, digits and . _ : - only, at most 100')
    .optional(),
  masterKey: z.string().min(1).optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  bodyLimit: z.coerce.number().int().min(1024),
  httpHeadersTimeout: z.coerce.number().int().min(1).max(3600),
  httpRequestTimeout: z.coerce.number().int().min(1).max(3600),
  httpKeepAliveTimeout: z.coerce.number().int().min(1).max(3600),
  httpIdleTimeout: z.coerce.number().int().min(1).max(86_400),
  httpMaxConnections: z.coerce.number().int().min(1).max(10_000_000),
  metricsToken: z.string().min(1).optional(),
  trustProxy: trustProxySchema,
  sandbox: z.boolean(),
  apnsProductionUrl: url,
  apnsDevelopmentUrl: url,
  fcmUrl: url,
  fcmOAuthUrl: url,
  huaweiUrl: url,
  huaweiOAuthUrl: url,
  honorUrl: url,
  honorOAuthUrl: url,
  xiaomiUrl: url,
  oppoUrl: url,
  vivoUrl: url,
  meizuUrl: url,
  caFile: z.string().min(1).optional(),
  heartbeatTimeout: z.coerce.number().int().min(10).max(3600),
  gatewayMaxBufferedBytes: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .max(1024 * 1024 * 1024),
  gatewayMaxInFlight: z.coerce.number().int().min(1).max(10_000),
  pushBatchSize: z.coerce.number().int().min(1).max(10_000),
  pushConcurrency: z.coerce.number().int().min(1).max(64),
  pushMaxAttempts: z.coerce.number().int().min(1).max(100),
  pushVisibilityTimeout: z.coerce.number().int().min(5).max(3600),
  workers: z.union([z.literal('auto'), z.coerce.number().int().min(1).max(64)]),
  warmConnections: z.coerce.number().int().min(0).max(10_000),
  pushRateLimits: z.string().superRefine((value, ctx) => {
    try {
      parseVendorRateLimits(value);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
  }),
  pushTraceRetentionDays: z.coerce.number().int().min(1).max(365),
  pushStatsRetentionDays: z.coerce.number().int().min(1).max(3650),
  publicUrl: url.optional(),
  publicAddresses: publicAddressesSchema,
  shutdownTimeout: z.coerce.number().int().min(1).max(3600),
});

export type PushlineConfig = z.infer<typeof configSchema>;
export type ConfigKey = keyof PushlineConfig;

interface KeySpec {
  env: string;
  default?: string | number | boolean;
  describe: string;
  /** The environment's string goes to the schema as it is (no true/false parsing for boolean defaults). */
  raw?: boolean;
}

export const CONFIG_KEYS: Record<ConfigKey, KeySpec> = {
  host: { env: 'PUSHLINE_HOST', default: '0.0.0.0', describe: 'Address to listen on (sandbox: 127.0.0.1).' },
  port: { env: 'PUSHLINE_PORT', default: 8080, describe: 'HTTP and WebSocket port; 0 picks a free one.' },
  dataDir: {
    env: 'PUSHLINE_DATA',
    default: './data',
    describe: 'Data directory: SQLite database, generated master key.',
  },
  db: {
    env: 'PUSHLINE_DB',
    describe:
      'Database URL: `sqlite:<file>` (default `sqlite:<data>/pushline.db`) or `postgres://user@host/db`.',
  },
  redis: {
    env: 'PUSHLINE_REDIS',
    describe:
      'Redis URL (`redis://[:password@]host:6379[/db]`, `rediss://` for TLS) for running several nodes: live routing between nodes and, by default, the push queue. See docs/deployment.md.',
  },
  redisPrefix: {
    env: 'PUSHLINE_REDIS_PREFIX',
    default: 'pushline:',
    describe: 'Prefix of every Redis key and channel; deployments sharing one Redis need different prefixes.',
  },
  pushQueue: {
    env: 'PUSHLINE_PUSH_QUEUE',
    default: 'auto',
    describe:
      '`sql` (the `push_jobs` table), `redis`, or `auto`: `redis` when `redis` is set, else `sql`. With `redis`, push jobs still commit to the database with their message and a relay moves them to Redis.',
  },
  nodeTimeout: {
    env: 'PUSHLINE_NODE_TIMEOUT',
    default: 30,
    describe:
      'Seconds a node may stay silent before the other nodes consider it dead: they take back the push jobs it had leased and, with Redis, mark the devices connected to it PushOnline or Offline.',
  },
  nodeId: {
    env: 'PUSHLINE_NODE_ID',
    describe:
      "This node's stable name; its push-job leases carry it, so that the node restarted under the same name takes back at once what it held when it died (docs/delivery.md). Default: generated once and kept in `<data>/node-id`. Every node needs its own.",
  },
  masterKey: {
    env: 'PUSHLINE_MASTER_KEY',
    describe:
      'Key that encrypts secrets at rest: 64 hex chars or base64 of 32 bytes. Default: `<data>/master.key`, generated with mode 0600. Every node of a cluster needs the same key.',
  },
  logLevel: {
    env: 'PUSHLINE_LOG_LEVEL',
    default: 'info',
    describe: 'fatal, error, warn, info, debug, trace or silent.',
  },
  bodyLimit: {
    env: 'PUSHLINE_BODY_LIMIT',
    default: 1_048_576,
    describe: 'Largest accepted request body in bytes; larger `v4` requests get error 93000.',
  },
  httpHeadersTimeout: {
    env: 'PUSHLINE_HTTP_HEADERS_TIMEOUT',
    default: 15,
    describe:
      'Seconds a client has to send the request line and headers (also of a WebSocket upgrade); a slower one gets 408 and is closed. At most `httpRequestTimeout`.',
  },
  httpRequestTimeout: {
    env: 'PUSHLINE_HTTP_REQUEST_TIMEOUT',
    default: 30,
    describe:
      'Seconds a client has to send a whole request, body included; a slower one gets 408 and is closed (a body shorter than its Content-Length no longer holds the connection).',
  },
  httpKeepAliveTimeout: {
    env: 'PUSHLINE_HTTP_KEEP_ALIVE_TIMEOUT',
    default: 72,
    describe:
      'Seconds an idle keep-alive connection is kept between two requests; keep it above the idle timeout of a load balancer in front (60 s on AWS ALB).',
  },
  httpIdleTimeout: {
    env: 'PUSHLINE_HTTP_IDLE_TIMEOUT',
    default: 120,
    describe:
      'Seconds a connection may go without any traffic either way while a request is received or answered; then it is closed. WebSocket connections have their own heartbeat (`heartbeatTimeout`).',
  },
  httpMaxConnections: {
    env: 'PUSHLINE_HTTP_MAX_CONNECTIONS',
    default: 100_000,
    describe:
      'Most open TCP connections of the HTTP port, WebSocket clients included; further ones are closed at once. Keep it below the open-files limit (`ulimit -n`).',
  },
  metricsToken: {
    env: 'PUSHLINE_METRICS_TOKEN',
    describe: 'Bearer token for `/metrics`. Without it, `/metrics` answers loopback clients only.',
  },
  trustProxy: {
    env: 'PUSHLINE_TRUST_PROXY',
    default: false,
    describe:
      'Reverse proxies whose `X-Forwarded-For`/`-Proto`/`-Host` headers are believed: a comma-separated list (a YAML/JSON list in a config file) of addresses, CIDRs (`10.0.0.0/8`) or `loopback`, `linklocal`, `uniquelocal`. `true` means `loopback` only (a proxy on the same machine); `false` believes no forwarded header. Headers from any other address are ignored. See docs/security.md.',
    raw: true,
  },
  sandbox: {
    env: 'PUSHLINE_SANDBOX',
    default: false,
    describe: 'Sandbox mode: demo app and demo data; what `npm start` runs.',
  },
  apnsProductionUrl: {
    env: 'PUSHLINE_APNS_PRODUCTION_URL',
    default: 'https://api.push.apple.com',
    describe: 'APNs production host.',
  },
  apnsDevelopmentUrl: {
    env: 'PUSHLINE_APNS_DEVELOPMENT_URL',
    default: 'https://api.sandbox.push.apple.com',
    describe: 'APNs development (sandbox) host.',
  },
  fcmUrl: {
    env: 'PUSHLINE_FCM_URL',
    default: 'https://fcm.googleapis.com',
    describe: 'FCM HTTP v1 base URL.',
  },
  fcmOAuthUrl: {
    env: 'PUSHLINE_FCM_OAUTH_URL',
    default: 'https://oauth2.googleapis.com/token',
    describe: 'Google OAuth2 token endpoint used for FCM service accounts.',
  },
  huaweiUrl: {
    env: 'PUSHLINE_HUAWEI_URL',
    default: 'https://push-api.cloud.huawei.com',
    describe: 'Huawei Push Kit base URL.',
  },
  huaweiOAuthUrl: {
    env: 'PUSHLINE_HUAWEI_OAUTH_URL',
    default: 'https://oauth-login.cloud.huawei.com/oauth2/v3/token',
    describe: 'Huawei OAuth token endpoint.',
  },
  honorUrl: {
    env: 'PUSHLINE_HONOR_URL',
    default: 'https://push-api.cloud.hihonor.com',
    describe: 'Honor Push base URL.',
  },
  honorOAuthUrl: {
    env: 'PUSHLINE_HONOR_OAUTH_URL',
    default: 'https://iam.developer.hihonor.com/auth/token',
    describe: 'Honor OAuth token endpoint.',
  },
  xiaomiUrl: {
    env: 'PUSHLINE_XIAOMI_URL',
    default: 'https://api.xmpush.xiaomi.com',
    describe: 'Xiaomi MiPush base URL.',
  },
  oppoUrl: {
    env: 'PUSHLINE_OPPO_URL',
    default: 'https://api.push.oppomobile.com',
    describe: 'OPPO Push base URL.',
  },
  vivoUrl: {
    env: 'PUSHLINE_VIVO_URL',
    default: 'https://api-push.vivo.com.cn',
    describe: 'vivo Push base URL.',
  },
  meizuUrl: {
    env: 'PUSHLINE_MEIZU_URL',
    default: 'https://server-api-push.meizu.com',
    describe: 'Meizu Push base URL.',
  },
  caFile: {
    env: 'PUSHLINE_CA_FILE',
    describe: 'Extra trusted CA certificate (PEM) for vendor connections, e.g. the simulator CA.',
  },
  heartbeatTimeout: {
    env: 'PUSHLINE_HEARTBEAT_TIMEOUT',
    default: 90,
    describe:
      'Seconds a client connection may stay silent before the gateway drops it (its device then becomes PushOnline, or Offline without a push token). The SDK heartbeats every third of this.',
  },
  gatewayMaxBufferedBytes: {
    env: 'PUSHLINE_GATEWAY_MAX_BUFFERED_BYTES',
    default: 4 * 1024 * 1024,
    describe:
      'Bytes waiting to be sent on one WebSocket above which the gateway stops reading its requests until the client has read half of them; at twice this the socket is closed with 4009 (a client that does not read).',
  },
  gatewayMaxInFlight: {
    env: 'PUSHLINE_GATEWAY_MAX_IN_FLIGHT',
    default: 32,
    describe:
      'Requests of one WebSocket queued or running at once; further ones are answered at once with code 7008.',
  },
  pushBatchSize: {
    env: 'PUSHLINE_PUSH_BATCH_SIZE',
    default: 500,
    describe: 'Push jobs the dispatcher leases and sends per batch.',
  },
  pushConcurrency: {
    env: 'PUSHLINE_PUSH_CONCURRENCY',
    default: 4,
    describe: 'Batches the dispatcher sends at the same time.',
  },
  pushMaxAttempts: {
    env: 'PUSHLINE_PUSH_MAX_ATTEMPTS',
    default: 8,
    describe:
      'Send attempts per push before it becomes a dead letter (retries back off exponentially with jitter, honouring Retry-After).',
  },
  pushVisibilityTimeout: {
    env: 'PUSHLINE_PUSH_VISIBILITY_TIMEOUT',
    default: 60,
    describe:
      'Seconds a leased batch of push jobs stays invisible to other nodes; it must exceed the slowest vendor send. A node that dies holding a lease gives it back sooner: at its restart, or when the others see it dead (`nodeTimeout`).',
  },
  workers: {
    env: 'PUSHLINE_WORKERS',
    default: 'auto',
    describe:
      'Threads of a node: `1` runs everything on one thread; `N` moves the sending of pushes (vendor connections, TLS, request building) to N − 1 worker threads beside the main thread (HTTP, gateway, database, dispatcher). `auto`: the number of CPU cores. See docs/delivery.md.',
  },
  warmConnections: {
    env: 'PUSHLINE_WARM_CONNECTIONS',
    default: 100,
    describe:
      'At start, open the APNs and FCM connections of up to this many active certificates (most recently verified first), so that the first push after a restart does not wait for a TLS handshake; `0` opens them on first use. Idle connections still close after their idle time. See docs/delivery.md.',
  },
  pushRateLimits: {
    env: 'PUSHLINE_PUSH_RATE_LIMITS',
    default: DEFAULT_PUSH_RATE_LIMITS,
    describe:
      'Default send rate per certificate, by vendor: `<vendor>=<per second>[/<burst>]` or `<vendor>=off`, comma-separated; vendors not listed are unlimited. A certificate may set its own (`pushline cert limit`). Pushes over the limit wait; they are not retried or failed.',
  },
  pushTraceRetentionDays: {
    env: 'PUSHLINE_PUSH_TRACE_RETENTION_DAYS',
    default: 7,
    describe: 'Days a per-push trace (timpush/*_push_trace, receipts, clicks) is kept.',
  },
  pushStatsRetentionDays: {
    env: 'PUSHLINE_PUSH_STATS_RETENTION_DAYS',
    default: 90,
    describe: 'Days the hourly push counters (timpush/*_statistics, normal_push_loss) are kept.',
  },
  publicUrl: {
    env: 'PUSHLINE_PUBLIC_URL',
    describe:
      'The address push vendors reach this server at (e.g. `https://push.example.com`): the base of the delivery receipt URLs sent to vivo, Meizu and Xiaomi.',
  },
  publicAddresses: {
    env: 'PUSHLINE_PUBLIC_ADDRESSES',
    describe:
      'The IP addresses or CIDR ranges of this deployment, comma-separated (a YAML/JSON list in a config file): what `ConfigSvc/GetIPList` answers, for backends that allowlist the addresses clients connect to and callbacks come from. Unset: the addresses the server listens on.',
    raw: true,
  },
  shutdownTimeout: {
    env: 'PUSHLINE_SHUTDOWN_TIMEOUT',
    default: 20,
    describe:
      'Seconds a stop (SIGTERM, SIGINT) may take. HTTP requests still running after half of it are cut; a node not closed by then (a push batch waiting on a vendor) exits with status 1, and the jobs it still leased are taken back by its restart or the other nodes. Keep it below the stop timeout of your process manager.',
  },
};

export type ConfigInput = Partial<Record<ConfigKey, unknown>>;

/** Reads a JSON or YAML config file whose keys are the camelCase names of CONFIG_KEYS. */
export function readConfigFile(path: string): ConfigInput {
  const text = readFileSync(path, 'utf8');
  const data: unknown = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new Error(`config file ${path} must contain an object`);
  }
  const unknownKeys = Object.keys(data).filter((k) => !(k in CONFIG_KEYS));
  if (unknownKeys.length > 0) {
    throw new Error(`config file ${path} has unknown keys: ${unknownKeys.join(', ')}`);
  }
  return data as ConfigInput;
}

export function configFromEnv(env: NodeJS.ProcessEnv): ConfigInput {
  const out: ConfigInput = {};
  for (const [key, spec] of Object.entries(CONFIG_KEYS) as [ConfigKey, KeySpec][]) {
    const value = env[spec.env];
    if (value !== undefined && value !== '') out[key] = parseBooleanish(key, value);
  }
  return out;
}

function parseBooleanish(key: ConfigKey, value: unknown): unknown {
  const spec = CONFIG_KEYS[key];
  if (typeof spec.default === 'boolean' && !spec.raw && typeof value === 'string') {
    return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
  }
  return value;
}

export interface LoadConfigOptions {
  /** Values from command-line flags (highest precedence). */
  flags?: ConfigInput;
  env?: NodeJS.ProcessEnv;
  configFile?: string | undefined;
}

export function loadConfig(opts: LoadConfigOptions = {}): PushlineConfig {
  const env = opts.env ?? process.env;
  const file = opts.configFile ?? env.PUSHLINE_CONFIG;
  const defaults: ConfigInput = {};
  for (const [key, spec] of Object.entries(CONFIG_KEYS) as [ConfigKey, KeySpec][]) {
    if (spec.default !== undefined) defaults[key] = spec.default;
  }
  const merged: ConfigInput = {
    ...defaults,
    ...(file ? readConfigFile(file) : {}),
    ...configFromEnv(env),
    ...stripUndefined(opts.flags ?? {}),
  };
  if (merged.sandbox === true && opts.flags?.host === undefined && !env.PUSHLINE_HOST && !file) {
    merged.host = '127.0.0.1';
  }
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const key = String(i.path[0] ?? '');
      const spec = CONFIG_KEYS[key as ConfigKey];
      return `${key}${spec ? ` (${spec.env})` : ''}: ${i.message}`;
    });
    throw new Error(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  if (parsed.data.httpHeadersTimeout > parsed.data.httpRequestTimeout) {
    throw new Error(
      'invalid configuration:\n  httpHeadersTimeout (PUSHLINE_HTTP_HEADERS_TIMEOUT): at most httpRequestTimeout (PUSHLINE_HTTP_REQUEST_TIMEOUT)',
    );
  }
  if (parsed.data.pushQueue === 'redis' && !parsed.data.redis) {
    throw new Error(
      'invalid configuration:\n  pushQueue (PUSHLINE_PUSH_QUEUE): `redis` needs a Redis URL (PUSHLINE_REDIS)',
    );
  }
  return { ...parsed.data, dataDir: resolve(parsed.data.dataDir) };
}

function stripUndefined(input: ConfigInput): ConfigInput {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}

/** The node's threads (`workers`): `auto` is the number of cores this process may use. */
export function workerThreads(config: PushlineConfig): number {
  return config.workers === 'auto' ? Math.max(1, availableParallelism()) : config.workers;
}

/** The push queue in use: `auto` means Redis when a Redis URL is configured. */
export function pushQueueKind(config: PushlineConfig): 'sql' | 'redis' {
  if (config.pushQueue === 'auto') return config.redis ? 'redis' : 'sql';
  return config.pushQueue;
}

/**
 * The addresses (and CIDRs, range names) of the reverse proxies whose forwarded headers count; empty when
 * none do. `trustProxy: true` trusts a proxy on the same machine only, never every address.
 */
export function trustedProxies(config: Pick<PushlineConfig, 'trustProxy'>): string[] {
  if (config.trustProxy === false) return [];
  if (config.trustProxy === true) return ['loopback'];
  return config.trustProxy;
}

/**
 * Options of the HTTP server for the timeouts and the connection cap. Node reads the request and headers
 * timeouts when the server is created (setting them later has no effect on Node 20), and checks them every
 * `connectionsCheckingInterval` (30 s by default, far coarser than the timeouts): a quarter of the shorter
 * one here, between 250 ms and 5 s.
 */
export function httpServerOptions(config: PushlineConfig) {
  const headersTimeout = config.httpHeadersTimeout * 1000;
  const requestTimeout = config.httpRequestTimeout * 1000;
  const keepAliveTimeout = config.httpKeepAliveTimeout * 1000;
  return {
    http: {
      headersTimeout,
      requestTimeout,
      keepAliveTimeout,
      connectionsCheckingInterval: Math.min(
        5000,
        Math.max(250, Math.min(headersTimeout, requestTimeout) / 4),
      ),
    },
    requestTimeout,
    keepAliveTimeout,
    connectionTimeout: config.httpIdleTimeout * 1000,
  };
}

/** The database URL, defaulting to SQLite in the data directory. */
export function databaseUrl(config: PushlineConfig): string {
  return config.db ?? `sqlite:${resolve(config.dataDir, 'pushline.db')}`;
}
