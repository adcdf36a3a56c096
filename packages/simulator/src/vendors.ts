export const SIMULATOR_VENDORS = [
  'apns',
  'fcm',
  'huawei',
  'honor',
  'xiaomi',
  'oppo',
  'vivo',
  'meizu',
  'webpush',
] as const;
export type SimulatorVendor = (typeof SIMULATOR_VENDORS)[number];

export function isVendor(v: unknown): v is SimulatorVendor {
  return typeof v === 'string' && (SIMULATOR_VENDORS as readonly string[]).includes(v);
}
