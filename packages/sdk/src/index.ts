// @pushline/sdk: the Pushline client for browsers, React Native and Node. No Node-only imports.
export { type LoginParams, PushlineChat, type PushlineChatOptions, type PushlineListener } from './chat.js';
export {
  type CreateGroupParams,
  GroupAddOpt,
  type GroupApplication,
  type GroupChangeInfo,
  type GroupInfo,
  type GroupInfoResult,
  type GroupListener,
  GroupManager,
  GroupMemberFilter,
  type GroupMemberFilterValue,
  type GroupMemberFullInfo,
  type GroupMemberOperationResult,
  GroupMemberOperationResultCode,
  GroupMemberRole,
  type GroupMemberRoleValue,
  type GroupTipsElem,
  GroupTipsType,
  type GroupType,
  groupTipsOf,
  type SetGroupInfoParams,
} from './groups.js';
export type { WebSocketConstructor, WebSocketLike } from './link.js';
export {
  type InviteParams,
  SignalingActionType,
  type SignalingActionTypeValue,
  type SignalingInfo,
  type SignalingListener,
  SignalingManager,
} from './signaling.js';
export * from './types.js';
