// Minimal JWS compact helpers on node:crypto. ES256 signatures are JOSE raw r||s (ieee-p1363).
import { createPrivateKey, type KeyObject, sign, verify } from 'node:crypto';

export type JwtAlg = 'ES256' | 'RS256';

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

export function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [h, p, s] = parts as [string, string, string];
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    if (typeof header !== 'object' || header === null || typeof payload !== 'object' || payload === null) {
      return undefined;
    }
    return { header, payload, signingInput: `${h}.${p}`, signature: Buffer.from(s, 'base64url') };
  } catch {
    return undefined;
  }
}

export function verifyJwt(jwt: DecodedJwt, alg: JwtAlg, key: KeyObject): boolean {
  if (jwt.header.alg !== alg) return false;
  try {
    const data = Buffer.from(jwt.signingInput);
    return alg === 'ES256'
      ? verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, jwt.signature)
      : verify('sha256', data, key, jwt.signature);
  } catch {
    return false;
  }
}

export function signJwt(
  alg: JwtAlg,
  key: KeyObject | string,
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
): string {
  const input = `${b64url(JSON.stringify({ alg, ...header }))}.${b64url(JSON.stringify(payload))}`;
  const k = typeof key === 'string' ? createPrivateKey(key) : key;
  const sig =
    alg === 'ES256'
      ? sign('sha256', Buffer.from(input), { key: k, dsaEncoding: 'ieee-p1363' })
      : sign('sha256', Buffer.from(input), k);
  return `${input}.${b64url(sig)}`;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
