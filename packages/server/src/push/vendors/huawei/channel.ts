// Huawei Push Kit v1 (docs/internals/huawei.md): OAuth client_credentials (app ID + app secret) for a 1-hour
// token, cached; POST /v1/{appId}/messages:send with up to 1000 tokens per identical message. A partial
// success (80100000) lists the illegal tokens; every other token of that request was accepted.
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
import { HttpClient, parseJson } from '../../channels/http.js';
import { clientCredentialsToken, sendOAuthBatch } from '../../channels/oauth.js';
import type { Channel, HuaweiRequest, PushOutcome, PushTask } from '../../types.js';
import { huaweiReceiptFields } from './receipt-fields.js';

/** Huawei result code -> outcome (for the tokens the code applies to). */
export const HUAWEI_ANSWERS: Record<string, AnswerRow> = answerTable('huawei');

const AUTH_CODES = new Set(['80200001', '80200003']);
/** Tokens per request (Huawei: at most 1000, "the current system parameter"). */
export const HUAWEI_MAX_TOKENS = 1000;

export class HuaweiChannel implements Channel {
  readonly vendor = 'huawei' as const;
  readonly #http: HttpClient;
  readonly #token: AccessTokenCache;
  readonly #sendUrl: string;
  readonly #revokeUrl: string;

  constructor(
    cert: CertificateWithSecrets,
    private readonly ctx: ChannelContext,
  ) {
    this.#http = new HttpClient(ctx.ca);
    const appId = cert.info.publicFields.appId as string;
    this.#sendUrl = `${base(ctx.urls.huaweiUrl)}/v1/${encodeURIComponent(appId)}/messages:send`;
    this.#revokeUrl = `${base(ctx.urls.huaweiUrl)}/v1/${encodeURIComponent(appId)}/messages:revoke`;
    const tokenUrl = endpoint(ctx.urls.huaweiOAuthUrl, '/oauth2/v3/token');
    const secret = cert.secrets.clientSecret as string;
    this.#token = clientCredentialsToken({
      http: this.#http,
      tokenUrl,
      clientId: appId,
      clientSecret: secret,
      answers: HUAWEI_ANSWERS,
      now: ctx.now,
    });
  }

  send(batch: PushTask[]): Promise<PushOutcome[]> {
    return sendGrouped(batch, 'huawei', this.ctx.now(), { max: HUAWEI_MAX_TOKENS, concurrency: 8 }, (tasks) =>
      this.#sendGroup(tasks),
    );
  }

  #sendGroup(tasks: PushTask[]): Promise<PushOutcome[]> {
    const first = tasks[0] as PushTask;
    const revoke = (first.request as HuaweiRequest).revoke;
    if (revoke) return this.#revoke(tasks, revoke.notifyId);
    const message = huaweiReceiptFields(first.request as HuaweiRequest, first.pushId).message;
    const tokens = tasks.map((t) => t.token);
    return sendOAuthBatch({
      http: this.#http,
      token: this.#token,
      url: this.#sendUrl,
      answers: HUAWEI_ANSWERS,
      authCodes: AUTH_CODES,
      tasks,
      headers: () => ({ 'content-type': 'application/json;charset=utf-8' }),
      body: JSON.stringify({ validate_only: false, message: { ...message, token: tokens } }),
      codeOf: (body, res) => (typeof body?.code === 'string' ? body.code : `HTTP${res.status}`),
      accepted: (code, body, res) => {
        const requestId = typeof body?.requestId === 'string' ? body.requestId : '';
        if (code === '80000000') return tasks.map(() => outcome('sent', requestId));
        if (code !== '80100000') return undefined;
        const illegal = new Set(illegalTokens(body?.msg));
        return tokens.map((t) =>
          illegal.has(t)
            ? fromTable(HUAWEI_ANSWERS, 'illegal_token', 200, res.body)
            : outcome('sent', requestId),
        );
      },
    });
  }

  /** A recall's retraction: the Push Kit revoke API, by notify ID and tokens (push-type 0: notifications). */
  #revoke(tasks: PushTask[], notifyId: number): Promise<PushOutcome[]> {
    return sendOAuthBatch({
      http: this.#http,
      token: this.#token,
      url: this.#revokeUrl,
      answers: HUAWEI_ANSWERS,
      authCodes: AUTH_CODES,
      tasks,
      headers: () => ({ 'content-type': 'application/json;charset=utf-8', 'push-type': '0' }),
      body: JSON.stringify({ notifyId, token: tasks.map((t) => t.token) }),
      codeOf: (body, res) => (typeof body?.code === 'string' ? body.code : `HTTP${res.status}`),
      accepted: (code, body) => {
        const requestId = typeof body?.requestId === 'string' ? body.requestId : '';
        return code === '80000000' ? tasks.map(() => outcome('sent', requestId)) : undefined;
      },
    });
  }

  async close(): Promise<void> {
    this.#http.close();
  }
}

/** `msg` of a partial success is a JSON string: {success, failure, illegal_tokens} (v3: illegalTokens{...}). */
function illegalTokens(msg: unknown): string[] {
  const parsed = typeof msg === 'string' ? parseJson(msg) : undefined;
  if (!parsed) return [];
  const list = parsed.illegal_tokens;
  if (Array.isArray(list)) return list.map(String);
  const grouped = parsed.illegalTokens;
  if (grouped && typeof grouped === 'object') return Object.values(grouped).flat().map(String);
  return [];
}
