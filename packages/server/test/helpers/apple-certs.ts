// Apple-like push certificates for upload-validation tests: any subject, Apple extensions, validity,
// password, with or without the private key. Made with node-forge, packed as a real .p12.
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

const OIDS = {
  development: '1.2.840.113635.100.6.3.1',
  production: '1.2.840.113635.100.6.3.2',
  topics: '1.2.840.113635.100.6.3.6',
};
const DAY = 86_400_000;

export interface P12Options {
  commonName: string;
  uid?: string;
  teamId?: string;
  extensions?: (keyof typeof OIDS)[];
  notBefore?: Date;
  notAfter?: Date;
  password?: string;
  withKey?: boolean;
}

export function makeP12(opts: P12Options): Buffer {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(
    privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  ) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = '01';
  cert.validity.notBefore = opts.notBefore ?? new Date(Date.now() - DAY);
  cert.validity.notAfter = opts.notAfter ?? new Date(Date.now() + 365 * DAY);
  const subject: forge.pki.CertificateField[] = [
    ...(opts.uid ? [{ type: '0.9.2342.19200300.100.1.1', value: opts.uid }] : []),
    { name: 'commonName', value: opts.commonName },
    { name: 'organizationalUnitName', value: opts.teamId ?? 'ABCDE12345' },
    { name: 'countryName', value: 'US' },
  ];
  cert.setSubject(subject);
  cert.setIssuer([
    { name: 'commonName', value: 'Apple Worldwide Developer Relations Certification Authority' },
  ]);
  const nullDer = forge.asn1
    .toDer(forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.NULL, false, ''))
    .getBytes();
  cert.setExtensions((opts.extensions ?? []).map((e) => ({ id: OIDS[e], value: nullDer })));
  cert.sign(key, forge.md.sha256.create());
  const asn1 = forge.pkcs12.toPkcs12Asn1(
    opts.withKey === false ? null : key,
    [cert],
    opts.password ?? 'secret',
    {
      algorithm: '3des',
    },
  );
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}
