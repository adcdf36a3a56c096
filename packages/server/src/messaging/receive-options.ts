// Whether a recipient receives a message online and whether it may be pushed, from the recipient's receive
// options (docs/internals/tencent-im.md#receive-options-and-do-not-disturb). Pure: the push engine calls it
// too, with its own clock.

/** V2TIMReceiveMessageOpt. */
export const ReceiveOpt = {
  Receive: 0,
  NotReceive: 1,
  ReceiveNotNotify: 2,
  ReceiveNotNotifyExceptAt: 3,
  NotReceiveExceptAt: 4,
} as const;
export type ReceiveOptValue = (typeof ReceiveOpt)[keyof typeof ReceiveOpt];

export const MSG_FLAGS = ['AcceptAndNotify', 'AcceptNotNotify', 'Discard'] as const;
export type MsgFlag = (typeof MSG_FLAGS)[number];

/** A global do-not-disturb setting. Times in UNIX seconds. */
export interface GlobalDnd {
  /** ReceiveNotNotify (2) while the window is active; Receive (0) turns DND off. */
  opt: number;
  startTime: number;
  /** Seconds. */
  duration: number;
  /** daily: every day from startTime for `duration`; once: the single window; permanent: from startTime on. */
  repeat: 'daily' | 'once' | 'permanent';
}

export const SECONDS_PER_DAY = 86_400;

/** Whether the DND window covers `nowSeconds`. */
export function dndActive(dnd: GlobalDnd | undefined, nowSeconds: number): boolean {
  if (!dnd || dnd.opt === ReceiveOpt.Receive || nowSeconds < dnd.startTime) return false;
  const since = nowSeconds - dnd.startTime;
  switch (dnd.repeat) {
    case 'permanent':
      return true;
    case 'once':
      return since < dnd.duration;
    case 'daily':
      return since % SECONDS_PER_DAY < dnd.duration;
  }
}

export interface ReceiveInput {
  /** The recipient's option for the sender (C2C messages). */
  c2cOpt?: number | undefined;
  /** The recipient's option for the group (group messages). */
  groupOpt?: number | undefined;
  /** The recipient's group member MsgFlag (group messages). */
  memberMsgFlag?: string | undefined;
  globalDnd?: GlobalDnd | undefined;
  /** Current time, UNIX milliseconds. */
  now: number;
  /** The message @-mentions the recipient (or everyone). */
  isAtMe: boolean;
  /**
   * Whether the options apply. REST sends ignore them unless SendMsgControl contains WithMuteNotifications.
   */
  honourOptions: boolean;
}

export interface ReceiveDecision {
  /** Delivered to the recipient at all (stored, synced, shown online). */
  online: boolean;
  /** May become an offline push. */
  push: boolean;
  /** Why not, or "ok". */
  reason: string;
}

const OK: ReceiveDecision = { online: true, push: true, reason: 'ok' };

function fromOpt(opt: number | undefined, isAtMe: boolean, what: string): ReceiveDecision {
  switch (opt) {
    case ReceiveOpt.NotReceive:
      return { online: false, push: false, reason: `${what}-not-receive` };
    case ReceiveOpt.ReceiveNotNotify:
      return { online: true, push: false, reason: `${what}-not-notify` };
    case ReceiveOpt.ReceiveNotNotifyExceptAt:
      return isAtMe ? OK : { online: true, push: false, reason: `${what}-not-notify-except-at` };
    case ReceiveOpt.NotReceiveExceptAt:
      return isAtMe ? OK : { online: false, push: false, reason: `${what}-not-receive-except-at` };
    default:
      return OK;
  }
}

/**
 * Whether the receiver's settings (C2C and group receive options, group member MsgFlag, global DND) apply to
 * a send (docs/internals/tencent-im.md#receive-options-and-do-not-disturb): always for SDK sends; REST sends
 * ignore them unless SendMsgControl contains WithMuteNotifications. Messaging and push/decide both ask this
 * one function.
 */
export function receiveSettingsApply(
  restSend: boolean,
  sendMsgControl: readonly string[] | undefined,
): boolean {
  return !restSend || (sendMsgControl?.includes('WithMuteNotifications') ?? false);
}

/** What a group member's MsgFlag allows: Discard blocks the message, AcceptNotNotify only its push. */
export function fromMsgFlag(flag: string | undefined): ReceiveDecision {
  if (flag === 'Discard') return { online: false, push: false, reason: 'group-msgflag-discard' };
  if (flag === 'AcceptNotNotify') return { online: true, push: false, reason: 'group-msgflag-not-notify' };
  return OK;
}

export function evaluateReceive(input: ReceiveInput): ReceiveDecision {
  if (!input.honourOptions) return { online: true, push: true, reason: 'options-ignored' };
  const decisions = [
    fromOpt(input.c2cOpt, input.isAtMe, 'c2c'),
    fromOpt(input.groupOpt, input.isAtMe, 'group'),
    fromMsgFlag(input.memberMsgFlag),
    dndActive(input.globalDnd, Math.floor(input.now / 1000))
      ? { online: true, push: false, reason: 'global-dnd' }
      : OK,
  ];
  const blocked = decisions.find((d) => !d.online);
  if (blocked) return blocked;
  return decisions.find((d) => !d.push) ?? OK;
}
