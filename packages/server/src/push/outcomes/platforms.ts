// Pushline's PushPlatform numbers for the Tencent-shaped webhook and statistics fields. Tencent's own enum is
// not published (docs/internals/tencent-im.md#push-statistics-and-traces), so these are ours, documented in
// docs/statistics.md; each vendor's module holds its number (VendorModule.pushPlatform).
import type { Vendor } from '../../certificates/types.js';
import { findVendorModule, VENDOR_MODULES } from '../vendors/index.js';

/** Every vendor's PushPlatform number. */
export const PUSH_PLATFORMS = Object.fromEntries(
  Object.values(VENDOR_MODULES).map((m) => [m.vendor, m.pushPlatform]),
) as Record<Vendor, number>;

/** 0: no vendor (the device had no usable binding). */
export function pushPlatform(vendor: string | null | undefined): number {
  return findVendorModule(vendor)?.pushPlatform ?? 0;
}

/** The `System` of a trace: APNS, Android or Web. */
export function systemOf(vendor: string | null | undefined): string {
  if (!vendor) return '';
  return findVendorModule(vendor)?.system ?? 'Android';
}
