// Huawei Push Kit v1 (snake_case): `android` {category, urgency, ttl, notification {title, body,
// channel_id, importance, sound, click_action, badge, image, style}} and `data` = {"ext": Ext}. Call
// pushes are urgent, carry `notify_id` (the follow-up replaces the ringing one) and data.signaling.
import type { CertificateInfo } from '../../../certificates/types.js';
import type { PushContent } from '../../render/content.js';
import {
  androidTexts,
  clickActionOf,
  compact,
  extJson,
  jsonBytes,
  type VendorRenderer,
} from '../../render/vendor-renderer.js';
import type { HuaweiRequest } from '../../types.js';

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

/** Huawei and Honor share click action types: 1 intent/action, 2 URL, 3 open the app. */
export function huaweiClickAction(
  content: PushContent,
  certificate: CertificateInfo,
): Record<string, unknown> {
  const click = clickActionOf(certificate);
  if (click.type === 'open_url') return { type: 2, url: click.url };
  if (click.type === 'open_app') return { type: 3 };
  if (!click.page.startsWith('intent:')) return { type: 1, action: click.page };
  // ExtAsHuaweiIntentParam 1: the app reads Ext from the intent's extras.
  let intent = click.page;
  if (content.android.ExtAsHuaweiIntentParam === 1 && content.ext !== undefined && intent.endsWith(';end')) {
    intent = `${intent.slice(0, -'end'.length)}S.ext=${encodeURIComponent(content.ext)};end`;
  }
  return { type: 1, intent };
}

/**
 * The launcher badge: set to the total when the engine knows it, else add one. Huawei and Honor
 * need the launcher activity class (certificate default `badgeClass`); without it no badge is sent.
 */
export function badgeBuilder(
  certificate: CertificateInfo,
  style: 'snake' | 'camel',
): (badge: number | undefined) => Record<string, unknown> | undefined {
  const badgeClass = certificate.defaults.badgeClass;
  if (!badgeClass) return () => undefined;
  return (badge) => {
    const setNum = badge === undefined ? undefined : Math.min(badge, 99);
    return style === 'snake'
      ? compact({ add_num: setNum === undefined ? 1 : undefined, set_num: setNum, class: badgeClass })
      : compact({ addNum: setNum === undefined ? 1 : undefined, setNum, badgeClass });
  };
}
