// What the certificate form asks for, per vendor: the same field names as the console API (certificates.ts),
// so an error the server names (`{error: {field}}`) shows next to its input.

export interface CertField {
  name: string;
  /** `label` and `description` are translation keys (src/i18n). */
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

export const APNS_P12: CertField[] = [
  {
    name: 'p12Base64',
    label: 'certFields.p12',
    kind: 'file',
    accept: '.p12,application/x-pkcs12',
    read: 'base64',
    required: true,
    description: 'certFields.p12Help',
  },
  { name: 'password', label: 'certFields.p12Password', kind: 'secret' },
  {
    name: 'environment',
    label: 'certificates.environment',
    kind: 'environment',
    description: 'certFields.environmentHelp',
  },
  { name: 'voip', label: 'certFields.voipCertificate', kind: 'voip' },
];

export const APNS_P8: CertField[] = [
  {
    name: 'p8',
    label: 'certFields.p8',
    kind: 'file',
    accept: '.p8',
    read: 'text',
    required: true,
    description: 'certFields.p8Help',
  },
  text('keyId', 'certFields.keyId'),
  text('teamId', 'certFields.teamId'),
  text('bundleId', 'certFields.bundleId'),
  { name: 'environment', label: 'certificates.environment', kind: 'environment', required: true },
  { name: 'voip', label: 'certFields.voipPushes', kind: 'voip' },
];

export const VENDOR_FIELDS: Record<string, CertField[]> = {
  fcm: [
    {
      name: 'serviceAccount',
      label: 'certFields.serviceAccount',
      kind: 'file',
      accept: '.json,application/json',
      read: 'text',
      required: true,
      description: 'certFields.serviceAccountHelp',
    },
  ],
  huawei: [text('appId', 'certFields.appId'), secret('clientSecret', 'certFields.clientSecretAppSecret')],
  honor: [
    text('appId', 'certFields.appId'),
    text('clientId', 'certFields.clientId'),
    secret('clientSecret', 'certFields.clientSecret'),
  ],
  xiaomi: [text('packageName', 'certFields.packageName'), secret('appSecret', 'certFields.appSecret')],
  oppo: [text('appKey', 'certFields.appKey'), secret('masterSecret', 'certFields.masterSecret')],
  vivo: [
    text('appId', 'certFields.appId'),
    text('appKey', 'certFields.appKey'),
    secret('appSecret', 'certFields.appSecret'),
  ],
  meizu: [text('appId', 'certFields.appId'), secret('appSecret', 'certFields.appSecret')],
  webpush: [
    text('vapidPublicKey', 'certFields.vapidPublicKey'),
    secret('vapidPrivateKey', 'certFields.vapidPrivateKey'),
    text('subject', 'certFields.subject', 'certFields.subjectHelp'),
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
