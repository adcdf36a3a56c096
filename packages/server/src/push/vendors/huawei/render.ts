// Huawei Push Kit v1 (snake_case): `android` {category, urgency, ttl, notification {title, body,
// channel_id, importance, sound, click_action, badge, image, style}} and `data` = {"ext": Ext}. Call
// pushes are urgent, carry `notify_id` (the follow-up replaces the ringing one) and data.signaling.
import {
  androidTexts,
  compact,
  extJson,
  jsonBytes,
  type VendorRenderer,
} from '../../render/vendor-renderer.js';
import type { HuaweiRequest } from '../../types.js';
import { badgeBuilder, huaweiClickAction } from '../common/huawei-honor.js';

export const huaweiRenderer: VendorRenderer<HuaweiRequest> = {
  maxBytes: () => 4096,
  titleRequired: true,
  texts: androidTexts,

  prepare(content, certificate) {
    const { android } = content;
    const defaults = certificate.defaults;
    const isCall = content.kind === 'call';
    const bigText = android.PushStyle === 1;
    const sound = content.androidSound;
    const fixed = {
      channel_id: android.HuaWeiChannelID || defaults.channelId,
      importance: android.HuaWeiImportance || defaults.importance,
      sound: sound ? (sound.includes('/') ? sound : `/raw/${sound}`) : undefined,
      default_sound: sound ? undefined : true,
      click_action: huaweiClickAction(content, certificate),
    };
    const image = android.HuaWeiImage || undefined;
    const data = content.call
      ? JSON.stringify(compact({ ext: content.ext, signaling: content.call.signaling }))
      : content.ext !== undefined
        ? extJson(content.ext)
        : undefined;
    // Calls: the follow-up replaces the ringing one; messages: a recall revokes it (render/retraction.ts).
    const notifyId = content.call?.notifyId ?? content.messageRef?.notifyId;
    const category = android.HuaWeiCategory || defaults.category || (isCall ? 'VOIP' : undefined);
    const ttl = content.ttlSeconds !== undefined ? `${content.ttlSeconds}s` : undefined;
    const badgeOf = badgeBuilder(certificate, 'snake');

    return (texts, badge) => {
      const notification = compact({
        title: texts.title ?? '',
        body: texts.body,
        ...fixed,
        badge: badgeOf(badge),
        image,
        style: bigText ? 1 : undefined,
        big_title: bigText ? (texts.title ?? '') : undefined,
        big_body: bigText ? texts.body : undefined,
        tag: content.threadId,
        notify_id: notifyId,
      });
      const message = compact({
        data,
        android: compact({ category, urgency: isCall ? 'HIGH' : undefined, ttl, notification }),
      });
      return { vendor: 'huawei', message };
    };
  },

  size: (request) => jsonBytes(request.message),
};
