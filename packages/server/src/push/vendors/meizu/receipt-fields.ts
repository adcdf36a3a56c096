// What this vendor's requests carry so that a push is recognised when it comes back
// (push/outcomes/receipt-fields.ts): the PushID in the click `parameters`, and the receipt URL with the
// PushID as its parameter. Used by the module (VendorModule.withReceiptFields) and by the channel.
import { DELIVERED_AND_CLICKED, obj, PUSH_ID_KEY } from '../common/receipt-fields.js';
import type { MeizuRequest } from './request.js';

/** Whether the receipt URL goes with each message (else it is configured with the vendor, or there is none). */
export const RECEIPT_URL_PER_MESSAGE = true;

/** The request with its PushID fields; copies every level it changes (requests are shared between devices). */
export function meizuReceiptFields(
  request: MeizuRequest,
  pushId: string,
  callbackUrl?: string,
): MeizuRequest {
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
