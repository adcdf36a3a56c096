// Huawei Push Kit (docs/internals/huawei.md). Honor's API is a close copy (vendors/honor).

import { validateAndroid } from '../common/android-credentials.js';
import { ANDROID_BADGE_MAX } from '../common/huawei-honor.js';
import { jsonBody, parseStatuses } from '../common/receipt-parsers.js';
import { TEST_TITLE } from '../common/test-push.js';
import { tokenRule } from '../common/token-format.js';
import type { VendorModule } from '../types.js';
import { HUAWEI_ANSWER_TEXTS } from './answers.js';
import { HuaweiChannel } from './channel.js';
import { huaweiReceiptFields, RECEIPT_URL_PER_MESSAGE } from './receipt-fields.js';
import { huaweiRenderer } from './render.js';

export const huawei = {
  vendor: 'huawei',
  kinds: ['alert'],
  system: 'Android',
  pushPlatform: 3,
  warmable: false,
  multiTokenRequests: true,
  createChannel: (cert, ctx) => new HuaweiChannel(cert, ctx),
  renderer: huaweiRenderer,
  validateCredential: (input) => validateAndroid('huawei', input),
  tokenProblem: tokenRule('huawei', {
    pattern: /^[A-Za-z0-9._:+=/-]{32,512}$/,
    key: 'tokenCharacters',
    min: 32,
    max: 512,
  }),
  withReceiptFields: huaweiReceiptFields,
  receiptUrlPerMessage: RECEIPT_URL_PER_MESSAGE,
  parseReceipts: (raw) => parseStatuses(jsonBody(raw)),
  testRequest(cert, text) {
    const d = cert.defaults;
    return {
      vendor: 'huawei',
      message: {
        android: {
          ...(d.category ? { category: d.category } : {}),
          notification: {
            title: TEST_TITLE,
            body: text,
            click_action: { type: 3 },
            ...(d.channelId ? { channel_id: d.channelId } : {}),
            ...(d.importance ? { importance: d.importance } : {}),
          },
        },
      },
    };
  },
  badgeUpdate: {
    support: (cert) => (cert.defaults.badgeClass ? 'ok' : 'no-badge-class'),
    request: (cert, badge) => ({
      vendor: 'huawei',
      message: {
        data: JSON.stringify({
          badge: { set_num: Math.min(badge, ANDROID_BADGE_MAX), class: cert.defaults.badgeClass },
        }),
      },
    }),
  },
  retractionRequest: (_cert, { ref }) => ({
    vendor: 'huawei',
    message: {},
    revoke: { notifyId: ref.notifyId },
  }),
  answers: HUAWEI_ANSWER_TEXTS,
} satisfies VendorModule<'huawei'>;
