// Every request a channel sends carries its PushID (outcomes/receipt-fields.ts): a hidden key the app reports
// clicks with, and the tag or callback parameter the vendor's delivery receipt echoes. The vendors
// that take the receipt URL per message (VendorModule.receiptUrlPerMessage: vivo, Meizu, Xiaomi) also get
// it, when the server has a `publicUrl`.
import type { PushTask, VendorRequest } from '../types.js';
import type { ChannelContext } from './context.js';

/**
 * The task's request with its PushID fields. A multi-token request (Huawei, Honor, Xiaomi, OPPO, vivo, Meizu) is tagged
 * with its first task: receipts name each token, and a click is matched to the reporting user's push of that
 * same vendor request (OutcomeRecorder.clicked).
 */
export async function taggedRequest<R extends VendorRequest>(
  ctx: ChannelContext,
  task: PushTask,
  /** The vendor's own adder (vendors/<vendor>/receipt-fields.ts). */
  withReceiptFields: (request: R, pushId: string, callbackUrl?: string) => R,
  /** The vendor takes the receipt address per message (its module's receiptUrlPerMessage). */
  receiptUrlPerMessage: boolean,
): Promise<R> {
  // Without the URL (no publicUrl, or the app could not be read) the push still goes, without a receipt.
  const url = receiptUrlPerMessage
    ? await ctx.receiptUrl?.(task.sdkAppId, task.request.vendor).catch(() => undefined)
    : undefined;
  return withReceiptFields(task.request as R, task.pushId, url);
}
