// Web Push (RFC 8030 delivery, RFC 8291 aes128gcm encryption, RFC 8292 VAPID), docs/internals/webpush.md. The
// `web-push` library encrypts the payload and signs the VAPID JWT; the request goes out over HTTP/2 where the
// push service offers it, else through our HTTP/1.1 client (keep-alive, configured CA): transport.ts. The
// device "token" is the browser's PushSubscription JSON.
import type webpushModule from 'web-push';
import type { CertificateWithSecrets } from '../../../certificates/store.js';
import {
  type AnswerRow,
  answerTable,
  failureOutcome,
  fromTable,
  mapLimit,
  outcome,
  retryAfterMs,
  timed,
  unsendable,
} from '../../channels/answer-tables.js';
import type { ChannelContext } from '../../channels/context.js';
import { type HttpAnswer, HttpClient, NetworkError } from '../../channels/http.js';
import type { Http2SessionPool } from '../../channels/http2-pool.js';
import { trustContext } from '../../channels/tls-context.js';
import type { Channel, PushOutcome, PushTask, WebPushRequest } from '../../types.js';
import { webPushReceiptFields } from './receipt-fields.js';
import { parseWebPushSubscription } from './subscription.js';
import { WebPushTransports } from './transport.js';

// Loaded on first use: most processes (the CLI, servers without Web Push certificates) never need it.
let library: Promise<typeof webpushModule> | undefined;
const loadWebPush = () => {
  library ??= import('web-push').then((m) => (m as unknown as { default: typeof webpushModule }).default);
  return library;
};

const VAPID_VALID_MS = 12 * 3600_000;
const VAPID_REUSE_MS = 3600_000;

/** Push service HTTP status -> outcome. */
export const WEBPUSH_ANSWERS: Record<string, AnswerRow> = answerTable('webpush');

export class WebPushChannel implements Channel {
  readonly vendor = 'webpush' as const;
  /** HTTP/1.1, for push services that do not offer HTTP/2. */
  readonly #http: HttpClient;
  /** Each push service's protocol and HTTP/2 connections (tests read it). */
  readonly transports: WebPushTransports;
  readonly #vapid: { subject: string; publicKey: string; privateKey: string };
  readonly #vapidHeaders = new Map<string, { header: string; reuseUntil: number }>();

  constructor(
    cert: CertificateWithSecrets,
    private readonly ctx: ChannelContext,
  ) {
    this.#http = new HttpClient(ctx.ca);
    this.transports = new WebPushTransports(trustContext(ctx.ca));
    this.#vapid = {
      subject: cert.info.publicFields.subject as string,
      publicKey: cert.info.publicFields.vapidPublicKey as string,
      privateKey: cert.secrets.vapidPrivateKey as string,
    };
  }

  send(batch: PushTask[]): Promise<PushOutcome[]> {
    return mapLimit(batch, 32, (task) => timed(() => this.#sendOne(task)));
  }

  async #sendOne(task: PushTask): Promise<PushOutcome> {
    const refused = unsendable(task, 'webpush', this.ctx.now());
    if (refused) return refused;
    const request = webPushReceiptFields(task.request as WebPushRequest, task.pushId);
    const subscription = parseWebPushSubscription(task.token);
    if (!subscription) return fromTable(WEBPUSH_ANSWERS, 'BadSubscription', 400);
    const webpush = await loadWebPush();
    let details: ReturnType<typeof webpush.generateRequestDetails>;
    try {
      details = webpush.generateRequestDetails(subscription, request.payload, {
        // Our own cached VAPID header; `vapidDetails` would sign a new JWT for every push (setVapidDetails is
        // never called, so without it web-push adds no Authorization of its own).
        headers: { Authorization: this.#authorization(webpush, subscription.endpoint) },
        TTL: request.ttlSeconds,
        ...(request.urgency ? { urgency: request.urgency } : {}),
        ...(request.topic ? { topic: request.topic } : {}),
      });
    } catch (err) {
      // Nothing was sent: the request itself cannot be built (bad topic, oversized payload...).
      return outcome('rejected', 'InvalidRequest', err instanceof Error ? err.message : String(err));
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(details.headers))
      if (k.toLowerCase() !== 'content-length') headers[k.toLowerCase()] = String(v);
    const body = details.body ?? Buffer.alloc(0);
    try {
      const endpoint = new URL(details.endpoint);
      const transport = await this.transports.of(endpoint);
      const res =
        transport.kind === 'h2'
          ? await postHttp2(transport.pool, endpoint, headers, body)
          : await this.#http.request(details.endpoint, { headers, body });
      if (res.status >= 200 && res.status < 300) return outcome('sent', String(res.headers.location ?? ''));
      return fromTable(
        WEBPUSH_ANSWERS,
        String(res.status),
        res.status,
        res.body,
        retryAfterMs(res.headers['retry-after'] as string | undefined),
      );
    } catch (err) {
      return failureOutcome(err);
    }
  }

  /**
   * The VAPID `Authorization` header for a push service, signed once per origin and reused for an hour
   * (valid 12 h, as web-push signs it): signing an ES256 JWT per push cost more than encrypting the push.
   */
  #authorization(webpush: typeof webpushModule, endpoint: string): string {
    const audience = new URL(endpoint).origin;
    const now = Date.now(); // VAPID validity is checked against real time by the push service
    const cached = this.#vapidHeaders.get(audience);
    if (cached && cached.reuseUntil > now) return cached.header;
    const { publicKey, privateKey, subject } = this.#vapid;
    const expiration = Math.floor((now + VAPID_VALID_MS) / 1000);
    const header = webpush.getVapidHeaders(audience, subject, publicKey, privateKey, 'aes128gcm', expiration)
      .Authorization as string;
    this.#vapidHeaders.set(audience, { header, reuseUntil: now + VAPID_REUSE_MS });
    return header;
  }

  async close(): Promise<void> {
    await this.transports.close();
    this.#http.close();
  }
}

/** One message on a push service's HTTP/2 connections; no answer rejects with a NetworkError (retried). */
function postHttp2(
  pool: Http2SessionPool,
  endpoint: URL,
  headers: Record<string, string>,
  body: Buffer,
): Promise<HttpAnswer> {
  const path = `${endpoint.pathname}${endpoint.search}`;
  return new Promise((resolve, reject) => {
    pool.submit({
      body,
      headers: () => ({ ':method': 'POST', ':path': path, ...headers }),
      answer: (status, resHeaders, text) => resolve({ status, headers: resHeaders, body: text }),
      fail: (code, detail) => reject(new NetworkError(code, detail)),
    });
  });
}
