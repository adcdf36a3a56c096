// @pushline/sdk: the Pushline client for browsers, React Native and Node. No Node-only imports.
export { type LoginParams, PushlineChat, type PushlineChatOptions, type PushlineListener } from './chat.js';
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
