// One send as every front door hands it to MessagingService.send (REST, the gateway, signaling, group tips).
import type { SendCallbacks } from './callbacks.js';
import type { CallMark } from './hooks.js';
import type { MsgBody, OfflinePushInfo } from './message-types.js';

export interface SendRequest {
  sdkAppId: number;
  source: 'rest' | 'sdk';
  from: string;
  /**
   * The sender's nickname ('' = none) when the caller read the sender's account already (REST: its
   * existence check): handed to the storing hooks so that the push does not read it again.
   */
  senderNick?: string | undefined;
  /**
   * `receivers`: a targeted group message, for these members only (they must be members). `formerMembers`:
   * accounts that just left the group and still get this one message (the tip announcing their exit).
   */
  target:
    | { kind: 'c2c'; to: string[] }
    | { kind: 'group'; groupId: string; receivers?: string[]; formerMembers?: string[] };
  /** A group tip or group system notification (group-tips.ts): never offline-pushed. */
  groupTip?: boolean;
  body: MsgBody;
  offlinePushInfo?: OfflinePushInfo | undefined;
  /** Seconds; 0 = online only. */
  lifeTime: number;
  /** OnlineOnlyFlag / onlineUserOnly: live delivery only, no storage, no unread. */
  onlineOnly: boolean;
  msgSeq?: number | undefined;
  msgRandom: number;
  cloudCustomData?: string | undefined;
  sendMsgControl: string[];
  /** 1 = the sender's other devices get the message too; 2 = they do not. */
  syncOtherMachine: 1 | 2;
  atAccounts?: string[] | undefined;
  senderInstanceId?: string | undefined;
  /** The sending device's clock (UNIX seconds), for clients that name messages by it (Tencent's SDK). */
  clientTime?: number | undefined;
  /** Signaling messages (signaling/): how the push engine treats them. */
  call?: CallMark | undefined;
  /**
   * The message callbacks this send may trigger (messaging/callbacks.ts); absent = none (batch sends,
   * signaling and other system messages).
   */
  callbacks?: SendCallbacks | undefined;
}
