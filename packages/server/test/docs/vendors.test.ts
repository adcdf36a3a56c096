// docs/vendors.md documents every vendor answer the channels know: a row added to a channel's table
// without documentation fails here.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APNS_ANSWERS } from '../../src/push/vendors/apns/channel.js';
import { FCM_ANSWERS } from '../../src/push/vendors/fcm/channel.js';
import { HONOR_ANSWERS } from '../../src/push/vendors/honor/channel.js';
import { HUAWEI_ANSWERS } from '../../src/push/vendors/huawei/channel.js';
import { MEIZU_ANSWERS } from '../../src/push/vendors/meizu/channel.js';
import { OPPO_ANSWERS } from '../../src/push/vendors/oppo/channel.js';
import { VIVO_ANSWERS } from '../../src/push/vendors/vivo/channel.js';
import { WEBPUSH_ANSWERS } from '../../src/push/vendors/webpush/channel.js';
import { XIAOMI_ANSWERS } from '../../src/push/vendors/xiaomi/channel.js';

const doc = readFileSync(resolve(import.meta.dirname, '../../../../docs/vendors.md'), 'utf8');
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
