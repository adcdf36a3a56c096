// Web Push with VAPID (RFC 8030/8291/8292; docs/internals/webpush.md).

import { TEST_TITLE } from '../common/test-push.js';
import type { VendorModule } from '../types.js';
import { WEBPUSH_ANSWER_TEXTS } from './answers.js';
import { WebPushChannel } from './channel.js';
import { validateWebPush } from './credentials.js';
import { RECEIPT_URL_PER_MESSAGE, webPushReceiptFields } from './receipt-fields.js';
import { webPushRenderer } from './render.js';
import { parseWebPushSubscription } from './subscription.js';

export const webpush = {
  vendor: 'webpush',
  kinds: ['alert'],
  system: 'Web',
  pushPlatform: 9,
  warmable: false,
  multiTokenRequests: false,
  // RFC 8291: a new ECDH key agreement and an encryption per message (~0.5 ms of CPU): a large batch uses
  // every send worker (docs/internals/webpush.md "Connections").
  spreadOverWorkers: true,
  createChannel: (cert, ctx) => new WebPushChannel(cert, ctx),
  renderer: webPushRenderer,
  validateCredential: validateWebPush,
  tokenProblem: (token) => (parseWebPushSubscription(token) ? undefined : { key: 'tokenWebPush' }),
  withReceiptFields: webPushReceiptFields,
  receiptUrlPerMessage: RECEIPT_URL_PER_MESSAGE,
  testRequest: (_cert, text) => ({
    vendor: 'webpush',
    payload: JSON.stringify({ title: TEST_TITLE, body: text }),
    ttlSeconds: 3600,
  }),
  // The service worker closes the notification shown under `tag` (getNotifications({tag})).
  retractionRequest: (_cert, { msgKey, threadId }, reason) => ({
    vendor: 'webpush',
    payload: JSON.stringify({ kind: 'recall', msgKey, tag: threadId, reason }),
    ttlSeconds: 86_400,
    urgency: 'normal',
  }),
  retractsByConversation: true,
  answers: WEBPUSH_ANSWER_TEXTS,
} satisfies VendorModule<'webpush'>;
