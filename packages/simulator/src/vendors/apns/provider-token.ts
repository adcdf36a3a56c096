// Token auth: checks the provider JWT of a push the way Apple does. One instance is shared by both
// listeners (production and development), because Apple counts a key's token updates across them.
import type { ApnsKey } from '../../core/credentials.js';
import { decodeJwt, verifyJwt } from '../../core/jwt.js';
import type { SimContext } from '../../core/types.js';
import type { ApnsConnectionAuth } from './connection.js';
import { Rejection } from './rejection.js';

const HOUR = 3600;
const TOKEN_UPDATE_WINDOW_MS = 20 * 60_000;

interface VerifiedJwt {
  key: ApnsKey;
  iat: number;
}

export class ProviderTokens {
  /** JWT strings already verified: a client sends the same token on every push for up to an hour. */
  private readonly jwtCache = new Map<string, VerifiedJwt>();
  /** When each key's distinct tokens were first seen, to answer TooManyProviderTokenUpdates. */
  private readonly tokenUpdates = new Map<string, number[]>();

  constructor(private readonly ctx: SimContext) {}

  /** The key that signed the push's token; pins the connection's team. Throws the Rejection otherwise. */
  verify(authorization: string | undefined, auth: ApnsConnectionAuth): ApnsKey {
    const { ctx, jwtCache, tokenUpdates } = this;
    if (!authorization) throw new Rejection('MissingProviderToken');
    const sp = authorization.indexOf(' ');
    if (sp < 0 || authorization.slice(0, sp).toLowerCase() !== 'bearer')
      throw new Rejection('InvalidProviderToken');
    const jwt = authorization.slice(sp + 1).trim();
    if (jwt === '') throw new Rejection('MissingProviderToken');
    const now = Date.now() / 1000;
    let verified = jwtCache.get(jwt);
    if (!verified) {
      const decoded = decodeJwt(jwt);
      const kid = decoded?.header.kid;
      const key = typeof kid === 'string' ? ctx.credentials.apnsKeys.get(kid) : undefined;
      if (
        !decoded ||
        !key ||
        decoded.payload.iss !== key.teamId ||
        !verifyJwt(decoded, 'ES256', key.publicKey)
      ) {
        throw new Rejection('InvalidProviderToken');
      }
      const iat = decoded.payload.iat;
      if (typeof iat !== 'number') throw new Rejection('InvalidProviderToken');
      if (iat + HOUR < now) throw new Rejection('ExpiredProviderToken');
      // Too many distinct tokens for one key within 20 minutes (Apple forum 770438).
      const seen = (tokenUpdates.get(key.keyId) ?? []).filter((t) => t > Date.now() - TOKEN_UPDATE_WINDOW_MS);
      if (seen.length >= ctx.options.apnsTokenUpdateLimit) {
        tokenUpdates.set(key.keyId, seen);
        throw new Rejection('TooManyProviderTokenUpdates');
      }
      seen.push(Date.now());
      tokenUpdates.set(key.keyId, seen);
      verified = { key, iat };
      if (jwtCache.size > 10_000) jwtCache.clear();
      jwtCache.set(jwt, verified);
    }
    if (verified.iat + HOUR < now) throw new Rejection('ExpiredProviderToken');
    // The key may have been re-registered (new topics) or replaced since the token was verified.
    const current = ctx.credentials.apnsKeys.get(verified.key.keyId);
    if (current !== verified.key) {
      if (
        !current ||
        current.teamId !== verified.key.teamId ||
        !current.publicKey.equals(verified.key.publicKey)
      ) {
        jwtCache.delete(jwt);
        throw new Rejection('InvalidProviderToken');
      }
      verified.key = current;
    }
    // Real APNs pins one team per connection.
    auth.teamId ??= verified.key.teamId;
    if (auth.teamId !== verified.key.teamId) throw new Rejection('InvalidProviderToken');
    return verified.key;
  }
}
