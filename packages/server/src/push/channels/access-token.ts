// A cached vendor access token (FCM OAuth, Huawei/Honor OAuth, OPPO/vivo auth tokens): fetched once,
// shared by every concurrent send (one request in flight at a time), renewed shortly before it expires
// or at once when the vendor says it expired.
import type { PushOutcome } from '../types.js';

/** Fetching a token failed with an answer that says what to do (e.g. credential-error for a bad secret). */
export class AccessTokenError extends Error {
  constructor(readonly outcome: PushOutcome) {
    super(`access token refused: ${'code' in outcome ? outcome.code : outcome.kind}`);
  }
}

export interface FetchedToken {
  token: string;
  /** Lifetime in ms from now. */
  ttlMs: number;
}

export class AccessTokenCache {
  #token: string | undefined;
  #expiresAt = 0;
  #pending: Promise<string> | undefined;

  constructor(
    private readonly fetchToken: () => Promise<FetchedToken>,
    private readonly now: () => number,
    /** Renew this long before expiry. */
    private readonly marginMs = 5 * 60_000,
  ) {}

  /** A valid token; throws AccessTokenError or NetworkError when one cannot be had. */
  get(): Promise<string> {
    if (this.#token && this.now() < this.#expiresAt) return Promise.resolve(this.#token);
    this.#pending ??= this.fetchToken()
      .then(({ token, ttlMs }) => {
        this.#token = token;
        this.#expiresAt = this.now() + Math.max(ttlMs - this.marginMs, ttlMs / 2);
        return token;
      })
      .finally(() => {
        this.#pending = undefined;
      });
    return this.#pending;
  }

  /** The vendor rejected `token` as expired or invalid: forget it (unless a newer one replaced it). */
  invalidate(token: string): void {
    if (this.#token === token) {
      this.#token = undefined;
      this.#expiresAt = 0;
    }
  }
}

/** Joins a configured URL with a vendor's default path when the URL is only an origin (simulators). */
export function endpoint(url: string, defaultPath: string): string {
  const u = new URL(url);
  if (u.pathname === '/' || u.pathname === '') return `${u.origin}${defaultPath}`;
  return url;
}

/** Base URL without a trailing slash. */
export function base(url: string): string {
  return url.replace(/\/+$/, '');
}
