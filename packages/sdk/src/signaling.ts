// Call invitations, named after V2TIM's signaling API (V2TIMManager+Signaling.h). The server keeps each
// invitation and its timeout; every step arrives as a custom message carrying the signaling envelope,
// which this manager turns into listener calls. After the app is opened from a call notification,
// `addInvitedSignaling` (or `recoverInvitations`) raises the invitations that are still ringing.
import type {
  SignalingActionType as ContractActionType,
  InviteParams as ContractInviteParams,
  GatewayOp,
  SignalingInfo,
} from '@pushline/contracts';
import type { OfflinePushInfo, ReceivedMessage } from './types.js';
import { PushlineError } from './types.js';

/** V2TIM SignalingActionType (the values of @pushline/contracts' SignalingAction). */
export const SignalingActionType = {
  INVITE: 1,
  CANCEL_INVITE: 2,
  ACCEPT_INVITE: 3,
  REJECT_INVITE: 4,
  INVITE_TIMEOUT: 5,
} as const satisfies Record<string, SignalingActionTypeValue>;
/** V2TIMSignalingInfo.actionType. */
export type SignalingActionTypeValue = ContractActionType;

/** V2TIMSignalingInfo: the envelope in signaling messages and in call pushes (`signaling`). */
export type { SignalingInfo };

/** V2TIMSignalingListener. */
export interface SignalingListener {
  onReceiveNewInvitation(
    inviteID: string,
    inviter: string,
    groupID: string,
    inviteeList: string[],
    data: string,
  ): void;
  onInviteeAccepted(inviteID: string, invitee: string, data: string): void;
  onInviteeRejected(inviteID: string, invitee: string, data: string): void;
  onInvitationCancelled(inviteID: string, inviter: string, data: string): void;
  onInvitationTimeout(inviteID: string, inviteeList: string[]): void;
}

/** A one-to-one call invitation (@pushline/contracts' InviteParams, with the SDK's OfflinePushInfo). */
export type InviteParams = ContractInviteParams<OfflinePushInfo>;

/** Error code of a signaling envelope that the SDK cannot use (Tencent: 8010 invalid invite ID). */
const INVALID_INVITE = 8010;

type Call = (op: GatewayOp, data?: Record<string, unknown>) => Promise<Record<string, unknown>>;

export class SignalingManager {
  readonly #listeners = new Set<Partial<SignalingListener>>();
  /** Invitations already raised with onReceiveNewInvitation: each rings once per SDK instance. */
  readonly #raised = new Set<string>();
  /** Invitations that ended (answered, cancelled, timed out): never raised again. */
  readonly #ended = new Set<string>();

  constructor(
    private readonly call: Call,
    private readonly me: () => string | undefined,
    private readonly now: () => number,
  ) {}

  addSignalingListener(listener: Partial<SignalingListener>): void {
    this.#listeners.add(listener);
  }
  removeSignalingListener(listener: Partial<SignalingListener>): void {
    this.#listeners.delete(listener);
  }

  /** Invites one user; returns the invite ID. The server times the invitation out after `timeout`. */
  async invite(params: InviteParams): Promise<string> {
    const r = await this.call('invite', { ...params });
    return String(r.inviteId);
  }

  /**
   * Invites members of a group; only their online devices ring (no offline push for group calls, and the
   * invitation is not kept for devices that come back): `onlineUserOnly` may only be true.
   */
  async inviteInGroup(params: {
    groupID: string;
    inviteeList: string[];
    data: string;
    onlineUserOnly?: true;
    timeout?: number;
  }): Promise<string> {
    const { groupID, ...rest } = params;
    const r = await this.call('inviteInGroup', { groupId: groupID, ...rest });
    return String(r.inviteId);
  }

  async cancel(inviteID: string, data?: string): Promise<void> {
    await this.call('cancel', { inviteId: inviteID, ...(data !== undefined ? { data } : {}) });
    this.#ended.add(inviteID);
  }
  async accept(inviteID: string, data?: string): Promise<void> {
    await this.call('accept', { inviteId: inviteID, ...(data !== undefined ? { data } : {}) });
    this.#ended.add(inviteID);
  }
  async reject(inviteID: string, data?: string): Promise<void> {
    await this.call('reject', { inviteId: inviteID, ...(data !== undefined ? { data } : {}) });
    this.#ended.add(inviteID);
  }

