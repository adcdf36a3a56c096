// Honor Push (docs/internals/honor.md): OAuth client_credentials (client ID + client secret), cached; then
// POST /api/v1/{appId}/sendMessage with a camelCase body and up to 1000 tokens per identical message.
// The answer lists per token what failed: expireTokens (gone) and failTokens (not delivered).
import type { CertificateWithSecrets } from '../../../certificates/store.js';
import { type AccessTokenCache, base, endpoint } from '../../channels/access-token.js';
import {
  type AnswerRow,
  answerTable,
  fromTable,
  outcome,
  sendGrouped,
} from '../../channels/answer-tables.js';
import type { ChannelContext } from '../../channels/context.js';
import { HttpClient } from '../../channels/http.js';
import { clientCredentialsToken, sendOAuthBatch } from '../../channels/oauth.js';
import type { Channel, HonorRequest, PushOutcome, PushTask } from '../../types.js';
import { honorReceiptFields } from './receipt-fields.js';

/** Honor result code (and per-token lists) -> outcome. Honor's codes follow Huawei's 8-digit scheme. */
export const HONOR_ANSWERS: Record<string, AnswerRow> = answerTable('honor');

const AUTH_CODES = new Set(['80200001', '80200003']);
/** Tokens per request: Huawei's documented limit, which Honor's Huawei-derived API is taken to share. */
export const HONOR_MAX_TOKENS = 1000;

export class HonorChannel implements Channel {
  readonly vendor = 'honor' as const;
  readonly #http: HttpClient;
  readonly #token: AccessTokenCache;
  readonly #sendUrl: string;

  constructor(
    cert: CertificateWithSecrets,
    private readonly ctx: ChannelContext,
  ) {
    this.#http = new HttpClient(ctx.ca);
    const appId = cert.info.publicFields.appId as string;
    this.#sendUrl = `${base(ctx.urls.honorUrl)}/api/v1/${encodeURIComponent(appId)}/sendMessage`;
    const tokenUrl = endpoint(ctx.urls.honorOAuthUrl, '/auth/token');
    const clientId = cert.info.publicFields.clientId as string;
    const secret = cert.secrets.clientSecret as string;
    this.#token = clientCredentialsToken({
      http: this.#http,
      tokenUrl,
      clientId,
      clientSecret: secret,
      answers: HONOR_ANSWERS,
      now: ctx.now,
    });
  }

  send(batch: PushTask[]): Promise<PushOutcome[]> {
    return sendGrouped(batch, 'honor', this.ctx.now(), { max: HONOR_MAX_TOKENS, concurrency: 8 }, (tasks) =>
      this.#sendGroup(tasks),
    );
  }

  #sendGroup(tasks: PushTask[]): Promise<PushOutcome[]> {
    const first = tasks[0] as PushTask;
    const message = honorReceiptFields(first.request as HonorRequest, first.pushId).message;
    const tokens = tasks.map((t) => t.token);
    return sendOAuthBatch({
      http: this.#http,
      token: this.#token,
      url: this.#sendUrl,
      answers: HONOR_ANSWERS,
      authCodes: AUTH_CODES,
      tasks,
      headers: () => ({ 'content-type': 'application/json', timestamp: String(this.ctx.now()) }),
      body: JSON.stringify({ ...message, token: tokens }),
      codeOf: (body, res) => (body?.code !== undefined ? String(body.code) : `HTTP${res.status}`),
      accepted: (code, body, res) => {
        if (code !== '200' || res.status !== 200) return undefined;
        const data = (body?.data ?? {}) as {
          requestId?: string;
          failTokens?: string[];
          expireTokens?: string[];
        };
        const expired = new Set((data.expireTokens ?? []).map(String));
        const failed = new Set((data.failTokens ?? []).map(String));
        return tokens.map((t) =>
          expired.has(t)
            ? fromTable(HONOR_ANSWERS, 'expireToken', 200, res.body)
            : failed.has(t)
              ? fromTable(HONOR_ANSWERS, 'failToken', 200, res.body)
              : outcome('sent', data.requestId ?? ''),
        );
      },
    });
  }

  async close(): Promise<void> {
    this.#http.close();
  }
}
