// The contract between the push stages: push/render produces a PushTask's vendor request, push/dispatch
// hands batches of tasks to a Channel (push/vendors/<vendor>/channel.ts), which answers one PushOutcome per
// task.
import type { Vendor } from '../certificates/types.js';
import type { ApnsRequest } from './vendors/apns/request.js';
import type { FcmRequest } from './vendors/fcm/request.js';
import type { HonorRequest } from './vendors/honor/request.js';
import type { HuaweiRequest } from './vendors/huawei/request.js';
import type { MeizuRequest } from './vendors/meizu/request.js';
import type { OppoRequest } from './vendors/oppo/request.js';
import type { VivoRequest } from './vendors/vivo/request.js';
import type { WebPushRequest } from './vendors/webpush/request.js';
import type { XiaomiRequest } from './vendors/xiaomi/request.js';

// Each vendor's request type is in its folder (push/vendors/<vendor>/request.ts).
export type {
  ApnsRequest,
  FcmRequest,
  HonorRequest,
  HuaweiRequest,
  MeizuRequest,
  OppoRequest,
  VivoRequest,
  WebPushRequest,
  XiaomiRequest,
};

/** What a vendor's channel sends (its renderer builds it). A new vendor adds its request type here. */
export type VendorRequest =
  | ApnsRequest
  | FcmRequest
  | HuaweiRequest
  | HonorRequest
  | XiaomiRequest
  | OppoRequest
  | VivoRequest
  | MeizuRequest
  | WebPushRequest;

/**
 * c2c and group messages, call invitations, all-member/tag pushes (timpush/push), batch pushes, badge
 * updates after a read elsewhere (engine/badge-pushes.ts; not counted as message notifications), and
 * `recall`: the retraction of a notification whose message was recalled (messaging/recall.ts).
 */
export type PushKind = 'c2c' | 'group' | 'call' | 'all-member' | 'batch' | 'badge' | 'recall' | 'read';

export interface PushTask {
  /** Unique per notification to one device; appears in traces and webhooks. */
  pushId: string;
  sdkAppId: number;
  certificateId: number;
  /** The device token (APNs hex, FCM registration token, Web Push subscription JSON...). */
  token: string;
  request: VendorRequest;
  /** UNIX ms after which the notification must not be sent (call invitations, MsgLifeTime). */
  notAfter?: number;
  /** The push task (all-member, tag, attribute or batch push) it belongs to: its delivery counters. */
  taskId?: string;
  /** What caused the push (its trace's kind): the statistics count its answer under it. */
  kind?: PushKind;
  /** A call invitation's ringing push: not sent once the invitation ended for this invitee (cancelled,
   *  answered, timed out) while it waited in the queue, so a phone never rings after the cancel. */
  ringsFor?: { inviteId: string; userId: string };
  /** A chat message's push: not sent once the message was recalled while it waited in the queue. */
  recallable?: { msgKey: string; userId: string };
}

export type PushOutcome = (
  | { kind: 'sent'; vendorId?: string } // the vendor accepted it
  | { kind: 'invalid-token'; code: string } // drop the binding, never retry
  | { kind: 'retry'; code: string; afterMs?: number } // 429/5xx/network/GOAWAY: try again later
  | { kind: 'rejected'; code: string } // this notification can never go (too large...)
  | { kind: 'credential-error'; code: string } // certificate/key wrong: hold this credential
) & {
  /** The vendor's answer (body text, trimmed) when it is not a plain success: for traces and `cert test`. */
  detail?: string;
  /** How long the vendor request took, in ms (a multi-token request: the same on each of its outcomes). */
  latencyMs?: number;
};

export interface Channel {
  readonly vendor: Vendor;
  /** One outcome per task, in the same order. Never throws for a vendor answer. */
  send(batch: PushTask[]): Promise<PushOutcome[]>;
  /**
   * Opens what the first push would otherwise wait for — the vendor connection, a provider token — without
   * sending anything (a starting node, `warmConnections`). Failures are left to the first real push.
   */
  warm?(): void;
  close(): Promise<void>;
}
