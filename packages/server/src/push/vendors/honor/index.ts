// Honor Push (docs/internals/honor.md): Huawei's API with its own names (render shares vendors/huawei's helpers).

import { RECALLED_TEXT, RECALLED_TITLE } from '../../render/message-ref.js';
import { validateAndroid } from '../common/android-credentials.js';
import { ANDROID_BADGE_MAX } from '../common/huawei-honor.js';
import { jsonBody, parseStatuses } from '../common/receipt-parsers.js';
import { TEST_TITLE } from '../common/test-push.js';
import { tokenRule } from '../common/token-format.js';
import type { VendorModule } from '../types.js';
import { HONOR_ANSWER_TEXTS } from './answers.js';
import { HonorChannel } from './channel.js';
import { honorReceiptFields, RECEIPT_URL_PER_MESSAGE } from './receipt-fields.js';
import { honorRenderer } from './render.js';

export const honor = {
  vendor: 'honor',
  kinds: ['alert'],
  system: 'Android',
  pushPlatform: 8,
  warmable: false,
  multiTokenRequests: true,
  createChannel: (cert, ctx) => new HonorChannel(cert, ctx),
  renderer: honorRenderer,
  validateCredential: (input) => validateAndroid('honor', input),
  tokenProblem: tokenRule('honor', {
    pattern: /^[A-Za-z0-9._:+=/-]{32,512}$/,
    key: 'tokenCharacters',
    min: 32,
    max: 512,
  }),
  withReceiptFields: honorReceiptFields,
  receiptUrlPerMessage: RECEIPT_URL_PER_MESSAGE,
  parseReceipts: (raw) => parseStatuses(jsonBody(raw)),
  testRequest(cert, text) {
    const d = cert.defaults;
    return {
      vendor: 'honor',
      message: {
        android: {
          notification: {
            title: TEST_TITLE,
            body: text,
            clickAction: { type: 3 },
            ...(d.importance ? { importance: d.importance } : {}),
          },
        },
      },
    };
  },
  badgeUpdate: {
    support: (cert) => (cert.defaults.badgeClass ? 'ok' : 'no-badge-class'),
    request: (cert, badge) => ({
      vendor: 'honor',
      message: {
        data: JSON.stringify({
          badge: { setNum: Math.min(badge, ANDROID_BADGE_MAX), badgeClass: cert.defaults.badgeClass },
        }),
      },
    }),
  },
  retractionRequest(_cert, { ref }, reason) {
    // A notification with the same notifyId replaces the original (Honor publishes no revoke API).
    if (reason === 'read') return undefined;
    return {
      vendor: 'honor',
      message: {
        android: {
          notification: {
            title: RECALLED_TITLE,
            body: RECALLED_TEXT,
            clickAction: { type: 3 },
            importance: 'LOW',
            notifyId: ref.notifyId,
          },
        },
      },
    };
  },
  answers: HONOR_ANSWER_TEXTS,
} satisfies VendorModule<'honor'>;
