// What a channel adds to a vendor request so that the push can be recognised when it comes back:
// - for the app (SDK click reports): the PushID as a hidden `pushId` key next to `ext`, wherever that vendor
//   carries Ext (APNs top-level key, FCM `data`, Huawei/Honor `data` JSON, Xiaomi `extra.pushId`, OPPO
//   `action_parameters` JSON, vivo `clientCustomMap`, Meizu click `parameters`, the Web Push payload);
// - for the vendor's delivery receipt: the PushID where the vendor echoes a tag (Huawei `bi_tag`, Honor
//   `biTag`) or a callback parameter (vivo, Meizu, Xiaomi `callback.param`, next to the receipt URL).
// Render shares request objects between devices, so this copies every level it changes.
import type { VendorRequest } from '../types.js';

/** Meizu/Xiaomi callback.type: 1 delivered + 2 clicked. */
const DELIVERED_AND_CLICKED = 3;

/** The key the app finds the PushID under (docs/push-payloads.md "PushID"). */
export const PUSH_ID_KEY = 'pushId';

/**
 * Bytes render keeps free for these fields (PushID, receipt URL and keys): requests are fitted to the vendor
 * limit minus this, so adding them never makes a request too large.
 */
export const RECEIPT_FIELDS_RESERVE_BYTES = 320;

/** A JSON-object string (`{"ext":...}`) with the PushID added; a missing or odd value becomes `{pushId}`. */
function jsonWithPushId(json: unknown, pushId: string): string {
  let object: Record<string, unknown> = {};
  if (typeof json === 'string') {
    try {
      const parsed = JSON.parse(json) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        object = parsed as Record<string, unknown>;
    } catch {
      // Not ours to fix: keep the PushID alone.
    }
  }
  return JSON.stringify({ ...object, [PUSH_ID_KEY]: pushId });
}

const obj = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' ? (value as Record<string, unknown>) : {};

/**
 * The request with the PushID fields. `callbackUrl` (from receiptUrl(), receipt-token.ts) is needed by vivo,
 * Meizu and Xiaomi, which take the receipt address per message; without it only the hidden `pushId` is set.
 */
export function withReceiptFields(
  request: VendorRequest,
  pushId: string,
  callbackUrl?: string,
): VendorRequest {
  switch (request.vendor) {
    case 'apns':
      return { ...request, body: { ...request.body, [PUSH_ID_KEY]: pushId } };
    case 'fcm':
      return {
        ...request,
        message: { ...request.message, data: { ...obj(request.message.data), [PUSH_ID_KEY]: pushId } },
      };
    case 'huawei': {
      const android = obj(request.message.android);
      return {
        ...request,
        message: {
          ...request.message,
          data: jsonWithPushId(request.message.data, pushId),
          android: { ...android, bi_tag: pushId },
        },
      };
    }
    case 'honor': {
      const android = obj(request.message.android);
      return {
        ...request,
        message: {
          ...request.message,
          data: jsonWithPushId(request.message.data, pushId),
          android: { ...android, biTag: pushId },
        },
      };
    }
    case 'oppo':
      return {
        ...request,
        notification: {
          ...request.notification,
          action_parameters: jsonWithPushId(request.notification.action_parameters, pushId),
        },
      };
    case 'vivo': {
      const message: Record<string, unknown> = {
        ...request.message,
        clientCustomMap: { ...obj(request.message.clientCustomMap), [PUSH_ID_KEY]: pushId },
      };
      if (callbackUrl)
        message.extra = { ...obj(request.message.extra), callback: callbackUrl, 'callback.param': pushId };
      return { ...request, message };
    }
    case 'meizu': {
      const click = obj(request.messageJson.clickTypeInfo);
      const messageJson: Record<string, unknown> = {
        ...request.messageJson,
        clickTypeInfo: { ...click, parameters: { ...obj(click.parameters), [PUSH_ID_KEY]: pushId } },
      };
      if (callbackUrl) {
        messageJson.extra = {
          ...obj(request.messageJson.extra),
          callback: callbackUrl,
          'callback.param': pushId,
          'callback.type': DELIVERED_AND_CLICKED,
        };
      }
      return { ...request, messageJson };
    }
    case 'xiaomi': {
      const form: Record<string, string> = { ...request.form, [`extra.${PUSH_ID_KEY}`]: pushId };
      if (callbackUrl) {
        form['extra.callback'] = callbackUrl;
        form['extra.callback.param'] = pushId;
        form['extra.callback.type'] = String(DELIVERED_AND_CLICKED);
      }
      return { ...request, form };
    }
    case 'webpush':
      return { ...request, payload: jsonWithPushId(request.payload, pushId) };
  }
}
