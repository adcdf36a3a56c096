// What a channel adds to a vendor request so that the vendor's receipt can be matched to the push: the
// PushID where the vendor echoes a tag (Huawei `bi_tag`, Honor `biTag`) or a callback parameter (vivo,
// Meizu, Xiaomi `callback.param`, next to the receipt URL in `callback`). Render shares request objects
// between devices, so this copies every level it changes. Vendors without receipts pass through.
import type { VendorRequest } from '../types.js';

/** Meizu/Xiaomi callback.type: 1 delivered + 2 clicked. */
const DELIVERED_AND_CLICKED = 3;

/**
 * The request with receipt fields. `callbackUrl` (from receiptUrl(), receipt-token.ts) is needed by vivo,
 * Meizu and Xiaomi, which take the receipt address per message; without it they are left unchanged.
 */
export function withReceiptFields(
  request: VendorRequest,
  pushId: string,
  callbackUrl?: string,
): VendorRequest {
  switch (request.vendor) {
    case 'huawei': {
      const android = (request.message.android ?? {}) as Record<string, unknown>;
      return { ...request, message: { ...request.message, android: { ...android, bi_tag: pushId } } };
    }
    case 'honor': {
      const android = (request.message.android ?? {}) as Record<string, unknown>;
      return { ...request, message: { ...request.message, android: { ...android, biTag: pushId } } };
    }
    case 'vivo': {
      if (!callbackUrl) return request;
      const extra = (request.message.extra ?? {}) as Record<string, unknown>;
      return {
        ...request,
        message: { ...request.message, extra: { ...extra, callback: callbackUrl, 'callback.param': pushId } },
      };
    }
    case 'meizu': {
      if (!callbackUrl) return request;
      const extra = (request.messageJson.extra ?? {}) as Record<string, unknown>;
      return {
        ...request,
        messageJson: {
          ...request.messageJson,
          extra: {
            ...extra,
            callback: callbackUrl,
            'callback.param': pushId,
            'callback.type': DELIVERED_AND_CLICKED,
          },
        },
      };
    }
    case 'xiaomi':
      if (!callbackUrl) return request;
      return {
        ...request,
        form: {
          ...request.form,
          'extra.callback': callbackUrl,
          'extra.callback.param': pushId,
          'extra.callback.type': String(DELIVERED_AND_CLICKED),
        },
      };
    default:
      return request;
  }
}
