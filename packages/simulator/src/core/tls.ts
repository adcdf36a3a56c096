// Local certificate authority for the simulators. Keys come from node:crypto (fast); node-forge only
// builds and signs the X.509 structures and PKCS#12 files, which node:crypto cannot do.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface TestCa {
  certPem: string;
  keyPem: string;
}

export interface PemPair {
  certPem: string;
  keyPem: string;
}

export interface ApnsClientCertificate extends PemPair {
  /** PKCS#12 (.p12) holding the key and certificate, encrypted with `password`. */
  p12: Buffer;
  password: string;
  bundleId: string;
  environment: ApnsCertificateEnvironment;
  /** Topics the certificate may push to, as APNs derives them. */
  topics: string[];
}

export type ApnsCertificateEnvironment = 'production' | 'development' | 'both';

/** Host names every simulator certificate is valid for, so clients with hard-coded hosts can be redirected. */
export const SIMULATED_HOSTS = [
  'localhost',
  'api.push.apple.com',
  'api.sandbox.push.apple.com',
  'fcm.googleapis.com',
  'oauth2.googleapis.com',
  'www.googleapis.com',
  'push-api.cloud.huawei.com',
  'oauth-login.cloud.huawei.com',
  'push-api.cloud.hihonor.com',
  'iam.developer.hihonor.com',
  'api.xmpush.xiaomi.com',
  'sandbox.xmpush.xiaomi.com',
  'api.push.oppomobile.com',
  'api-push.vivo.com.cn',
  'server-api-push.meizu.com',
];

const DAY = 86_400_000;

function rsaKeys(): { publicKey: forge.pki.PublicKey; privateKey: forge.pki.rsa.PrivateKey; keyPem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
  return { publicKey, privateKey: forgeKey, keyPem };
}

function serial(): string {
  // Positive serial number: clear the top bit.
  const b = randomBytes(16);
  b[0] = (b[0] ?? 0) & 0x7f;
  return b.toString('hex');
}

export function createTestCa(opts: { commonName?: string; validDays?: number } = {}): TestCa {
  const keys = rsaKeys();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - DAY);
  cert.validity.notAfter = new Date(Date.now() + (opts.validDays ?? 3650) * DAY);
  const attrs = [
    { name: 'commonName', value: opts.commonName ?? 'Pushline Simulator Local CA' },
    { name: 'organizationName', value: 'Pushline' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.keyPem };
}

interface LeafOptions {
  subject: forge.pki.CertificateField[];
  extensions: object[];
  notBefore?: Date;
  notAfter?: Date;
}

function issueLeaf(
  ca: TestCa,
  opts: LeafOptions,
): PemPair & { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey } {
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem);
  const keys = rsaKeys();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = opts.notBefore ?? new Date(Date.now() - DAY);
  cert.validity.notAfter = opts.notAfter ?? new Date(Date.now() + 365 * DAY);
  cert.setSubject(opts.subject);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
    ...opts.extensions,
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.keyPem, cert, key: keys.privateKey };
}

