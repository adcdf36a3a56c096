// Retracting a delivered notification whose message was recalled (messaging/recall.ts), per vendor as its
// protocol allows (VendorModule.retractionRequest; docs/push-payloads.md#7-recall). The original push carries the identifier these address:
// its APNs apns-collapse-id, its Huawei/Honor/Xiaomi notify ID (messageRef below), its FCM/Web Push tag.
import { createHash } from 'node:crypto';
import type { CertificateInfo } from '../../certificates/types.js';
import type { VendorRequest } from '../types.js';
import { vendorModule } from '../vendors/index.js';
import type { VendorModule } from '../vendors/types.js';

/** What addresses one chat message's notification on every vendor. */
export interface MessageRef {
  /** APNs apns-collapse-id (the notification's identifier on iOS): the MsgKey, at most 50 characters. */
  collapseId: string;
  /** Huawei notify_id, Honor notifyId, Xiaomi notify_id: a positive 31-bit integer derived from the MsgKey. */
  notifyId: number;
}

export function messageRef(msgKey: string): MessageRef {
  return {
    collapseId: msgKey.slice(0, 64),
    notifyId: createHash('sha256').update(`msg:${msgKey}`).digest().readUInt32BE(0) & 0x7fffffff,
  };
}

/** Shown by Honor, whose only retraction is a replacement with the same notifyId. */
export const RECALLED_TITLE = 'Message recalled';
export const RECALLED_TEXT = 'This message was recalled.';

/**
 * Why a notification is retracted: its message was recalled, or the conversation was read on another device
 * of the user (docs/push-payloads.md#7-recall). The app-side instruction is the same (`recall`: remove this
 * message's notification), with the reason where the payload can carry it.
 */
export type RetractionReason = 'recalled' | 'read';

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
