// Meizu Flyme Push (docs/internals/meizu.md).

import { validateAndroid } from '../common/android-credentials.js';
import { formFieldBody, parseByMessageId } from '../common/receipt-parsers.js';
import { TEST_TITLE } from '../common/test-push.js';
import { tokenRule } from '../common/token-format.js';
import type { VendorModule } from '../types.js';
import { MEIZU_ANSWER_TEXTS } from './answers.js';
import { MeizuChannel } from './channel.js';
import { meizuReceiptFields, RECEIPT_URL_PER_MESSAGE } from './receipt-fields.js';
import { meizuRenderer } from './render.js';

export const meizu = {
  vendor: 'meizu',
  kinds: ['alert'],
  system: 'Android',
  pushPlatform: 7,
  warmable: false,
  multiTokenRequests: true,
  createChannel: (cert, ctx) => new MeizuChannel(cert, ctx),
  renderer: meizuRenderer,
  validateCredential: (input) => validateAndroid('meizu', input),
  tokenProblem: tokenRule('meizu', {
    pattern: /^[A-Za-z0-9_-]{16,64}$/,
    key: 'tokenPushId',
    min: 16,
    max: 64,
  }),
  withReceiptFields: meizuReceiptFields,
  receiptUrlPerMessage: RECEIPT_URL_PER_MESSAGE,
  parseReceipts: (raw) => parseByMessageId(formFieldBody(raw, 'cb'), true),
  testRequest: (_cert, text) => ({
    vendor: 'meizu',
    messageJson: {
      noticeBarInfo: { noticeMsgType: 0, title: TEST_TITLE, content: text },
      clickTypeInfo: { clickType: 0 },
      pushTimeInfo: { offLine: 1, validTime: 24 },
    },
  }),
  answers: MEIZU_ANSWER_TEXTS,
} satisfies VendorModule<'meizu'>;
