// Web Push "tokens" are the browser's PushSubscription as JSON.

export interface WebPushSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** The subscription in a Web Push token, or undefined when it is not one. */
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
