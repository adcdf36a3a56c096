// OPPO Push (docs/internals/oppo.md).

import { validateAndroid } from '../common/android-credentials.js';
import { TEST_TITLE } from '../common/test-push.js';
import { tokenRule } from '../common/token-format.js';
import type { VendorModule } from '../types.js';
import { OPPO_ANSWER_TEXTS } from './answers.js';
import { OppoChannel } from './channel.js';
import { oppoReceiptFields, RECEIPT_URL_PER_MESSAGE } from './receipt-fields.js';
import { oppoRenderer } from './render.js';

export const oppo = {
  vendor: 'oppo',
  kinds: ['alert'],
  system: 'Android',
  pushPlatform: 5,
  warmable: false,
  multiTokenRequests: true,
  createChannel: (cert, ctx) => new OppoChannel(cert, ctx),
  renderer: oppoRenderer,
  validateCredential: (input) => validateAndroid('oppo', input),
  tokenProblem: tokenRule('oppo', {
    pattern: /^[A-Za-z0-9_-]{16,128}$/,
    key: 'tokenRegistrationId',
    min: 16,
    max: 128,
  }),
  withReceiptFields: oppoReceiptFields,
  receiptUrlPerMessage: RECEIPT_URL_PER_MESSAGE,
  testRequest(cert, text) {
    const d = cert.defaults;
    return {
      vendor: 'oppo',
      notification: {
        title: TEST_TITLE,
        content: text,
        click_action_type: 0,
        ...(d.channelId ? { channel_id: d.channelId } : {}),
        ...(d.category ? { category: d.category } : {}),
      },
    };
  },
  answers: OPPO_ANSWER_TEXTS,
} satisfies VendorModule<'oppo'>;
