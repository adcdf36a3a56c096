// APNs: `aps` with alert (a string, or {title, subtitle, body} when there is a title or subtitle),
// badge, sound, thread-id, mutable-content and interruption-level; Ext as top-level `ext`, the image
// URL as top-level `image` for a Notification Service Extension. VoIP certificates send PushKit pushes.
// Call pushes carry the signaling envelope as top-level `signaling` and one apns-collapse-id per call,
// so that the cancel or timeout follow-up replaces the ringing alert.

import { compact, jsonBytes, type VendorRenderer } from '../../render/vendor-renderer.js';
import type { ApnsRequest } from '../../types.js';

const INTERRUPTION_LEVELS = new Set(['passive', 'active', 'time-sensitive', 'critical']);

export const apnsRenderer: VendorRenderer<ApnsRequest> = {
  maxBytes: (certificate) => (certificate.kind === 'voip' ? 5120 : 4096),
  texts: (content) => ({ title: content.apnsTitle, subtitle: content.apnsSubtitle, body: content.text }),

  prepare(content, certificate) {
    const { apns } = content;
    const level =
      apns.InterruptionLevel && INTERRUPTION_LEVELS.has(apns.InterruptionLevel)
        ? apns.InterruptionLevel
        : content.kind === 'call' && content.call?.action !== 'clear'
          ? 'time-sensitive'
          : undefined;
    const mutable = apns.MutableContent === 1 || apns.Image ? 1 : undefined;
    const image = apns.Image || undefined;
    const voip = certificate.kind === 'voip';
    const pushType = voip ? ('voip' as const) : ('alert' as const);
    const topic = voip ? `${certificate.appIdentifier}.voip` : undefined;
    const call = content.call;

    return (texts, badge) => {
      const alert =
        texts.title || texts.subtitle
          ? compact({
              title: texts.title || undefined,
              subtitle: texts.subtitle || undefined,
              body: texts.body,
            })
          : texts.body;
      const aps = compact({
        alert,
        badge,
        sound: content.apnsSound,
        'thread-id': content.threadId,
        'mutable-content': mutable,
        'interruption-level': level,
      });
      return compact({
        vendor: 'apns' as const,
        pushType,
        topic,
        priority: 10 as const,
        expiration: content.expiresAtSeconds,
        collapseId: call?.collapseId ?? content.messageRef?.collapseId,
        body: compact({ aps, ext: content.ext, image, signaling: call?.signaling }),
      });
    };
  },

  size: (request) => jsonBytes(request.body),
};
