// Meizu: `messageJson`. noticeBarInfo {noticeMsgType 0 public / 1 private, title ≤ 32, content ≤ 100},
// clickTypeInfo {clickType 0 app / 1 activity / 2 URI, parameters {ext}}, pushTimeInfo (1..72 h).

import {
  androidTexts,
  clickActionOf,
  compact,
  jsonBytes,
  type VendorRenderer,
} from '../../render/vendor-renderer.js';
import type { MeizuRequest } from '../../types.js';

export const meizuRenderer: VendorRenderer<MeizuRequest> = {
  maxBytes: () => 4096,
  fieldLimits: { title: 32, body: 100 },
  titleRequired: true,
  texts: androidTexts,

  prepare(content, certificate) {
    const click = clickActionOf(certificate);
    const ttl = content.ttlSeconds;
    // IM traffic is a private message (1), as in Tencent's "即时通信类推送" example.
    const noticeMsgType = content.android.MeiZuNoticeMsgType ?? 1;
    const clickTypeInfo = compact({
      clickType: click.type === 'open_app' ? 0 : click.type === 'open_page' ? 1 : 2,
      activity: click.type === 'open_page' ? click.page : undefined,
      url: click.type === 'open_url' ? click.url : undefined,
      parameters: content.ext !== undefined ? { ext: content.ext } : undefined,
    });
    const pushTimeInfo = compact({
      offLine: 1,
      validTime: ttl !== undefined ? Math.min(Math.max(Math.ceil(ttl / 3600), 1), 72) : undefined,
    });
    // Calls: the follow-up with the same notifyKey replaces the ringing notification.
    const advanceInfo = compact({
      notificationType: { vibrate: 1, lights: 1, sound: 1 },
      notifyKey: content.call?.collapseId,
    });

    return (texts) => ({
      vendor: 'meizu',
      messageJson: {
        noticeBarInfo: { noticeMsgType, noticeBarType: 0, title: texts.title ?? '', content: texts.body },
        clickTypeInfo,
        pushTimeInfo,
        advanceInfo,
      },
    });
  },

  size: (request) => jsonBytes(request.messageJson),
};
