// What addresses one chat message's notification on every vendor (content.ts puts it in each push,
// retraction.ts addresses it again when the message is recalled or read).
import { hash } from 'node:crypto';

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
    notifyId: hash('sha256', `msg:${msgKey}`, 'buffer').readUInt32BE(0) & 0x7fffffff,
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
