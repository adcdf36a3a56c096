import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMasterKey, SecretBox } from '../../src/auth/secret-box.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('secrets at rest', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ backend: 'sqlite' });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('never stores an app secret key in clear text', async () => {
    const second = await s.pushline.apps.create({ name: 'Second' });
    const files = readdirSync(s.dataDir).filter((f) => f.startsWith('pushline.db'));
    expect(files).toContain('pushline.db');
    const bytes = Buffer.concat(files.map((f) => readFileSync(join(s.dataDir, f))));
    for (const secret of [s.app.secretKey, second.secretKey]) {
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
      expect(bytes.includes(Buffer.from(secret, 'hex'))).toBe(false);
    }
    // ...yet the app works, because the sealed value opens with the master key.
    expect((await s.v4('im_open_login_svc/account_import', { UserID: 'u' })).ErrorCode).toBe(0);
  });

  it('keeps the generated master key in a 0600 file', () => {
    expect(statSync(join(s.dataDir, 'master.key')).mode & 0o777).toBe(0o600);
  });

  it('binds a sealed value to its record', () => {
    const box = new SecretBox(Buffer.alloc(32, 7));
    const sealed = box.seal('top secret', 'app:1:secret');
    expect(box.openText(sealed, 'app:1:secret')).toBe('top secret');
    expect(() => box.openText(sealed, 'app:2:secret')).toThrow(/cannot decrypt/);
    expect(() => new SecretBox(Buffer.alloc(32, 8)).openText(sealed, 'app:1:secret')).toThrow(
      /wrong master key/,
    );
  });

  it('takes the master key from configuration when given', () => {
    const hex = 'ab'.repeat(32);
    expect(loadMasterKey({ masterKey: hex, keyFile: '/nonexistent/master.key' }).toString('hex')).toBe(hex);
    expect(() => loadMasterKey({ masterKey: 'short', keyFile: '/nonexistent' })).toThrow(/32 bytes/);
  });
});
