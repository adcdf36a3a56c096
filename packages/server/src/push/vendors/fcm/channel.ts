// Firebase Cloud Messaging HTTP v1 (docs/vendors.md "Google FCM"): a service-account JWT (RS256) is
// exchanged for an OAuth access token at the token endpoint (HTTP/1.1), cached until shortly before it
// expires, and used for POST /v1/projects/{project}/messages:send, one request per token, multiplexed on a
// few long-lived HTTP/2 connections per service account (http2-pool.ts: no request before the server's
// first SETTINGS, in-flight requests within its MAX_CONCURRENT_STREAMS, GOAWAY and refused streams sent
// again on a fresh connection).
import { createPrivateKey, type KeyObject, sign } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http2';
import type { CertificateWithSecrets } from '../../../certificates/store.js';
import { AccessTokenCache, AccessTokenError, base, endpoint } from '../../channels/access-token.js';
import {
  type AnswerRow,
  answerTable,
  fromTable,
  outcome,
  retryAfterMs,
  unsendable,
} from '../../channels/answer-tables.js';
import type { ChannelContext } from '../../channels/context.js';
import { form, HttpClient, NetworkError, parseJson } from '../../channels/http.js';
import { Http2SessionPool } from '../../channels/http2-pool.js';
import { RENEW_TOKEN, withAccessToken } from '../../channels/oauth.js';
import { trustContext } from '../../channels/tls-context.js';
import type { Channel, FcmRequest, PushOutcome, PushTask } from '../../types.js';
import { fcmBodyJson, type SerialisedFcmMessage } from './receipt-fields.js';

/** FcmError.errorCode (or the canonical status when there is none) -> outcome. */
export const FCM_ANSWERS: Record<string, AnswerRow> = answerTable('fcm');

/** Default quota back-off when FCM sends no Retry-After: Google advises waiting about a minute. */
const QUOTA_BACKOFF_MS = 60_000;
const SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';

/** An answer from FCM, with the time from writing the request to the answer. */
interface FcmAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  latencyMs: number;
}

export class FcmChannel implements Channel {
  readonly vendor = 'fcm' as const;
  /** The HTTP/2 sessions of the send requests (tests read its stats). */
  readonly pool: Http2SessionPool;
  /** HTTP/1.1, for the OAuth token exchange only. */
  readonly #http: HttpClient;
  readonly #token: AccessTokenCache;
  readonly #path: string;

  constructor(
    cert: CertificateWithSecrets,
    private readonly ctx: ChannelContext,
  ) {
    this.#http = new HttpClient(ctx.ca, 4);
    const projectId = cert.info.publicFields.projectId ?? cert.info.appIdentifier;
    const sendUrl = new URL(
      `${base(ctx.urls.fcmUrl)}/v1/projects/${encodeURIComponent(projectId)}/messages:send`,
    );
    this.#path = `${sendUrl.pathname}${sendUrl.search}`;
    const tuning = ctx.fcm ?? {};
    this.pool = new Http2SessionPool({
      label: 'FCM',
      origin: sendUrl.origin,
      tls: { secureContext: trustContext(ctx.ca) },
      maxSessions: tuning.maxSessions ?? 4,
      maxQueue: tuning.maxQueue ?? 50_000,
      pingIntervalMs: tuning.pingIntervalMs ?? 60_000,
      idleMs: tuning.idleMs ?? 5 * 60_000,
      requestTimeoutMs: tuning.requestTimeoutMs ?? 30_000,
      successBody: true,
    });
    const tokenUrl = endpoint(ctx.urls.fcmOAuthUrl, '/token');
    const key = createPrivateKey(cert.secrets.privateKey as string);
    const clientEmail = cert.info.publicFields.clientEmail as string;
    const keyId = cert.info.publicFields.privateKeyId;
    this.#token = new AccessTokenCache(() => this.#fetchToken(tokenUrl, key, clientEmail, keyId), ctx.now);
  }

  warm(): void {
    this.pool.warm();
  }

