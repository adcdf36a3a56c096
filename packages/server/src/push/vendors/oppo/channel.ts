// OPPO Push (docs/vendors.md "OPPO Push"): POST /server/v1/auth with sign = sha256(app_key + timestamp +
// master_secret) for an auth_token (cached, renewed after 12 h or when OPPO says it is invalid). One token:
// POST /server/v1/message/notification/unicast with message = {target_type: 2, target_value, notification}.
// The same message to 2..1000 tokens: save_message_content (the notification's fields as a form) answers a
// message_id, then broadcast with target_type 2 and the comma-separated registration IDs; the broadcast
// answer lists the invalid ones under their code ("10000": [...]), every other token was accepted.
import { createHash } from 'node:crypto';
import type { CertificateWithSecrets } from '../../../certificates/store.js';
import { AccessTokenCache, AccessTokenError, base } from '../../channels/access-token.js';
import {
  type AnswerRow,
  answerTable,
  fromTable,
  outcome,
  retryAfterMs,
  sendGrouped,
} from '../../channels/answer-tables.js';
import type { ChannelContext } from '../../channels/context.js';
import { form, type HttpAnswer, HttpClient, parseJson } from '../../channels/http.js';
import { RENEW_TOKEN, withAccessToken } from '../../channels/oauth.js';
import { taggedRequest } from '../../channels/tagging.js';
import type { Channel, OppoRequest, PushOutcome, PushTask } from '../../types.js';
import { oppoReceiptFields, RECEIPT_URL_PER_MESSAGE } from './receipt-fields.js';

/** OPPO `code` -> outcome. */
export const OPPO_ANSWERS: Record<string, AnswerRow> = answerTable('oppo');

const AUTH_TTL_MS = 12 * 3600_000;
/** Registration IDs per broadcast (target_value). */
export const OPPO_MAX_TOKENS = 1000;
/** The code OPPO answers for an invalid registration ID, and lists a broadcast's invalid IDs under. */
const INVALID_REG_ID = '10000';

/** OPPO's code of an answer (HTTP status when the body has none). */
function codeOf(res: HttpAnswer, body: Record<string, unknown> | undefined): string {
  return body?.code !== undefined ? String(body.code) : `HTTP${res.status}`;
}

/** The outcome of an answer that accepted nothing (a `0` with an HTTP error goes by the HTTP status). */
function failed(res: HttpAnswer, code: string): PushOutcome {
  const known = code === '0' ? `HTTP${res.status}` : code;
  return fromTable(OPPO_ANSWERS, known, res.status, res.body, retryAfterMs(res.headers['retry-after']));
}

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
    return sendGrouped(batch, 'oppo', this.ctx.now(), { max: OPPO_MAX_TOKENS, concurrency: 32 }, (tasks) =>
      tasks.length === 1 ? this.#unicast(tasks[0] as PushTask) : this.#broadcast(tasks),
    );
  }

  async #unicast(task: PushTask): Promise<PushOutcome[]> {
    const { notification } = await taggedRequest<OppoRequest>(
      this.ctx,
      task,
      oppoReceiptFields,
      RECEIPT_URL_PER_MESSAGE,
    );
    const result = await withAccessToken(
      this.#token,
      async (token, mayRenew) => {
        const res = await this.#post('unicast', token, {
          message: JSON.stringify({ target_type: 2, target_value: task.token, notification }),
        });
        const body = parseJson(res.body);
        const code = codeOf(res, body);
        if (code === '11' && mayRenew) return RENEW_TOKEN; // the auth token expired: renew once
        if (code === '0' && res.status === 200) {
          const id = (body?.data as { messageId?: unknown } | undefined)?.messageId;
          return outcome('sent', typeof id === 'string' ? id : '');
        }
        return failed(res, code);
      },
      (failure) => failure,
    );
    return [result];
  }

  /** One message to many tokens: the first task's PushID rides on it (tagging.ts). */
  async #broadcast(tasks: PushTask[]): Promise<PushOutcome[]> {
    const { notification } = await taggedRequest<OppoRequest>(
      this.ctx,
      tasks[0] as PushTask,
      oppoReceiptFields,
      RECEIPT_URL_PER_MESSAGE,
    );
    const tokens = tasks.map((t) => t.token);
    return withAccessToken(
      this.#token,
      async (token, mayRenew) => {
        const saved = await this.#post('save_message_content', token, formFields(notification));
        const savedBody = parseJson(saved.body);
        const savedCode = codeOf(saved, savedBody);
        const messageId = (savedBody?.data as { message_id?: unknown } | undefined)?.message_id;
        if (savedCode === '11' && mayRenew) return RENEW_TOKEN;
        if (savedCode !== '0' || saved.status !== 200 || typeof messageId !== 'string') {
          const result =
            savedCode === '0' && saved.status === 200
              ? outcome('retry', 'NoMessageId', 'save_message_content answered no message_id')
              : failed(saved, savedCode);
          return tasks.map(() => result);
        }
        const res = await this.#post('broadcast', token, {
          message_id: messageId,
          target_type: 2,
          target_value: tokens.join(','),
        });
        const body = parseJson(res.body);
        const code = codeOf(res, body);
        if (code === '11' && mayRenew) return RENEW_TOKEN;
        if (code !== '0' || res.status !== 200) {
          const result = failed(res, code);
          return tasks.map(() => result);
        }
        const data = (body?.data ?? {}) as Record<string, unknown>;
        const invalid = data[INVALID_REG_ID];
        const bad = new Set(Array.isArray(invalid) ? invalid.map(String) : []);
        const id = typeof data.message_id === 'string' ? data.message_id : messageId;
        return tokens.map((t) =>
          bad.has(t) ? fromTable(OPPO_ANSWERS, INVALID_REG_ID, 200, res.body) : outcome('sent', id),
        );
      },
      (failure) => tasks.map(() => failure),
    );
  }

  #post(op: string, token: string, fields: Record<string, string | number | undefined>): Promise<HttpAnswer> {
    return this.#http.request(`${this.#base}/message/notification/${op}`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', auth_token: token },
      body: form({ ...fields, auth_token: token }),
    });
  }

  async close(): Promise<void> {
    this.#http.close();
  }
}

/** save_message_content takes the notification's fields as form fields (objects as JSON). */
function formFields(notification: Record<string, unknown>): Record<string, string | number | undefined> {
  const fields: Record<string, string | number | undefined> = {};
  for (const [k, v] of Object.entries(notification)) {
    if (v === undefined || v === null) continue;
    fields[k] = typeof v === 'string' || typeof v === 'number' ? v : JSON.stringify(v);
  }
  return fields;
}
