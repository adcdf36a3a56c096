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
