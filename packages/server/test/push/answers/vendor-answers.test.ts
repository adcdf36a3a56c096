// The one table of vendor answers (push/answers/vendor-answers.ts) explains every code the channels can
// give, in English and Chinese: each row of each channel's answer table, and every code a channel, the HTTP/2
// pool, the dispatcher or the engine writes literally in its source.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  explainAnswer,
  findAnswer,
  PUSHLINE_ANSWERS,
  VENDOR_ANSWERS,
} from '../../../src/push/answers/vendor-answers.js';
import { APNS_ANSWERS } from '../../../src/push/vendors/apns/channel.js';
import { FCM_ANSWERS } from '../../../src/push/vendors/fcm/channel.js';
import { HONOR_ANSWERS } from '../../../src/push/vendors/honor/channel.js';
import { HUAWEI_ANSWERS } from '../../../src/push/vendors/huawei/channel.js';
import { MEIZU_ANSWERS } from '../../../src/push/vendors/meizu/channel.js';
import { OPPO_ANSWERS } from '../../../src/push/vendors/oppo/channel.js';
import { VIVO_ANSWERS } from '../../../src/push/vendors/vivo/channel.js';
import { WEBPUSH_ANSWERS } from '../../../src/push/vendors/webpush/channel.js';
import { XIAOMI_ANSWERS } from '../../../src/push/vendors/xiaomi/channel.js';

const src = resolve(import.meta.dirname, '../../../src/push');
const channelTables = {
  apns: APNS_ANSWERS,
  fcm: FCM_ANSWERS,
  huawei: HUAWEI_ANSWERS,
  honor: HONOR_ANSWERS,
  xiaomi: XIAOMI_ANSWERS,
  oppo: OPPO_ANSWERS,
  vivo: VIVO_ANSWERS,
  meizu: MEIZU_ANSWERS,
  webpush: WEBPUSH_ANSWERS,
};

/** Codes written literally in a source file, by the patterns the channels use to give them. */
function literalCodes(text: string): string[] {
  const patterns = [
    /outcome\(\s*'[a-z-]+',\s*'([^']+)'/g,
    /fromTable\(\s*\w+,\s*'([^']+)'/g,
    /\.fail\(\s*'([^']+)'/g,
    /kind: 'retry', code: '([^']+)'/g,
    /code: '([^']+)' \}/g,
    /outcome\(\s*'[a-z-]+',\s*`(\w+:?)\$\{/g,
    /\.fail\(\s*`(\w+:?)\$\{/g,
    /`(HTTP)\$\{res\.status\}`/g,
  ];
  return patterns.flatMap((p) => [...text.matchAll(p)].map((m) => m[1] as string));
}

describe('vendor answers table', () => {
  it.each(Object.entries(channelTables))(
    'has every row of the %s channel, in both languages',
    (vendor, table) => {
      expect(Object.keys(table).length).toBeGreaterThan(0);
      for (const [code, row] of Object.entries(table)) {
        const entry = findAnswer(vendor, code);
        expect(entry, `${vendor} ${code}`).toBeDefined();
        expect(entry?.outcome).toBe(row.outcome);
        for (const text of [entry?.en.meaning, entry?.en.action, entry?.zh.meaning, entry?.zh.action]) {
          expect(text?.trim().length, `${vendor} ${code}`).toBeGreaterThan(1);
        }
        // Chinese text is Chinese, not a copy of the English.
        expect(entry?.zh.meaning).not.toBe(entry?.en.meaning);
        expect(entry?.zh.action).toMatch(/[\u4e00-\u9fff]/);
      }
    },
  );

  it('explains every code written literally in the channels, the dispatcher and the engine', () => {
    const files = [
      ...readdirSync(resolve(src, 'channels')).map((f) => resolve(src, 'channels', f)),
      // Each vendor's channel and its helpers (push/vendors/<vendor>/, push/vendors/common/).
      ...readdirSync(resolve(src, 'vendors'), { recursive: true, encoding: 'utf8' }).map((f) =>
        resolve(src, 'vendors', f),
      ),
      resolve(src, 'dispatch/dispatcher.ts'),
      resolve(src, 'engine/index.ts'),
    ].filter((f) => f.endsWith('.ts'));
    const codes = new Set(files.flatMap((f) => literalCodes(readFileSync(f, 'utf8'))));
    // The engine turns these outcome kinds into final rejections named after them (engine/index.ts).
    for (const kind of ['expired', 'no-certificate', 'call-ended', 'certificate-paused']) codes.add(kind);
    // The patterns above must find the known families, or this test would check nothing.
    for (const known of [
      'Expired',
      'WrongVendor',
      'ClientError',
      'Network:',
      'HTTP',
      'ConnectFailed',
      'StreamReset:',
      'illegal_token',
    ])
      expect(codes, known).toContain(known);
    const vendors = Object.keys(VENDOR_ANSWERS);
    const missing = [...codes].filter(
      (code) =>
        !findAnswer(null, code) && !vendors.some((v) => findAnswer(v, code)) && !findAnswer(null, `${code}0`),
    );
    expect(missing).toEqual([]);
  });

  it('docs/vendors.md lists the codes Pushline gives itself, with their outcome and meaning', () => {
    const doc = readFileSync(resolve(import.meta.dirname, '../../../../../docs/vendors.md'), 'utf8');
    for (const [code, entry] of Object.entries(PUSHLINE_ANSWERS)) {
      const shown = code.endsWith(':') || code === 'HTTP' ? `${code}…` : code;
      expect(doc, code).toContain(`| \`${shown}\` | ${entry.outcome} | ${entry.en.meaning} |`);
    }
  });

  it('finds families of codes by prefix and explains unknown codes by outcome', () => {
    expect(findAnswer('apns', 'Network:ECONNRESET')).toBe(PUSHLINE_ANSWERS['Network:']);
    expect(findAnswer('oppo', 'HTTP503')).toBe(PUSHLINE_ANSWERS.HTTP);
    expect(findAnswer('meizu', '1005')?.outcome).toBe('rejected');
    expect(explainAnswer('meizu', '1005', 'rejected', 'zh')?.meaning).toBe('参数错误');
    const unknown = explainAnswer('xiaomi', '99999', 'failed', 'en');
    expect(unknown?.known).toBe(false);
    expect(unknown?.meaning).toMatch(/temporary/);
    expect(explainAnswer('xiaomi', null, 'failed')).toBeUndefined();
    // HTTP404 is a refusal: what to do is a refusal's, not a retry's.
    expect(explainAnswer('oppo', 'HTTP404', 'rejected')?.action).toMatch(/vendor’s limits/);
  });
});
