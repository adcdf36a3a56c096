// What a device token looks like per vendor. A token in the wrong format is refused when the client
// reports it, so a mix-up (an FCM token sent with an APNs certificate ID...) surfaces at once instead of
// as a vendor error later.
import type { Vendor } from './types.js';

const RULES: Record<Exclude<Vendor, 'webpush'>, { pattern: RegExp; describe: string }> = {
  // 32 bytes today (64 hex); Apple says tokens may grow, so allow up to 100 bytes.
  apns: { pattern: /^(?:[0-9a-fA-F]{2}){32,100}$/, describe: 'an even number (64 to 200) of hex digits' },
  fcm: { pattern: /^[A-Za-z0-9_:-]{32,4096}$/, describe: '32 to 4096 characters of [A-Za-z0-9_:-]' },
  huawei: { pattern: /^[A-Za-z0-9._:+=/-]{32,512}$/, describe: '32 to 512 token characters' },
  honor: { pattern: /^[A-Za-z0-9._:+=/-]{32,512}$/, describe: '32 to 512 token characters' },
  xiaomi: { pattern: /^[A-Za-z0-9+/=_-]{20,256}$/, describe: 'a 20 to 256 character regId' },
  oppo: { pattern: /^[A-Za-z0-9_-]{16,128}$/, describe: 'a 16 to 128 character registration ID' },
  vivo: { pattern: /^[A-Za-z0-9_-]{16,64}$/, describe: 'a 16 to 64 character regId' },
  meizu: { pattern: /^[A-Za-z0-9_-]{16,64}$/, describe: 'a 16 to 64 character pushId' },
};

/** Returns why `token` cannot be a `vendor` token, or undefined when it can. */
export function tokenFormatProblem(vendor: Vendor, token: string): string | undefined {
  if (vendor === 'webpush') return webPushSubscriptionProblem(token);
  const rule = RULES[vendor];
  return rule.pattern.test(token) ? undefined : `a ${vendor} token must be ${rule.describe}`;
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

function webPushSubscriptionProblem(token: string): string | undefined {
  return parseWebPushSubscription(token)
    ? undefined
    : 'a webpush token must be the PushSubscription JSON: {"endpoint":"https://...","keys":{"p256dh":"<65-byte base64url>","auth":"<16-byte base64url>"}}';
}
