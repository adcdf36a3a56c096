// Apple APNs over HTTP/2 (docs/internals/apns.md). One channel per certificate: token auth (.p8,
// ES256 provider token) or certificate auth (mutual TLS with the .p12's key). Development certificates go
// to the sandbox host, production ones to the production host. Sessions and queueing: http2-pool.ts.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http2';
import type { ApnsReason } from '@pushline/contracts';
import type { CertificateWithSecrets } from '../../../certificates/store.js';
import {
  type AnswerRow,
  answerTable,
  fromTable,
  outcome,
  retryAfterMs,
  unsendable,
} from '../../channels/answer-tables.js';
import type { ChannelContext } from '../../channels/context.js';
import { Http2SessionPool } from '../../channels/http2-pool.js';
import { clientCertificateContext, trustContext } from '../../channels/tls-context.js';
import type { ApnsRequest, Channel, PushOutcome, PushTask } from '../../types.js';
import { ApnsProviderToken, JWT_DEFAULT_REFRESH_MS } from './provider-token.js';
import { apnsBodyJson } from './receipt-fields.js';

/**
 * APNs answer (the `reason` of a non-200 answer) -> outcome. Apple: do not retry BadDeviceToken,
 * DeviceTokenNotForTopic, Forbidden, ExpiredToken, Unregistered, PayloadTooLarge; retry 429 and 5xx.
 * Its rows are the reasons of @pushline/contracts' APNS_REASONS, the table the APNs simulator answers with.
 */
export const APNS_ANSWERS: Record<string, AnswerRow> = answerTable('apns');

/** The answer to an expired provider token: renew it and retry once. */
const EXPIRED_PROVIDER_TOKEN: ApnsReason = 'ExpiredProviderToken';

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
      tls: {
        secureContext: secrets.p8
          ? trustContext(ctx.ca)
          : clientCertificateContext(ctx.ca, secrets.keyPem as string, secrets.certPem as string),
      },
      maxSessions: ctx.apns?.maxSessions ?? 4,
      maxQueue: ctx.apns?.maxQueue ?? 50_000,
      pingIntervalMs: ctx.apns?.pingIntervalMs ?? 60_000,
      idleMs: ctx.apns?.idleMs ?? 15 * 60_000,
      requestTimeoutMs: ctx.apns?.requestTimeoutMs ?? 30_000,
    });
  }

  warm(): void {
    this.pool.warm();
    // The first ES256 signature, too: it is reused for the token's lifetime (apns-jwt.ts).
    this.#jwt?.authorization();
  }

  send(batch: PushTask[]): Promise<PushOutcome[]> {
    // The batch's devices mostly share one request: its payload is serialised once (apnsBodyJson).
    const serialised = new Map<ApnsRequest['body'], string>();
    return Promise.all(batch.map((task) => this.#sendOne(task, serialised)));
  }

  #sendOne(task: PushTask, serialised: Map<ApnsRequest['body'], string>): Promise<PushOutcome> {
    const refused = unsendable(task, 'apns', this.#now());
    if (refused) return Promise.resolve(refused);
    const request = task.request as ApnsRequest;
    const body = apnsBodyJson(request, task.pushId, serialised);
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
        body,
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
          if (reason === EXPIRED_PROVIDER_TOKEN && jwt && !renewed) {
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
