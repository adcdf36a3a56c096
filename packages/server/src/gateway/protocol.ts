// The gateway's JSON protocol (docs/protocol.md). Client frames: requests `{type:"req", id, op, data}` and
// acknowledgements `{type:"ack", seq}`. Server frames: responses `{type:"res", id, code, message, data}`,
// events `{type:"event", event, data}` and `{type:"error", code, message}` for frames it cannot answer.
// The frames, op names, codes and events are @pushline/contracts' (protocol.ts), shared with the SDK; the
// request schemas that validate each op's data stay here.
import type { GatewayOp } from '@pushline/contracts';
import { z } from 'zod';
import { userIdSchema } from '../apps/user-id.js';
import { PLATFORMS } from '../devices/login-policy.js';
import { MESSAGE_PRIORITIES, msgBody, offlinePushInfo } from '../messaging/message-types.js';
import { groupRequestSchemas } from './group-protocol.js';

export { CloseCode, GatewayErrorCode, type ServerEvent } from '@pushline/contracts';

export class GatewayError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const uint32 = z.number().int().min(0).max(4_294_967_295);
/** The same UserID rule as the REST API's (apps/user-id.ts): 1..32 bytes of UTF-8, well-formed. */
const userId = userIdSchema;
export const receiveOpt = z.number().int().min(0).max(4);
/** The app's call data; it travels in call pushes too, so it must leave room in a 4 KB payload. */
const signalingData = z.string().refine((s) => Buffer.byteLength(s) <= 2048, 'at most 2048 bytes');
const inviteId = z.string().min(1).max(64);

