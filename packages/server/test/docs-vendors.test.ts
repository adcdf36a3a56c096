// docs/vendors.md documents every vendor answer the channels know: a row added to a channel's table
// without documentation fails here.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APNS_ANSWERS } from '../src/push/channels/apns.js';
import { FCM_ANSWERS } from '../src/push/channels/fcm.js';
import { HONOR_ANSWERS } from '../src/push/channels/honor.js';
import { HUAWEI_ANSWERS } from '../src/push/channels/huawei.js';
import { MEIZU_ANSWERS } from '../src/push/channels/meizu.js';
import { OPPO_ANSWERS } from '../src/push/channels/oppo.js';
import { VIVO_ANSWERS } from '../src/push/channels/vivo.js';
import { WEBPUSH_ANSWERS } from '../src/push/channels/webpush.js';
import { XIAOMI_ANSWERS } from '../src/push/channels/xiaomi.js';

const doc = readFileSync(resolve(import.meta.dirname, '../../../docs/vendors.md'), 'utf8');
const tables = {
  APNS_ANSWERS,
  FCM_ANSWERS,
  HUAWEI_ANSWERS,
  HONOR_ANSWERS,
  XIAOMI_ANSWERS,
  OPPO_ANSWERS,
  VIVO_ANSWERS,
  MEIZU_ANSWERS,
  WEBPUSH_ANSWERS,
};

describe('docs/vendors.md', () => {
  it.each(Object.entries(tables))('documents every row of %s with its outcome', (_name, table) => {
    for (const [code, row] of Object.entries(table)) {
      expect(doc, code).toContain(`| \`${code}\` | ${row.outcome} | ${row.why} |`);
    }
  });
});
