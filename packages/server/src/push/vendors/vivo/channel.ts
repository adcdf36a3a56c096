// vivo Push (docs/vendors.md "vivo Push"): POST /message/auth with sign = md5(appId + appKey + timestamp +
// appSecret) for an authToken (cached, renewed after 12 h or when vivo refuses it). One token: POST
// /message/send. The same message to 2..1000 tokens: POST /message/saveListPayload (the message without a
// target) answers a taskId, then POST /message/pushToList {regIds, taskId}; its answer lists the regIds it
// refused in `invalidUsers`, every other one was accepted. Every request carries the `authToken` header and
// a requestId made unique per attempt.
import { createHash, randomBytes } from 'node:crypto';
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
import { type HttpAnswer, HttpClient, parseJson } from '../../channels/http.js';
import { RENEW_TOKEN, withAccessToken } from '../../channels/oauth.js';
import { taggedRequest } from '../../channels/tagging.js';
import type { Channel, PushOutcome, PushTask, VivoRequest } from '../../types.js';
import { RECEIPT_URL_PER_MESSAGE, vivoReceiptFields } from './receipt-fields.js';

/** vivo `result` -> outcome. */
export const VIVO_ANSWERS: Record<string, AnswerRow> = answerTable('vivo');

const AUTH_TTL_MS = 12 * 3600_000;
/** regIds per pushToList. */
export const VIVO_MAX_TOKENS = 1000;

/** vivo's result code of an answer (HTTP status when the body has none). */
function codeOf(res: HttpAnswer, body: Record<string, unknown> | undefined): string {
  return body?.result !== undefined ? String(body.result) : `HTTP${res.status}`;
}

/** The outcome of an answer that accepted nothing (a `0` with an HTTP error goes by the HTTP status). */
function failed(res: HttpAnswer, code: string): PushOutcome {
  const known = code === '0' ? `HTTP${res.status}` : code;
  return fromTable(VIVO_ANSWERS, known, res.status, res.body, retryAfterMs(res.headers['retry-after']));
}

/** Unique per attempt: vivo remembers request IDs, and a retried push must not be taken for a duplicate. */
function requestIdOf(task: PushTask): string {
  return `${task.pushId}.${randomBytes(4).toString('hex')}`;
}

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
    return sendGrouped(batch, 'vivo', this.ctx.now(), { max: VIVO_MAX_TOKENS, concurrency: 32 }, (tasks) =>
      tasks.length === 1 ? this.#sendOne(tasks[0] as PushTask) : this.#pushToList(tasks),
    );
  }

  async #sendOne(task: PushTask): Promise<PushOutcome[]> {
    const { message } = await taggedRequest<VivoRequest>(
      this.ctx,
      task,
      vivoReceiptFields,
      RECEIPT_URL_PER_MESSAGE,
    );
    const result = await withAccessToken(
      this.#token,
      async (token, mayRenew) => {
        const res = await this.#post('/message/send', token, {
          ...message,
          appId: this.#appId,
          regId: task.token,
          requestId: requestIdOf(task),
        });
        const body = parseJson(res.body);
        const code = codeOf(res, body);
        if (code === '10000' && mayRenew) return RENEW_TOKEN; // the auth token expired: renew once
        if (code === '0' && res.status === 200) return outcome('sent', String(body?.taskId ?? ''));
        return failed(res, code);
      },
      (failure) => failure,
    );
    return [result];
  }

  /** One message to many tokens: the first task's PushID rides on it (tagging.ts). */
  async #pushToList(tasks: PushTask[]): Promise<PushOutcome[]> {
    const first = tasks[0] as PushTask;
    const { message } = await taggedRequest<VivoRequest>(
      this.ctx,
      first,
      vivoReceiptFields,
      RECEIPT_URL_PER_MESSAGE,
    );
    const tokens = tasks.map((t) => t.token);
    return withAccessToken(
      this.#token,
      async (token, mayRenew) => {
        const saved = await this.#post('/message/saveListPayload', token, {
          ...message,
          appId: this.#appId,
          requestId: requestIdOf(first),
        });
        const savedBody = parseJson(saved.body);
        const savedCode = codeOf(saved, savedBody);
        if (savedCode === '10000' && mayRenew) return RENEW_TOKEN;
        const taskId = savedBody?.taskId;
        if (
          savedCode !== '0' ||
          saved.status !== 200 ||
          (typeof taskId !== 'string' && typeof taskId !== 'number')
        ) {
          const result =
            savedCode === '0' && saved.status === 200
              ? outcome('retry', 'NoTaskId', 'saveListPayload answered no taskId')
              : failed(saved, savedCode);
          return tasks.map(() => result);
        }
        const res = await this.#post('/message/pushToList', token, {
          appId: this.#appId,
          regIds: tokens,
          taskId: String(taskId),
          requestId: requestIdOf(first),
        });
        const body = parseJson(res.body);
        const code = codeOf(res, body);
        if (code === '10000' && mayRenew) return RENEW_TOKEN;
        if (code !== '0' || res.status !== 200) {
          const result = failed(res, code);
          return tasks.map(() => result);
        }
        const invalid = new Map<string, unknown>();
        if (Array.isArray(body?.invalidUsers)) {
          for (const u of body.invalidUsers as { userid?: unknown; status?: unknown }[]) {
            if (u && typeof u.userid === 'string') invalid.set(u.userid, u.status);
          }
        }
        return tokens.map((t) =>
          invalid.has(t)
            ? fromTable(VIVO_ANSWERS, 'invalidUser', 200, `invalidUser status ${String(invalid.get(t))}`)
            : outcome('sent', String(taskId)),
        );
      },
      (failure) => tasks.map(() => failure),
    );
  }

  #post(path: string, token: string, body: Record<string, unknown>): Promise<HttpAnswer> {
    return this.#http.request(`${this.#base}${path}`, {
      headers: { 'content-type': 'application/json', authToken: token },
      body: JSON.stringify(body),
    });
  }

  async close(): Promise<void> {
    this.#http.close();
  }
}
