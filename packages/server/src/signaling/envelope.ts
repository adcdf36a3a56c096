// The signaling envelope (docs/internals/tencent-im.md#call-invitations-signaling): every invitation and
// every answer to it is a custom message whose TIMCustomElem.Data is this JSON, with the field names of
// V2TIMSignalingInfo and `businessID: 1` marking it as signaling. The same object travels in call pushes
// (`signaling`), so an app opened from the notification can hand it to the SDK (addInvitedSignaling).
import type { MsgBody } from '../messaging/message-types.js';

/** V2TIM SignalingActionType. */
export const SignalingAction = {
  Invite: 1,
  Cancel: 2,
  Accept: 3,
  Reject: 4,
  Timeout: 5,
} as const;
export type SignalingActionType = (typeof SignalingAction)[keyof typeof SignalingAction];

/** The `businessID` of signaling custom messages. */
export const SIGNALING_BUSINESS_ID = 1;

export interface SignalingInfo {
  businessID: typeof SIGNALING_BUSINESS_ID;
  inviteID: string;
  /** '' for C2C invitations. */
  groupID: string;
  inviter: string;
  inviteeList: string[];
  /** The app's own call data (TUICallKit: {"businessID":"av_call","call_type":1,...}). */
  data: string;
  /** Seconds; 0 = no timeout. */
  timeout: number;
  actionType: SignalingActionType;
}

/** The message body of a signaling message: one custom element carrying the envelope. */
export function signalingBody(info: SignalingInfo): MsgBody {
  return [{ MsgType: 'TIMCustomElem', MsgContent: { Data: JSON.stringify(info), Desc: '' } }];
}
