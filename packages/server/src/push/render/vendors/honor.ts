// Honor Push (camelCase, unlike Huawei): `android` {ttl, notification {title, body, clickAction,
// importance, badge {setNum/addNum, badgeClass}, image, style, bigTitle, bigBody, tag}} and
// `data` = {"ext": Ext}.
import type { HonorRequest } from '../../types.js';
import { androidTexts, compact, extJson, jsonBytes, type VendorRenderer } from '../vendor-renderer.js';
import { huaweiClickAction, huaweiStyleBadge } from './huawei.js';

export const honorRenderer: VendorRenderer<HonorRequest> = {
  maxBytes: () => 4096,
  texts: androidTexts,

  build(input) {
    const { content, certificate, texts } = input;
    const { android } = content;
    const bigText = android.PushStyle === 1;
    const notification = compact({
      title: texts.title ?? '',
      body: texts.body,
      clickAction: huaweiClickAction(input),
      importance: android.HonorImportance || certificate.defaults.importance || 'NORMAL',
      badge: huaweiStyleBadge(input, 'camel'),
      image: android.HonorImage || undefined,
      style: bigText ? 1 : undefined,
      bigTitle: bigText ? (texts.title ?? '') : undefined,
      bigBody: bigText ? texts.body : undefined,
      tag: content.threadId,
    });
    const message = compact({
      data: content.ext !== undefined ? extJson(content.ext) : undefined,
      android: compact({
        ttl: content.ttlSeconds !== undefined ? `${content.ttlSeconds}s` : undefined,
        notification,
      }),
    });
    return { vendor: 'honor', message };
  },

  size: (request) => jsonBytes(request.message),
};
