// What a channel adds to a vendor request so that the push can be recognised when it comes back:
// - for the app (SDK click reports): the PushID as a hidden `pushId` key next to `ext`, wherever that vendor
//   carries Ext (APNs top-level key, FCM `data`, Huawei/Honor `data` JSON, Xiaomi `extra.pushId`, OPPO
//   `action_parameters` JSON, vivo `clientCustomMap`, Meizu click `parameters`, the Web Push payload);
// - for the vendor's delivery receipt: the PushID where the vendor echoes a tag (Huawei `bi_tag`, Honor
//   `biTag`) or a callback parameter (vivo, Meizu, Xiaomi `callback.param`, next to the receipt URL).
// Each vendor's module adds its own (VendorModule.withReceiptFields, vendors/<vendor>/index.ts).
// Render shares request objects between devices, so this copies every level it changes.
import type { VendorRequest } from '../types.js';
import { vendorModule } from '../vendors/index.js';
import type { VendorModule } from '../vendors/types.js';

export { PUSH_ID_KEY } from '../vendors/common/receipt-fields.js';

/**
 * Bytes render keeps free for these fields (PushID, receipt URL and keys): requests are fitted to the vendor
 * limit minus this, so adding them never makes a request too large.
 */
export const RECEIPT_FIELDS_RESERVE_BYTES = 320;

/**
 * The request with the PushID fields. `callbackUrl` (from receiptUrl(), receipt-token.ts) is needed by the
 * vendors that take the receipt address per message (VendorModule.receiptUrlPerMessage: vivo, Meizu,
 * Xiaomi); without it only the hidden `pushId` is set.
 */
export function withReceiptFields(
  request: VendorRequest,
  pushId: string,
  callbackUrl?: string,
): VendorRequest {
  return (vendorModule(request.vendor) as VendorModule).withReceiptFields(
    request as never,
    pushId,
    callbackUrl,
  );
}
