// What Huawei and Honor share in their payloads (Honor's API is a close copy of Huawei's, in camelCase):
// click action types and the launcher badge (their render.ts and badge-only pushes).
import type { CertificateInfo } from '../../../certificates/types.js';
import type { PushContent } from '../../render/content.js';
import { clickActionOf, compact } from '../../render/vendor-renderer.js';
import { jsonWithPushId, obj } from './receipt-fields.js';

/** Huawei and Honor launchers show at most 99. */
export const ANDROID_BADGE_MAX = 99;

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
    const setNum = badge === undefined ? undefined : Math.min(badge, ANDROID_BADGE_MAX);
    return style === 'snake'
      ? compact({ add_num: setNum === undefined ? 1 : undefined, set_num: setNum, class: badgeClass })
      : compact({ addNum: setNum === undefined ? 1 : undefined, setNum, badgeClass });
  };
}

/**
 * A Huawei or Honor request with its PushID: in the `data` JSON (the app reports clicks with it) and as the
 * receipt tag the vendor echoes (`bi_tag` for Huawei, `biTag` for Honor). Copies every level it changes.
 */
export function withDataAndTag<R extends { message: { data?: unknown; android?: unknown } }>(
  request: R,
  pushId: string,
  tagKey: 'bi_tag' | 'biTag',
): R {
  return {
    ...request,
    message: {
      ...request.message,
      data: jsonWithPushId(request.message.data, pushId),
      android: { ...obj(request.message.android), [tagKey]: pushId },
    },
  };
}
