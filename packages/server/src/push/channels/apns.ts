// Apple APNs over HTTP/2 (docs/internals/apns.md). One channel per certificate: token auth (.p8,
// ES256 provider token) or certificate auth (mutual TLS with the .p12's key). Development certificates go
// to the sandbox host, production ones to the production host. Sessions and queueing: http2-pool.ts.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http2';
import type { CertificateWithSecrets } from '../certificates/store.js';
import { withReceiptFields } from '../outcomes/receipt-fields.js';
import type { ApnsRequest, Channel, PushOutcome, PushTask } from '../types.js';
import { ApnsProviderToken, JWT_DEFAULT_REFRESH_MS } from './apns-jwt.js';
import type { ChannelContext } from './context.js';
import { Http2SessionPool } from './http2-pool.js';
import { type AnswerRow, fromTable, outcome, retryAfterMs, unsendable } from './outcomes.js';

/**
 * APNs answer (the `reason` of a non-200 answer) -> outcome. Apple: do not retry BadDeviceToken,
 * DeviceTokenNotForTopic, Forbidden, ExpiredToken, Unregistered, PayloadTooLarge; retry 429 and 5xx.
 */
export const APNS_ANSWERS: Record<string, AnswerRow> = {
  // 400
  BadCollapseId: { outcome: 'rejected', why: 'apns-collapse-id longer than 64 bytes' },
  BadDeviceToken: {
    outcome: 'invalid-token',
    why: 'malformed token, or a token of the other environment: a development (Xcode) build token sent with a production certificate or the reverse',
  },
  BadExpirationDate: { outcome: 'rejected', why: 'bad apns-expiration' },
  BadMessageId: { outcome: 'rejected', why: 'bad apns-id' },
  BadPriority: { outcome: 'rejected', why: 'bad apns-priority (background pushes need 5)' },
  BadTopic: { outcome: 'rejected', why: 'apns-topic not allowed for this push type or certificate' },
  DeviceTokenNotForTopic: { outcome: 'invalid-token', why: 'the token belongs to another app (bundle ID)' },
  DuplicateHeaders: { outcome: 'rejected', why: 'a header was repeated' },
  IdleTimeout: { outcome: 'retry', why: 'the connection idled out' },
  InvalidPushType: { outcome: 'rejected', why: 'bad apns-push-type' },
  MissingDeviceToken: { outcome: 'rejected', why: 'no token in the request path' },
  MissingTopic: { outcome: 'rejected', why: 'apns-topic is required for this certificate' },
  PayloadEmpty: { outcome: 'rejected', why: 'empty payload' },
  TopicDisallowed: { outcome: 'rejected', why: 'pushing to this topic is not allowed' },
  // 403
  BadCertificate: { outcome: 'credential-error', why: 'APNs does not accept the client certificate' },
  BadCertificateEnvironment: {
    outcome: 'credential-error',
    why: 'the certificate is for the other environment (development vs production)',
  },
  ExpiredProviderToken: {
    outcome: 'credential-error',
    why: 'the provider token is older than an hour; Pushline renews it and retries once before reporting this',
  },
  Forbidden: { outcome: 'credential-error', why: 'the credential is not allowed to do this' },
  InvalidProviderToken: {
    outcome: 'credential-error',
    why: 'unknown key ID, wrong team ID, bad signature, or the key is not enabled for this bundle ID',
  },
  MissingProviderToken: { outcome: 'credential-error', why: 'no certificate and no provider token' },
  // 404, 405
  BadPath: { outcome: 'rejected', why: 'bad request path' },
  MethodNotAllowed: { outcome: 'rejected', why: 'not a POST' },
  // 410
  ExpiredToken: { outcome: 'invalid-token', why: 'the device token expired' },
  Unregistered: { outcome: 'invalid-token', why: 'the app was uninstalled or turned notifications off' },
  // 413
  PayloadTooLarge: { outcome: 'rejected', why: 'payload above 4096 bytes (5120 for VoIP)' },
  // 429
  TooManyProviderTokenUpdates: { outcome: 'retry', why: 'provider token renewed too often' },
  TooManyRequests: { outcome: 'retry', why: 'too many pushes to this device token' },
  // 5xx
  InternalServerError: { outcome: 'retry', why: 'APNs internal error' },
  ServiceUnavailable: { outcome: 'retry', why: 'APNs is unavailable' },
  Shutdown: { outcome: 'retry', why: 'the APNs server is shutting down' },
};

