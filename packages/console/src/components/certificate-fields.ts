// What the certificate form asks for, per vendor: the same field names as the console API (certificates.ts),
// so an error the server names (`{error: {field}}`) shows next to its input.

export interface CertField {
  name: string;
  label: string;
  kind: 'text' | 'secret' | 'file' | 'environment' | 'voip';
  /** For files: what to accept and how to read it (base64 for .p12, text for .p8 and JSON). */
  accept?: string;
  read?: 'base64' | 'text';
  required?: boolean;
  description?: string;
}

const text = (name: string, label: string, description?: string): CertField => ({
  name,
  label,
  kind: 'text',
  required: true,
  ...(description ? { description } : {}),
});
const secret = (name: string, label: string): CertField => ({ name, label, kind: 'secret', required: true });

export const VENDOR_LABELS: Record<string, string> = {
  apns: 'Apple APNs',
  fcm: 'Google FCM',
  huawei: 'Huawei',
  honor: 'Honor',
  xiaomi: 'Xiaomi',
  oppo: 'OPPO',
  vivo: 'vivo',
  meizu: 'Meizu',
  webpush: 'Web Push',
};

export const APNS_P12: CertField[] = [
  {
    name: 'p12Base64',
    label: 'Certificate file (.p12)',
    kind: 'file',
    accept: '.p12,application/x-pkcs12',
    read: 'base64',
    required: true,
    description: 'Exported from Keychain Access with its private key',
  },
  { name: 'password', label: 'Password of the .p12', kind: 'secret' },
  {
    name: 'environment',
    label: 'Environment',
    kind: 'environment',
    description: 'Development for apps run from Xcode; production for TestFlight and the App Store',
  },
  { name: 'voip', label: 'VoIP Services certificate (PushKit)', kind: 'voip' },
];

export const APNS_P8: CertField[] = [
  {
    name: 'p8',
    label: 'Signing key file (.p8)',
    kind: 'file',
    accept: '.p8',
    read: 'text',
    required: true,
    description: 'Apple Developer > Keys > a key with Apple Push Notifications service enabled',
  },
  text('keyId', 'Key ID'),
  text('teamId', 'Team ID'),
  text('bundleId', 'Bundle ID'),
  { name: 'environment', label: 'Environment', kind: 'environment', required: true },
  { name: 'voip', label: 'VoIP pushes (PushKit)', kind: 'voip' },
];

export const VENDOR_FIELDS: Record<string, CertField[]> = {
  fcm: [
    {
      name: 'serviceAccount',
      label: 'Service account key (.json)',
      kind: 'file',
      accept: '.json,application/json',
      read: 'text',
      required: true,
      description: 'Firebase console > Project settings > Service accounts > Generate new private key',
    },
  ],
  huawei: [text('appId', 'App ID'), secret('clientSecret', 'Client secret (App secret)')],
  honor: [text('appId', 'App ID'), text('clientId', 'Client ID'), secret('clientSecret', 'Client secret')],
  xiaomi: [text('packageName', 'Package name'), secret('appSecret', 'AppSecret')],
  oppo: [text('appKey', 'AppKey'), secret('masterSecret', 'MasterSecret')],
  vivo: [text('appId', 'App ID'), text('appKey', 'AppKey'), secret('appSecret', 'AppSecret')],
  meizu: [text('appId', 'App ID'), secret('appSecret', 'AppSecret')],
  webpush: [
    text('vapidPublicKey', 'VAPID public key'),
    secret('vapidPrivateKey', 'VAPID private key'),
    text('subject', 'Subject', 'mailto: or https: URL the push services can contact'),
  ],
};

export function fieldsFor(vendor: string, apnsAuth: 'p12' | 'p8'): CertField[] {
  if (vendor === 'apns') return apnsAuth === 'p12' ? APNS_P12 : APNS_P8;
  return VENDOR_FIELDS[vendor] ?? [];
}

export async function readFile(file: File, how: 'base64' | 'text'): Promise<string> {
  if (how === 'text') return file.text();
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
