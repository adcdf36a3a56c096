// Web Push: a JSON payload for the site's service worker to show with showNotification(). The
// encrypted record holds 4096 bytes, so the cleartext may use 3993 (RFC 8291: 86-byte header, 16-byte
// tag, 1 padding delimiter).
import type { WebPushRequest } from '../../types.js';
import { clickActionOf, compact, type VendorRenderer } from '../vendor-renderer.js';

/** Seven days, the default MsgLifeTime, when the message does not say. */
const DEFAULT_TTL_SECONDS = 604_800;

export const webPushRenderer: VendorRenderer<WebPushRequest> = {
  maxBytes: () => 3993,
  texts: (content) => ({ title: content.title ?? content.defaultTitle, body: content.text }),

  build({ content, certificate, texts, badge }) {
    const click = clickActionOf(certificate);
    const payload = compact({
      kind: content.kind,
      title: texts.title ?? '',
      body: texts.body,
      tag: content.threadId,
      badgeCount: badge,
      url: click.type === 'open_url' ? click.url : undefined,
      ext: content.ext,
    });
    return compact({
      vendor: 'webpush' as const,
      payload: JSON.stringify(payload),
      ttlSeconds: content.ttlSeconds ?? DEFAULT_TTL_SECONDS,
      urgency: content.kind === 'call' ? ('high' as const) : ('normal' as const),
    });
  },

  size: (request) => Buffer.byteLength(request.payload, 'utf8'),
};