export class ApnsChannel implements Channel {
  readonly vendor = 'apns' as const;
  readonly pool: Http2SessionPool;
  readonly #jwt: ApnsProviderToken | undefined;
  readonly #bundleId: string;
  readonly #now: () => number;

  constructor(cert: CertificateWithSecrets, ctx: ChannelContext, jwt?: ApnsProviderToken) {
    const { info, secrets } = cert;
    this.#bundleId = info.appIdentifier;
    this.#now = ctx.now;
    const origin =
      info.environment === 'development' ? ctx.urls.apnsDevelopmentUrl : ctx.urls.apnsProductionUrl;
    const ca = ctx.ca ? { ca: ctx.ca } : {};
    if (secrets.p8) {
      this.#jwt =
        jwt ??
        new ApnsProviderToken(
          secrets.p8,
          info.publicFields.keyId as string,
          info.publicFields.teamId as string,
          ctx.now,
          ctx.apns?.jwtRefreshMs ?? JWT_DEFAULT_REFRESH_MS,
        );
    }
    this.pool = new Http2SessionPool({
      label: 'APNs',
      origin,
      tls: secrets.p8 ? ca : { ...ca, key: secrets.keyPem, cert: secrets.certPem },
      maxSessions: ctx.apns?.maxSessions ?? 4,
      maxQueue: ctx.apns?.maxQueue ?? 50_000,
      pingIntervalMs: ctx.apns?.pingIntervalMs ?? 60_000,
      idleMs: ctx.apns?.idleMs ?? 15 * 60_000,
    });
  }

  send(batch: PushTask[]): Promise<PushOutcome[]> {
    return Promise.all(batch.map((task) => this.#sendOne(task)));
  }

  #sendOne(task: PushTask): Promise<PushOutcome> {
    const refused = unsendable(task, 'apns', this.#now());
    if (refused) return Promise.resolve(refused);
    const request = withReceiptFields(task.request, task.pushId) as ApnsRequest;
    const fixed: OutgoingHttpHeaders = {
      ':method': 'POST',
      ':path': `/3/device/${task.token}`,
      'apns-topic':
        request.topic ?? (request.pushType === 'voip' ? `${this.#bundleId}.voip` : this.#bundleId),
      'apns-push-type': request.pushType,
      'apns-priority': String(request.priority),
    };
    if (request.expiration !== undefined) fixed['apns-expiration'] = String(request.expiration);
    if (request.collapseId !== undefined) fixed['apns-collapse-id'] = request.collapseId;
    const jwt = this.#jwt;
    return new Promise<PushOutcome>((done) => {
      let usedToken = '';
      // From the stream being written to its answer: queueing behind MAX_CONCURRENT_STREAMS is not APNs' time.
      let writtenAt = performance.now();
      const resolve = (o: PushOutcome) => done({ ...o, latencyMs: performance.now() - writtenAt });
      let renewed = false;
      const pool = this.pool;
      pool.submit({
        body: JSON.stringify(request.body),
        headers() {
          writtenAt = performance.now();
          if (jwt) {
            usedToken = jwt.authorization();
            fixed.authorization = usedToken; // `fixed` belongs to this task alone
          }
          return fixed;
        },
        answer(status, headers, body) {
          if (status === 200) return resolve(outcome('sent', String(headers['apns-id'] ?? '')));
          const reason = apnsReason(body) ?? `HTTP${status}`;
          if (reason === 'ExpiredProviderToken' && jwt && !renewed) {
            renewed = true;
            jwt.renewAfterExpiry(usedToken);
            return pool.submit(this);
          }
          resolve(fromTable(APNS_ANSWERS, reason, status, body || undefined, retryAfterOf(headers)));
        },
        fail(code, detail) {
          resolve(outcome('retry', code, detail));
        },
      });
    });
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

function apnsReason(body: string): string | undefined {
  try {
    const reason = (JSON.parse(body) as { reason?: unknown }).reason;
    return typeof reason === 'string' ? reason : undefined;
  } catch {
    return undefined;
  }
}

function retryAfterOf(headers: IncomingHttpHeaders): number | undefined {
  return retryAfterMs(headers['retry-after'] as string | undefined);
}
