// Xiaomi MiPush (docs/internals/xiaomi.md).

import { validateAndroid } from '../common/android-credentials.js';
import { formFieldBody, parseByMessageId } from '../common/receipt-parsers.js';
import { TEST_TITLE } from '../common/test-push.js';
import { tokenRule } from '../common/token-format.js';
import type { VendorModule } from '../types.js';
import { XIAOMI_ANSWER_TEXTS } from './answers.js';
import { XiaomiChannel } from './channel.js';
import { RECEIPT_URL_PER_MESSAGE, xiaomiReceiptFields } from './receipt-fields.js';
import { xiaomiRenderer } from './render.js';

export const xiaomi = {
  vendor: 'xiaomi',
  kinds: ['alert'],
  system: 'Android',
  pushPlatform: 4,
  warmable: false,
  multiTokenRequests: true,
  createChannel: (cert, ctx) => new XiaomiChannel(cert, ctx),
  renderer: xiaomiRenderer,
  validateCredential: (input) => validateAndroid('xiaomi', input),
  tokenProblem: tokenRule('xiaomi', {
    pattern: /^[A-Za-z0-9+/=_-]{20,256}$/,
    key: 'tokenRegId',
    min: 20,
    max: 256,
  }),
  withReceiptFields: xiaomiReceiptFields,
  receiptUrlPerMessage: RECEIPT_URL_PER_MESSAGE,
  parseReceipts: (raw) => parseByMessageId(formFieldBody(raw, 'data'), true),
  testRequest(cert, text) {
    const d = cert.defaults;
    return {
      vendor: 'xiaomi',
      form: {
        title: TEST_TITLE,
        description: text,
        pass_through: '0',
        notify_type: '-1',
        'extra.notify_effect': '1',
        ...(d.channelId ? { 'extra.channel_id': d.channelId } : {}),
      },
    };
  },
  retractionRequest: (_cert, { ref }) => ({ vendor: 'xiaomi', form: {}, revoke: { notifyId: ref.notifyId } }),
  answers: XIAOMI_ANSWER_TEXTS,
} satisfies VendorModule<'xiaomi'>;
