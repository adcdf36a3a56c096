// `pushline app receipt-urls` prints working receipt URLs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiptUrl } from '../../../src/push/outcomes/receipt-token.js';
import { assertBuilt, pushline } from '../../helpers/cli.js';

describe('pushline app receipt-urls', () => {
  let dataDir: string;
  beforeAll(() => {
    assertBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'pushline-receipts-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints one URL per receipt vendor, signed with the app secret', async () => {
    const created = await pushline(['app', 'create', '--name', 'R', '--data', dataDir, '--json']);
    const app = JSON.parse(created.stdout) as { sdkAppId: number; secretKey: string };
    const r = await pushline([
      'app',
      'receipt-urls',
      String(app.sdkAppId),
      '--base-url',
      'https://push.example.com/',
      '--data',
      dataDir,
    ]);
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(lines.map((l) => l[0])).toEqual(['huawei', 'honor', 'vivo', 'meizu', 'xiaomi']);
    for (const [vendor, url] of lines) {
      expect(url).toBe(receiptUrl('https://push.example.com', app.secretKey, app.sdkAppId, vendor!));
      expect(url).toMatch(
        new RegExp(
          `^https://push\\.example\\.com/v3/offline_push_report/${vendor}\\?sdkappid=${app.sdkAppId}&token=[0-9a-f]{32}$`,
        ),
      );
    }
    const fromEnv = await pushline(['app', 'receipt-urls', String(app.sdkAppId), '--data', dataDir], {
      PUSHLINE_PUBLIC_URL: 'https://env.example.com',
    });
    expect(fromEnv.stdout.split('\n')[0]).toBe(
      `huawei\t${receiptUrl('https://env.example.com', app.secretKey, app.sdkAppId, 'huawei')}`,
    );
    const noBase = await pushline(['app', 'receipt-urls', String(app.sdkAppId), '--data', dataDir]);
    expect(noBase.code).toBe(1);
    expect(noBase.stderr).toMatch(/--base-url or set publicUrl/);
    const missing = await pushline([
      'app',
      'receipt-urls',
      '123',
      '--base-url',
      'http://x',
      '--data',
      dataDir,
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no app with SDKAppID 123/);
  });
});
