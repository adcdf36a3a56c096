// The secret in a receipt URL: vendors post receipts without our credentials, so each app and vendor gets
// a URL carrying an HMAC of the app's secret key. Rotating the secret key changes every receipt URL.
import { createHmac, timingSafeEqual } from 'node:crypto';

export function receiptToken(secretKey: string, sdkAppId: number, vendor: string): string {
  return createHmac('sha256', secretKey)
    .update(`pushline-receipt:${sdkAppId}:${vendor}`)
    .digest('hex')
    .slice(0, 32);
}

export function checkReceiptToken(
  secretKey: string,
  sdkAppId: number,
  vendor: string,
  given: string,
): boolean {
  const expected = Buffer.from(receiptToken(secretKey, sdkAppId, vendor));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The URL to enter in the vendor console as the receipt (callback) address. */
export function receiptUrl(baseUrl: string, secretKey: string, sdkAppId: number, vendor: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return `${base}/v3/offline_push_report/${vendor}?sdkappid=${sdkAppId}&token=${receiptToken(secretKey, sdkAppId, vendor)}`;
}
