// Which instance gets an offline push, in the order of
// docs/internals/tencent-im.md#who-gets-a-push-the-decision-order: PushFlag, online-only messages, a lone
// custom element without Desc, then the instance's state and binding. Every "no" has a stable name for the
// trace. The receiver's own settings (receive options, do-not-disturb, group MsgFlag) are judged once, at
// send time, by messaging/receive-options.ts; the engine maps that verdict to these names
// (receive-reasons.ts), so there is one rule book for them.

import type { CertificateStatus, PauseMode } from '../../certificates/types.js';
import type { MsgBody, OfflinePushInfo } from '../../messaging/message-types.js';
import { contentText, isLoneCustomWithoutDesc } from '../render/text.js';

export const NO_PUSH_REASONS = {
  'push-flag-off': 'OfflinePushInfo.PushFlag is 1: the sender asked for no offline push.',
  'online-only': 'The message is for online users only (MsgLifeTime 0, OnlineOnlyFlag or onlineUserOnly).',
  'avchatroom-group': 'Messages of AVChatRoom groups are never pushed offline.',
  'group-call-invite': 'Group call invitations are not pushed offline (as in Tencent IM).',
  expired: 'The message or call invitation expired before the push could be sent.',
  'sender-self': "The receiver is the sender: a user's own messages are not pushed to their devices.",
  'receiver-muted-c2c': 'The receiver set a C2C receive option toward the sender that stops pushes.',
  'receiver-muted-group':
    'The receiver set a group receive option that stops pushes (or only allows @ pushes).',
  'dnd-window': "The message arrived inside the receiver's global do-not-disturb window.",
  'group-msgflag-discard': "The receiver's group MsgFlag is Discard: group messages are blocked.",
  'group-msgflag-not-notify': "The receiver's group MsgFlag is AcceptNotNotify: received but not pushed.",
  'custom-without-desc':
    'A lone custom element has no Desc and OfflinePushInfo.Desc is empty: nothing to show.',
  'empty-push-text': 'The message gives an empty push text and OfflinePushInfo.Desc is empty.',
  'instance-offline': 'The instance logged out or was kicked: it gets no offline push.',
  'instance-foreground': 'The app is in the foreground: the message is delivered live, not pushed.',
  'no-binding': 'The instance reported no push token (setOfflinePushConfig / setAPNS was not called).',
  'unsupported-token-type': 'The token type is not supported (TPNS tokens, type 1, are retired).',
  'voip-token-for-message': 'VoIP tokens only receive call invitations, not ordinary messages.',
  'call-via-voip':
    'The instance has a VoIP binding: the call push goes there (PushKit), not to its alert token.',
  'certificate-missing': "The token's certificate ID does not exist (deleted, or a wrong businessID).",
  'certificate-paused': "The token's certificate is paused and set to discard pushes until it is resumed.",
} as const;
export type NoPushReason = keyof typeof NO_PUSH_REASONS;

export type Decision = { push: true } | { push: false; reason: NoPushReason };

/** What decide needs to know about the message: the same for every receiver. */
export interface DecideMessage {
  kind: 'message' | 'call';
  chatType: 'c2c' | 'group';
  senderId: string;
  /** Group type (`Work`, `Public`, `Meeting`, `AVChatRoom`, `Community`) for group messages. */
  groupType?: string;
  /** Seconds; 0 = online users only. Absent = the default (7 days). */
  msgLifeTime?: number;
  /** OnlineOnlyFlag 1 (REST) or onlineUserOnly (SDK). */
  onlineOnly?: boolean;
  body: MsgBody;
  offlinePushInfo?: OfflinePushInfo;
  /** UNIX ms after which the push is pointless (call timeout, lifetime). */
  expiresAt?: number;
}

/** The receiver; their settings toward the message were judged at send time (messaging/receive-options.ts). */
export interface DecideRecipient {
  userId: string;
}

/** One logged-in instance of the receiver and its push binding. */
export interface DecideInstance {
  /**
   * `foreground` after doForeground with a live connection; `background` after doBackground, and also
   * when the connection is lost or the app was killed while still logged in; `logged-out` after
   * logout or a kick.
   */
  state: 'foreground' | 'background' | 'logged-out';
  binding?: {
    /** 0 vendor, 1 TPNS (retired), 2 VoIP. */
    tokenType: number;
    /** The binding's certificate, or undefined when it no longer exists. */
    certificate?: { status: CertificateStatus; pausedMode?: PauseMode | null };
  };
  /** The instance also has a usable VoIP binding: call pushes go there instead of its alert token. */
  voipPreferred?: boolean;
}

export type RecipientDecider = (
  recipient: DecideRecipient,
  instance: DecideInstance,
  now: number,
) => Decision;

const PUSH: Decision = { push: true };
const no = (reason: NoPushReason): Decision => ({ push: false, reason });

/**
 * Precomputes the message-wide facts once (the push text check walks the body), so fan-out to many
 * receivers and instances costs a few comparisons each.
 */
export function prepareDecision(message: DecideMessage): RecipientDecider {
  const messageReason = messageLevelReason(message);
  const contentReason = contentLevelReason(message);

  return (recipient, instance, now) => {
    if (messageReason) return no(messageReason);
    if (message.expiresAt !== undefined && now >= message.expiresAt) return no('expired');
    if (recipient.userId === message.senderId) return no('sender-self');

    if (contentReason) return no(contentReason);
    const reason = instanceReason(message, instance);
    return reason ? no(reason) : PUSH;
  };
}

/** Decides one (message, receiver, instance) at `now` (UNIX ms). */
export function decide(input: {
  message: DecideMessage;
  recipient: DecideRecipient;
  instance: DecideInstance;
  now: number;
}): Decision {
  return prepareDecision(input.message)(input.recipient, input.instance, input.now);
}

function messageLevelReason(message: DecideMessage): NoPushReason | undefined {
  if (message.offlinePushInfo?.PushFlag === 1) return 'push-flag-off';
  if (message.msgLifeTime === 0 || message.onlineOnly) return 'online-only';
  if (message.chatType === 'group' && message.groupType === 'AVChatRoom') return 'avchatroom-group';
  if (message.kind === 'call' && message.chatType === 'group') return 'group-call-invite';
  return undefined;
}

function contentLevelReason(message: DecideMessage): NoPushReason | undefined {
  const desc = message.offlinePushInfo?.Desc;
  if (desc) return undefined;
  if (isLoneCustomWithoutDesc(message.body)) return 'custom-without-desc';
  if (contentText(message.body, message.offlinePushInfo) === '') return 'empty-push-text';
  return undefined;
}

function instanceReason(message: DecideMessage, instance: DecideInstance): NoPushReason | undefined {
  if (instance.state === 'logged-out') return 'instance-offline';
  if (instance.state === 'foreground') return 'instance-foreground';
  const binding = instance.binding;
  if (!binding) return 'no-binding';
  if (binding.tokenType !== 0 && binding.tokenType !== 2) return 'unsupported-token-type';
  if (binding.tokenType === 2 && message.kind !== 'call') return 'voip-token-for-message';
  if (binding.tokenType === 0 && message.kind === 'call' && instance.voipPreferred) return 'call-via-voip';
  if (!binding.certificate) return 'certificate-missing';
  // A certificate paused to hold (a credential error, or an operator's choice) still queues: its pushes
  // wait for the resume. Only a pause that discards stops them here.
  if (binding.certificate.status === 'paused' && binding.certificate.pausedMode === 'discard')
    return 'certificate-paused';
  return undefined;
}
