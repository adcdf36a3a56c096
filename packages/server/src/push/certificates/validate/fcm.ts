// FCM HTTP v1 credentials: a Google service-account JSON. Legacy server keys stopped working when Google
// shut down the legacy FCM API in 2024, so they are refused with directions to the file that works.
import { createPrivateKey, createSign } from 'node:crypto';
import { type CertificateInput, CertificateInputError } from '../input.js';
import type { ValidatedCertificate } from './apns.js';

export const LEGACY_SERVER_KEY_MESSAGE =
  'FCM legacy server keys no longer work: Google shut down the legacy FCM API (the one that used server keys) in July 2024. ' +
  'Upload the service-account JSON file instead: Firebase console > Project settings > Service accounts > Generate new private key.';

/** Legacy FCM server keys looked like "AAAA...:APA91b..." or "AIza...". */
const LEGACY_KEY = /^(AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]+|AIza[A-Za-z0-9_-]{35})$/;

interface ServiceAccount {
  type?: unknown;
  project_id?: unknown;
  private_key?: unknown;
  private_key_id?: unknown;
  client_email?: unknown;
}

export function validateFcm(input: CertificateInput): ValidatedCertificate {
  if (input.serverKey !== undefined) throw new CertificateInputError('serverKey', LEGACY_SERVER_KEY_MESSAGE);
  const text = input.serviceAccount?.trim();
  if (!text) {
    throw new CertificateInputError(
      'serviceAccount',
      'the service-account JSON file is required (Firebase console > Project settings > Service accounts > Generate new private key)',
    );
  }
  if (LEGACY_KEY.test(text)) throw new CertificateInputError('serviceAccount', LEGACY_SERVER_KEY_MESSAGE);
  let sa: ServiceAccount;
  try {
    sa = JSON.parse(text) as ServiceAccount;
  } catch {
    throw new CertificateInputError('serviceAccount', 'the service-account file is not valid JSON');
  }
  if (sa === null || typeof sa !== 'object' || Array.isArray(sa)) {
    throw new CertificateInputError('serviceAccount', 'the service-account file must hold a JSON object');
  }
  if (sa.type !== 'service_account') {
    throw new CertificateInputError(
      'serviceAccount',
      `this JSON is not a service-account key (its "type" is ${JSON.stringify(sa.type ?? null)}, expected "service_account"); google-services.json is the client config, not the server credential`,
    );
  }
  const missing = (['project_id', 'private_key', 'client_email'] as const).filter(
    (f) => typeof sa[f] !== 'string' || (sa[f] as string).trim() === '',
  );
  if (missing.length > 0) {
    throw new CertificateInputError(
      'serviceAccount',
      `the service-account file lacks ${missing.join(', ')}: download a fresh key file from the Firebase console`,
    );
  }
  const privateKey = sa.private_key as string;
  try {
    const key = createPrivateKey(privateKey);
    if (key.asymmetricKeyType !== 'rsa') throw new Error('not RSA');
    createSign('RSA-SHA256').update('pushline').sign(key);
  } catch {
    throw new CertificateInputError(
      'serviceAccount',
      'the private_key in the service-account file is broken (it must be an RSA private key in PEM): download a fresh key file',
    );
  }
  const projectId = (sa.project_id as string).trim();
  const clientEmail = (sa.client_email as string).trim();
  return {
    vendor: 'fcm',
    kind: 'alert',
    name: input.name?.trim() || `FCM ${projectId}`,
    appIdentifier: projectId,
    publicFields: {
      projectId,
      clientEmail,
      ...(typeof sa.private_key_id === 'string' ? { privateKeyId: sa.private_key_id } : {}),
    },
    secrets: { privateKey },
    expiresAt: null,
  };
}
