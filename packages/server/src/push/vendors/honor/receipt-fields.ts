// What this vendor's requests carry so that a push is recognised when it comes back
// (push/outcomes/receipt-fields.ts): the PushID in the `data` JSON and as `biTag` (the receipt echoes it).
// Used by the module (VendorModule.withReceiptFields) and by the channel.
import { withDataAndTag } from '../common/huawei-honor.js';
import type { HonorRequest } from './request.js';

/** Whether the receipt URL goes with each message (else it is configured with the vendor, or there is none). */
export const RECEIPT_URL_PER_MESSAGE = false;

/** The request with its PushID fields; copies every level it changes (requests are shared between devices). */
export function honorReceiptFields(request: HonorRequest, pushId: string): HonorRequest {
  return withDataAndTag(request, pushId, 'biTag');
}
