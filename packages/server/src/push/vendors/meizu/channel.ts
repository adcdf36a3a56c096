// Meizu (Flyme) Push (official doc github.com/MEIZUPUSH/PushAPI, docs/internals/meizu.md): form posts to
// /garcia/api/server/push/varnished/pushByPushId signed with md5(sorted k=v pairs + appSecret).
// Identical messages share a request (up to 100 pushIds); failed pushIds come back in `value`, keyed by code.
import { createHash } from 'node:crypto';
import type { CertificateWithSecrets } from '../../../certificates/store.js';
import { base } from '../../channels/access-token.js';
import {
  type AnswerRow,
  answerTable,
  failureOutcome,
  fromTable,
  outcome,
  retryAfterMs,
  sendGrouped,
} from '../../channels/answer-tables.js';
import type { ChannelContext } from '../../channels/context.js';
import { form, HttpClient, parseJson } from '../../channels/http.js';
import { taggedRequest } from '../../channels/tagging.js';
import type { Channel, MeizuRequest, PushOutcome, PushTask } from '../../types.js';
import { meizuReceiptFields, RECEIPT_URL_PER_MESSAGE } from './receipt-fields.js';

/** Meizu codes (top-level `code`, or the per-pushId keys of `value`) -> outcome. */
export const MEIZU_ANSWERS: Record<string, AnswerRow> = answerTable('meizu');

/** pushIds per request (Meizu's API documentation, lowered from 1000 to 100 in 2023). */
export const MEIZU_MAX_TOKENS = 100;

export function meizuSign(params: Record<string, string>, appSecret: string): string {
  const text = Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('');
  return createHash('md5')
    .update(text + appSecret, 'utf8')
    .digest('hex');
}

export class MeizuChannel implements Channel {
  readonly vendor = 'meizu' as const;
  readonly #http: HttpClient;
  readonly #url: string;
  readonly #appId: string;
  readonly #secret: string;

  constructor(
    cert: CertificateWithSecrets,
    private readonly ctx: ChannelContext,
  ) {
    this.#http = new HttpClient(ctx.ca);
    this.#url = `${base(ctx.urls.meizuUrl)}/garcia/api/server/push/varnished/pushByPushId`;
    this.#appId = cert.info.publicFields.appId as string;
    this.#secret = cert.secrets.appSecret as string;
  }

  send(batch: PushTask[]): Promise<PushOutcome[]> {
    return sendGrouped(batch, 'meizu', this.ctx.now(), { max: MEIZU_MAX_TOKENS, concurrency: 16 }, (tasks) =>
      this.#sendGroup(tasks),
    );
  }

  async #sendGroup(tasks: PushTask[]): Promise<PushOutcome[]> {
    const tokens = tasks.map((t) => t.token);
    const request = await taggedRequest<MeizuRequest>(
      this.ctx,
      tasks[0] as PushTask,
      meizuReceiptFields,
      RECEIPT_URL_PER_MESSAGE,
    );
    const params: Record<string, string> = {
      appId: this.#appId,
      pushIds: tokens.join(','),
      messageJson: JSON.stringify(request.messageJson),
    };
    try {
      const res = await this.#http.request(this.#url, {
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
        body: form({ ...params, sign: meizuSign(params, this.#secret) }),
      });
      const body = parseJson(res.body);
      const code = body?.code !== undefined ? String(body.code) : `HTTP${res.status}`;
      if (code === '200' && res.status === 200) {
        const failedBy = new Map<string, string>();
        const value = body?.value;
        if (value && typeof value === 'object') {
          for (const [failCode, ids] of Object.entries(value)) {
            if (Array.isArray(ids)) for (const id of ids) failedBy.set(String(id), failCode);
          }
        }
        const msgId = typeof body?.msgId === 'string' ? body.msgId : '';
        return tokens.map((t) => {
          const failCode = failedBy.get(t);
          return failCode ? fromTable(MEIZU_ANSWERS, failCode, 200, res.body) : outcome('sent', msgId);
        });
      }
      const result = fromTable(
        MEIZU_ANSWERS,
        code,
        res.status,
        res.body,
        retryAfterMs(res.headers['retry-after']),
      );
      return tasks.map(() => result);
    } catch (err) {
      const result = failureOutcome(err);
      return tasks.map(() => result);
    }
  }

  async close(): Promise<void> {
    this.#http.close();
  }
}
