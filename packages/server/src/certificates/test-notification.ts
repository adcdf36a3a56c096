// The notification `pushline cert test` and the console's "send a test" send: a plain alert per vendor,
// shaped with the certificate's defaults, so a user can see a certificate work end to end.
import type { PushTask, VendorRequest } from '../push/types.js';
import type { CertificateInfo } from './types.js';

export const TEST_TITLE = 'Pushline test';

export function testRequest(cert: CertificateInfo, text: string): VendorRequest {
  const d = cert.defaults;
  switch (cert.vendor) {
    case 'apns':
      return cert.kind === 'voip'
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
          };
    case 'fcm':
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
    case 'huawei':
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
    case 'honor':
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
    case 'xiaomi':
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
    case 'oppo':
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
    case 'vivo':
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
    case 'meizu':
      return {
        vendor: 'meizu',
        messageJson: {
          noticeBarInfo: { noticeMsgType: 0, title: TEST_TITLE, content: text },
          clickTypeInfo: { clickType: 0 },
          pushTimeInfo: { offLine: 1, validTime: 24 },
        },
      };
    case 'webpush':
      return {
        vendor: 'webpush',
        payload: JSON.stringify({ title: TEST_TITLE, body: text }),
        ttlSeconds: 3600,
      };
  }
}

export function testTask(cert: CertificateInfo, token: string, text: string): PushTask {
  return {
    pushId: `test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    sdkAppId: cert.sdkAppId,
    certificateId: cert.id,
    token,
    request: testRequest(cert, text),
  };
}
