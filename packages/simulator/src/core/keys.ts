// Helpers that make the credentials a real vendor console would hand out, for tests elsewhere.
import { createECDH, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { OemVendor, VendorApp } from './credentials.js';
import { nowSeconds, signJwt } from './jwt.js';

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
function appleId(): string {
  const b = randomBytes(10);
  let s = '';
  for (const x of b) s += UPPER_ALNUM[x % UPPER_ALNUM.length];
  return s;
}

export interface ApnsSigningKey {
  keyId: string;
  teamId: string;
  /** The .p8 file content (PKCS#8 PEM of a P-256 key). */
  p8: string;
  publicKeyPem: string;
}

export function generateApnsSigningKey(opts: { keyId?: string; teamId?: string } = {}): ApnsSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    keyId: opts.keyId ?? appleId(),
    teamId: opts.teamId ?? appleId(),
    p8: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** The provider token a client sends as `authorization: bearer <jwt>`. */
export function signApnsProviderToken(
  key: Pick<ApnsSigningKey, 'keyId' | 'teamId' | 'p8'>,
  iat = nowSeconds(),
): string {
  return signJwt('ES256', key.p8, { kid: key.keyId, typ: 'JWT' }, { iss: key.teamId, iat });
}

export interface ServiceAccountJson {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  auth_uri: string;
  token_uri: string;
  auth_provider_x509_cert_url: string;
  client_x509_cert_url: string;
  universe_domain: string;
}

export function generateServiceAccount(
  projectId: string,
  name = 'firebase-adminsdk-sim',
): ServiceAccountJson {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const clientEmail = `${name}@${projectId}.iam.gserviceaccount.com`;
  return {
    type: 'service_account',
    project_id: projectId,
    private_key_id: randomBytes(20).toString('hex'),
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: clientEmail,
    client_id: String(BigInt(`0x${randomBytes(8).toString('hex')}`)),
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: 'https://oauth2.googleapis.com/token',
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(clientEmail)}`,
    universe_domain: 'googleapis.com',
  };
}

/** Public key PEM of a service account, for registering it without sharing the private key. */
export function serviceAccountPublicKey(sa: Pick<ServiceAccountJson, 'private_key'>): string {
  return createPublicKey(sa.private_key).export({ type: 'spki', format: 'pem' }).toString();
}

export interface VapidKeys {
  /** base64url uncompressed P-256 point (the browser's applicationServerKey). */
  publicKey: string;
  /** base64url raw 32-byte private scalar, as the web-push library expects. */
  privateKey: string;
}

export function generateVapidKeys(): VapidKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const jwk = privateKey.export({ format: 'jwk' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return {
    publicKey: spki.subarray(spki.length - 65).toString('base64url'),
    privateKey: String(jwk.d),
  };
}

/** Random credentials of the right shape for an OEM vendor app. */
export function generateVendorApp(vendor: OemVendor): VendorApp {
  const hex = (n: number) => randomBytes(n).toString('hex');
  const num = () => String(100000000 + Math.floor(Math.random() * 900000000));
  switch (vendor) {
    case 'huawei':
      return { appId: num(), appSecret: hex(32) };
    case 'honor':
      return { appId: num(), clientId: hex(16), clientSecret: hex(32) };
    case 'xiaomi':
      return { appId: `com.pushline.sim${hex(3)}`, appSecret: randomBytes(16).toString('base64') };
    case 'oppo':
      return { appId: hex(16), masterSecret: hex(16) };
    case 'vivo':
      return {
        appId: String(100000 + Math.floor(Math.random() * 900000)),
        appKey: hex(16),
        appSecret: hex(16),
      };
    case 'meizu':
      return { appId: String(100000 + Math.floor(Math.random() * 900000)), appSecret: hex(16) };
  }
}

/**
 * A browser-side Web Push subscription key pair (p256dh + auth), independent of a running
 * simulator: for tests that build subscriptions themselves and decrypt with `decryptAes128gcm`.
 */
export function createVirtualBrowserKeys(): {
  keys: { p256dh: string; auth: string };
  secret: { privateKey: Buffer; publicKey: Buffer; auth: Buffer };
} {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const secret = { privateKey: ecdh.getPrivateKey(), publicKey: ecdh.getPublicKey(), auth: randomBytes(16) };
  return {
    keys: { p256dh: secret.publicKey.toString('base64url'), auth: secret.auth.toString('base64url') },
    secret,
  };
}
