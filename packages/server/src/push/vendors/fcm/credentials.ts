// FCM HTTP v1 credentials: a Google service-account JSON. Legacy server keys stopped working when Google
// shut down the legacy FCM API in 2024, so they are refused with directions to the file that works.
import { createPrivateKey, createSign } from 'node:crypto';
import { type CertificateInput, invalidInput } from '../../../certificates/input.js';
import { CERTIFICATE_ERROR_TEXTS } from '../../../certificates/messages.js';
import type { ValidatedCertificate } from '../../../certificates/store.js';

export const LEGACY_SERVER_KEY_MESSAGE = CERTIFICATE_ERROR_TEXTS.fcmLegacyServerKey;

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
  if (input.serverKey !== undefined) throw invalidInput('serverKey', 'fcmLegacyServerKey');
  const text = input.serviceAccount?.trim();
  if (!text) {
    throw invalidInput('serviceAccount', 'fcmServiceAccountRequired');
  }
  if (LEGACY_KEY.test(text)) throw invalidInput('serviceAccount', 'fcmLegacyServerKey');
  let sa: ServiceAccount;
  try {
    sa = JSON.parse(text) as ServiceAccount;
  } catch {
    throw invalidInput('serviceAccount', 'fcmNotJson');
  }
  if (sa === null || typeof sa !== 'object' || Array.isArray(sa)) {
    throw invalidInput('serviceAccount', 'fcmNotObject');
  }
  if (sa.type !== 'service_account') {
    throw invalidInput('serviceAccount', 'fcmNotServiceAccount', { type: JSON.stringify(sa.type ?? null) });
  }
  const missing = (['project_id', 'private_key', 'client_email'] as const).filter(
    (f) => typeof sa[f] !== 'string' || (sa[f] as string).trim() === '',
  );
  if (missing.length > 0) {
    throw invalidInput('serviceAccount', 'fcmMissingFields', { fields: missing.join(', ') });
  }
  const privateKey = sa.private_key as string;
  try {
    const key = createPrivateKey(privateKey);
    if (key.asymmetricKeyType !== 'rsa') throw new Error('not RSA');
    createSign('RSA-SHA256').update('pushline').sign(key);
  } catch {
    throw invalidInput('serviceAccount', 'fcmBrokenPrivateKey');
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
