// Parsers of the delivery/click receipts vendors POST to /v3/offline_push_report/<vendor>. Each vendor echoes
// an ID we put in the request (see docs/statistics.md "Receipts"): Huawei/Honor `biTag`, vivo/Meizu/Xiaomi
// `callback.param` — set to the PushID — next to their own message ID and the tokens. Each vendor's module
// parses its own (VendorModule.parseReceipts; the shared shapes are in vendors/common/receipt-parsers.ts).
import type { Vendor } from '../../certificates/types.js';
import { type ParsedReceipt, ReceiptFormatError } from '../vendors/common/receipt-parsers.js';
import { VENDOR_MODULES, vendorModule } from '../vendors/index.js';

export { type ParsedReceipt, ReceiptFormatError } from '../vendors/common/receipt-parsers.js';

/** The vendors that send receipts, in the registry's order. */
type ReceiptModule = Extract<
  (typeof VENDOR_MODULES)[keyof typeof VENDOR_MODULES],
  { parseReceipts: unknown }
>;
export type ReceiptVendor = ReceiptModule['vendor'];
export const RECEIPT_VENDORS: readonly ReceiptVendor[] = Object.values(VENDOR_MODULES)
  .filter((m): m is ReceiptModule => 'parseReceipts' in m && m.parseReceipts !== undefined)
  .map((m) => m.vendor);

/** Parses a raw receipt body (JSON, or a form with the JSON in `cb`/`data`). */
export function parseReceipts(vendor: ReceiptVendor, raw: string): ParsedReceipt[] {
  const parse = vendorModule(vendor as Vendor).parseReceipts;
  if (!parse) throw new ReceiptFormatError(`${vendor} sends no receipts`);
  return parse(raw);
}
