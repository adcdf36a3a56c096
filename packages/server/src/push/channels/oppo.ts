// OPPO Push (vendors.md §5): POST /server/v1/auth with sign = sha256(app_key + timestamp + master_secret)
// for an auth_token (cached, renewed after 12 h or when OPPO says it is invalid); then one unicast per
// token: POST /server/v1/message/notification/unicast with message = {target_type: 2, target_value, notification}.
import { createHash } from 'node:crypto';
import type { CertificateWithSecrets } from '../certificates/store.js';
import { withReceiptFields } from '../outcomes/receipt-fields.js';
import type { Channel, OppoRequest, PushOutcome, PushTask } from '../types.js';
import { AccessTokenCache, AccessTokenError, base } from './access-token.js';
import type { ChannelContext } from './context.js';
import { form, HttpClient, parseJson } from './http.js';
import { RENEW_TOKEN, withAccessToken } from './oauth.js';
import { type AnswerRow, fromTable, mapLimit, outcome, retryAfterMs, timed, unsendable } from './outcomes.js';

/** OPPO `code` -> outcome. */
export const OPPO_ANSWERS: Record<string, AnswerRow> = {
  '0': { outcome: 'sent', why: 'accepted' },
  '-2': { outcome: 'retry', why: 'OPPO flow control' },
  '-1': { outcome: 'retry', why: 'OPPO service unavailable' },
  '11': { outcome: 'credential-error', why: 'invalid auth_token (after renewing it once)' },
  '13': { outcome: 'retry', why: 'app call limit exceeded' },
  '14': { outcome: 'credential-error', why: 'invalid AppKey' },
  '16': { outcome: 'credential-error', why: 'invalid signature: wrong MasterSecret' },
  '28': { outcome: 'credential-error', why: 'the app is disabled' },
  '33': { outcome: 'retry', why: 'daily message limit exceeded (public channel)' },
  '40': { outcome: 'rejected', why: 'a required argument is missing' },
  '41': { outcome: 'rejected', why: 'an argument is invalid (title or content too long...)' },
  '10000': { outcome: 'invalid-token', why: 'invalid registration ID: unknown or uninstalled' },
};

const AUTH_TTL_MS = 12 * 3600_000;

export class OppoChannel implements Channel {
  readonly vendor = 'oppo' as const;
  readonly #http: HttpClient;
  readonly #token: AccessTokenCache;
  readonly #base: string;

  constructor(
    cert: CertificateWithSecrets,
    private readonly ctx: ChannelContext,
  ) {
    this.#http = new HttpClient(ctx.ca);
    this.#base = `${base(ctx.urls.oppoUrl)}/server/v1`;
    const appKey = cert.info.publicFields.appKey as string;
    const masterSecret = cert.secrets.masterSecret as string;
    this.#token = new AccessTokenCache(
      async () => {
        const timestamp = String(ctx.now());
        const sign = createHash('sha256')
          .update(appKey + timestamp + masterSecret)
          .digest('hex');
        const res = await this.#http.request(`${this.#base}/auth`, {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form({ app_key: appKey, timestamp, sign }),
        });
        const body = parseJson(res.body);
        const token = (body?.data as { auth_token?: unknown } | undefined)?.auth_token;
        if (res.status === 200 && body?.code === 0 && typeof token === 'string')
          return { token, ttlMs: AUTH_TTL_MS };
        const code = body?.code !== undefined ? String(body.code) : `HTTP${res.status}`;
        throw new AccessTokenError(
          fromTable(OPPO_ANSWERS, code === '0' ? 'HTTP500' : code, res.status, res.body),
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
    const refused = unsendable(task, 'oppo', this.ctx.now());
    if (refused) return refused;
    const { notification } = withReceiptFields(task.request, task.pushId) as OppoRequest;
    return withAccessToken(
      this.#token,
      async (token, mayRenew) => {
        const res = await this.#http.request(`${this.#base}/message/notification/unicast`, {
          headers: { 'content-type': 'application/x-www-form-urlencoded', auth_token: token },
          body: form({
            auth_token: token,
            message: JSON.stringify({ target_type: 2, target_value: task.token, notification }),
          }),
        });
        const body = parseJson(res.body);
        const code = body?.code !== undefined ? String(body.code) : `HTTP${res.status}`;
        if (code === '11' && mayRenew) return RENEW_TOKEN; // the auth token expired: renew once
        if (code === '0' && res.status === 200) {
          const id = (body?.data as { messageId?: unknown } | undefined)?.messageId;
          return outcome('sent', typeof id === 'string' ? id : '');
        }
        return fromTable(OPPO_ANSWERS, code, res.status, res.body, retryAfterMs(res.headers['retry-after']));
      },
      (failed) => failed,
    );
  }

  async close(): Promise<void> {
    this.#http.close();
  }
}
