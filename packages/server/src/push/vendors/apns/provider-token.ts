// APNs provider tokens (docs/internals/apns.md#token-based-p8-key): an ES256 JWT {iss: team, iat} with the
// key ID in the header, signed with node:crypto (raw r||s signature). Apple wants a token reused for at least
// 20 minutes and renewed within 60, so one token is cached per key and shared by every channel that uses that
// key.
import { createPrivateKey, type KeyObject, sign } from 'node:crypto';

export const JWT_MIN_REFRESH_MS = 20 * 60_000;
export const JWT_MAX_REFRESH_MS = 60 * 60_000;
export const JWT_DEFAULT_REFRESH_MS = 50 * 60_000;

export class ApnsProviderToken {
  readonly #key: KeyObject;
  readonly #header: string;
  #value = '';
  #issuedAt = Number.NEGATIVE_INFINITY;

  constructor(
    p8: string,
    readonly keyId: string,
    readonly teamId: string,
    private readonly now: () => number,
    private readonly refreshMs = JWT_DEFAULT_REFRESH_MS,
  ) {
    this.#key = createPrivateKey(p8);
    this.#header = Buffer.from(JSON.stringify({ alg: 'ES256', kid: keyId })).toString('base64url');
    this.refreshMs = Math.min(JWT_MAX_REFRESH_MS, Math.max(JWT_MIN_REFRESH_MS, refreshMs));
  }

  /** The `authorization` header value, renewed once the token is `refreshMs` old. */
  authorization(): string {
    if (this.now() - this.#issuedAt >= this.refreshMs) this.#issue();
    return this.#value;
  }

  /**
   * APNs answered ExpiredProviderToken to a request made with `used`: renew, unless another request
   * already did (many in-flight requests fail together; one new token serves them all).
   */
  renewAfterExpiry(used: string): string {
    if (used === this.#value) this.#issue();
    return this.#value;
  }

  #issue(): void {
    const issuedAt = this.now();
    const claims = Buffer.from(
      JSON.stringify({ iss: this.teamId, iat: Math.floor(issuedAt / 1000) }),
    ).toString('base64url');
    const input = `${this.#header}.${claims}`;
    const signature = sign('sha256', Buffer.from(input), { key: this.#key, dsaEncoding: 'ieee-p1363' });
    this.#value = `bearer ${input}.${signature.toString('base64url')}`;
    this.#issuedAt = issuedAt;
  }
}
