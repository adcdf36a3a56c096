// APNs provider API: HTTP/2 over TLS, POST /3/device/<token>. One listener per environment.
// Token auth (ES256 provider JWT) and certificate auth (mutual TLS) on the same listener, like Apple.
// Rules and reasons: docs/internals/apns.md. Guessed [U] choices are marked where they are made.
import { randomUUID } from 'node:crypto';
import {
  createSecureServer,
  constants as h2c,
  type IncomingHttpHeaders,
  type ServerHttp2Session,
  type ServerHttp2Stream,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { APNS_REASONS } from '@pushline/contracts';
import type { SimContext } from '../core/context.js';
import type { ApnsKey } from '../core/credentials.js';
import { type RunningServer, urlHost } from '../core/http-vendor.js';
import { decodeJwt, verifyJwt } from '../core/jwt.js';
import type { RawRequest } from '../core/records.js';
import { apnsCertificateTopics, parseApnsCertificateSubject } from '../core/tls.js';

export type ApnsEnvironment = 'production' | 'development';

export const APNS_PUSH_TYPES = new Set([
  'alert',
  'background',
  'location',
  'voip',
  'complication',
  'fileprovider',
  'mdm',
  'liveactivity',
  'pushtotalk',
]);

/** Topic suffix per push type (docs/internals/apns.md#request). mdm uses the certificate UID, unchecked. */
const TOPIC_SUFFIX: Record<string, string> = {
  voip: '.voip',
  complication: '.complication',
  fileprovider: '.pushkit.fileprovider',
  location: '.location-query',
  liveactivity: '.push-type.liveactivity',
  pushtotalk: '.voip-ptt',
};
const ALL_SUFFIXES = Object.values(TOPIC_SUFFIX);
const TOKEN_ONLY_PUSH_TYPES = new Set(['location', 'liveactivity']);
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOUR = 3600;
const TOKEN_UPDATE_WINDOW_MS = 20 * 60_000;

/**
 * APNs' HTTP status per reason (docs/internals/apns.md#answers-and-outcomes): @pushline/contracts' APNS_REASONS,
 * the table the server's APNs channel explains; other reasons are 400.
 */
export const APNS_REASON_STATUS: Readonly<Record<string, number>> = APNS_REASONS;
const DEFAULT_REASON_FOR_STATUS: Record<number, string> = {
  400: 'BadDeviceToken',
  403: 'Forbidden',
  404: 'BadPath',
  405: 'MethodNotAllowed',
  410: 'Unregistered',
  413: 'PayloadTooLarge',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  503: 'ServiceUnavailable',
};

class Rejection {
  constructor(
    readonly reason: string,
    readonly timestamp?: number,
  ) {}
}

interface SessionState {
  /** Certificate auth: what the client certificate allows, or the reason it is refused. */
  cert?:
    | { bundleId: string; topics: string[]; environment: 'production' | 'development' | 'both' }
    | { bad: string };
  /** Token auth: one team per connection. */
  teamId?: string;
  streams: number;
  raised: boolean;
}

interface VerifiedJwt {
  key: ApnsKey;
  iat: number;
}

export interface ApnsServers {
  production: RunningServer;
  development: RunningServer;
}

export async function startApns(
  ctx: SimContext,
  opts: { host: string; productionPort?: number; developmentPort?: number },
): Promise<ApnsServers> {
  // Caches shared by both listeners: verified JWT strings, and distinct tokens seen per key.
  const jwtCache = new Map<string, VerifiedJwt>();
  const tokenUpdates = new Map<string, number[]>();
  const [production, development] = await Promise.all([
    startListener(ctx, 'production', opts.host, opts.productionPort ?? 0, jwtCache, tokenUpdates),
    startListener(ctx, 'development', opts.host, opts.developmentPort ?? 0, jwtCache, tokenUpdates),
  ]);
  return { production, development };
}

async function startListener(
  ctx: SimContext,
  environment: ApnsEnvironment,
  host: string,
  port: number,
  jwtCache: Map<string, VerifiedJwt>,
  tokenUpdates: Map<string, number[]>,
): Promise<RunningServer> {
  const states = new WeakMap<ServerHttp2Session, SessionState>();
  const sessions = new Set<ServerHttp2Session>();
  const server = createSecureServer({
    key: ctx.tls.keyPem,
    cert: ctx.tls.certPem,
    ca: ctx.tls.caPem,
    allowHTTP1: false,
    requestCert: true,
    rejectUnauthorized: false,
    // 1 until the first accepted push on a token-auth connection (docs/internals/apns.md#connections).
    settings: { maxConcurrentStreams: 1 },
    maxSessionMemory: 64,
  });
  server.on('tlsClientError', () => {});
  server.on('session', (session: ServerHttp2Session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
    session.on('error', () => {});
    const state: SessionState = { streams: 0, raised: false };
    const socket = session.socket as TLSSocket;
    const peer = socket.getPeerCertificate?.();
    if (peer && Object.keys(peer).length > 0) {
      const parsed = parseApnsCertificateSubject(peer.subject as unknown as Record<string, string>);
      if (!socket.authorized || !parsed) state.cert = { bad: 'BadCertificate' };
      else if (parsed.environment !== 'both' && parsed.environment !== environment) {
        state.cert = { bad: 'BadCertificateEnvironment' };
      } else {
        state.cert = {
          bundleId: parsed.bundleId,
          environment: parsed.environment,
          topics: apnsCertificateTopics(parsed.bundleId, parsed.environment, parsed.voip),
        };
        // Certificate connections are authenticated by the handshake: full stream limit at once.
        raise(session, state);
      }
    }
    states.set(session, state);
  });
  server.on(
    'stream',
    (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, _flags: number, rawHeaders: unknown) => {
      stream.on('error', () => {});
      const session = stream.session as ServerHttp2Session | undefined;
      const state = session && states.get(session);
      if (!session || !state) {
        stream.close(h2c.NGHTTP2_INTERNAL_ERROR);
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
        try {
          handle(stream, session, state, headers, rawHeaders as string[] | undefined, body);
        } catch {
          // A simulator bug must not take the listener down: answer like an APNs internal error.
          respond(stream, 500, randomUUID(), 'InternalServerError');
        }
      });
    },
  );

  const raise = (session: ServerHttp2Session, state: SessionState) => {
    if (state.raised || session.destroyed) return;
    state.raised = true;
    session.settings({ maxConcurrentStreams: ctx.options.apnsMaxConcurrentStreams });
  };
  const lower = (session: ServerHttp2Session, state: SessionState) => {
    if (!state.raised || session.destroyed) return;
    state.raised = false;
    session.settings({ maxConcurrentStreams: 1 });
  };

  const handle = (
    stream: ServerHttp2Stream,
    session: ServerHttp2Session,
    state: SessionState,
    headers: IncomingHttpHeaders,
    rawHeaders: string[] | undefined,
    body: Buffer,
  ): void => {
    const fault = ctx.faults.decide('apns');
    if (fault?.latencyMs) {
      setTimeout(
        () => finish(stream, session, state, headers, rawHeaders, body, fault.reset, fault),
        fault.latencyMs,
      );
    } else finish(stream, session, state, headers, rawHeaders, body, fault?.reset ?? false, fault);
  };

  const finish = (
    stream: ServerHttp2Stream,
    session: ServerHttp2Session,
    state: SessionState,
    headers: IncomingHttpHeaders,
    rawHeaders: string[] | undefined,
    body: Buffer,
    reset: boolean,
    fault: ReturnType<typeof ctx.faults.decide>,
  ): void => {
    if (reset) {
      ctx.records.countRequest('apns', 'reset', false, true);
      session.destroy();
      return;
    }
    const apnsId = typeof headers['apns-id'] === 'string' ? headers['apns-id'] : randomUUID();
    let reason: string | undefined;
    let timestamp: number | undefined;
    let injected = false;
    if (fault?.status) {
      injected = true;
      reason = fault.status.reason ?? DEFAULT_REASON_FOR_STATUS[fault.status.status] ?? 'InternalServerError';
      respond(stream, fault.status.status, apnsId, reason, undefined, fault.status.retryAfter);
    } else if (fault?.quotaExceeded) {
      injected = true;
      reason = 'TooManyRequests';
      respond(stream, 429, apnsId, reason);
    } else {
      try {
        accept(stream, session, state, headers, rawHeaders, body, apnsId);
      } catch (e) {
        if (!(e instanceof Rejection)) throw e;
        reason = e.reason;
        timestamp = e.timestamp;
        respond(stream, APNS_REASON_STATUS[reason] ?? 400, apnsId, reason, timestamp);
      }
    }
    ctx.records.countRequest('apns', reason ?? 'ok', reason === undefined, injected);
    if (reason !== undefined && ctx.options.apnsDropStreamsOnError) lower(session, state);
    afterStream(session, state);
  };

  const accept = (
    stream: ServerHttp2Stream,
    session: ServerHttp2Session,
    state: SessionState,
    headers: IncomingHttpHeaders,
    rawHeaders: string[] | undefined,
    body: Buffer,
    apnsId: string,
  ): void => {
    if (headers[':method'] !== 'POST') throw new Rejection('MethodNotAllowed');
    const path = headers[':path'] ?? '';
    if (!path.startsWith('/3/device/')) throw new Rejection('BadPath');
    const token = path.slice('/3/device/'.length);
    if (token === '') throw new Rejection('MissingDeviceToken');
    if (token.includes('/') || token.includes('?')) throw new Rejection('BadPath');
    if (rawHeaders && hasDuplicateHeaders(rawHeaders)) throw new Rejection('DuplicateHeaders');

    // Authentication: a client certificate decides everything; otherwise the provider token.
    let key: ApnsKey | undefined;
    let certTopics: string[] | undefined;
    if (state.cert) {
      if ('bad' in state.cert) throw new Rejection(state.cert.bad);
      certTopics = state.cert.topics;
    } else {
      key = verifyProviderToken(headers.authorization, state);
    }

    const pushType = headerValue(headers['apns-push-type']) ?? 'alert';
    if (!APNS_PUSH_TYPES.has(pushType)) throw new Rejection('InvalidPushType');
    const idHeader = headers['apns-id'];
    if (idHeader !== undefined && !UUID_RE.test(String(idHeader))) throw new Rejection('BadMessageId');
    const expiration = headerValue(headers['apns-expiration']);
    if (expiration !== undefined && !/^\d+$/.test(expiration)) throw new Rejection('BadExpirationDate');
    const priorityHeader = headerValue(headers['apns-priority']);
    if (
      priorityHeader !== undefined &&
      priorityHeader !== '10' &&
      priorityHeader !== '5' &&
      priorityHeader !== '1'
    ) {
      throw new Rejection('BadPriority');
    }
    const priority = priorityHeader ?? '10';
    if (pushType === 'background' && priority === '10') throw new Rejection('BadPriority');
    const collapseId = headerValue(headers['apns-collapse-id']);
    if (collapseId !== undefined && Buffer.byteLength(collapseId) > 64) throw new Rejection('BadCollapseId');

    let topic = headerValue(headers['apns-topic']);
    if (topic === undefined || topic === '') {
      // A single-topic certificate implies its topic; token auth and multi-topic certificates need the header.
      if (certTopics && certTopics.length === 1) topic = certTopics[0] as string;
      else throw new Rejection('MissingTopic');
    }
    const suffix = TOPIC_SUFFIX[pushType];
    if (pushType !== 'mdm') {
      // [U] a topic whose suffix does not match the push type is answered BadTopic.
      if (suffix ? !topic.endsWith(suffix) : ALL_SUFFIXES.some((s) => topic.endsWith(s) && s !== '.voip')) {
        throw new Rejection('BadTopic');
      }
    }
    const bundleId = bundleOf(topic);
    if (key) {
      if (!key.topics.has(bundleId)) throw new Rejection('InvalidProviderToken');
    } else if (certTopics) {
      if (TOKEN_ONLY_PUSH_TYPES.has(pushType)) throw new Rejection('TopicDisallowed'); // [U] exact reason
      if (!certTopics.includes(topic)) throw new Rejection('BadTopic');
    }

    const device = ctx.devices.get('apns', token);
    if (!device || device.environment !== environment) throw new Rejection('BadDeviceToken');
    if (device.app !== bundleId) throw new Rejection('DeviceTokenNotForTopic');
    // PushKit tokens take VoIP-family topics only, and vice versa. [U] exact reason
    const voipTopic = topic.endsWith('.voip') || topic.endsWith('.voip-ptt');
    if (Boolean(device.voip) !== voipTopic) throw new Rejection('DeviceTokenNotForTopic');
    if (!device.installed) throw new Rejection('Unregistered', device.uninstalledAt ?? Date.now());

    if (body.length === 0) throw new Rejection('PayloadEmpty');
    if (body.length > (pushType === 'voip' ? 5120 : 4096)) throw new Rejection('PayloadTooLarge');

    const headersOut: Record<string, string> = { ':status': '200', 'apns-id': apnsId };
    if (environment === 'development') headersOut['apns-unique-id'] = randomUUID();
    if (!stream.destroyed) stream.respond(headersOut, { endStream: true });
    if (key) raise(session, state);
    const record = ctx.records.add(
      toRecord(token, bundleId, environment, pushType, priority, collapseId, apnsId, headers, body),
    );
    // The app acts on a recall's background push: removeDeliveredNotifications(withIdentifiers:).
    const recall = record.retraction
      ? (record.data as { recall?: { collapseId?: unknown } }).recall
      : undefined;
    if (typeof recall?.collapseId === 'string') ctx.records.retract('apns', token, recall.collapseId, 'app');
  };

  const verifyProviderToken = (authorization: string | undefined, state: SessionState): ApnsKey => {
    if (!authorization) throw new Rejection('MissingProviderToken');
    const sp = authorization.indexOf(' ');
    if (sp < 0 || authorization.slice(0, sp).toLowerCase() !== 'bearer')
      throw new Rejection('InvalidProviderToken');
    const jwt = authorization.slice(sp + 1).trim();
    if (jwt === '') throw new Rejection('MissingProviderToken');
    const now = Date.now() / 1000;
    let verified = jwtCache.get(jwt);
    if (!verified) {
      const decoded = decodeJwt(jwt);
      const kid = decoded?.header.kid;
      const key = typeof kid === 'string' ? ctx.credentials.apnsKeys.get(kid) : undefined;
      if (
        !decoded ||
        !key ||
        decoded.payload.iss !== key.teamId ||
        !verifyJwt(decoded, 'ES256', key.publicKey)
      ) {
        throw new Rejection('InvalidProviderToken');
      }
      const iat = decoded.payload.iat;
      if (typeof iat !== 'number') throw new Rejection('InvalidProviderToken');
      if (iat + HOUR < now) throw new Rejection('ExpiredProviderToken');
      // Too many distinct tokens for one key within 20 minutes (Apple forum 770438).
      const seen = (tokenUpdates.get(key.keyId) ?? []).filter((t) => t > Date.now() - TOKEN_UPDATE_WINDOW_MS);
      if (seen.length >= ctx.options.apnsTokenUpdateLimit) {
        tokenUpdates.set(key.keyId, seen);
        throw new Rejection('TooManyProviderTokenUpdates');
      }
      seen.push(Date.now());
      tokenUpdates.set(key.keyId, seen);
      verified = { key, iat };
      if (jwtCache.size > 10_000) jwtCache.clear();
      jwtCache.set(jwt, verified);
    }
    if (verified.iat + HOUR < now) throw new Rejection('ExpiredProviderToken');
    // The key may have been re-registered (new topics) or replaced since the token was verified.
    const current = ctx.credentials.apnsKeys.get(verified.key.keyId);
    if (current !== verified.key) {
      if (
        !current ||
        current.teamId !== verified.key.teamId ||
        !current.publicKey.equals(verified.key.publicKey)
      ) {
        jwtCache.delete(jwt);
        throw new Rejection('InvalidProviderToken');
      }
      verified.key = current;
    }
    // Real APNs pins one team per connection.
    state.teamId ??= verified.key.teamId;
    if (state.teamId !== verified.key.teamId) throw new Rejection('InvalidProviderToken');
    return verified.key;
  };

  const afterStream = (session: ServerHttp2Session, state: SessionState) => {
    const goaway = ctx.faults.goaway('apns');
    if (!goaway) return;
    state.streams++;
    if (state.streams === goaway.afterStreams && !session.destroyed) {
      session.goaway(
        h2c.NGHTTP2_NO_ERROR,
        undefined,
        Buffer.from(JSON.stringify({ reason: goaway.reason ?? 'Shutdown' })),
      );
      session.close();
    }
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `https://${urlHost(host)}:${actualPort}`,
    port: actualPort,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sessions) {
          if (!s.destroyed) s.goaway(h2c.NGHTTP2_NO_ERROR, undefined, Buffer.from('{"reason":"Shutdown"}'));
          s.destroy();
        }
      }),
  };
}