  async #fetchToken(tokenUrl: string, key: KeyObject, clientEmail: string, keyId: string | undefined) {
    const iat = Math.floor(this.ctx.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', ...(keyId ? { kid: keyId } : {}) };
    const claims = { iss: clientEmail, scope: SCOPE, aud: tokenUrl, iat, exp: iat + 3600 };
    const input = `${b64(header)}.${b64(claims)}`;
    const assertion = `${input}.${sign('RSA-SHA256', Buffer.from(input), key).toString('base64url')}`;
    const res = await this.#http.request(tokenUrl, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
    });
    const body = parseJson(res.body);
    if (res.status === 200 && typeof body?.access_token === 'string') {
      return { token: body.access_token, ttlMs: Number(body.expires_in ?? 3600) * 1000 };
    }
    const code = typeof body?.error === 'string' ? body.error : `HTTP${res.status}`;
    throw new AccessTokenError(
      fromTable(FCM_ANSWERS, code, res.status, res.body, retryAfterMs(res.headers['retry-after'])),
    );
  }

  /** All tasks at once: the pool keeps what FCM cannot take yet in its own queue. */
  send(batch: PushTask[]): Promise<PushOutcome[]> {
    // The batch's devices mostly share one request: its message is serialised once (fcmBodyJson).
    const serialised = new Map<FcmRequest['message'], SerialisedFcmMessage>();
    return Promise.all(batch.map((task) => this.#sendOne(task, serialised)));
  }

  async #sendOne(
    task: PushTask,
    serialised: Map<FcmRequest['message'], SerialisedFcmMessage>,
  ): Promise<PushOutcome> {
    const refused = unsendable(task, 'fcm', this.ctx.now());
    if (refused) return refused;
    const body = fcmBodyJson(task.request as FcmRequest, task.pushId, task.token, serialised);
    const started = performance.now();
    return withAccessToken<PushOutcome>(
      this.#token,
      async (token, mayRenew) => {
        // Vendor time: getting the access token (and an earlier attempt) plus this request from the moment
        // it is written; waiting in the pool for a free stream is not FCM's time.
        const beforeWrite = performance.now() - started;
        const res = await this.#post(token, body);
        const answered = (o: PushOutcome): PushOutcome => ({ ...o, latencyMs: beforeWrite + res.latencyMs });
        if (res.status === 200) {
          const name = parseJson(res.body)?.name;
          return answered(outcome('sent', typeof name === 'string' ? name : ''));
        }
        const error = (parseJson(res.body)?.error ?? {}) as {
          status?: string;
          details?: { errorCode?: string }[];
        };
        const fcmCode = error.details?.find((d) => typeof d?.errorCode === 'string')?.errorCode;
        const code = fcmCode ?? error.status ?? `HTTP${res.status}`;
        // The access token expired or was revoked: one more try with a new one.
        if (res.status === 401 && !fcmCode && mayRenew) return RENEW_TOKEN;
        const after =
          retryAfterMs(res.headers['retry-after'] as string | undefined) ??
          (code === 'QUOTA_EXCEEDED' ? QUOTA_BACKOFF_MS : undefined);
        return answered(fromTable(FCM_ANSWERS, code, res.status, res.body, after));
      },
      (failed) => failed,
    );
  }

  /** One messages:send request on the HTTP/2 pool; no answer rejects with a NetworkError (retried). */
  #post(token: string, body: string): Promise<FcmAnswer> {
    const path = this.#path;
    return new Promise((resolve, reject) => {
      let writtenAt = performance.now();
      this.pool.submit({
        body,
        headers() {
          writtenAt = performance.now();
          return {
            ':method': 'POST',
            ':path': path,
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
          };
        },
        answer(status, headers, text) {
          resolve({ status, headers, body: text, latencyMs: performance.now() - writtenAt });
        },
        fail(code, detail) {
          reject(new NetworkError(code, detail));
        },
      });
    });
  }

  async close(): Promise<void> {
    await this.pool.close();
    this.#http.close();
  }
}

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
