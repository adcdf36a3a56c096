// Pushline's PushPlatform numbers for the Tencent-shaped webhook and statistics fields. Tencent's own enum is
// not published (docs/internals/tencent-im.md#push-statistics-and-traces), so these are ours, documented in
// docs/statistics.md.
import type { Vendor } from '../../certificates/types.js';

export const PUSH_PLATFORMS: Record<Vendor, number> = {
  apns: 1,
  fcm: 2,
  huawei: 3,
  xiaomi: 4,
  oppo: 5,
  vivo: 6,
  meizu: 7,
  honor: 8,
  webpush: 9,
};

/** 0: no vendor (the device had no usable binding). */
export function pushPlatform(vendor: string | null | undefined): number {
  return (PUSH_PLATFORMS as Record<string, number>)[vendor ?? ''] ?? 0;
}

/** The `System` of a trace: APNS, Android or Web. */
export function systemOf(vendor: string | null | undefined): string {
  if (vendor === 'apns') return 'APNS';
  if (vendor === 'webpush') return 'Web';
  return vendor ? 'Android' : '';
}
