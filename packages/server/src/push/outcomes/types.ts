// What the engine, the dispatcher and the receipt endpoints tell the outcomes recorder.
import type { Vendor } from '../../certificates/types.js';
import type { PushKind, PushOutcome, PushTask } from '../types.js';

export type { PushKind } from '../types.js';

/** One push to one device as the engine decided it. */
export interface PushRecord {
  pushId: string;
  sdkAppId: number;
  kind: PushKind;
  toUser: string;
  fromUser?: string;
  groupId?: string;
  /** `<MsgSeq>_<MsgRandom>_<MsgTime>` of chat messages (webhooks split it into MsgSeq, MsgRandom, MsgTime). */
  msgKey?: string;
  /** The TaskId of all-member and batch pushes. */
  taskId?: string;
  instanceId?: string;
  /** Absent when the device had no usable binding. */
  vendor?: Vendor;
  certificateId?: number;
  /** The device token; only its last characters are kept. */
  token?: string;
  /** UNIX ms; defaults to now. */
  at?: number;
}

export interface SkippedRecord extends PushRecord {
  /** A PUSH_SKIP_REASONS key (push/decide/skip-reasons.ts). */
  reason: string;
}

/** A channel's answer for one task. */
export interface VendorAnswer {
  task: PushTask;
  outcome: PushOutcome;
  /** 1 for the first attempt. */
  attempt: number;
  latencyMs: number;
  /**
   * Whether the dispatcher is done with the task. Defaults to false for `retry` (another attempt follows)
   * and true otherwise; pass true with a `retry` outcome when giving up (recorded as `failed`).
   */
  final?: boolean;
  at?: number;
}

export type ReceiptStatus = 'delivered' | 'undelivered' | 'clicked';

/** A delivery or click receipt from a vendor, matched to a push by PushID or by vendor message ID + token. */
export interface Receipt {
  sdkAppId: number;
  vendor: Vendor;
  status: ReceiptStatus;
  /** Our PushID, echoed back by the vendor (Huawei/Honor biTag, vivo/Meizu/Xiaomi callback.param). */
  pushId?: string;
  /** The vendor's message ID (Huawei/Honor requestId, vivo taskId, Meizu/Xiaomi msgId). */
  vendorMsgId?: string;
  /** Device tokens the receipt is about; absent = the push the PushID names. */
  tokens?: string[];
  /** Vendor status code for undelivered receipts. */
  code?: string;
  at?: number;
}

export const TOKEN_SUFFIX_LENGTH = 12;

export function tokenSuffix(token: string | undefined): string | null {
  return token ? token.slice(-TOKEN_SUFFIX_LENGTH) : null;
}
