// Public types of the SDK. Field names inside messages follow Tencent IM (MsgType, MsgContent...), so
// messages look the same here, in the REST API and in push payloads. The protocol's shapes (platforms, op
// names, the gateway's codes) are @pushline/contracts', shared with the server; the SDK imports only their
// types, so its JavaScript has no import of it.
import type { FriendApplicationView, GatewayErrorCode, Platform } from '@pushline/contracts';

export type { Platform };

/** V2TIMReceiveMessageOpt. */
export const ReceiveMessageOpt = {
  /** Receive online, push when offline. */
  RECEIVE_MESSAGE: 0,
  /** Neither receive online nor push. */
  NOT_RECEIVE_MESSAGE: 1,
  /** Receive online, no push. */
  RECEIVE_NOT_NOTIFY_MESSAGE: 2,
  /** Receive online, push only messages that @-mention you. */
  RECEIVE_NOT_NOTIFY_MESSAGE_EXCEPT_AT: 3,
  /** Receive and push only messages that @-mention you. */
  NOT_RECEIVE_MESSAGE_EXCEPT_AT: 4,
} as const;
export type ReceiveMessageOptValue = (typeof ReceiveMessageOpt)[keyof typeof ReceiveMessageOpt];

/** V2TIMLoginStatus. */
export const LoginStatus = { LOGINED: 1, LOGINING: 2, LOGOUT: 3 } as const;
export type LoginStatusValue = (typeof LoginStatus)[keyof typeof LoginStatus];

export interface MessageElement {
  MsgType: string;
  MsgContent: Record<string, unknown>;
}

export interface OfflinePushInfo {
  PushFlag?: number;
  Title?: string;
  Desc?: string;
  Ext?: string;
  AndroidInfo?: Record<string, unknown>;
  ApnsInfo?: Record<string, unknown>;
}

export interface Message {
  msgKey: string;
  msgSeq: number;
  msgRandom: number;
  /** UNIX seconds. */
  msgTime: number;
  type: 'c2c' | 'group';
  from: string;
  to?: string;
  groupId?: string;
  body: MessageElement[];
  offlinePushInfo?: OfflinePushInfo;
  cloudCustomData?: string;
  atUserList?: string[];
}

/** A message as received: with its conversation and, unless online-only, its inbox seq. */
export interface ReceivedMessage extends Message {
  conversationID: string;
  seq?: number;
  /** Sent from another device of the same user. */
  isSelf: boolean;
  onlineOnly: boolean;
}

/** A message recalled by its sender, a group owner or admin, or the app's administrator. */
export interface RevokedMessageInfo {
  conversationID: string;
  msgKey: string;
  msgSeq: number;
  type: 'c2c' | 'group';
  /** The recalled message's sender. */
  from: string;
  to?: string;
  groupId?: string;
  /** Who recalled it: the sender, a group owner or admin, or the app administrator's identifier. */
  revoker: string;
}

/**
 * A stored message that was edited (REST modify_c2c_msg / modify_group_msg): its new MsgBody and
 * CloudCustomData, with the message's identity (msgKey, msgSeq) unchanged.
 */
export interface ModifiedMessage extends Message {
  conversationID: string;
}

export interface Conversation {
  conversationID: string;
  unreadCount: number;
  lastMessage: Message | null;
  /** UNIX ms of the last change. */
  updatedAt: number;
  /** Pinned (pinConversation, REST recentcontact/top): pinned conversations come first in the list. */
  isPinned: boolean;
}

/** V2TIM's friend-request setting of a profile (Tag_Profile_IM_AllowType). */
export const AllowType = { AllowAny: 0, NeedConfirm: 1, DenyAny: 2 } as const;
export type AllowTypeValue = (typeof AllowType)[keyof typeof AllowType];

/** A user's profile (V2TIMUserFullInfo): nickname, avatar URL, friend-request setting, custom fields. */
export interface UserFullInfo {
  userID: string;
  nickName: string;
  faceURL: string;
  allowType: AllowTypeValue;
  /** Custom fields by the name after `Tag_Profile_Custom_`; the app declares them on the server first. */
  customInfo: Record<string, string | number>;
}

/** What setSelfInfo changes: the fields given, nothing else. */
export type SelfInfo = Partial<Omit<UserFullInfo, 'userID'>>;

export interface OfflinePushConfig {
  /** The certificate ID ("businessID") of the app's push certificate on the server. */
  businessID: number;
  /** Vendor device token (APNs tokens as hex), or the Web Push subscription JSON. */
  token: string;
  /** 0 = vendor token (default), 2 = VoIP (PushKit). */
  tokenType?: 0 | 2;
}

