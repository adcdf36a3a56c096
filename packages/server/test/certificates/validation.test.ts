// Upload validation with real generated credentials: .p12 files (good, wrong password, not a .p12,
// expired, other bundle ID, other environment, VoIP), .p8 keys, service accounts, Web Push, Android keys.
import { generateKeyPairSync } from 'node:crypto';
import {
  createTestCa,
  generateApnsSigningKey,
  generateServiceAccount,
  issueApnsClientCertificate,
} from '@pushline/simulator';
import { describe, expect, it } from 'vitest';
import { type CertificateInput, CertificateInputError } from '../../src/certificates/input.js';
import { validateCertificate } from '../../src/certificates/validate.js';
import { makeP12 } from '../helpers/apple-certs.js';

function refusal(input: CertificateInput): { field: string; message: string } {
  try {
    validateCertificate(input);
  } catch (err) {
    if (err instanceof CertificateInputError) return { field: err.field, message: err.message };
    throw err;
  }
  throw new Error('expected the input to be refused');
}

const ca = createTestCa();
const DAY = 86_400_000;

describe('APNs .p12 validation', () => {
  it('accepts a production certificate and reads bundle ID, environment and expiry from it', () => {
    const c = issueApnsClientCertificate({
      ca,
      bundleId: 'com.example.chat',
      environment: 'production',
      password: 'pw',
    });
    const v = validateCertificate({ vendor: 'apns', p12: c.p12, password: 'pw' });
    expect(v).toMatchObject({
      vendor: 'apns',
      kind: 'alert',
      environment: 'production',
      appIdentifier: 'com.example.chat',
    });
    expect(v.expiresAt).toBeGreaterThan(Date.now() + 300 * DAY);
    expect(v.secrets.keyPem).toContain('PRIVATE KEY');
    expect(v.secrets.certPem).toContain('BEGIN CERTIFICATE');
    expect(v.publicFields.subject).toBe('Apple Production IOS Push Services: com.example.chat');
  });

  it('reads the environment of a development certificate and refuses it for production', () => {
    const c = issueApnsClientCertificate({
      ca,
      bundleId: 'com.example.chat',
      environment: 'development',
      password: 'pw',
    });
    expect(validateCertificate({ vendor: 'apns', p12: c.p12, password: 'pw' }).environment).toBe(
      'development',
    );
    expect(refusal({ vendor: 'apns', p12: c.p12, password: 'pw', environment: 'production' })).toMatchObject({
      field: 'environment',
      message: expect.stringContaining('development certificate'),
    });
  });

  it('asks for the environment of a universal certificate', () => {
    const c = issueApnsClientCertificate({
      ca,
      bundleId: 'com.example.chat',
      environment: 'both',
      password: 'pw',
    });
    expect(refusal({ vendor: 'apns', p12: c.p12, password: 'pw' }).field).toBe('environment');
    const v = validateCertificate({
      vendor: 'apns',
      p12: c.p12,
      password: 'pw',
      environment: 'development',
      voip: true,
    });
    expect(v).toMatchObject({ environment: 'development', kind: 'voip' });
  });

  it('refuses a wrong password', () => {
    const c = issueApnsClientCertificate({
      ca,
      bundleId: 'com.example.chat',
      environment: 'production',
      password: 'right',
    });
    expect(refusal({ vendor: 'apns', p12: c.p12, password: 'wrong' })).toEqual({
      field: 'password',
      message: 'wrong password for this .p12 file',
    });
  });

  it('refuses a file that is not a .p12', () => {
    expect(
      refusal({ vendor: 'apns', p12: Buffer.from('not a certificate at all'), password: 'x' }),
    ).toMatchObject({
      field: 'p12',
      message: expect.stringContaining('not a .p12'),
    });
    const pem = Buffer.from(ca.certPem);
    expect(refusal({ vendor: 'apns', p12: pem, password: 'x' }).field).toBe('p12');
  });

  it('refuses an expired certificate, naming the date', () => {
    const c = issueApnsClientCertificate({
      ca,
      bundleId: 'com.example.chat',
      environment: 'production',
      password: 'pw',
      notBefore: new Date(Date.now() - 400 * DAY),
      notAfter: new Date(Date.UTC(2025, 0, 31)),
    });
    expect(refusal({ vendor: 'apns', p12: c.p12, password: 'pw' })).toMatchObject({
      field: 'p12',
      message: expect.stringContaining('expired on 2025-01-31'),
    });
  });

  it('flags a certificate that expires within 30 days', () => {
    const c = issueApnsClientCertificate({
      ca,
      bundleId: 'com.example.chat',
      environment: 'production',
      password: 'pw',
      notAfter: new Date(Date.now() + 10 * DAY),
    });
    const v = validateCertificate({ vendor: 'apns', p12: c.p12, password: 'pw' });
    expect(v.expiresAt).toBeLessThan(Date.now() + 11 * DAY);
  });

  it('refuses a certificate for another bundle ID', () => {
    const c = issueApnsClientCertificate({
      ca,
      bundleId: 'com.example.other',
      environment: 'production',
      password: 'pw',
    });
    expect(refusal({ vendor: 'apns', p12: c.p12, password: 'pw', bundleId: 'com.example.chat' })).toEqual({
      field: 'bundleId',
      message: 'this certificate is for bundle ID "com.example.other", not "com.example.chat"',
    });
  });

  it('identifies a VoIP Services certificate as VoIP and refuses VoIP on a plain push certificate', () => {
    const voip = makeP12({
      commonName: 'VoIP Services: com.example.chat',
      uid: 'com.example.chat',
      password: 'pw',
    });
    const v = validateCertificate({ vendor: 'apns', p12: voip, password: 'pw', environment: 'production' });
    expect(v).toMatchObject({ kind: 'voip', appIdentifier: 'com.example.chat' });
    expect(
      refusal({ vendor: 'apns', p12: voip, password: 'pw', environment: 'production', voip: false }).field,
    ).toBe('voip');
    const plain = makeP12({
      commonName: 'Apple Production IOS Push Services: com.example.chat',
      uid: 'com.example.chat',
      extensions: ['production'],
      password: 'pw',
    });
    expect(refusal({ vendor: 'apns', p12: plain, password: 'pw', voip: true })).toMatchObject({
      field: 'voip',
      message: expect.stringContaining('VoIP Services Certificate'),
    });
  });

  it('reads the environment from Apple extension OIDs and sandbox names', () => {
    const sandbox = makeP12({
      commonName: 'Apple Sandbox Push Services: com.example.chat',
      uid: 'com.example.chat',
    });
    expect(validateCertificate({ vendor: 'apns', p12: sandbox, password: 'secret' }).environment).toBe(
      'development',
    );
    const byOid = makeP12({
      commonName: 'Push Services: com.example.chat',
      uid: 'com.example.chat',
      extensions: ['production'],
    });
    expect(validateCertificate({ vendor: 'apns', p12: byOid, password: 'secret' }).environment).toBe(
      'production',
    );
  });

  it('refuses a .p12 without private key and a certificate that is not an Apple push certificate', () => {
    const noKey = makeP12({
      commonName: 'Apple Push Services: com.example.chat',
      uid: 'com.example.chat',
      withKey: false,
    });
    expect(refusal({ vendor: 'apns', p12: noKey, password: 'secret' })).toMatchObject({
      field: 'p12',
      message: expect.stringContaining('no private key'),
    });
    const web = makeP12({ commonName: 'www.example.com' });
    expect(refusal({ vendor: 'apns', p12: web, password: 'secret' })).toMatchObject({
      field: 'p12',
      message: expect.stringContaining('not an Apple push certificate'),
    });
  });

  it('refuses both or neither of .p12 and .p8', () => {
    expect(refusal({ vendor: 'apns' }).field).toBe('p12');
    const key = generateApnsSigningKey();
    expect(refusal({ vendor: 'apns', p12: Buffer.from('x'), p8: key.p8 }).field).toBe('p8');
  });
});

