// How the console names push vendors and colours them in charts: the one table every page uses. Both tables
// name every vendor of @pushline/contracts' VENDORS (the server's list), and no other.
import type { Vendor } from '@pushline/contracts';
import { i18n } from './i18n';

export const VENDOR_NAMES: Record<string, string> = {
  apns: 'APNs',
  fcm: 'FCM',
  huawei: 'Huawei',
  honor: 'Honor',
  xiaomi: 'Xiaomi',
  oppo: 'OPPO',
  vivo: 'vivo',
  meizu: 'Meizu',
  webpush: 'Web Push',
} satisfies Record<Vendor, string>;

export const VENDOR_COLORS: Record<string, string> = {
  apns: 'gray.7',
  fcm: 'yellow.6',
  huawei: 'red.6',
  honor: 'indigo.5',
  xiaomi: 'orange.6',
  oppo: 'teal.6',
  vivo: 'blue.6',
  meizu: 'cyan.6',
  webpush: 'grape.6',
} satisfies Record<Vendor, string>;

/** '' or null: a push skipped before a vendor was chosen (the user had no device with a token...). */
export function vendorName(vendor: string | null): string {
  if (!vendor) return i18n.t('vendors.noDevice');
  return VENDOR_NAMES[vendor] ?? vendor;
}
