// What this vendor's requests carry so that a push is recognised when it comes back
// (push/outcomes/receipt-fields.ts): the PushID in `data`. Used by the module
// (VendorModule.withReceiptFields) and by the channel.
import { obj, PUSH_ID_KEY } from '../common/receipt-fields.js';
import type { FcmRequest } from './request.js';

/** Whether the receipt URL goes with each message (else it is configured with the vendor, or there is none). */
export const RECEIPT_URL_PER_MESSAGE = false;

/** The request with its PushID fields; copies every level it changes (requests are shared between devices). */
export function fcmReceiptFields(request: FcmRequest, pushId: string): FcmRequest {
  return {
    ...request,
    message: { ...request.message, data: { ...obj(request.message.data), [PUSH_ID_KEY]: pushId } },
  };
}

/** A JSON object's text ready for more members: `{"a":1,` (or `{` when it has none). */
function openObject(json: string): string {
  return json === '{}' ? '{' : `${json.slice(0, -1)},`;
}

/** The parts of one shared FCM message that every device's request repeats (fcmBodyJson). */
export interface SerialisedFcmMessage {
  /** The message without `data` and `token`, still open: `{"notification":{...},`. */
  head: string;
  /** Its data without the PushID, still open: `{"k":"v",`. */
  data: string;
}

/**
 * The body of one device's messages:send request — `{"message": {...message, data: {...data, pushId}, token}}`
 * with the same members, `data` and `token` last — without copying the message for each device: the parts
 * are serialised once per message object in `serialised` (the devices of a fan-out share their request:
 * push/render/index.ts).
 */
export function fcmBodyJson(
  request: FcmRequest,
  pushId: string,
  token: string,
  serialised: Map<FcmRequest['message'], SerialisedFcmMessage>,
): string {
  const { message } = request;
  let parts = serialised.get(message);
  if (!parts) {
    const { data, token: _token, ...rest } = message;
    const { [PUSH_ID_KEY]: _pushId, ...fields } = obj(data);
    parts = { head: openObject(JSON.stringify(rest)), data: openObject(JSON.stringify(fields)) };
    serialised.set(message, parts);
  }
  return `{"message":${parts.head}"data":${parts.data}"${PUSH_ID_KEY}":${JSON.stringify(pushId)}},"token":${JSON.stringify(token)}}}`;
}
