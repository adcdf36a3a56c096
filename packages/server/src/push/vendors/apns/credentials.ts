// APNs credentials: a .p12 client certificate (certificate auth) or a .p8 signing key (token auth).
// A .p12 is opened here, with node-forge (Node cannot read the old RC2/3DES PKCS#12 files Keychain
// exports), and checked against what the user entered: bundle ID, environment, VoIP, expiry.
import { createPrivateKey } from 'node:crypto';
import { createRequire } from 'node:module';
import type forge from 'node-forge';
import {
  type CertificateInput,
  CertificateInputError,
  invalidInput,
  required,
} from '../../../certificates/input.js';
import { CERTIFICATE_ERROR_TEXTS } from '../../../certificates/messages.js';
import type { ValidatedCertificate } from '../../../certificates/store.js';
import type { ApnsEnvironment } from '../../../certificates/types.js';
import { fillText } from '../../../fill-text.js';

/** node-forge is loaded when a .p12 is first opened: every CLI command would otherwise pay for it. */
let forgeLib: typeof forge | undefined;
function nodeForge(): typeof forge {
  forgeLib ??= createRequire(import.meta.url)('node-forge') as typeof forge;
  return forgeLib;
}

const UID_OID = '0.9.2342.19200300.100.1.1';
/** Apple's certificate extensions: development, production, and the topic list of universal certificates. */
const APPLE_DEVELOPMENT_OID = '1.2.840.113635.100.6.3.1';
const APPLE_PRODUCTION_OID = '1.2.840.113635.100.6.3.2';
const APPLE_TOPICS_OID = '1.2.840.113635.100.6.3.6';

/** What an Apple push certificate says about itself. */
export interface ApnsCertificateFacts {
  bundleId: string;
  commonName: string;
  /** Environments the certificate may connect to. */
  environments: ApnsEnvironment[];
  /** A "VoIP Services" certificate (PushKit only). */
  voipOnly: boolean;
  /** A universal certificate also covers VoIP and complication topics. */
  coversVoip: boolean;
  teamId?: string;
  notBefore: Date;
  notAfter: Date;
  certPem: string;
  keyPem: string;
}

export function validateApns(input: CertificateInput): ValidatedCertificate {
  const hasP12 = input.p12 !== undefined;
  const hasP8 = typeof input.p8 === 'string' && input.p8.trim() !== '';
  if (hasP12 && hasP8) throw invalidInput('p8', 'apnsP12AndP8');
  if (!hasP12 && !hasP8) {
    throw invalidInput('p12', 'apnsNoCredential');
  }
  return hasP12 ? validateP12(input) : validateP8(input);
}

function validateP12(input: CertificateInput): ValidatedCertificate {
  const facts = openP12(input.p12 as Buffer, input.password ?? '');
  const now = Date.now();
  if (facts.notAfter.getTime() <= now) {
    throw invalidInput('p12', 'apnsExpired', { date: facts.notAfter.toISOString().slice(0, 10) });
  }
  if (facts.notBefore.getTime() > now) {
    throw invalidInput('p12', 'apnsNotYetValid', { date: facts.notBefore.toISOString() });
  }
  const bundleId = input.bundleId?.trim();
  if (bundleId && bundleId !== facts.bundleId) {
    throw invalidInput('bundleId', 'apnsBundleMismatch', { actual: facts.bundleId, given: bundleId });
  }
  let environment = input.environment;
  if (environment) {
    if (!facts.environments.includes(environment)) {
      throw invalidInput('environment', 'apnsWrongEnvironment', {
        actual: facts.environments[0] ?? '',
        commonName: facts.commonName,
        given: environment,
      });
    }
  } else if (facts.environments.length === 1) {
    environment = facts.environments[0];
  } else {
    throw invalidInput('environment', 'apnsChooseEnvironment');
  }
  const voip = facts.voipOnly || input.voip === true;
  if (input.voip === true && !facts.voipOnly && !facts.coversVoip) {
    throw invalidInput('voip', 'apnsNotVoip', { commonName: facts.commonName, bundleId: facts.bundleId });
  }
  if (input.voip === false && facts.voipOnly) {
    throw invalidInput('voip', 'apnsVoipOnly', { commonName: facts.commonName });
  }
  return {
    vendor: 'apns',
    kind: voip ? 'voip' : 'alert',
    name: input.name?.trim() || `APNs ${voip ? 'VoIP ' : ''}${facts.bundleId} (${environment})`,
    environment: environment as ApnsEnvironment,
    appIdentifier: facts.bundleId,
    publicFields: {
      auth: 'certificate',
      subject: facts.commonName,
      ...(facts.teamId ? { teamId: facts.teamId } : {}),
    },
    // The .p12 itself is kept too, so that a user can download what they uploaded in a later version.
    secrets: {
      p12: (input.p12 as Buffer).toString('base64'),
      password: input.password ?? '',
      keyPem: facts.keyPem,
      certPem: facts.certPem,
    },
    expiresAt: facts.notAfter.getTime(),
  };
}

