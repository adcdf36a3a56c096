// Meizu Flyme Push (docs/internals/meizu.md).

import { validateAndroid } from '../common/android-credentials.js';
import { DELIVERED_AND_CLICKED, obj, PUSH_ID_KEY } from '../common/receipt-fields.js';
import { formFieldBody, parseByMessageId } from '../common/receipt-parsers.js';
import { TEST_TITLE } from '../common/test-push.js';
import { tokenRule } from '../common/token-format.js';
import type { VendorModule } from '../types.js';
import { MEIZU_ANSWER_TEXTS } from './answers.js';
import { MeizuChannel } from './channel.js';
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
  withReceiptFields(request, pushId, callbackUrl) {
    const click = obj(request.messageJson.clickTypeInfo);
    const messageJson: Record<string, unknown> = {
      ...request.messageJson,
      clickTypeInfo: { ...click, parameters: { ...obj(click.parameters), [PUSH_ID_KEY]: pushId } },
    };
    if (callbackUrl) {
      messageJson.extra = {
        ...obj(request.messageJson.extra),
        callback: callbackUrl,
        'callback.param': pushId,
        'callback.type': DELIVERED_AND_CLICKED,
      };
    }
    return { ...request, messageJson };
  },
  receiptUrlPerMessage: true,
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
