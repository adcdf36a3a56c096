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

/**
 * The JSON of `apnsReceiptFields(request, pushId).body`, byte for byte, without copying the payload for each
 * device: the payload without the PushID is serialised once per object in `serialised` (the devices of a
 * fan-out share their request: push/render/index.ts) and the PushID appended as its last key.
 */
export function apnsBodyJson(
  request: ApnsRequest,
  pushId: string,
  serialised: Map<ApnsRequest['body'], string>,
): string {
  const { body } = request;
  if (Object.hasOwn(body, PUSH_ID_KEY)) return JSON.stringify(apnsReceiptFields(request, pushId).body);
  let json = serialised.get(body);
  if (json === undefined) {
    json = JSON.stringify(body);
    serialised.set(body, json);
  }
  const field = `"${PUSH_ID_KEY}":${JSON.stringify(pushId)}}`;
  return json === '{}' ? `{${field}` : `${json.slice(0, -1)},${field}`;
}
