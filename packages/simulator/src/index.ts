// @pushline/simulator: protocol-faithful vendor simulators (filled in by the "Vendor simulators" issue).
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
