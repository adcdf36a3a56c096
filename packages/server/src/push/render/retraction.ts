// Retracting a delivered notification whose message was recalled (messaging/recall.ts), per vendor as its
// protocol allows (VendorModule.retractionRequest; docs/push-payloads.md#7-recall). The original push carries the identifier these address:
// its APNs apns-collapse-id, its Huawei/Honor/Xiaomi notify ID (messageRef below), its FCM/Web Push tag.
import type { CertificateInfo } from '../../certificates/types.js';
import type { VendorRequest } from '../types.js';
import { vendorModule } from '../vendors/index.js';
import type { VendorModule } from '../vendors/types.js';
import { type MessageRef, messageRef, type RetractionReason } from './message-ref.js';

export type { MessageRef, RetractionReason };

/**
 * The request that retracts the notification of `msgKey` (shown under the conversation's `threadId` tag), or
 * undefined where the vendor has no way to (OPPO, vivo, Meizu; Honor for a read: its only way, a replacement
 * notification, would show something new for a message the user has already seen).
 */
export function retractionRequest(
  certificate: CertificateInfo,
  msgKey: string,
  threadId: string,
  reason: RetractionReason = 'recalled',
): VendorRequest | undefined {
  const vendor = vendorModule(certificate.vendor) as VendorModule;
  return vendor.retractionRequest?.(certificate, { msgKey, threadId, ref: messageRef(msgKey) }, reason);
}
