// Apple Push Notification service: alert and VoIP (PushKit) certificates, .p12 or .p8 (docs/internals/apns.md).
import { VENDOR_ANSWERS } from '../../answers/vendor-answers.js';
import { TEST_TITLE } from '../common/test-push.js';
import { tokenRule } from '../common/token-format.js';
import type { VendorModule } from '../types.js';
import { ApnsChannel } from './channel.js';
import { validateApns } from './credentials.js';
import { ApnsProviderToken, JWT_DEFAULT_REFRESH_MS } from './provider-token.js';
import { apnsReceiptFields, RECEIPT_URL_PER_MESSAGE } from './receipt-fields.js';
import { apnsRenderer } from './render.js';

export const apns = {
  vendor: 'apns',
  kinds: ['alert', 'voip'],
  system: 'APNS',
  pushPlatform: 1,
  warmable: true,
  multiTokenRequests: false,
  // Certificates of one signing key share a send worker, so they share its provider token.
  sharedCredential: (cert) =>
    cert.secrets.p8
      ? `apns:${String(cert.info.publicFields.teamId)}/${String(cert.info.publicFields.keyId)}`
      : undefined,
  createChannel(cert, ctx, shared) {
    // Provider tokens are per signing key, not per certificate: certificates of one key share theirs.
    const p8 = cert.secrets.p8;
    const keyId = cert.info.publicFields.keyId as string;
    const teamId = cert.info.publicFields.teamId as string;
    const token = p8
      ? shared.get(
          `apns:${teamId}/${keyId}/${p8}`,
          () =>
            new ApnsProviderToken(
              p8,
              keyId,
              teamId,
              ctx.now,
              ctx.apns?.jwtRefreshMs ?? JWT_DEFAULT_REFRESH_MS,
            ),
        )
      : undefined;
    return new ApnsChannel(cert, ctx, token);
  },
  renderer: apnsRenderer,
  // PushKit (VoIP) pushes are handed to the app, never shown, so they leave the badge alone.
  countsTowardBadge: (content, cert) => cert.kind !== 'voip' && content.apns.BadgeMode !== 1,
  validateCredential: validateApns,
  // 32 bytes today (64 hex); Apple says tokens may grow, so allow up to 100 bytes.
  normalizeToken: (token) => token.toLowerCase(),
  tokenProblem: tokenRule('apns', {
    pattern: /^(?:[0-9a-fA-F]{2}){32,100}$/,
    key: 'tokenHexDigits',
    min: 64,
    max: 200,
  }),
  withReceiptFields: apnsReceiptFields,
  receiptUrlPerMessage: RECEIPT_URL_PER_MESSAGE,
  testRequest: (cert, text) =>
    cert.kind === 'voip'
      ? {
          vendor: 'apns',
          pushType: 'voip',
          priority: 10,
          body: { aps: {}, pushline: { test: true, text } },
        }
      : {
          vendor: 'apns',
          pushType: 'alert',
          priority: 10,
          body: { aps: { alert: { title: TEST_TITLE, body: text }, sound: 'default' } },
        },
  badgeUpdate: {
    support: (cert) => (cert.kind === 'voip' ? 'voip' : 'ok'),
    request: (_cert, badge) => ({ vendor: 'apns', pushType: 'alert', priority: 5, body: { aps: { badge } } }),
  },
  retractionRequest(cert, { msgKey, ref }, reason) {
    // A background push the app acts on: removeDeliveredNotifications(withIdentifiers: [collapseId]).
    if (cert.kind === 'voip') return undefined;
    return {
      vendor: 'apns',
      pushType: 'background',
      priority: 5,
      body: { aps: { 'content-available': 1 }, recall: { msgKey, collapseId: ref.collapseId, reason } },
    };
  },
  answers: VENDOR_ANSWERS.apns,
} satisfies VendorModule<'apns'>;