describe('APNs .p8 validation', () => {
  const key = generateApnsSigningKey();
  const good: CertificateInput = {
    vendor: 'apns',
    p8: key.p8,
    keyId: key.keyId,
    teamId: key.teamId,
    bundleId: 'com.example.chat',
    environment: 'development',
  };

  it('accepts a P-256 key with key ID, team ID and bundle ID', () => {
    expect(validateCertificate(good)).toMatchObject({
      kind: 'alert',
      environment: 'development',
      appIdentifier: 'com.example.chat',
      publicFields: { auth: 'token', keyId: key.keyId, teamId: key.teamId },
      expiresAt: null,
    });
  });

  it('refuses a key that is not P-256, text that is not a key, and bad IDs', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    expect(refusal({ ...good, p8: rsa.toString() })).toEqual({
      field: 'p8',
      message: 'an APNs .p8 key must be an elliptic-curve P-256 (ES256) private key',
    });
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    expect(refusal({ ...good, p8: p384.toString() }).field).toBe('p8');
    expect(refusal({ ...good, p8: 'hello' }).field).toBe('p8');
    expect(refusal({ ...good, keyId: 'short' }).field).toBe('keyId');
    expect(refusal({ ...good, teamId: undefined }).field).toBe('teamId');
    expect(refusal({ ...good, bundleId: '' }).field).toBe('bundleId');
    expect(refusal({ ...good, environment: undefined }).field).toBe('environment');
  });
});

