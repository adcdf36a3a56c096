// vivo Push (docs/internals/vivo.md).

import { validateAndroid } from '../common/android-credentials.js';
import { jsonBody, parseByMessageId } from '../common/receipt-parsers.js';
import { TEST_TITLE } from '../common/test-push.js';
import { tokenRule } from '../common/token-format.js';
import type { VendorModule } from '../types.js';
import { VIVO_ANSWER_TEXTS } from './answers.js';
import { VivoChannel } from './channel.js';
import { RECEIPT_URL_PER_MESSAGE, vivoReceiptFields } from './receipt-fields.js';
import { vivoRenderer } from './render.js';

export const vivo = {
  vendor: 'vivo',
  kinds: ['alert'],
  system: 'Android',
  pushPlatform: 6,
  warmable: false,
  multiTokenRequests: true,
  createChannel: (cert, ctx) => new VivoChannel(cert, ctx),
  renderer: vivoRenderer,
  validateCredential: (input) => validateAndroid('vivo', input),
  tokenProblem: tokenRule('vivo', { pattern: /^[A-Za-z0-9_-]{16,64}$/, key: 'tokenRegId', min: 16, max: 64 }),
  withReceiptFields: vivoReceiptFields,
  receiptUrlPerMessage: RECEIPT_URL_PER_MESSAGE,
  parseReceipts: (raw) => parseByMessageId(jsonBody(raw), false),
  testRequest(cert, text) {
    const d = cert.defaults;
    return {
      vendor: 'vivo',
      message: {
        title: TEST_TITLE,
        content: text,
        notifyType: 4,
        skipType: 1,
        timeToLive: 86_400,
        classification: 1,
        ...(d.category ? { category: d.category } : {}),
      },
    };
  },
  answers: VIVO_ANSWER_TEXTS,
} satisfies VendorModule<'vivo'>;
