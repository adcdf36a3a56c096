// vivo Push (vendors.md §6): POST /message/auth with sign = md5(appId + appKey + timestamp + appSecret) for
// an authToken (cached, renewed after 12 h or when vivo refuses it); then POST /message/send per token
// with the `authToken` header and a requestId made unique per attempt.
import { createHash, randomBytes } from 'node:crypto';
import type { CertificateWithSecrets } from '../certificates/store.js';
import type { Channel, PushOutcome, PushTask, VivoRequest } from '../types.js';
import { AccessTokenCache, AccessTokenError, base } from './access-token.js';
import type { ChannelContext } from './context.js';
import { HttpClient, parseJson } from './http.js';
import { RENEW_TOKEN, withAccessToken } from './oauth.js';
import { type AnswerRow, fromTable, mapLimit, outcome, retryAfterMs, timed, unsendable } from './outcomes.js';
import { taggedRequest } from './tagging.js';

/** vivo `result` -> outcome. */
export const VIVO_ANSWERS: Record<string, AnswerRow> = {
  '0': { outcome: 'sent', why: 'accepted' },
  '10000': { outcome: 'credential-error', why: 'authentication failed: wrong app ID, AppKey or AppSecret' },
  '10055': { outcome: 'rejected', why: 'invalid parameters' },
  '10070': { outcome: 'retry', why: 'daily push quota exceeded' },
  '10094': { outcome: 'credential-error', why: 'the appId does not match the auth token' },
  '10252': { outcome: 'rejected', why: 'over the per-request limit' },
  '10302': { outcome: 'invalid-token', why: 'invalid regId: unknown or the app was uninstalled' },
  '10305': {
    outcome: 'retry',
    why: 'duplicate requestId (each attempt uses a new one, so this is vivo-side trouble)',
  },
};

const AUTH_TTL_MS = 12 * 3600_000;

export class VivoChannel implements Channel {
  readonly vendor = 'vivo' as const;
  readonly #http: HttpClient;
  readonly #token: AccessTokenCache;
  readonly #base: string;
  readonly #appId: string;

  constructor(
    cert: CertificateWithSecrets,
    private readonly ctx: ChannelContext,
  ) {
    this.#http = new HttpClient(ctx.ca);
    this.#base = base(ctx.urls.vivoUrl);
    const appId = cert.info.publicFields.appId as string;
    const appKey = cert.info.publicFields.appKey as string;
    const appSecret = cert.secrets.appSecret as string;
    this.#appId = appId;
    this.#token = new AccessTokenCache(
      async () => {
        const timestamp = ctx.now();
        const sign = createHash('md5').update(`${appId}${appKey}${timestamp}${appSecret}`).digest('hex');
        const res = await this.#http.request(`${this.#base}/message/auth`, {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ appId, appKey, timestamp, sign }),
        });
        const body = parseJson(res.body);
        if (res.status === 200 && body?.result === 0 && typeof body.authToken === 'string') {
          return { token: body.authToken, ttlMs: AUTH_TTL_MS };
        }
        const code = body?.result !== undefined ? String(body.result) : `HTTP${res.status}`;
        throw new AccessTokenError(
          fromTable(VIVO_ANSWERS, code === '0' ? 'HTTP500' : code, res.status, res.body),
        );
      },
      ctx.now,
      0,
    );
  }

  send(batch: PushTask[]): Promise<PushOutcome[]> {
    return mapLimit(batch, 32, (task) => timed(() => this.#sendOne(task)));
  }

  async #sendOne(task: PushTask): Promise<PushOutcome> {
    const refused = unsendable(task, 'vivo', this.ctx.now());
    if (refused) return refused;
    const { message } = await taggedRequest<VivoRequest>(this.ctx, task);
    return withAccessToken(
      this.#token,
      async (token, mayRenew) => {
        const res = await this.#http.request(`${this.#base}/message/send`, {
          headers: { 'content-type': 'application/json', authToken: token },
          body: JSON.stringify({
            ...message,
            appId: this.#appId,
            regId: task.token,
            // Unique per attempt: vivo remembers request IDs, and a retried push must not be taken for a duplicate.
            requestId: `${task.pushId}.${randomBytes(4).toString('hex')}`,
          }),
        });
        const body = parseJson(res.body);
        const code = body?.result !== undefined ? String(body.result) : `HTTP${res.status}`;
        if (code === '10000' && mayRenew) return RENEW_TOKEN; // the auth token expired: renew once
        if (code === '0' && res.status === 200) return outcome('sent', String(body?.taskId ?? ''));
        return fromTable(VIVO_ANSWERS, code, res.status, res.body, retryAfterMs(res.headers['retry-after']));
      },
      (failed) => failed,
    );
  }

  async close(): Promise<void> {
    this.#http.close();
  }
}
