// What this vendor's requests carry so that a push is recognised when it comes back
// (push/outcomes/receipt-fields.ts): the PushID in `clientCustomMap`, and the receipt URL with the PushID as
// its parameter. Used by the module (VendorModule.withReceiptFields) and by the channel.
import { obj, PUSH_ID_KEY } from '../common/receipt-fields.js';
import type { VivoRequest } from './request.js';

/** Whether the receipt URL goes with each message (else it is configured with the vendor, or there is none). */
export const RECEIPT_URL_PER_MESSAGE = true;

/** The request with its PushID fields; copies every level it changes (requests are shared between devices). */
export function vivoReceiptFields(request: VivoRequest, pushId: string, callbackUrl?: string): VivoRequest {
  const message: Record<string, unknown> = {
    ...request.message,
    clientCustomMap: { ...obj(request.message.clientCustomMap), [PUSH_ID_KEY]: pushId },
  };
  if (callbackUrl)
    message.extra = { ...obj(request.message.extra), callback: callbackUrl, 'callback.param': pushId };
  return { ...request, message };
}