function respond(
  stream: ServerHttp2Stream,
  status: number,
  apnsId: string,
  reason: string,
  timestamp?: number,
  retryAfter?: number,
): void {
  if (stream.destroyed) return;
  const headers: Record<string, string | number> = {
    ':status': status,
    'apns-id': apnsId,
    'content-type': 'application/json',
  };
  if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
  stream.respond(headers);
  // 410 carries the last time the token was known invalid, in epoch milliseconds
  // (docs/internals/apns.md#answers-and-outcomes).
  stream.end(JSON.stringify(timestamp !== undefined ? { reason, timestamp } : { reason }));
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function bundleOf(topic: string): string {
  for (const s of ALL_SUFFIXES) if (topic.endsWith(s)) return topic.slice(0, -s.length);
  return topic;
}

const CHECKED_HEADERS = new Set([
  'authorization',
  'apns-id',
  'apns-topic',
  'apns-push-type',
  'apns-priority',
  'apns-expiration',
  'apns-collapse-id',
]);

function hasDuplicateHeaders(raw: string[]): boolean {
  const names: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    if (!CHECKED_HEADERS.has(name)) continue;
    if (names.includes(name)) return true;
    names.push(name);
  }
  return false;
}

function toRecord(
  token: string,
  bundleId: string,
  environment: ApnsEnvironment,
  pushType: string,
  priority: string,
  collapseId: string | undefined,
  apnsId: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
) {
  const text = body.toString('utf8');
  const raw: RawRequest = { method: 'POST', path: headers[':path'] ?? '', headers, body: text };
  let payload: Record<string, unknown> = {};
  try {
    const p = JSON.parse(text);
    if (p && typeof p === 'object') payload = p;
  } catch {
    // Not JSON: the phone shows nothing, the raw body stays in the record.
  }
  const aps = (payload.aps ?? {}) as Record<string, unknown>;
  const alert = aps.alert;
  const a = (typeof alert === 'object' && alert !== null ? alert : {}) as Record<string, unknown>;
  const { aps: _aps, ...custom } = payload;
  const sound = aps.sound;
  return {
    vendor: 'apns' as const,
    token,
    app: bundleId,
    environment,
    messageId: apnsId,
    title: str(a.title),
    body: typeof alert === 'string' ? alert : str(a.body),
    subtitle: str(a.subtitle),
    badge: typeof aps.badge === 'number' ? aps.badge : undefined,
    sound: typeof sound === 'string' ? sound : isObj(sound) ? str(sound.name) : undefined,
    category: str(aps.category),
    channel: str(aps['thread-id']),
    image: undefined,
    clickAction: str(aps.category),
    data: Object.keys(custom).length > 0 ? custom : undefined,
    priority,
    pushType,
    collapseId,
    // iOS identifies a notification by its apns-collapse-id when it has one.
    notifyId: collapseId,
    retraction: pushType === 'background' && isObj(custom.recall) ? true : undefined,
    raw,
  };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}