/** Opens a .p12 and reads the Apple push certificate in it. Throws CertificateInputError. */
export function openP12(p12: Buffer, password: string): ApnsCertificateFacts {
  const lib = nodeForge();
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = lib.asn1.fromDer(lib.util.createBuffer(p12.toString('binary')));
  } catch {
    throw invalidInput('p12', 'apnsNotP12');
  }
  let pkcs12: forge.pkcs12.Pkcs12Pfx;
  try {
    pkcs12 = lib.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (err) {
    const message = (err as Error).message ?? '';
    if (/password|MAC/i.test(message)) {
      throw invalidInput('password', 'apnsP12WrongPassword');
    }
    // The English answer keeps the reader's own words; the message key says what they mean.
    const english = fillText(CERTIFICATE_ERROR_TEXTS.apnsP12Unreadable, { reason: message });
    const key = /unsupported|not supported|unknown/i.test(message) ? 'apnsP12Unsupported' : 'apnsP12Damaged';
    throw new CertificateInputError('p12', english, { key });
  }
  const bags = (type: string): forge.pkcs12.Bag[] => pkcs12.getBags({ bagType: type })[type] ?? [];
  const certs = bags(lib.pki.oids.certBag as string)
    .map((b) => b.cert)
    .filter((c): c is forge.pki.Certificate => c !== undefined && c !== null);
  const keyBags = [
    ...bags(lib.pki.oids.pkcs8ShroudedKeyBag as string),
    ...bags(lib.pki.oids.keyBag as string),
  ];
  const key = keyBags.map((b) => b.key).find((k) => k) as forge.pki.rsa.PrivateKey | undefined;
  if (!key) {
    throw invalidInput('p12', 'apnsP12NoKey');
  }
  const cert = certs.find((c: forge.pki.Certificate) =>
    (c.publicKey as forge.pki.rsa.PublicKey).n?.equals(key.n),
  );
  if (!cert) throw invalidInput('p12', 'apnsP12NoMatchingCertificate');
  return readFacts(cert, key);
}

function readFacts(cert: forge.pki.Certificate, key: forge.pki.rsa.PrivateKey): ApnsCertificateFacts {
  const attr = (selector: { type?: string; name?: string }) => {
    const field = cert.subject.getField(selector as forge.pki.CertificateFieldOptions);
    return field ? String(field.value) : undefined;
  };
  const commonName = attr({ name: 'commonName' }) ?? '';
  const uid = attr({ type: UID_OID });
  const cnBundle = /:\s*(\S+)$/.exec(commonName)?.[1];
  const bundleId = uid ?? cnBundle;
  if (!bundleId || !/(Push Services|VoIP Services)/i.test(commonName)) {
    throw invalidInput('p12', 'apnsNotPushCertificate', { commonName: commonName || 'this certificate' });
  }
  const ext = (id: string) => cert.extensions.some((e: { id?: string }) => e.id === id);
  const voipOnly = /^VoIP Services/i.test(commonName);
  let environments: ApnsEnvironment[];
  const dev = ext(APPLE_DEVELOPMENT_OID);
  const prod = ext(APPLE_PRODUCTION_OID);
  if (dev || prod) {
    environments = [...(dev ? (['development'] as const) : []), ...(prod ? (['production'] as const) : [])];
  } else if (/Development|Sandbox/i.test(commonName)) environments = ['development'];
  else if (/Production/i.test(commonName)) environments = ['production'];
  else environments = ['development', 'production'];
  // Universal ("Apple Push Services") and VoIP certificates work with both environments.
  if (voipOnly || /^Apple Push Services/i.test(commonName)) environments = ['development', 'production'];
  const teamId = attr({ name: 'organizationalUnitName' });
  return {
    bundleId,
    commonName,
    environments,
    voipOnly,
    coversVoip: voipOnly || ext(APPLE_TOPICS_OID) || /^Apple Push Services/i.test(commonName),
    ...(teamId ? { teamId } : {}),
    notBefore: cert.validity.notBefore,
    notAfter: cert.validity.notAfter,
    certPem: nodeForge().pki.certificateToPem(cert),
    keyPem: nodeForge().pki.privateKeyToPem(key),
  };
}

const APPLE_ID = /^[A-Z0-9]{10}$/;

function validateP8(input: CertificateInput): ValidatedCertificate {
  const p8 = (input.p8 as string).trim();
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(p8);
  } catch {
    throw invalidInput('p8', 'apnsNotP8');
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw invalidInput('p8', 'apnsP8NotEs256');
  }
  const keyId = required(input, 'keyId', 'apnsKeyIdRequired');
  if (!APPLE_ID.test(keyId)) throw invalidInput('keyId', 'apnsKeyIdFormat');
  const teamId = required(input, 'teamId', 'apnsTeamIdRequired');
  if (!APPLE_ID.test(teamId)) throw invalidInput('teamId', 'apnsTeamIdFormat');
  const bundleId = required(input, 'bundleId', 'apnsBundleIdRequired');
  const environment = input.environment;
  if (!environment) {
    throw invalidInput('environment', 'apnsEnvironmentRequired');
  }
  const voip = input.voip === true;
  return {
    vendor: 'apns',
    kind: voip ? 'voip' : 'alert',
    name: input.name?.trim() || `APNs ${voip ? 'VoIP ' : ''}${bundleId} (${environment})`,
    environment,
    appIdentifier: bundleId,
    publicFields: { auth: 'token', keyId, teamId },
    secrets: { p8: key.export({ type: 'pkcs8', format: 'pem' }).toString() },
    expiresAt: null,
  };
}