describe('FCM service-account validation', () => {
  const sa = generateServiceAccount('pushline-test');

  it('accepts a service account and keeps only the private key secret', () => {
    const v = validateCertificate({ vendor: 'fcm', serviceAccount: JSON.stringify(sa) });
    expect(v).toMatchObject({
      vendor: 'fcm',
      appIdentifier: 'pushline-test',
      publicFields: {
        projectId: 'pushline-test',
        clientEmail: sa.client_email,
        privateKeyId: sa.private_key_id,
      },
      secrets: { privateKey: sa.private_key },
    });
  });

  it('refuses missing fields, a broken key, other JSON and legacy server keys', () => {
    const { client_email: _omit, ...noEmail } = sa;
    expect(refusal({ vendor: 'fcm', serviceAccount: JSON.stringify(noEmail) })).toMatchObject({
      field: 'serviceAccount',
      message: expect.stringContaining('lacks client_email'),
    });
    // A key file cut short (a bad copy and paste): the DER inside no longer parses.
    const lines = sa.private_key.trim().split('\n');
    const truncated = [...lines.slice(0, 6), lines[lines.length - 1]].join('\n');
    const broken = { ...sa, private_key: truncated };
    expect(refusal({ vendor: 'fcm', serviceAccount: JSON.stringify(broken) }).message).toContain(
      'private_key',
    );
    expect(refusal({ vendor: 'fcm', serviceAccount: '{"project_info":{}}' }).message).toContain(
      'google-services.json',
    );
    expect(refusal({ vendor: 'fcm', serviceAccount: '{oops' }).message).toContain('not valid JSON');
    const legacy = refusal({ vendor: 'fcm', serverKey: 'AAAAabcdefg:APA91bHexample' });
    expect(legacy.field).toBe('serverKey');
    expect(legacy.message).toMatch(/shut down .*2024/);
    expect(legacy.message).toContain('service-account JSON');
    expect(refusal({ vendor: 'fcm', serviceAccount: `AIza${'x'.repeat(35)}` }).message).toMatch(/2024/);
  });
});

