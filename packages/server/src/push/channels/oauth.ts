// The OAuth2 client_credentials exchange Huawei and Honor both use (vendors.md §3, §8): a form POST of
// client ID + secret answered by {access_token, expires_in}. A 5xx is worth retrying; anything else means
// the credentials are wrong, which the channel's answer table maps (row `oauth`).

import type { PushOutcome } from '../types.js';
import { AccessTokenCache, AccessTokenError } from './access-token.js';
import { form, type HttpClient, parseJson } from './http.js';
import { type AnswerRow, failureOutcome, fromTable } from './outcomes.js';

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
