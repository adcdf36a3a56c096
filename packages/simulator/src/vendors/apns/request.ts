// One push as the listener hands it to answer.ts: the HTTP/2 headers (pseudo-headers included), the
// raw header list (to spot duplicates, which the parsed headers hide) and the whole body.
import type { IncomingHttpHeaders } from 'node:http2';

export interface ApnsRequest {
  headers: IncomingHttpHeaders;
  /** Name, value, name, value… as received; undefined when Node did not pass them. */
  rawHeaders: string[] | undefined;
  body: Buffer;
}

export function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** Headers APNs reads; sending one of them twice is answered DuplicateHeaders. */
const CHECKED_HEADERS = new Set([
  'authorization',
  'apns-id',
  'apns-topic',
  'apns-push-type',
  'apns-priority',
  'apns-expiration',
  'apns-collapse-id',
]);

export function hasDuplicateHeaders(raw: string[]): boolean {
  const names: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    if (!CHECKED_HEADERS.has(name)) continue;
    if (names.includes(name)) return true;
    names.push(name);
  }
  return false;
}
