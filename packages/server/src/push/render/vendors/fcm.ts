// FCM HTTP v1 (snake_case, as firebase-admin sends it): `notification` {title, body, image},
// `android` {priority, ttl, notification {channel_id, sound, click_action, tag, notification_count}}
// and `data` {ext}. With the certificate's "data" message type, title and body travel in `data`.
import type { FcmRequest } from '../../types.js';
import { androidTexts, clickActionOf, compact, jsonBytes, type VendorRenderer } from '../vendor-renderer.js';

export const fcmRenderer: VendorRenderer<FcmRequest> = {
  maxBytes: () => 4096,
  texts: androidTexts,

  build({ content, certificate, texts, badge }) {
    const { android } = content;
    const defaults = certificate.defaults;
    const click = clickActionOf(certificate);
    const dataMode = defaults.fcmMessageType === 'data';
    const image = android.GoogleImage || undefined;

    const data: Record<string, string> = {};
    if (dataMode) {
      data.title = texts.title ?? '';
      data.body = texts.body;
      if (image) data.image = image;
    }
    if (content.ext !== undefined) data.ext = content.ext;
    if (click.type === 'open_url') data.url = click.url;

    const notification = dataMode
      ? undefined
      : compact({
          channel_id: android.GoogleChannelID || defaults.channelId,
          sound: content.androidSound ?? 'default',
          click_action: click.type === 'open_page' ? click.page : undefined,
          tag: content.threadId,
          notification_count: badge,
        });
    const message = compact({
      notification: dataMode
        ? undefined
        : compact({ title: texts.title || undefined, body: texts.body, image }),
      android: compact({
        priority: 'high',
        ttl: content.ttlSeconds !== undefined ? `${content.ttlSeconds}s` : undefined,
        notification,
      }),
      data: Object.keys(data).length > 0 ? data : undefined,
    });
    return { vendor: 'fcm', message };
  },

  size: (request) => jsonBytes(request.message),
};