export interface SendMessageParams {
  /** C2C receiver; give this or `groupID`. */
  receiver?: string;
  groupID?: string;
  body: MessageElement[];
  offlinePushInfo?: OfflinePushInfo;
  /** Deliver only to online devices: not stored, no unread count, no push. */
  onlineUserOnly?: boolean;
  /** Seconds the message is kept for offline devices (default 7 days). */
  lifeTime?: number;
  cloudCustomData?: string;
  /** Group messages: user IDs to @-mention; `AT_ALL` for everyone. */
  atUserList?: string[];
  /**
   * A targeted group message: only these members (at most 500) receive it, live, in their history and as a
   * push; the other members never see it. Not counted as unread; no @-mentions; not for AVChatRoom or
   * Community groups.
   */
  receiverList?: string[];
  /** The message does not count as unread for its receivers (V2TIM's isExcludedFromUnreadCount). */
  isExcludedFromUnreadCount?: boolean;
  /** The conversation keeps its previous last message (V2TIM's isExcludedFromLastMessage). */
  isExcludedFromLastMessage?: boolean;
  /** Accepted for V2TIM compatibility: Pushline never discards a message for its priority. */
  priority?: 'High' | 'Normal' | 'Low' | 'Lowest';
}

export interface SendMessageResult {
  msgKey: string;
  msgSeq: number;
  msgTime: number;
  /** Same message sent again within the dedup window: nothing new was delivered. */
  duplicate: boolean;
}

export interface AllReceiveMessageOpt {
  opt: ReceiveMessageOptValue;
  startTimeStamp: number;
  duration: number;
  repeat: 'daily' | 'once' | 'permanent';
}

/** V2TIM_FRIEND_TYPE_SINGLE / V2TIM_FRIEND_TYPE_BOTH: one direction or both (addFriend, deleteFromFriendList, checkFriend). */
export const FriendType = { SINGLE: 1, BOTH: 2 } as const;
export type FriendTypeValue = (typeof FriendType)[keyof typeof FriendType];

/** V2TIMFriendRelationType: how a user relates to the logged-in one (checkFriend). */
export const FriendRelationType = {
  NONE: 0,
  /** The user is in my friend list. */
  IN_MY_FRIEND_LIST: 1,
  /** I am in the user's friend list. */
  IN_OTHER_FRIEND_LIST: 2,
  BOTH_WAY: 3,
} as const;
export type FriendRelationTypeValue = (typeof FriendRelationType)[keyof typeof FriendRelationType];

/** V2TIMFriendInfo: a friend (getFriendList) or a blocked user (getBlackList). */
export interface FriendInfo {
  userID: string;
  friendRemark: string;
  friendGroups: string[];
  /** UNIX seconds the friend (or block) was added. */
  addTime: number;
  /** The user's profile; absent if the account no longer exists. */
  userFullInfo?: UserFullInfo;
}

/** V2TIMFriendAddApplication. */
export interface FriendAddApplication {
  userID: string;
  friendRemark?: string;
  friendGroup?: string;
  addWording?: string;
  /** The keyword after AddSource_Type_ (1 to 8 letters); default `Unknown`. */
  addSource?: string;
  /** Default BOTH. */
  addType?: FriendTypeValue;
}

/**
 * V2TIMFriendOperationResult: `resultCode` 0, or Tencent's relationship code (30003 no such account, 30515 /
 * 30525 blocklist, 30516 the user accepts no requests, 30539 the user must confirm (a request is pending),
 * 31704 no relation or no pending request...).
 */
export interface FriendOperationResult {
  userID: string;
  resultCode: number;
  resultInfo: string;
}

/** V2TIMFriendApplication.type: a request the user received, one it sent. */
export const FriendApplicationType = { COME_IN: 1, SEND_OUT: 2 } as const;
export type FriendApplicationTypeValue = (typeof FriendApplicationType)[keyof typeof FriendApplicationType];

/** acceptFriendApplication's response type: the requester's list only, or both lists. */
export const FriendAcceptType = { AGREE: 0, AGREE_AND_ADD: 1 } as const;
export type FriendAcceptTypeValue = (typeof FriendAcceptType)[keyof typeof FriendAcceptType];

/** V2TIMFriendApplication: a pending friend request, received or sent (@pushline/contracts' shape). */
export interface FriendApplication extends Omit<FriendApplicationView, 'type'> {
  type: FriendApplicationTypeValue;
}

/** V2TIMFriendCheckResult. */
export interface FriendCheckResult extends FriendOperationResult {
  resultType: FriendRelationTypeValue;
}

export const AT_ALL = '@ALL';

export type ConnectionState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting';

/** An error answered by the server (or raised by the SDK), with a Tencent-style code. */
export class PushlineError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'PushlineError';
  }
}

/**
 * SDK-side codes, Tencent's (TIMErrorCode.h): ConnectionLost is ERR_SDK_NET_DISCONNECT, Timeout
 * ERR_REQUEST_TIMEOUT. The codes the server also answers are the gateway's (checked by tsc).
 */
export const SdkErrorCode = {
  /** The connection was lost (or never opened) before the server answered. */
  ConnectionLost: 9508,
  /** Not logged in (or logging in). */
  NotLoggedIn: 6014,
  /** Request timed out. */
  Timeout: 6012,
  KickedByLogin: 6208,
  KickedByAdmin: 6255,
  UserSigExpired: 70001,
} as const satisfies Pick<
  typeof GatewayErrorCode,
  'NotLoggedIn' | 'KickedByLogin' | 'KickedByAdmin' | 'UserSigExpired'
> & { ConnectionLost: number; Timeout: number };
