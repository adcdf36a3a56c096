// Receive options and do-not-disturb as the push decision sees them
// (docs/internals/tencent-im.md#receive-options-and-do-not-disturb). Self-contained on purpose: the gateway
// keeps the options, this file only judges them.

/** V2TIMReceiveMessageOpt. */
export const ReceiveOpt = {
  /** Receive online, push offline. */
  Receive: 0,
  /** Neither receive online nor push. */
  NotReceive: 1,
  /** Receive online, never push. */
  ReceiveNotNotify: 2,
  /** Receive online, push only messages that @ the receiver. */
  ReceiveNotNotifyExceptAt: 3,
  /** Receive and push only messages that @ the receiver. */
  NotReceiveExceptAt: 4,
} as const;
export type ReceiveOpt = (typeof ReceiveOpt)[keyof typeof ReceiveOpt];

/** Group member `MsgFlag` (get_group_member_info / modify_group_member_info). */
export type GroupMsgFlag = 'AcceptAndNotify' | 'AcceptNotNotify' | 'Discard';

/**
 * The global receive option (setAllReceiveMessageOpt). The hour/minute/second form of the SDK is
 * stored as the UTC timestamp of its first start; only the time of day matters for daily windows.
 */
export interface GlobalReceiveOpt {
  opt: ReceiveOpt;
  /** UTC seconds when do-not-disturb starts. */
  startTimeStamp: number;
  /** Seconds. Below 86400 the window repeats every day; 86400 or more is permanent from the start. */
  duration: number;
}

const DAY = 86_400;

/** True when `nowMs` falls inside the global option's window. */
export function inDndWindow(global: GlobalReceiveOpt, nowMs: number): boolean {
  if (global.duration <= 0) return false;
  const now = Math.floor(nowMs / 1000);
  if (global.duration >= DAY) return now >= global.startTimeStamp;
  // Daily repeat: compare times of day, so a window crossing midnight (22:00 + 9 h) works.
  const sinceStart = (((now - global.startTimeStamp) % DAY) + DAY) % DAY;
  return sinceStart < global.duration;
}

/** Whether an option lets a push through; `atMe` is true for @me and @all messages. */
export function optAllowsPush(opt: ReceiveOpt, atMe: boolean): boolean {
  switch (opt) {
    case ReceiveOpt.Receive:
      return true;
    case ReceiveOpt.ReceiveNotNotifyExceptAt:
    case ReceiveOpt.NotReceiveExceptAt:
      return atMe;
    default:
      return false;
  }
}
