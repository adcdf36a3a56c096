// Builders shared by the outcomes suites.
import type { Vendor } from '../../src/certificates/types.js';
import { newPushId } from '../../src/push/outcomes/push-id.js';
import type { PushRecord } from '../../src/push/outcomes/types.js';
import type { PushOutcome, PushTask, VendorRequest } from '../../src/push/types.js';

export function pushRecord(sdkAppId: number, overrides: Partial<PushRecord> = {}): PushRecord {
  return {
    pushId: newPushId(),
    sdkAppId,
    kind: 'c2c',
    fromUser: 'alice',
    toUser: 'bob',
    msgKey: '48374_2837546_1557481126',
    instanceId: 'inst-1',
    vendor: 'fcm',
    certificateId: 7,
    token: `token-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`,
    ...overrides,
  };
}

function requestFor(vendor: Vendor): VendorRequest {
  switch (vendor) {
    case 'apns':
      return { vendor, pushType: 'alert', priority: 10, body: {} };
    case 'xiaomi':
      return { vendor, form: {} };
    case 'oppo':
      return { vendor, notification: {} };
    case 'meizu':
      return { vendor, messageJson: {} };
    case 'webpush':
      return { vendor, payload: '', ttlSeconds: 60 };
    default:
      return { vendor, message: {} };
  }
}

/** The PushTask the dispatcher would have for a recorded push. */
export function taskOf(r: PushRecord): PushTask {
  return {
    pushId: r.pushId,
    sdkAppId: r.sdkAppId,
    certificateId: r.certificateId ?? 0,
    token: r.token ?? '',
    request: requestFor(r.vendor ?? 'fcm'),
  };
}

export function answer(
  r: PushRecord,
  outcome: PushOutcome,
  extra: { attempt?: number; final?: boolean } = {},
) {
  return { task: taskOf(r), outcome, attempt: extra.attempt ?? 1, latencyMs: 12, ...extra };
}

/** Polls until `check` returns a truthy value (no fixed sleeps). */
export async function waitFor<T>(check: () => Promise<T> | T, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
