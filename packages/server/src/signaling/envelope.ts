// The signaling envelope (docs/internals/tencent-im.md#call-invitations-signaling): every invitation and
// every answer to it is a custom message whose TIMCustomElem.Data is this JSON, with the field names of
// V2TIMSignalingInfo and `businessID: 1` marking it as signaling. The same object travels in call pushes
// (`signaling`), so an app opened from the notification can hand it to the SDK (addInvitedSignaling).
import {
  SIGNALING_BUSINESS_ID,
  SignalingAction,
  type SignalingActionType,
  type SignalingInfo,
} from '@pushline/contracts';
import type { MsgBody } from '../messaging/message-types.js';

/** The envelope and its action types are @pushline/contracts' (signaling.ts), shared with the SDK. */
export { SIGNALING_BUSINESS_ID, SignalingAction, type SignalingActionType, type SignalingInfo };

/** The message body of a signaling message: one custom element carrying the envelope. */
export function signalingBody(info: SignalingInfo): MsgBody {
  return [{ MsgType: 'TIMCustomElem', MsgContent: { Data: JSON.stringify(info), Desc: '' } }];
}