/** TLS server certificate for the simulators (loopback plus every real vendor host name). */
export function issueServerCertificate(ca: TestCa, hosts: string[] = SIMULATED_HOSTS): PemPair {
  const altNames = [
    ...hosts.map((value) => ({ type: 2, value })),
    { type: 7, ip: '127.0.0.1' },
    { type: 7, ip: '::1' },
  ];
  const { certPem, keyPem } = issueLeaf(ca, {
    subject: [{ name: 'commonName', value: hosts[0] ?? 'localhost' }],
    extensions: [
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { certPem, keyPem };
}

// Apple's certificate subject: UID=<bundle id>, CN=<kind>: <bundle id>, OU=<team id>, O=<company>, C=US.
// The CN prefix tells the environment; the Apple extensions below mark it too.
export const APNS_CN_PREFIX: Record<ApnsCertificateEnvironment, string> = {
  both: 'Apple Push Services: ',
  development: 'Apple Development IOS Push Services: ',
  production: 'Apple Production IOS Push Services: ',
};
const APPLE_DEV_OID = '1.2.840.113635.100.6.3.1';
const APPLE_PROD_OID = '1.2.840.113635.100.6.3.2';
const APPLE_TOPICS_OID = '1.2.840.113635.100.6.3.6';

/** The common-name prefix of a "VoIP Services" certificate: PushKit only, valid in both environments. */
export const APNS_VOIP_CN_PREFIX = 'VoIP Services: ';

/**
 * Topics a certificate for this bundle covers: a universal ("Apple Push Services") one also covers VoIP and
 * complications; a "VoIP Services" one only `<bundle>.voip`.
 */
export function apnsCertificateTopics(
  bundleId: string,
  environment: ApnsCertificateEnvironment,
  voip = false,
): string[] {
  if (voip) return [`${bundleId}.voip`];
  return environment === 'both' ? [bundleId, `${bundleId}.voip`, `${bundleId}.complication`] : [bundleId];
}

let defaultCa: TestCa | undefined;

/**
 * An APNs client certificate like Apple issues (subject UID=<bundle>, CN=<kind>: <bundle>, Apple
 * environment extensions), as PEM and as a password-protected .p12. Without `ca`, a process-wide
 * test CA is used (fine for certificate-upload tests; the simulator only trusts its own CA).
 */
export function issueApnsClientCertificate(opts: {
  ca?: TestCa;
  bundleId: string;
  environment?: ApnsCertificateEnvironment;
  teamId?: string;
  password?: string;
  notBefore?: Date;
  notAfter?: Date;
  /** A "VoIP Services" certificate (CN `VoIP Services: <bundle>`): both environments, VoIP topic only. */
  voip?: boolean;
}): ApnsClientCertificate {
  const environment = opts.voip ? 'both' : (opts.environment ?? 'both');
  const password = opts.password ?? 'pushline';
  const nullDer = forge.asn1
    .toDer(forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.NULL, false, ''))
    .getBytes();
  const extensions: object[] = [
    { name: 'keyUsage', digitalSignature: true },
    { name: 'extKeyUsage', clientAuth: true },
  ];
  if (environment !== 'production') extensions.push({ id: APPLE_DEV_OID, value: nullDer });
  if (environment !== 'development') extensions.push({ id: APPLE_PROD_OID, value: nullDer });
  if (environment === 'both') extensions.push({ id: APPLE_TOPICS_OID, value: nullDer });
  if (!opts.ca) defaultCa ??= createTestCa();
  const ca = opts.ca ?? (defaultCa as TestCa);
  const leaf = issueLeaf(ca, {
    subject: [
      { type: '0.9.2342.19200300.100.1.1', value: opts.bundleId },
      {
        name: 'commonName',
        value: (opts.voip ? APNS_VOIP_CN_PREFIX : APNS_CN_PREFIX[environment]) + opts.bundleId,
      },
      { name: 'organizationalUnitName', value: opts.teamId ?? 'SIMTEAM001' },
      { name: 'organizationName', value: 'Pushline Simulator' },
      { name: 'countryName', value: 'US' },
    ],
    extensions,
    notBefore: opts.notBefore,
    notAfter: opts.notAfter,
  });
  const asn1 = forge.pkcs12.toPkcs12Asn1(leaf.key, [leaf.cert], password, { algorithm: '3des' });
  const p12 = Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
  return {
    certPem: leaf.certPem,
    keyPem: leaf.keyPem,
    p12,
    password,
    bundleId: opts.bundleId,
    environment,
    topics: apnsCertificateTopics(opts.bundleId, environment, opts.voip),
  };
}

/** Reads bundle ID and environment back from an APNs client certificate subject (as Node reports it). */
export function parseApnsCertificateSubject(
  subject: Record<string, string | string[] | undefined>,
): { bundleId: string; environment: ApnsCertificateEnvironment; voip?: true } | undefined {
  const uid = subject.UID;
  const cn = subject.CN;
  const bundleId = Array.isArray(uid) ? uid[0] : uid;
  const commonName = Array.isArray(cn) ? cn[0] : cn;
  if (!bundleId || !commonName) return undefined;
  if (commonName === APNS_VOIP_CN_PREFIX + bundleId) return { bundleId, environment: 'both', voip: true };
  for (const env of ['both', 'development', 'production'] as const) {
    if (commonName === APNS_CN_PREFIX[env] + bundleId) return { bundleId, environment: env };
  }
  return undefined;
}
