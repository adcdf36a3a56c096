// The signaling envelope (docs/internals/tencent-im.md#call-invitations-signaling): every call invitation and
// every answer to it is a custom message whose TIMCustomElem.Data is this JSON, with the field names of
// V2TIMSignalingInfo and `businessID: 1` marking it as signaling. The same object travels in call pushes
// (`signaling`). The server writes it (packages/server/src/signaling/envelope.ts), the SDK reads it.

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

/** V2TIMSignalingInfo: the envelope in signaling messages and in call pushes (`signaling`). */
export interface SignalingInfo {
  businessID: typeof SIGNALING_BUSINESS_ID;
  inviteID: string;
  /** '' for one-to-one invitations. */
  groupID: string;
  inviter: string;
  inviteeList: string[];
  /** The app's own call data (TUICallKit: {"businessID":"av_call","call_type":1,...}). */
  data: string;
  /** Seconds; 0 = no timeout. */
  timeout: number;
  actionType: SignalingActionType;
}

/**
 * A one-to-one call invitation: the `invite` op's data, as the SDK sends it and the server's signaling
 * service takes it. `P` is the type of `offlinePushInfo` on each side (the SDK's OfflinePushInfo, the server's
 * validated one).
 */
export interface InviteParams<P = Record<string, unknown>> {
  invitee: string;
  data: string;
  /** Only the invitee's online devices: no storage, no push. */
  onlineUserOnly?: boolean;
  /** The call notification: `Desc` (default "You have a new call invitation"), sounds, Android fields. */
  offlinePushInfo?: P;
  /** Seconds the invitation rings; 0 = no timeout; default 30. */
  timeout?: number;
}
