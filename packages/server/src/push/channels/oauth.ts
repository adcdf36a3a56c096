// The OAuth2 client_credentials exchange Huawei and Honor both use (vendors.md §3, §8): a form POST of
// client ID + secret answered by {access_token, expires_in}. A 5xx is worth retrying; anything else means
// the credentials are wrong, which the channel's answer table maps (row `oauth`).
import { AccessTokenCache, AccessTokenError } from './access-token.js';
import { form, type HttpClient, parseJson } from './http.js';
import { type AnswerRow, fromTable } from './outcomes.js';

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
