// vivo: the send body. title ≤ 40 and content ≤ 100 where a CJK character counts two; classification
// (0 operational, 1 system) and category classify the message; Ext goes in clientCustomMap.ext.

import { wideCharLength } from '../../render/truncate.js';
import {
  androidTexts,
  clickActionOf,
  compact,
  jsonBytes,
  type VendorRenderer,
} from '../../render/vendor-renderer.js';
import type { VivoRequest } from '../../types.js';

export const vivoRenderer: VendorRenderer<VivoRequest> = {
  maxBytes: () => 4096,
  fieldLimits: { title: 40, body: 100, measure: wideCharLength },
  titleRequired: true,
  texts: androidTexts,

  prepare(content, certificate) {
    const { android } = content;
    const click = clickActionOf(certificate);
    const fixed = compact({
      // vivo accepts 900 s .. 7 days.
      timeToLive:
        content.ttlSeconds !== undefined ? Math.min(Math.max(content.ttlSeconds, 900), 604_800) : undefined,
      // 1 open the app, 2 URL, 4 in-app page.
      skipType: click.type === 'open_app' ? 1 : click.type === 'open_url' ? 2 : 4,
      skipContent:
        click.type === 'open_url' ? click.url : click.type === 'open_page' ? click.page : undefined,
      classification: android.VIVOClassification ?? 1,
      category: android.VIVOCategory || certificate.defaults.category || (content.call ? 'IM' : undefined),
      clientCustomMap: content.ext !== undefined ? { ext: content.ext } : undefined,
    });

    return (texts) => ({
      vendor: 'vivo',
      message: { notifyType: 4, title: texts.title ?? '', content: texts.body, ...fixed },
    });
  },

  size: (request) => jsonBytes(request.message),
};
