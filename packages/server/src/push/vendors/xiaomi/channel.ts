// Xiaomi MiPush (docs/vendors.md "Xiaomi MiPush"): form posts to /v3/message/regid authenticated with
// `Authorization: key=<AppSecret>` (no token exchange). Identical messages share one request with
// comma-separated regIds (up to 1000, Xiaomi's limit); regIds the answer lists as bad are reported per token.
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
import type { Channel, PushOutcome, PushTask, XiaomiRequest } from '../../types.js';
import { RECEIPT_URL_PER_MESSAGE, xiaomiReceiptFields } from './receipt-fields.js';

/** Xiaomi `code` -> outcome. Only 21301 is documented publicly; the others are what Xiaomi answers in practice. */
export const XIAOMI_ANSWERS: Record<string, AnswerRow> = answerTable('xiaomi');

/** regIds per request: Xiaomi's server SDK documents at most 1000 for a regId list. */
export const XIAOMI_MAX_TOKENS = 1000;

export class XiaomiChannel implements Channel {
  readonly vendor = 'xiaomi' as const;
  readonly #http: HttpClient;
  readonly #url: string;
  readonly #revokeUrl: string;
  readonly #secret: string;
  readonly #packageName: string;

  constructor(
    cert: CertificateWithSecrets,
    private readonly ctx: ChannelContext,
  ) {
    this.#http = new HttpClient(ctx.ca);
    this.#url = `${base(ctx.urls.xiaomiUrl)}/v3/message/regid`;
    this.#revokeUrl = `${base(ctx.urls.xiaomiUrl)}/v3/message/regid/revoke`;
    this.#secret = cert.secrets.appSecret as string;
    this.#packageName = cert.info.publicFields.packageName ?? cert.info.appIdentifier;
  }

  send(batch: PushTask[]): Promise<PushOutcome[]> {
    return sendGrouped(
      batch,
      'xiaomi',
      this.ctx.now(),
      { max: XIAOMI_MAX_TOKENS, concurrency: 16 },
      (tasks) => this.#sendGroup(tasks),
    );
  }

  async #sendGroup(tasks: PushTask[]): Promise<PushOutcome[]> {
    const request = (tasks[0] as PushTask).request as XiaomiRequest;
    // A recall's retraction: the revoke API by regIds and notify_id.
    const fields = request.revoke
      ? { notify_id: String(request.revoke.notifyId) }
      : (
          await taggedRequest<XiaomiRequest>(
            this.ctx,
            tasks[0] as PushTask,
            xiaomiReceiptFields,
            RECEIPT_URL_PER_MESSAGE,
          )
        ).form;
    const tokens = tasks.map((t) => t.token);
    try {
      const res = await this.#http.request(request.revoke ? this.#revokeUrl : this.#url, {
        headers: {
          authorization: `key=${this.#secret}`,
          'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
        },
        body: form({
          restricted_package_name: this.#packageName,
          ...fields,
          registration_id: tokens.join(','),
        }),
      });
      const body = parseJson(res.body);
      const code = body?.code !== undefined ? String(body.code) : `HTTP${res.status}`;
      if (res.status === 200 && body?.result === 'ok') {
        const data = (body.data ?? {}) as { id?: string; bad_regids?: string };
        const bad = new Set(
          String(data.bad_regids ?? '')
            .split(',')
            .filter(Boolean),
        );
        return tokens.map((t) =>
          bad.has(t) ? fromTable(XIAOMI_ANSWERS, 'bad_regid', 200, res.body) : outcome('sent', data.id ?? ''),
        );
      }
      const result = fromTable(
        XIAOMI_ANSWERS,
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
