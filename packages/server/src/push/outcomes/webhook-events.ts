// The Push.OfflinePush / Push.AllMemberPush event objects (docs/internals/tencent-im.md#push-webhooks).
// PushStage and ErrCode values are Pushline's own (Tencent's tables are not published); docs/statistics.md
// lists them.
import { pushPlatform } from './platforms.js';

export const OFFLINE_PUSH_COMMAND = 'Push.OfflinePush';
export const ALL_MEMBER_PUSH_COMMAND = 'Push.AllMemberPush';

/** PushStage: what the event reports. */
export const PushStage = { VendorAnswer: 1, DeviceReceipt: 2, Click: 3 } as const;

/** ErrCode of an event: 0 success, otherwise what went wrong (ErrInfo carries the vendor's code). */
export const PushErrCode = {
  ok: 0,
  'invalid-token': 1,
  rejected: 2,
  'credential-error': 3,
  failed: 4,
  undelivered: 5,
} as const;
export type PushErrKind = keyof typeof PushErrCode;

/** A stage change waiting to become a webhook event. */
export interface PendingEvent {
  sdkAppId: number;
  pushId: string;
  stage: (typeof PushStage)[keyof typeof PushStage];
  result: PushErrKind;
  /** The vendor's code, or 'OK'. */
  info: string;
  at: number;
}

/** What a trace row tells about its push. */
export interface TraceMeta {
  pushId: string;
  kind: string;
  msgKey: string | null;
  taskId: string | null;
  fromUser: string | null;
  toUser: string;
  groupId: string | null;
  vendor: string | null;
  createdAt: number;
}

export function commandFor(kind: string): string {
  return kind === 'all-member' || kind === 'batch' ? ALL_MEMBER_PUSH_COMMAND : OFFLINE_PUSH_COMMAND;
}

export function buildEvent(meta: TraceMeta, pending: PendingEvent): Record<string, unknown> {
  const common = {
    EventTime: Math.floor(pending.at / 1000),
    To_Account: meta.toUser,
    PushPlatform: pushPlatform(meta.vendor),
    PushStage: pending.stage,
    PushID: meta.pushId,
    ErrCode: PushErrCode[pending.result],
    ErrInfo: pending.info,
  };
  if (commandFor(meta.kind) === ALL_MEMBER_PUSH_COMMAND) {
    return {
      CallbackCommand: ALL_MEMBER_PUSH_COMMAND,
      EventType: 1,
      TaskId: meta.taskId ?? '',
      TaskTime: Math.floor(meta.createdAt / 1000),
      ...common,
    };
  }
  const key = /^(\d+)_(\d+)_(\d+)$/.exec(meta.msgKey ?? '');
  return {
    CallbackCommand: OFFLINE_PUSH_COMMAND,
    EventType: meta.kind === 'group' ? 2 : 1,
    ...(meta.fromUser !== null ? { From_Account: meta.fromUser } : {}),
    ...(meta.groupId !== null ? { GroupID: meta.groupId } : {}),
    ...(meta.msgKey !== null ? { MsgKey: meta.msgKey } : {}),
    ...(key ? { MsgSeq: Number(key[1]), MsgRandom: Number(key[2]), MsgTime: Number(key[3]) } : {}),
    ...common,
  };
}
