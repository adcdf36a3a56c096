// What this vendor's requests carry so that a push is recognised when it comes back
// (push/outcomes/receipt-fields.ts): the PushID as a top-level key of the payload. Used by the module
// (VendorModule.withReceiptFields) and by the channel.
import { PUSH_ID_KEY } from '../common/receipt-fields.js';
import type { ApnsRequest } from './request.js';

/** Whether the receipt URL goes with each message (else it is configured with the vendor, or there is none). */
export const RECEIPT_URL_PER_MESSAGE = false;

/** The request with its PushID fields; copies every level it changes (requests are shared between devices). */
export function apnsReceiptFields(request: ApnsRequest, pushId: string): ApnsRequest {
  return { ...request, body: { ...request.body, [PUSH_ID_KEY]: pushId } };
}
