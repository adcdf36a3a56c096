// Firebase Cloud Messaging HTTP v1 with a service account (docs/internals/fcm.md).

import { TEST_TITLE } from '../common/test-push.js';
import { tokenRule } from '../common/token-format.js';
import type { VendorModule } from '../types.js';
import { FCM_ANSWER_TEXTS } from './answers.js';
import { FcmChannel } from './channel.js';
import { validateFcm } from './credentials.js';
import { fcmReceiptFields, RECEIPT_URL_PER_MESSAGE } from './receipt-fields.js';
import { fcmRenderer } from './render.js';

export const fcm = {
  vendor: 'fcm',
  kinds: ['alert'],
  system: 'Android',
  pushPlatform: 2,
  warmable: true,
  multiTokenRequests: false,
  createChannel: (cert, ctx) => new FcmChannel(cert, ctx),
  renderer: fcmRenderer,
  validateCredential: validateFcm,
  tokenProblem: tokenRule('fcm', {
    pattern: /^[A-Za-z0-9_:-]{32,4096}$/,
    key: 'tokenFcmCharacters',
    min: 32,
    max: 4096,
  }),
  withReceiptFields: fcmReceiptFields,
  receiptUrlPerMessage: RECEIPT_URL_PER_MESSAGE,
  testRequest(cert, text) {
    const d = cert.defaults;
    return {
      vendor: 'fcm',
      message:
        d.fcmMessageType === 'data'
          ? { data: { title: TEST_TITLE, body: text }, android: { priority: 'high' } }
          : {
              notification: { title: TEST_TITLE, body: text },
              android: { priority: 'high', notification: d.channelId ? { channel_id: d.channelId } : {} },
            },
    };
  },
  // A data message: the app's FirebaseMessagingService cancels the notification shown under `tag`.
  retractionRequest: (_cert, { msgKey, threadId }, reason) => ({
    vendor: 'fcm',
    message: { android: { priority: 'high' }, data: { recall: msgKey, tag: threadId, reason } },
  }),
  retractsByConversation: true,
  answers: FCM_ANSWER_TEXTS,
} satisfies VendorModule<'fcm'>;
