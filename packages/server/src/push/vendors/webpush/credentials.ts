// Web Push: a VAPID key pair (RFC 8292) and a contact subject. A key pair is generated when none is given;
// the public key is what the web app passes to pushManager.subscribe() as applicationServerKey.
import { createECDH } from 'node:crypto';
import { type CertificateInput, invalidInput, required } from '../../../certificates/input.js';
import type { ValidatedCertificate } from '../../../certificates/store.js';

export function generateVapidKeyPair(): { publicKey: string; privateKey: string } {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    publicKey: ecdh.getPublicKey().toString('base64url'),
    privateKey: toScalar32(ecdh.getPrivateKey()).toString('base64url'),
  };
}

/** A P-256 private scalar is 32 bytes; OpenSSL drops leading zero bytes (1 key in 256), so pad them back. */
function toScalar32(key: Buffer): Buffer {
  return key.length >= 32 ? key : Buffer.concat([Buffer.alloc(32 - key.length), key]);
}

export function validateWebPush(input: CertificateInput): ValidatedCertificate {
  const subject = required(input, 'subject', 'webpushSubjectRequired');
  if (!/^mailto:\S+@\S+$/.test(subject) && !/^https:\/\/\S+$/.test(subject)) {
    throw invalidInput('subject', 'webpushSubject');
  }
  const pub = input.vapidPublicKey?.trim();
  const priv = input.vapidPrivateKey?.trim();
  let keys: { publicKey: string; privateKey: string };
  if (!pub && !priv) keys = generateVapidKeyPair();
  else if (!pub) throw invalidInput('vapidPublicKey', 'webpushPublicKeyMissing');
  else if (!priv) throw invalidInput('vapidPrivateKey', 'webpushPrivateKeyMissing');
  else keys = checkPair(pub, priv);
  return {
    vendor: 'webpush',
    kind: 'alert',
    name: input.name?.trim() || `Web Push ${subject}`,
    appIdentifier: subject,
    publicFields: { vapidPublicKey: keys.publicKey, subject },
    secrets: { vapidPrivateKey: keys.privateKey },
    expiresAt: null,
  };
}

function checkPair(publicKey: string, privateKey: string): { publicKey: string; privateKey: string } {
  const pubBytes = Buffer.from(publicKey, 'base64url');
  if (pubBytes.length !== 65 || pubBytes[0] !== 4) {
    throw invalidInput('vapidPublicKey', 'webpushPublicKeyFormat');
  }
  const privBytes = toScalar32(Buffer.from(privateKey, 'base64url'));
  if (privBytes.length !== 32) {
    throw invalidInput('vapidPrivateKey', 'webpushPrivateKeyFormat');
  }
  const ecdh = createECDH('prime256v1');
  try {
    ecdh.setPrivateKey(privBytes);
  } catch {
    throw invalidInput('vapidPrivateKey', 'webpushPrivateKeyInvalid');
  }
  if (!ecdh.getPublicKey().equals(pubBytes)) {
    throw invalidInput('vapidPublicKey', 'webpushKeysMismatch');
  }
  return { publicKey: pubBytes.toString('base64url'), privateKey: privBytes.toString('base64url') };
}
