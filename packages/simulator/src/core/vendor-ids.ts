// The vendors the simulator speaks, as ids. A leaf module (it imports nothing) so that every core
// store (devices, credentials, faults, records) can name a vendor without importing anything that
// in turn imports them; core/types.ts builds the shared shapes on top of it.
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
