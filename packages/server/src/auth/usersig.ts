// UserSig exactly as Tencent's TLSSigAPIv2 (docs/internals/tencent-im.md#usersig): a zlib-compressed JSON
// document carrying an HMAC-SHA256 over five fixed lines, in base64 with the `+/=` -> `*-_` substitutions.
// Any zlib level is accepted on verify because only the inflated JSON is read.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';

/** Tencent error codes returned by UserSig verification. */
export const UserSigError = {
  Expired: 70001,
  Empty: 70002,
  BadFormat: 70003,
  WrongKey: 70009,
  IdentifierMismatch: 70013,
  SdkAppIdMismatch: 70014,
  InvalidatedByKick: 70052,
} as const;

export type UserSigErrorCode = (typeof UserSigError)[keyof typeof UserSigError];

export interface DecodedUserSig {
  version: string;
  identifier: string;
  sdkAppId: number;
  /** Issue time, UNIX seconds. */
  time: number;
  /** Lifetime in seconds, counted from `time`. */
  expire: number;
  sig: string;
  userBuf?: string;
}

export type VerifyResult =
  | { ok: true; sig: DecodedUserSig }
  | { ok: false; code: UserSigErrorCode; message: string };

function escapeBase64(b64: string): string {
  return b64.replace(/\+/g, '*').replace(/\//g, '-').replace(/=/g, '_');
}

function unescapeBase64(s: string): string {
  return s.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=');
}

function hmacBase64(
  key: string,
  identifier: string,
  sdkAppId: number,
  time: number,
  expire: number,
  userBuf?: string,
): string {
  let content =
    `TLS.identifier:${identifier}\n` +
    `TLS.sdkappid:${sdkAppId}\n` +
    `TLS.time:${time}\n` +
    `TLS.expire:${expire}\n`;
  if (userBuf !== undefined) content += `TLS.userbuf:${userBuf}\n`;
  return createHmac('sha256', key).update(content).digest('base64');
}

/** Lifetime of the admin UserSigs the CLI and the sandbox print: 180 days. */
export const ADMIN_SIG_EXPIRE = 180 * 86_400;

export interface GenUserSigOptions {
  sdkAppId: number;
  key: string;
  identifier: string;
  /** Lifetime in seconds. */
  expire: number;
  /** Issue time in UNIX seconds; defaults to now. */
  time?: number;
}

export function genUserSig(opts: GenUserSigOptions): string {
  const time = opts.time ?? Math.floor(Date.now() / 1000);
  const doc = {
    'TLS.ver': '2.0',
    'TLS.identifier': String(opts.identifier),
    'TLS.sdkappid': Number(opts.sdkAppId),
    'TLS.time': time,
    'TLS.expire': Number(opts.expire),
    'TLS.sig': hmacBase64(opts.key, opts.identifier, opts.sdkAppId, time, opts.expire),
  };
  return escapeBase64(deflateSync(Buffer.from(JSON.stringify(doc))).toString('base64'));
}

/** Decodes without checking the signature. Returns undefined for anything that is not a UserSig. */
export function decodeUserSig(userSig: string): DecodedUserSig | undefined {
  try {
    const json = inflateSync(Buffer.from(unescapeBase64(userSig), 'base64')).toString('utf8');
    const doc = JSON.parse(json) as Record<string, unknown>;
    const identifier = doc['TLS.identifier'];
    const sdkAppId = doc['TLS.sdkappid'];
    const time = doc['TLS.time'];
    const expire = doc['TLS.expire'];
    const sig = doc['TLS.sig'];
    const userBuf = doc['TLS.userbuf'];
    if (
      typeof identifier !== 'string' ||
      typeof sdkAppId !== 'number' ||
      typeof time !== 'number' ||
      typeof expire !== 'number' ||
      typeof sig !== 'string' ||
      (userBuf !== undefined && typeof userBuf !== 'string')
    ) {
      return undefined;
    }
    return {
      version: String(doc['TLS.ver'] ?? ''),
      identifier,
      sdkAppId,
      time,
      expire,
      sig,
      ...(userBuf !== undefined ? { userBuf } : {}),
    };
  } catch {
    return undefined;
  }
}

export interface VerifyUserSigOptions {
  userSig: string | undefined | null;
  sdkAppId: number;
  key: string;
  identifier: string;
  /** Current time in UNIX seconds; defaults to now. */
  now?: number;
  /** UserSigs issued at or before this UNIX second were invalidated by a kick. */
  invalidatedAt?: number | null;
}

/**
 * Verifies a UserSig in the order Tencent's reference verifier does: format, SDKAppID, identifier,
 * expiry, then the signature (constant-time), then kick invalidation.
 */
export function verifyUserSig(opts: VerifyUserSigOptions): VerifyResult {
  if (!opts.userSig) return { ok: false, code: UserSigError.Empty, message: 'UserSig is empty' };
  // A backend signs every REST call with the same administrator UserSig: inflating and re-signing it per
  // call was a visible share of a send's CPU. A UserSig that passed the checks that never change for it
  // (format, SDKAppID, identifier, signature with this key) is remembered; expiry and kick are checked anew.
  const known = verifiedSigs.get(opts.userSig);
  if (
    known &&
    known.key === opts.key &&
    known.sig.sdkAppId === opts.sdkAppId &&
    known.sig.identifier === opts.identifier
  ) {
    return checkTimes(known.sig, opts);
  }
  const sig = decodeUserSig(opts.userSig);
  if (!sig) {
    return { ok: false, code: UserSigError.BadFormat, message: 'UserSig format is invalid (decode failed)' };
  }
  if (sig.sdkAppId !== opts.sdkAppId) {
    return {
      ok: false,
      code: UserSigError.SdkAppIdMismatch,
      message: `UserSig was issued for SDKAppID ${sig.sdkAppId}, not ${opts.sdkAppId}`,
    };
  }
  if (sig.identifier !== opts.identifier) {
    return {
      ok: false,
      code: UserSigError.IdentifierMismatch,
      message: `UserSig was issued for identifier "${sig.identifier}", not "${opts.identifier}"`,
    };
  }
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  if (now > sig.time + sig.expire) {
    return { ok: false, code: UserSigError.Expired, message: 'UserSig expired, generate a new one' };
  }
  const expected = Buffer.from(
    hmacBase64(opts.key, sig.identifier, sig.sdkAppId, sig.time, sig.expire, sig.userBuf),
  );
  const given = Buffer.from(sig.sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return {
      ok: false,
      code: UserSigError.WrongKey,
      message: 'UserSig verification with the app secret key failed (key or SDKAppID mismatch)',
    };
  }
  if (verifiedSigs.size >= VERIFIED_CACHE_SIZE)
    verifiedSigs.delete(verifiedSigs.keys().next().value as string);
  verifiedSigs.set(opts.userSig, { key: opts.key, sig });
  return checkTimes(sig, opts);
}

/** UserSigs whose signature was verified, with the key that verified them (oldest dropped first). */
const verifiedSigs = new Map<string, { key: string; sig: DecodedUserSig }>();
const VERIFIED_CACHE_SIZE = 2_000;

/** The checks that depend on the time: expiry, then invalidation by a kick. */
function checkTimes(sig: DecodedUserSig, opts: VerifyUserSigOptions): VerifyResult {
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  if (now > sig.time + sig.expire) {
    return { ok: false, code: UserSigError.Expired, message: 'UserSig expired, generate a new one' };
  }
  if (opts.invalidatedAt != null && sig.time <= opts.invalidatedAt) {
    return {
      ok: false,
      code: UserSigError.InvalidatedByKick,
      message: 'UserSig was invalidated by a kick; generate a new one',
    };
  }
  return { ok: true, sig };
}
