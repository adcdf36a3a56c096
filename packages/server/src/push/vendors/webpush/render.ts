// Web Push: a JSON payload for the site's service worker to show with showNotification(). The
// encrypted record holds 4096 bytes, so the cleartext may use 3993 (RFC 8291: 86-byte header, 16-byte
// tag, 1 padding delimiter).

import { androidTexts, clickActionOf, compact, type VendorRenderer } from '../../render/vendor-renderer.js';
import type { WebPushRequest } from '../../types.js';

/** Seven days, the default MsgLifeTime, when the message does not say. */
const DEFAULT_TTL_SECONDS = 604_800;

export const webPushRenderer: VendorRenderer<WebPushRequest> = {
  maxBytes: () => 3993,
  texts: androidTexts,

  prepare(content, certificate) {
    const click = clickActionOf(certificate);
    const url = click.type === 'open_url' ? click.url : undefined;
    const ttlSeconds = content.ttlSeconds ?? DEFAULT_TTL_SECONDS;
    const urgency = content.kind === 'call' ? ('high' as const) : ('normal' as const);

    return (texts, badge) => {
      const payload = compact({
        kind: content.kind,
        signaling: content.call?.signaling,
        title: texts.title ?? '',
        body: texts.body,
        tag: content.threadId,
        badgeCount: badge,
        url,
        ext: content.ext,
      });
      // Topic (RFC 8030) replaces a ringing push still waiting at the push service with its follow-up.
      return compact({
        vendor: 'webpush' as const,
        payload: JSON.stringify(payload),
        ttlSeconds,
        urgency,
        topic: content.call?.inviteId,
      });
    };
  },

  size: (request) => Buffer.byteLength(request.payload, 'utf8'),
};
