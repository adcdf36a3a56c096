// What this vendor's requests carry so that a push is recognised when it comes back
// (push/outcomes/receipt-fields.ts): the PushID as `extra.pushId`, and the receipt URL with the PushID as its
// parameter. Used by the module (VendorModule.withReceiptFields) and by the channel.
import { DELIVERED_AND_CLICKED, PUSH_ID_KEY } from '../common/receipt-fields.js';
import type { XiaomiRequest } from './request.js';

/** Whether the receipt URL goes with each message (else it is configured with the vendor, or there is none). */
export const RECEIPT_URL_PER_MESSAGE = true;

/** The request with its PushID fields; copies every level it changes (requests are shared between devices). */
export function xiaomiReceiptFields(
  request: XiaomiRequest,
  pushId: string,
  callbackUrl?: string,
): XiaomiRequest {
  const form: Record<string, string> = { ...request.form, [`extra.${PUSH_ID_KEY}`]: pushId };
  if (callbackUrl) {
    form['extra.callback'] = callbackUrl;
    form['extra.callback.param'] = pushId;
    form['extra.callback.type'] = String(DELIVERED_AND_CLICKED);
  }
  return { ...request, form };
}
