// What a device token looks like per vendor. A token in the wrong format is refused when the client
// reports it, so a mix-up (an FCM token sent with an APNs certificate ID...) surfaces at once instead of
// as a vendor error later.
import { fillText, type TextParams } from '../fill-text.js';
import { CERTIFICATE_ERROR_TEXTS, type CertificateErrorKey } from './messages.js';
import type { Vendor } from './types.js';

interface Rule {
  pattern: RegExp;
  /** Why a token is refused: a text of CERTIFICATE_ERROR_TEXTS and its values. */
  key: CertificateErrorKey;
  min: number;
  max: number;
}

const RULES: Record<Exclude<Vendor, 'webpush'>, Rule> = {
  // 32 bytes today (64 hex); Apple says tokens may grow, so allow up to 100 bytes.
  apns: { pattern: /^(?:[0-9a-fA-F]{2}){32,100}$/, key: 'tokenHexDigits', min: 64, max: 200 },
  fcm: { pattern: /^[A-Za-z0-9_:-]{32,4096}$/, key: 'tokenFcmCharacters', min: 32, max: 4096 },
  huawei: { pattern: /^[A-Za-z0-9._:+=/-]{32,512}$/, key: 'tokenCharacters', min: 32, max: 512 },
  honor: { pattern: /^[A-Za-z0-9._:+=/-]{32,512}$/, key: 'tokenCharacters', min: 32, max: 512 },
  xiaomi: { pattern: /^[A-Za-z0-9+/=_-]{20,256}$/, key: 'tokenRegId', min: 20, max: 256 },
  oppo: { pattern: /^[A-Za-z0-9_-]{16,128}$/, key: 'tokenRegistrationId', min: 16, max: 128 },
  vivo: { pattern: /^[A-Za-z0-9_-]{16,64}$/, key: 'tokenRegId', min: 16, max: 64 },
  meizu: { pattern: /^[A-Za-z0-9_-]{16,64}$/, key: 'tokenPushId', min: 16, max: 64 },
};

/** Why `token` cannot be a `vendor` token, as a key of CERTIFICATE_ERROR_TEXTS; undefined when it can be. */
export function tokenFormatText(
  vendor: Vendor,
  token: string,
): { key: CertificateErrorKey; params?: TextParams } | undefined {
  if (vendor === 'webpush') return parseWebPushSubscription(token) ? undefined : { key: 'tokenWebPush' };
  const rule = RULES[vendor];
  return rule.pattern.test(token)
    ? undefined
    : { key: rule.key, params: { vendor, min: rule.min, max: rule.max } };
}

/** Returns why `token` cannot be a `vendor` token, or undefined when it can. */
export function tokenFormatProblem(vendor: Vendor, token: string): string | undefined {
  const text = tokenFormatText(vendor, token);
  return text && fillText(CERTIFICATE_ERROR_TEXTS[text.key], text.params);
}

export interface WebPushSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** Web Push "tokens" are the browser's PushSubscription as JSON. */
export function parseWebPushSubscription(token: string): WebPushSubscription | undefined {
  try {
    const sub = JSON.parse(token) as WebPushSubscription;
    const url = new URL(sub.endpoint);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    const p256dh = Buffer.from(sub.keys.p256dh, 'base64url');
    const auth = Buffer.from(sub.keys.auth, 'base64url');
    if (p256dh.length !== 65 || p256dh[0] !== 4 || auth.length !== 16) return undefined;
    return { endpoint: sub.endpoint, keys: { p256dh: sub.keys.p256dh, auth: sub.keys.auth } };
  } catch {
    return undefined;
  }
}