  /**
   * The app was opened from a call notification: `info` is the push payload's `signaling`. Raises
   * onReceiveNewInvitation if the invitation still rings on the server; rejects with 8010 otherwise.
   */
  async addInvitedSignaling(info: Pick<SignalingInfo, 'inviteID'>): Promise<void> {
    const r = await this.call('getPendingInvitations', { inviteId: info.inviteID });
    const [pending] = r.invitations as SignalingInfo[];
    if (!pending) {
      throw new PushlineError(INVALID_INVITE, 'the invitation was already answered, cancelled or timed out');
    }
    this.#raise(pending);
  }

  /** Raises every invitation still ringing for this user (after a cold start); returns them. */
  async recoverInvitations(): Promise<SignalingInfo[]> {
    const r = await this.call('getPendingInvitations', {});
    const list = r.invitations as SignalingInfo[];
    for (const info of list) this.#raise(info);
    return list;
  }

  /** Parses the signaling envelope of a message, or undefined when it is not a signaling message. */
  static parse(message: Pick<ReceivedMessage, 'body'>): SignalingInfo | undefined {
    const [element] = message.body;
    if (message.body.length !== 1 || element?.MsgType !== 'TIMCustomElem') return undefined;
    const raw = element.MsgContent.Data;
    if (typeof raw !== 'string') return undefined;
    try {
      const info = JSON.parse(raw) as Partial<SignalingInfo>;
      if (info?.businessID !== 1 || typeof info.inviteID !== 'string' || typeof info.actionType !== 'number')
        return undefined;
      return {
        businessID: 1,
        inviteID: info.inviteID,
        groupID: String(info.groupID ?? ''),
        inviter: String(info.inviter ?? ''),
        inviteeList: Array.isArray(info.inviteeList) ? info.inviteeList.map(String) : [],
        data: String(info.data ?? ''),
        timeout: Number(info.timeout ?? 0),
        actionType: info.actionType as SignalingActionTypeValue,
      };
    } catch {
      return undefined;
    }
  }

  /** Called by PushlineChat for every received message. */
  onMessage(message: ReceivedMessage): void {
    const info = SignalingManager.parse(message);
    if (!info) return;
    const me = this.me();
    const fromMe = message.from === me;
    const forMe = me !== undefined && info.inviteeList.includes(me);
    switch (info.actionType) {
      case SignalingActionType.INVITE:
        if (fromMe || !forMe) break;
        // Decided after the frames that arrived with this one: a cancel or timeout among them wins, and the
        // login answer (the server's clock) has been read. An invitation that timed out does not ring.
        setTimeout(() => {
          const expired = info.timeout > 0 && message.msgTime * 1000 + info.timeout * 1000 <= this.now();
          if (!expired) this.#raise(info);
        }, 0);
        break;
      case SignalingActionType.CANCEL_INVITE:
        if (!fromMe && forMe && this.#end(info.inviteID))
          this.#emit('onInvitationCancelled', info.inviteID, info.inviter, info.data);
        break;
      case SignalingActionType.ACCEPT_INVITE:
      case SignalingActionType.REJECT_INVITE:
        // With `invitee` = yourself it is your answer from another device (V2TIM does the same): stop ringing.
        if (fromMe) this.#end(info.inviteID);
        if (info.actionType === SignalingActionType.ACCEPT_INVITE)
          this.#emit('onInviteeAccepted', info.inviteID, message.from, info.data);
        else this.#emit('onInviteeRejected', info.inviteID, message.from, info.data);
        break;
      case SignalingActionType.INVITE_TIMEOUT:
        if (fromMe || forMe) {
          if (forMe) this.#end(info.inviteID);
          this.#emit('onInvitationTimeout', info.inviteID, info.inviteeList);
        }
        break;
    }
  }

  #raise(info: SignalingInfo): void {
    if (this.#raised.has(info.inviteID) || this.#ended.has(info.inviteID)) return;
    this.#raised.add(info.inviteID);
    this.#emit(
      'onReceiveNewInvitation',
      info.inviteID,
      info.inviter,
      info.groupID,
      info.inviteeList,
      info.data,
    );
  }

  /** Marks an invitation ended; false if it already was (one report per invitation and device). */
  #end(inviteID: string): boolean {
    if (this.#ended.has(inviteID)) return false;
    this.#ended.add(inviteID);
    return true;
  }

  #emit<K extends keyof SignalingListener>(name: K, ...args: Parameters<SignalingListener[K]>): void {
    for (const l of this.#listeners) {
      const fn = l[name] as ((...a: Parameters<SignalingListener[K]>) => void) | undefined;
      try {
        fn?.(...args);
      } catch {
        // a listener's error must not break the SDK
      }
    }
  }
}
