// PushIDs: opaque, Tencent-like strings (`67120c46_6a4086c0_9bf5fb50_...`), unique across nodes and restarts
// without a database round trip or crypto per push: the second of issue, a random per-process prefix
// and a counter.
import { randomBytes } from 'node:crypto';

const PROCESS_PREFIX = randomBytes(6).toString('hex');
let counter = 0;

/** A new PushID, e.g. `6740a1c2_3f9a0c1d2e4b_1a`. */
export function newPushId(now = Date.now()): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `${Math.floor(now / 1000).toString(16)}_${PROCESS_PREFIX}_${counter.toString(16)}`;
}

const PUSH_ID = /^[0-9a-f]{8,12}_[0-9a-f]{12}_[0-9a-f]{1,14}$/;

/** Whether a string has the shape of a PushID this server generates (a vendor may echo it back). */
export function looksLikePushId(value: string): boolean {
  return PUSH_ID.test(value);
}
