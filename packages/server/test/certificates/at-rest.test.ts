// The database never holds a push credential in clear text: .p12 bytes and base64, passwords, private
// keys (.p12 key, .p8, service account, VAPID), client and app secrets. SQLite: the raw database files;
// PostgreSQL: every column of every certificate row as text.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createTestCa,
  generateApnsSigningKey,
  generateServiceAccount,
  issueApnsClientCertificate,
} from '@pushline/simulator';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const backends = await testBackends();

/** The base64 body lines of a PEM: what would show if the key were stored as text. */
function pemLines(pem: string): string[] {
  return pem.split('\n').filter((l) => l.length >= 40 && !l.startsWith('-----'));
}

describe.each(backends)('certificate secrets at rest on %s', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ backend });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('stores no credential in clear text, yet every credential opens', async () => {
    const issued = issueApnsClientCertificate({
      ca: createTestCa(),
      bundleId: 'com.example.chat',
      environment: 'production',
      password: 'p12-password-Zq81',
    });
    const key = generateApnsSigningKey();
    const sa = generateServiceAccount('pushline-at-rest');
    const secrets = {
      huawei: 'huawei-client-secret-5f3a9c1e',
      honor: 'honor-client-secret-77aa01',
      xiaomi: 'xiaomi-app-secret-Kq9w==',
      oppo: 'oppo-master-secret-b2c4',
      vivo: 'vivo-app-secret-0d9e',
      meizu: 'meizu-app-secret-aa11',
    };
    const svc = s.pushline.certificateService;
    const id = s.app.sdkAppId;
    const p12 = await svc.add(id, { vendor: 'apns', p12: issued.p12, password: issued.password });
    await svc.add(id, {
      vendor: 'apns',
      p8: key.p8,
      keyId: key.keyId,
      teamId: key.teamId,
      bundleId: 'a.b',
      environment: 'development',
    });
    await svc.add(id, { vendor: 'fcm', serviceAccount: JSON.stringify(sa) });
    await svc.add(id, { vendor: 'huawei', appId: '1', clientSecret: secrets.huawei });
    await svc.add(id, { vendor: 'honor', appId: '2', clientId: 'c', clientSecret: secrets.honor });
    await svc.add(id, { vendor: 'xiaomi', packageName: 'a.b', appSecret: secrets.xiaomi });
    await svc.add(id, { vendor: 'oppo', appKey: 'k', masterSecret: secrets.oppo });
    await svc.add(id, { vendor: 'vivo', appId: '3', appKey: 'k', appSecret: secrets.vivo });
    await svc.add(id, { vendor: 'meizu', appId: '4', appSecret: secrets.meizu });
    const web = await svc.add(id, { vendor: 'webpush', subject: 'mailto:a@b.c' });
    const vapidPrivate = (await s.pushline.certificates.getWithSecrets(web.id))?.secrets
      .vapidPrivateKey as string;

    const needles: Buffer[] = [
      issued.p12.subarray(0, 64),
      issued.p12.subarray(issued.p12.length - 64),
      Buffer.from(issued.p12.toString('base64').slice(0, 64)),
      Buffer.from(issued.password),
      ...pemLines(issued.keyPem).map((l) => Buffer.from(l)),
      ...pemLines(key.p8).map((l) => Buffer.from(l)),
      ...pemLines(sa.private_key).map((l) => Buffer.from(l)),
      ...Object.values(secrets).map((v) => Buffer.from(v)),
      Buffer.from(vapidPrivate),
    ];

    let haystack: Buffer;
    if (backend === 'sqlite') {
      const files = readdirSync(s.dataDir).filter((f) => f.startsWith('pushline.db'));
      haystack = Buffer.concat(files.map((f) => readFileSync(join(s.dataDir, f))));
    } else {
      const rows = await sql<{ row: string }>`select certificates::text as row from certificates`.execute(
        s.pushline.db,
      );
      haystack = Buffer.from(rows.rows.map((r) => r.row).join('\n'));
      expect(rows.rows.length).toBe(10);
    }
    for (const needle of needles)
      expect(haystack.includes(needle), needle.toString('utf8').slice(0, 20)).toBe(false);
    // A sanity check that the search works: public data is found.
    expect(haystack.includes(Buffer.from('com.example.chat'))).toBe(true);

    // ...and the sealed values open with the master key.
    const opened = await s.pushline.certificates.getWithSecrets(p12.id);
    expect(opened?.secrets.password).toBe(issued.password);
    expect(Buffer.from(opened?.secrets.p12 as string, 'base64').equals(issued.p12)).toBe(true);
  });
});
