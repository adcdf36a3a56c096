// The push vendors Pushline sends through: certificates name one, the simulators run one of each, the
// console names and colours them. One list for the server, the simulators and the console.

export const VENDORS = [
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
export type Vendor = (typeof VENDORS)[number];
