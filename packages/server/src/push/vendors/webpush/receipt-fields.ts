// What this vendor's requests carry so that a push is recognised when it comes back
// (push/outcomes/receipt-fields.ts): the PushID in the payload JSON. Used by the module
// (VendorModule.withReceiptFields) and by the channel.
import { jsonWithPushId } from '../common/receipt-fields.js';
import type { WebPushRequest } from './request.js';

/** Whether the receipt URL goes with each message (else it is configured with the vendor, or there is none). */
export const RECEIPT_URL_PER_MESSAGE = false;

/** The request with its PushID fields; copies every level it changes (requests are shared between devices). */
export function webPushReceiptFields(request: WebPushRequest, pushId: string): WebPushRequest {
  return { ...request, payload: jsonWithPushId(request.payload, pushId) };
}
