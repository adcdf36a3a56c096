// The contract between the push stages: push/render produces a PushTask's vendor request, push/dispatch
// hands batches of tasks to a Channel (push/channels/<vendor>.ts), which answers one PushOutcome per task.
import type { Vendor } from '../certificates/types.js';

/** APNs request: headers and JSON body for POST /3/device/<token>. */
export interface ApnsRequest {
  vendor: 'apns';
  pushType: 'alert' | 'background' | 'voip';
  /** Defaults to the certificate's bundle ID (+ ".voip" for voip). */
  topic?: string;
  priority: 10 | 5 | 1;
  /** apns-expiration, UNIX seconds; 0 = deliver once or never. */
  expiration?: number;
  collapseId?: string;
  /** The JSON payload: `aps` plus custom top-level keys such as `ext`. */
  body: Record<string, unknown>;
}

/** FCM HTTP v1: the `message` object without `token` (the channel adds it). */
export interface FcmRequest {
  vendor: 'fcm';
  message: Record<string, unknown>;
}

/** Huawei Push Kit v1: the `message` object without `token`. */
export interface HuaweiRequest {
  vendor: 'huawei';
  message: Record<string, unknown>;
  /** A retraction: POST /v1/{appId}/messages:revoke of the notification with this notify ID (not `message`). */
  revoke?: { notifyId: number };
}

/** Honor Push: the camelCase message body without `token`. */
export interface HonorRequest {
  vendor: 'honor';
  message: Record<string, unknown>;
}

/** Xiaomi MiPush: form fields without `registration_id`. */
export interface XiaomiRequest {
  vendor: 'xiaomi';
  form: Record<string, string>;
  /** A retraction: POST /v3/message/regid/revoke of the notification with this notify_id (not `form`). */
  revoke?: { notifyId: number };
}

/** OPPO: the `notification` object of a unicast message. */
export interface OppoRequest {
  vendor: 'oppo';
  notification: Record<string, unknown>;
}

/** vivo: the send body without `regId` and `requestId`. */
export interface VivoRequest {
  vendor: 'vivo';
  message: Record<string, unknown>;
}

/** Meizu: the `messageJson` object. */
export interface MeizuRequest {
  vendor: 'meizu';
  messageJson: Record<string, unknown>;
}

/** Web Push: the cleartext payload (encrypted by the channel) and RFC 8030 headers. */
export interface WebPushRequest {
  vendor: 'webpush';
  payload: string;
  ttlSeconds: number;
  urgency?: 'very-low' | 'low' | 'normal' | 'high';
  topic?: string;
}

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
