// Honor Push (camelCase, unlike Huawei): `android` {ttl, notification {title, body, clickAction,
// importance, badge {setNum/addNum, badgeClass}, image, style, bigTitle, bigBody, tag}} and
// `data` = {"ext": Ext}.

import {
  androidTexts,
  compact,
  extJson,
  jsonBytes,
  type VendorRenderer,
} from '../../render/vendor-renderer.js';
import type { HonorRequest } from '../../types.js';
import { badgeBuilder, huaweiClickAction } from '../common/huawei-honor.js';

export const honorRenderer: VendorRenderer<HonorRequest> = {
  maxBytes: () => 4096,
  titleRequired: true,
  texts: androidTexts,

  prepare(content, certificate) {
    const { android } = content;
    const bigText = android.PushStyle === 1;
    const clickAction = huaweiClickAction(content, certificate);
    const importance = android.HonorImportance || certificate.defaults.importance || 'NORMAL';
    const image = android.HonorImage || undefined;
    const data = content.call
      ? JSON.stringify(compact({ ext: content.ext, signaling: content.call.signaling }))
      : content.ext !== undefined
        ? extJson(content.ext)
        : undefined;
    // Calls: the follow-up with the same notifyId replaces the ringing notification.
    const notifyId = content.call?.notifyId ?? content.messageRef?.notifyId;
    const ttl = content.ttlSeconds !== undefined ? `${content.ttlSeconds}s` : undefined;
    const badgeOf = badgeBuilder(certificate, 'camel');

    return (texts, badge) => {
      const notification = compact({
        title: texts.title ?? '',
        body: texts.body,
        clickAction,
        importance,
        badge: badgeOf(badge),
        image,
        style: bigText ? 1 : undefined,
        bigTitle: bigText ? (texts.title ?? '') : undefined,
        bigBody: bigText ? texts.body : undefined,
        tag: content.threadId,
        notifyId,
      });
      return { vendor: 'honor', message: compact({ data, android: compact({ ttl, notification }) }) };
    };
  },

  size: (request) => jsonBytes(request.message),
};
