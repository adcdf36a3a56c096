// The client protocol: what the WebSocket gateway (packages/server/src/gateway/) and the SDK
// (packages/sdk) say to each other (docs/protocol.md). Client frames: requests `{type:"req", id, op, data}`
// and acknowledgements `{type:"ack", seq}`. Server frames: responses `{type:"res", id, code, message, data}`,
// events `{type:"event", event, data}` and `{type:"error", code, message}` for frames it cannot answer.
// The server validates request data with its zod schemas (gateway/protocol.ts), keyed by these op names.

/** The platforms a client logs in from (Tencent's names). */
export const PLATFORMS = ['iPhone', 'iPad', 'Android', 'Web', 'PC', 'Mac'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Codes in responses, errors and kick events. Tencent's where Tencent has one (TIMErrorCode.h). */
export const GatewayErrorCode = {
  BadFrame: 60003,
  UnknownOp: 60009,
  NotLoggedIn: 6014,
  InvalidParameters: 6017,
  KickedByLogin: 6208,
  KickedByAdmin: 6255,
  UserSigExpired: 70001,
  AccountNotFound: 70107,
  SdkAppIdNotFound: 70020,
  UnknownCertificate: 6301,
  CertificateKindMismatch: 6302,
  InvalidToken: 6303,
  /** Tencent's ERR_SDK_COMM_API_CALL_FREQUENCY_LIMIT: too many requests in flight on the socket. */
  TooManyRequests: 7008,
  Internal: 70500,
} as const;

/** WebSocket close codes the server uses. */
export const CloseCode = {
  Normal: 1000,
  TooLarge: 1009,
  Kicked: 4001,
  HeartbeatTimeout: 4008,
  /** The client does not read: its outgoing queue reached twice `gatewayMaxBufferedBytes`. */
  NotReading: 4009,
  UserSigExpired: 4010,
  ServerShutdown: 1001,
} as const;

/** Every op a request may name: the server has a request schema for each (gateway/protocol.ts). */
export type GatewayOp =
  | 'login'
  | 'logout'
  | 'heartbeat'
  | 'setOfflinePushConfig'
  | 'doBackground'
  | 'doForeground'
  | 'sendMessage'
  | 'markConversationRead'
  | 'getUsersInfo'
  | 'setSelfInfo'
  | 'getConversationList'
  | 'getTotalUnreadMessageCount'
  | 'getMessageList'
  | 'setC2CReceiveMessageOpt'
  | 'getC2CReceiveMessageOpt'
  | 'setGroupReceiveMessageOpt'
  | 'getGroupReceiveMessageOpt'
  | 'setAllReceiveMessageOpt'
  | 'getAllReceiveMessageOpt'
  | 'invite'
  | 'inviteInGroup'
  | 'cancel'
  | 'accept'
  | 'reject'
  | 'getPendingInvitations'
  | 'getFriendList'
  | 'addFriend'
  | 'deleteFromFriendList'
  | 'checkFriend'
  | 'addToBlackList'
  | 'deleteFromBlackList'
  | 'getBlackList'
  | 'getFriendApplicationList'
  | 'acceptFriendApplication'
  | 'refuseFriendApplication'
  | 'deleteFriendApplication'
  | 'pinConversation'
  | 'deleteConversation'
  | 'revokeMessage'
  | 'createGroup'
  | 'joinGroup'
  | 'getGroupApplicationList'
  | 'acceptGroupApplication'
  | 'refuseGroupApplication'
  | 'quitGroup'
  | 'inviteUserToGroup'
  | 'kickGroupMember'
  | 'getGroupsInfo'
  | 'setGroupInfo'
  | 'getGroupMemberList'
  | 'muteGroupMember';

export interface RequestFrame {
  type: 'req';
  id: number | string;
  op: string;
  data?: unknown;
}

export interface AckFrame {
  type: 'ack';
  /** The highest inbox seq the client processed. */
  seq: number;
}

export type ClientFrameShape = RequestFrame | AckFrame;

/** The answer to a request: `code` 0 and `data`, or an error code and message. */
export interface ResponseFrame<D = Record<string, unknown>> {
  type: 'res';
  id: number | string;
  code: number;
  message: string;
  data?: D;
}

/** A frame the server cannot answer (bad JSON, unknown type). */
export interface ErrorFrame {
  type: 'error';
  code: number;
  message: string;
}

/** V2TIMFriendApplication: a pending friend request, received (type 1) or sent (type 2). */
export interface FriendApplicationView {
  /** The other user: who sent it (COME_IN) or whom it was sent to (SEND_OUT). */
  userID: string;
  nickName: string;
  faceUrl: string;
  /** UNIX seconds. */
  addTime: number;
  addSource: string;
  addWording: string;
  type: number;
}

export type ServerEvent =
  | { type: 'event'; event: 'message'; data: Record<string, unknown> }
  | { type: 'event'; event: 'kicked'; data: { code: number; reason: string } }
  | { type: 'event'; event: 'userSigExpired'; data: Record<string, never> }
  | { type: 'event'; event: 'conversationChanged'; data: Record<string, unknown> }
  | { type: 'event'; event: 'conversationDeleted'; data: { conversationId: string; totalUnread: number } }
  | { type: 'event'; event: 'messageRevoked'; data: Record<string, unknown> }
  | { type: 'event'; event: 'syncFinished'; data: { lastSeq: number } }
  | { type: 'event'; event: 'messageModified'; data: Record<string, unknown> }
  // Relationship chain (sns/friend-notices.ts): V2TIMFriendApplication and V2TIMFriendInfo shapes.
  | { type: 'event'; event: 'friendApplicationListAdded'; data: { applications: FriendApplicationView[] } }
  | { type: 'event'; event: 'friendApplicationListDeleted'; data: { userIDList: string[] } }
  | { type: 'event'; event: 'friendListAdded'; data: { friends: Record<string, unknown>[] } }
  | { type: 'event'; event: 'friendListDeleted'; data: { userIDList: string[] } }
  | { type: 'event'; event: 'blackListAdded'; data: { userIDList: string[] } }
  | { type: 'event'; event: 'blackListDeleted'; data: { userIDList: string[] } }
  // A refused request to join a group, to the applicant (not a member, so no group notice reaches it).
  | {
      type: 'event';
      event: 'groupApplicationProcessed';
      data: { groupID: string; opUser: string; isAgreeJoin: boolean; opReason: string };
    };

export type ServerEventName = ServerEvent['event'];

export type ServerFrame = ResponseFrame | ErrorFrame | ServerEvent;
