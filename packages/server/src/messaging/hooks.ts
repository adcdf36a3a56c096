// What the messaging stage hands to whoever acts after a message is stored (the push engine, webhooks).
import type { Transaction } from 'kysely';
import type { Database } from '../store/schema.js';
import type { MessageView } from './view.js';

export interface RecipientOutcome {
  userId: string;
  conversationId: string;
  /** The recipient's inbox seq of this message; undefined for online-only messages. */
  seq?: number;
  /** Unread count of the conversation after this message. */
  conversationUnread: number;
  /**
   * Unread count over all conversations after this message, read only where it is used: for a recipient
   * that may have a live connection (its conversationChanged event) and for the after-send callback
   * (UnreadMsgNum); undefined otherwise (an offline receiver: no read per send).
   */
  totalUnread?: number;
  /** Received at all (receive options allow it). Recipients with `online: false` are not listed. */
  online: boolean;
  /** Receive options allow an offline push. */
  push: boolean;
  /** Why `push` is false, or "ok". */
  reason: string;
  isAtMe: boolean;
}

/** Set on signaling messages (signaling/): the push engine renders them as call pushes. */
export interface CallMark {
  inviteId: string;
  /** `ring`: the invitation; `clear`: a cancel or timeout replacing the ringing notification; `none`: no push. */
  push: 'ring' | 'clear' | 'none';
  /** UNIX ms after which the push must not be delivered (invite time + timeout). */
  expiresAt?: number;
  /** The signaling envelope (signaling/envelope.ts), carried in the payload. */
  signaling: Record<string, unknown>;
}

export interface CommittedMessage extends MessageView {
  sdkAppId: number;
  source: 'rest' | 'sdk';
  /** Seconds the message is kept for offline devices; 0 = online only (never pushed). */
  lifeTime: number;
  /**
   * UNIX ms at which the server accepted it (`msgTime` is this in whole seconds). Its lifetime, and so its
   * pushes' expiry, counts from here: from `msgTime` a 1-second lifetime could end at once. Absent only in
   * fan-out pages queued by an earlier version.
   */
  sentAt?: number;
  onlineOnly: boolean;
  sendMsgControl: string[];
  /** The sending device, for SDK sends. */
  senderInstanceId?: string;
  /** The sending device's clock, when it gave one (SendRequest.clientTime). */
  clientTime?: number;
  /** Signaling messages only. */
  call?: CallMark;
  /** A group tip or group system notification (messaging/group-tips.ts): stored and synced, never pushed. */
  groupTip?: true;
  /**
   * A targeted group message: the only members who receive it — live, in their history and as a push. The
   * other members never see it.
   */
  receivers?: string[];
}

/**
 * Called once per stored (or online-only) message after its transaction committed. For batch sends it is
 * called once per recipient's message. Errors are logged, never surfaced to the sender.
 */
export type MessageCommittedHook = (
  message: CommittedMessage,
  recipients: RecipientOutcome[],
) => void | Promise<void>;

/**
 * Called inside the send's transaction for each stored message (see MessagingService.onMessageStoring):
 * write with `trx` to commit together with the message.
 */
export type MessageStoringHook = (
  trx: Transaction<Database>,
  message: CommittedMessage,
  recipients: RecipientOutcome[],
  known: KnownWithSend,
) => Promise<void>;

/** What the send read already, so that a hook need not read it again. */
export interface KnownWithSend {
  /** The sender's nickname ('' = none), when the sender's account was read with the send. */
  senderNick?: string;
}