describe('Android vendor and Web Push validation', () => {
  it('requires each vendor its own keys and keeps the secret ones secret', () => {
    expect(
      validateCertificate({ vendor: 'honor', appId: '104', clientId: 'cid', clientSecret: 'cs' }),
    ).toMatchObject({
      appIdentifier: '104',
      publicFields: { appId: '104', clientId: 'cid' },
      secrets: { clientSecret: 'cs' },
    });
    expect(refusal({ vendor: 'honor', appId: '104', clientSecret: 'cs' }).field).toBe('clientId');
    expect(refusal({ vendor: 'huawei', appId: '1' }).field).toBe('clientSecret');
    expect(refusal({ vendor: 'xiaomi', appSecret: 's' }).field).toBe('packageName');
    expect(refusal({ vendor: 'oppo', appKey: 'k' }).field).toBe('masterSecret');
    expect(refusal({ vendor: 'vivo', appId: '1', appSecret: 's' }).field).toBe('appKey');
    expect(refusal({ vendor: 'meizu', appId: '1' }).field).toBe('appSecret');
    expect(refusal({ vendor: 'huawei', appId: '1', clientSecret: 'a b' }).field).toBe('clientSecret');
  });

  it('checks defaults', () => {
    expect(
      refusal({ vendor: 'meizu', appId: '1', appSecret: 's', defaults: { importance: 'URGENT' as 'HIGH' } })
        .field,
    ).toBe('defaults.importance');
    expect(
      refusal({
        vendor: 'meizu',
        appId: '1',
        appSecret: 's',
        defaults: { clickAction: { type: 'open_url', url: 'not a url' } },
      }).field,
    ).toBe('defaults.clickAction.url');
  });

  it('generates a VAPID key pair when none is given and checks a given pair', () => {
    const v = validateCertificate({ vendor: 'webpush', subject: 'mailto:ops@example.com' });
    const pub = Buffer.from(v.publicFields.vapidPublicKey as string, 'base64url');
    expect(pub.length).toBe(65);
    expect(Buffer.from(v.secrets.vapidPrivateKey as string, 'base64url').length).toBe(32);
    const other = validateCertificate({ vendor: 'webpush', subject: 'mailto:ops@example.com' });
    expect(
      refusal({
        vendor: 'webpush',
        subject: 'mailto:ops@example.com',
        vapidPublicKey: v.publicFields.vapidPublicKey,
        vapidPrivateKey: other.secrets.vapidPrivateKey,
      }).field,
    ).toBe('vapidPublicKey');
    expect(
      validateCertificate({
        vendor: 'webpush',
        subject: 'https://example.com',
        vapidPublicKey: v.publicFields.vapidPublicKey,
        vapidPrivateKey: v.secrets.vapidPrivateKey,
      }).publicFields.vapidPublicKey,
    ).toBe(v.publicFields.vapidPublicKey);
    expect(refusal({ vendor: 'webpush', subject: 'ops@example.com' }).field).toBe('subject');
    expect(refusal({ vendor: 'webpush' }).field).toBe('subject');
  });
});

describe('token formats', () => {
  it("accepts every token the simulated vendors issue, and refuses other vendors' tokens", async () => {
    const { TOKEN_FORMATS } = await import('@pushline/simulator');
    const { tokenFormatProblem } = await import('../../src/certificates/token-format.js');
    for (const vendor of ['apns', 'fcm', 'huawei', 'honor', 'xiaomi', 'oppo', 'vivo', 'meizu'] as const) {
      for (let i = 0; i < 50; i++) {
        const token = TOKEN_FORMATS[vendor].generate();
        expect(tokenFormatProblem(vendor, token), `${vendor} ${token}`).toBeUndefined();
      }
    }
    expect(tokenFormatProblem('apns', TOKEN_FORMATS.fcm.generate())).toMatch(/hex/);
    expect(tokenFormatProblem('webpush', TOKEN_FORMATS.apns.generate())).toMatch(/PushSubscription/);
  });
});
