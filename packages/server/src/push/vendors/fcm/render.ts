// FCM HTTP v1 (snake_case, as firebase-admin sends it): `notification` {title, body, image},
// `android` {priority, ttl, notification {channel_id, sound, click_action, tag, notification_count}}
// and `data` {ext}. With the certificate's "data" message type, title and body travel in `data`.
// Call pushes add `collapse_key` and the `tag` of the call (the follow-up replaces the ringing one) and
// the signaling envelope as `data.signaling`.

import {
  androidTexts,
  clickActionOf,
  compact,
  jsonBytes,
  type VendorRenderer,
} from '../../render/vendor-renderer.js';
import type { FcmRequest } from '../../types.js';

export const fcmRenderer: VendorRenderer<FcmRequest> = {
  maxBytes: () => 4096,
  texts: androidTexts,

  prepare(content, certificate) {
    const { android } = content;
    const defaults = certificate.defaults;
    const click = clickActionOf(certificate);
    const dataMode = defaults.fcmMessageType === 'data';
    const image = android.GoogleImage || undefined;
    const channelId = android.GoogleChannelID || defaults.channelId;
    const sound = content.androidSound ?? 'default';
    const clickAction = click.type === 'open_page' ? click.page : undefined;
    const ttl = content.ttlSeconds !== undefined ? `${content.ttlSeconds}s` : undefined;
    const call = content.call;
    const collapseKey = call?.collapseId;
    const extras = compact({
      ext: content.ext,
      url: click.type === 'open_url' ? click.url : undefined,
      signaling: call ? JSON.stringify(call.signaling) : undefined,
    });
    const staticData = Object.keys(extras).length > 0 ? (extras as Record<string, string>) : undefined;

    return (texts, badge) => {
      if (dataMode) {
        const data = compact({ title: texts.title ?? '', body: texts.body, image, ...staticData });
        return {
          vendor: 'fcm',
          message: { android: compact({ priority: 'high', ttl, collapse_key: collapseKey }), data },
        };
      }
      const notification = compact({
        channel_id: channelId,
        sound,
        click_action: clickAction,
        tag: content.threadId,
        notification_count: badge,
      });
      const message = compact({
        notification: compact({ title: texts.title || undefined, body: texts.body, image }),
        android: compact({ priority: 'high', ttl, collapse_key: collapseKey, notification }),
        data: staticData,
      });
      return { vendor: 'fcm', message };
    };
  },

  size: (request) => jsonBytes(request.message),
};