export const requestSchemas = {
  login: z.object({
    sdkAppId: z.number().int().positive(),
    userId,
    userSig: z.string().min(1),
    platform: z.enum(PLATFORMS),
    instanceId: z.string().min(1).max(64),
    /** Resume: the highest inbox seq this instance has processed. */
    lastSeq: z.number().int().min(0).optional(),
  }),
  logout: z.object({}),
  heartbeat: z.object({}),
  setOfflinePushConfig: z.object({
    config: z
      .object({
        businessID: uint32,
        token: z.string().min(1).max(4096),
        tokenType: z.number().int().optional(),
      })
      .nullable(),
  }),
  doBackground: z.object({ unreadCount: z.number().int().min(0).max(1_000_000).default(0) }),
  doForeground: z.object({}),
  sendMessage: z
    .object({
      receiver: userId.optional(),
      groupId: z.string().min(1).max(48).optional(),
      body: msgBody,
      offlinePushInfo: offlinePushInfo.optional(),
      onlineUserOnly: z.boolean().optional(),
      lifeTime: z.number().int().min(0).max(604_800).optional(),
      random: uint32.optional(),
      cloudCustomData: z.string().max(8192).optional(),
      atUserList: z.array(z.string()).max(100).optional(),
      /** A targeted group message: only these members receive it (messaging/targeted.ts). */
      receiverList: z.array(userId).max(500).optional(),
      /** V2TIM's option: the message does not count as unread (REST SendMsgControl `NoUnread`). */
      isExcludedFromUnreadCount: z.boolean().optional(),
      /** V2TIM's option: the conversation's last message stays as it was (REST SendMsgControl `NoLastMsg`). */
      isExcludedFromLastMessage: z.boolean().optional(),
      /** V2TIM's priority, validated only: Pushline never discards a message for its priority. */
      priority: z.enum(MESSAGE_PRIORITIES).optional(),
      /** V2TIM's options Pushline does not have: refused when true (ops.ts). */
      needReadReceipt: z.boolean().optional(),
      isSupportMessageExtension: z.boolean().optional(),
    })
    .refine((m) => (m.receiver === undefined) !== (m.groupId === undefined), {
      message: 'give exactly one of receiver and groupId',
    })
    .refine((m) => m.receiverList === undefined || m.groupId !== undefined, {
      message: 'receiverList targets members of a group: give groupId',
    }),
  markConversationRead: z.object({ conversationId: z.string().min(1) }),
  // Profiles (apps/profiles.ts): V2TIM's getUsersInfo and setSelfInfo.
  getUsersInfo: z.object({ userIds: z.array(userId).min(1).max(100) }),
  setSelfInfo: z
    .object({
      nickName: z.string().optional(),
      faceUrl: z.string().optional(),
      /** V2TIM: 0 allow anyone, 1 need confirmation, 2 deny anyone. */
      allowType: z.number().int().min(0).max(2).optional(),
      /** Custom fields by the name after Tag_Profile_Custom_ (declared in the app settings). */
      customInfo: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    })
    .refine((d) => Object.values(d).some((v) => v !== undefined), { message: 'give at least one field' }),
  getConversationList: z.object({}),
  getTotalUnreadMessageCount: z.object({}),
  getMessageList: z.object({
    conversationId: z.string().min(1),
    count: z.number().int().min(1).max(100).default(20),
    /** Page backwards: only messages with a lower seq. */
    beforeSeq: z.number().int().min(1).optional(),
  }),
  setC2CReceiveMessageOpt: z.object({ userIds: z.array(userId).min(1).max(30), opt: receiveOpt }),
  getC2CReceiveMessageOpt: z.object({ userIds: z.array(userId).min(1).max(30) }),
  setGroupReceiveMessageOpt: z.object({ groupId: z.string().min(1), opt: receiveOpt }),
  getGroupReceiveMessageOpt: z.object({ groupId: z.string().min(1) }),
  setAllReceiveMessageOpt: z.object({
    opt: z.union([z.literal(0), z.literal(2)]),
    /** UNIX seconds the window starts; repeats daily when duration < 86400, permanent otherwise. */
    startTimeStamp: z.number().int().min(0),
    duration: z.number().int().min(0),
  }),
  getAllReceiveMessageOpt: z.object({}),
  // Call invitations (signaling/, docs/calls.md).
  invite: z.object({
    invitee: userId,
    data: signalingData,
    onlineUserOnly: z.boolean().optional(),
    offlinePushInfo: offlinePushInfo.optional(),
    /** Seconds; 0 = no timeout; default 30. */
    timeout: z.number().int().min(0).max(86_400).optional(),
  }),
  inviteInGroup: z.object({
    groupId: z.string().min(1).max(48),
    inviteeList: z.array(userId).min(1).max(100),
    data: signalingData,
    /** Group invitations are always online-only in Pushline: `false` is refused (ops.ts). */
    onlineUserOnly: z.boolean().optional(),
    timeout: z.number().int().min(0).max(86_400).optional(),
  }),
  cancel: z.object({ inviteId, data: signalingData.optional() }),
  accept: z.object({ inviteId, data: signalingData.optional() }),
  reject: z.object({ inviteId, data: signalingData.optional() }),
  getPendingInvitations: z.object({ inviteId: inviteId.optional() }),
  // Friends and blocklist (sns/relations.ts, gateway/sns-ops.ts): V2TIM's names.
  getFriendList: z.object({}),
  addFriend: z.object({
    userID: userId,
    friendRemark: z.string().optional(),
    friendGroup: z.string().optional(),
    addWording: z.string().optional(),
    /** V2TIM's addSource: the keyword after AddSource_Type_ (letters, at most 8). */
    addSource: z.string().optional(),
    /** V2TIM_FRIEND_TYPE_SINGLE (1) or V2TIM_FRIEND_TYPE_BOTH (2, the default). */
    addType: z.union([z.literal(1), z.literal(2)]).optional(),
  }),
  deleteFromFriendList: z.object({
    userIDList: z.array(userId).min(1).max(1000),
    deleteType: z.union([z.literal(1), z.literal(2)]).optional(),
  }),
  checkFriend: z.object({
    userIDList: z.array(userId).min(1).max(1000),
    checkType: z.union([z.literal(1), z.literal(2)]).optional(),
  }),
  addToBlackList: z.object({ userIDList: z.array(userId).min(1).max(1000) }),
  deleteFromBlackList: z.object({ userIDList: z.array(userId).min(1).max(1000) }),
  getBlackList: z.object({}),
  // Pending friend requests (sns/friend-requests.ts).
  getFriendApplicationList: z.object({}),
  acceptFriendApplication: z.object({
    userID: userId,
    /** V2TIM_FRIEND_ACCEPT_AGREE (0): the requester's list only; V2TIM_FRIEND_ACCEPT_AGREE_AND_ADD (1, default): both. */
    responseType: z.union([z.literal(0), z.literal(1)]).optional(),
  }),
  refuseFriendApplication: z.object({ userID: userId }),
  deleteFriendApplication: z.object({
    userID: userId,
    /** V2TIM_FRIEND_APPLICATION_COME_IN (1): the one userID sent; V2TIM_FRIEND_APPLICATION_SEND_OUT (2): mine to userID. */
    type: z.union([z.literal(1), z.literal(2)]),
  }),
  // Recent contacts (messaging/recent-contacts.ts).
  pinConversation: z.object({ conversationId: z.string().min(1), isPinned: z.boolean() }),
  deleteConversation: z.object({ conversationId: z.string().min(1) }),
  /** Recall one of the user's messages (messaging/recall.ts): its conversation and MsgKey. */
  revokeMessage: z.object({ conversationId: z.string().min(1), msgKey: z.string().min(1).max(50) }),
  // Group management (group-ops.ts).
  ...groupRequestSchemas,
} as const satisfies Record<GatewayOp, z.ZodType>;

export type Op = keyof typeof requestSchemas;
/** Every op of the contract has a schema here (the `satisfies` above), and no schema is for an op it lacks. */
const _opsMatch: [GatewayOp] extends [Op] ? ([Op] extends [GatewayOp] ? true : false) : false = true;
void _opsMatch;
export type OpData<O extends Op> = z.output<(typeof requestSchemas)[O]>;

export const clientFrame = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('req'),
    id: z.union([z.number().int(), z.string().max(64)]),
    op: z.string().max(64),
    data: z.unknown().optional(),
  }),
  z.object({ type: z.literal('ack'), seq: z.number().int().min(0) }),
]);
export type ClientFrame = z.infer<typeof clientFrame>;

/** The first problem of a zod error as one line. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'data';
  return `invalid ${where}: ${issue?.message ?? 'invalid'}`;
}
