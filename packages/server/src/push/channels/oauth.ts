// The OAuth2 client_credentials exchange Huawei and Honor both use (docs/internals/huawei.md#authentication,
// docs/internals/honor.md#authentication): a form POST of client ID + secret answered by {access_token,
// expires_in}. A 5xx is worth retrying; anything else means the credentials are wrong, which the channel's
// answer table maps (row `oauth`).

import type { PushOutcome, PushTask } from '../types.js';
import { AccessTokenCache, AccessTokenError } from './access-token.js';
import { type AnswerRow, failureOutcome, fromTable, retryAfterMs } from './answer-tables.js';
import { form, type HttpAnswer, type HttpClient, parseJson } from './http.js';

export interface ClientCredentials {
  http: HttpClient;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** The vendor's answer table; must have an `oauth` row. */
  answers: Record<string, AnswerRow>;
  now: () => number;
}

export function clientCredentialsToken(c: ClientCredentials): AccessTokenCache {
  return new AccessTokenCache(async () => {
    const res = await c.http.request(c.tokenUrl, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret }),
    });
    const body = parseJson(res.body);
    if (res.status === 200 && typeof body?.access_token === 'string') {
      return { token: body.access_token, ttlMs: Number(body.expires_in ?? 3600) * 1000 };
    }
    const code = res.status >= 500 ? `HTTP${res.status}` : 'oauth';
    throw new AccessTokenError(fromTable(c.answers, code, res.status, res.body));
  }, c.now);
}

/** What an attempt answers when the vendor said its access token expired. */
export const RENEW_TOKEN = Symbol('renew access token');

/**
 * Runs `attempt` with a valid access token. An attempt that answers RENEW_TOKEN (allowed only while
 * `mayRenew`) gets one more try with a fresh token; a token that cannot be had, or a network failure,
 * becomes the outcome `fail` turns into the channel's answer.
 */
export async function withAccessToken<T>(
  cache: AccessTokenCache,
  attempt: (token: string, mayRenew: boolean) => Promise<T | typeof RENEW_TOKEN>,
  fail: (outcome: PushOutcome) => T,
): Promise<T> {
  for (const mayRenew of [true, false]) {
    try {
      const token = await cache.get();
      const result = await attempt(token, mayRenew);
      if (result !== RENEW_TOKEN) return result;
      cache.invalidate(token);
    } catch (err) {
      return fail(err instanceof AccessTokenError ? err.outcome : failureOutcome(err));
    }
  }
  throw new Error('an attempt asked to renew its access token twice');
}

export interface OAuthBatch {
  http: HttpClient;
  token: AccessTokenCache;
  url: string;
  /** The vendor's answer table: its rows for the codes that fail a whole request. */
  answers: Record<string, AnswerRow>;
  /** Codes that mean "this access token is no longer valid": renewed once, then a credential error. */
  authCodes: ReadonlySet<string>;
  tasks: PushTask[];
  /** The request's headers besides the bearer token (made per attempt: Honor signs a timestamp). */
  headers: () => Record<string, string>;
  body: string;
  /** The vendor's result code of an answer. */
  codeOf: (body: Record<string, unknown> | undefined, res: HttpAnswer) => string;
  /** One outcome per task when `code` is a (partial) success; undefined when it fails the whole request. */
  accepted: (
    code: string,
    body: Record<string, unknown> | undefined,
    res: HttpAnswer,
  ) => PushOutcome[] | undefined;
}

/**
 * One multi-token request of Huawei or Honor: sent with a valid access token (renewed once when the vendor
 * answers one of `authCodes`), answered per token on success, otherwise every task gets the answer table's
 * row for the code (with the vendor's Retry-After).
 */
export function sendOAuthBatch(b: OAuthBatch): Promise<PushOutcome[]> {
  return withAccessToken(
    b.token,
    async (token, mayRenew) => {
      const res = await b.http.request(b.url, {
        headers: { authorization: `Bearer ${token}`, ...b.headers() },
        body: b.body,
      });
      const body = parseJson(res.body);
      const code = b.codeOf(body, res);
      if (b.authCodes.has(code) && mayRenew) return RENEW_TOKEN;
      const perToken = b.accepted(code, body, res);
      if (perToken) return perToken;
      const result = fromTable(
        b.answers,
        code,
        res.status,
        res.body,
        retryAfterMs(res.headers['retry-after']),
      );
      return b.tasks.map(() => result);
    },
    (failed) => b.tasks.map(() => failed),
  );
}
