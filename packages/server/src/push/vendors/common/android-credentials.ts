// Android vendor credentials (Huawei, Honor, Xiaomi, OPPO, vivo, Meizu): plain keys from each vendor's
// developer console. Which key is which differs per vendor; this table says it once.
import { type CertificateInput, invalidInput, required } from '../../../certificates/input.js';
import type { ValidatedCertificate } from '../../../certificates/store.js';
import type { Vendor } from '../../../certificates/types.js';

type AndroidVendor = Exclude<Vendor, 'apns' | 'fcm' | 'webpush'>;

interface Field {
  input: keyof CertificateInput;
  label: string;
  secret: boolean;
}

const f = (input: keyof CertificateInput, label: string, secret = false): Field => ({ input, label, secret });

/** Per vendor: its display name, the fields it needs (in console order) and which one identifies the app. */
export const ANDROID_VENDORS: Record<
  AndroidVendor,
  { title: string; fields: Field[]; identifier: keyof CertificateInput }
> = {
  huawei: {
    title: 'Huawei',
    fields: [
      f('appId', 'the app ID (AppGallery Connect > Project settings > App information)'),
      f('clientSecret', 'the client secret (App secret)', true),
    ],
    identifier: 'appId',
  },
  honor: {
    title: 'Honor',
    fields: [
      f('appId', 'the app ID'),
      f('clientId', 'the client ID'),
      f('clientSecret', 'the client secret', true),
    ],
    identifier: 'appId',
  },
  xiaomi: {
    title: 'Xiaomi',
    fields: [f('packageName', 'the package name'), f('appSecret', 'the AppSecret', true)],
    identifier: 'packageName',
  },
  oppo: {
    title: 'OPPO',
    fields: [f('appKey', 'the AppKey'), f('masterSecret', 'the MasterSecret', true)],
    identifier: 'appKey',
  },
  vivo: {
    title: 'vivo',
    fields: [f('appId', 'the app ID'), f('appKey', 'the AppKey'), f('appSecret', 'the AppSecret', true)],
    identifier: 'appId',
  },
  meizu: {
    title: 'Meizu',
    fields: [f('appId', 'the app ID'), f('appSecret', 'the AppSecret', true)],
    identifier: 'appId',
  },
};

export function validateAndroid(vendor: AndroidVendor, input: CertificateInput): ValidatedCertificate {
  const spec = ANDROID_VENDORS[vendor];
  const publicFields: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const field of spec.fields) {
    const value = required(input, field.input, 'certFieldRequired', {
      what: `${spec.title}: ${field.label}`,
      vendor: spec.title,
      field: field.input,
    });
    if (/\s/.test(value))
      throw invalidInput(field.input, 'certFieldSpaces', { label: field.label, field: field.input });
    (field.secret ? secrets : publicFields)[field.input] = value;
  }
  if (vendor !== 'xiaomi' && input.packageName) publicFields.packageName = input.packageName.trim();
  const appIdentifier = (publicFields[spec.identifier] ?? secrets[spec.identifier]) as string;
  return {
    vendor,
    kind: 'alert',
    name: input.name?.trim() || `${spec.title} ${input.packageName?.trim() || appIdentifier}`,
    appIdentifier,
    publicFields,
    secrets,
    expiresAt: null,
  };
}
