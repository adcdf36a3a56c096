// One step of an invitation as a message (envelope.ts): C2C for one-to-one invitations (stored, so it
// syncs; pushed as a call when `push` says so), an online-only group message for group invitations.
import { randomInt } from 'node:crypto';
import type { CallMark } from '../messaging/hooks.js';
import type { OfflinePushInfo } from '../messaging/message-types.js';
import { DEFAULT_LIFETIME_SECONDS, type MessagingService } from '../messaging/messages.js';
import { SignalingAction, type SignalingActionType, type SignalingInfo, signalingBody } from './envelope.js';
import { infoOf, type StoredInvite } from './store.js';

export interface Sender {
  sdkAppId: number;
  userId: string;
  /** The device that asked: its own copy is not echoed back to it. */
  instanceId?: string;
}

export interface SignalingStep {
  action: SignalingActionType;
  /** The envelope's inviteeList: who this step is about. */
  invitees: string[];
  data: string;
  /** C2C: how the push engine treats the message (group steps are never pushed). */
  push: CallMark['push'];
  /** C2C follow-ups: the notification text that replaces the ringing one. */
  followUp?: OfflinePushInfo;
  /** C2C: the receiver, when it is not the invitees (answers go to the inviter). */
  to?: string;
}

/** Sends the step; the sender's other devices get their copy (so they stop ringing, or learn the timeout). */
export async function sendSignaling(
  messaging: MessagingService,
  from: Sender,
  invite: StoredInvite,
  step: SignalingStep,
): Promise<void> {
  const info: SignalingInfo = { ...infoOf(invite, step.action, step.data), inviteeList: step.invitees };
  const common = {
    sdkAppId: from.sdkAppId,
    source: 'sdk' as const,
    from: from.userId,
    body: signalingBody(info),
    msgRandom: randomInt(0, 2 ** 32 - 1),
    sendMsgControl: [],
    syncOtherMachine: 1 as const,
    senderInstanceId: from.instanceId,
  };
  if (invite.groupId) {
    // Group invitations reach online members only; each SDK picks out the steps addressed to it.
    await messaging.send({
      ...common,
      target: { kind: 'group', groupId: invite.groupId },
      lifeTime: 0,
      onlineOnly: true,
      call: { inviteId: invite.inviteId, push: 'none', signaling: { ...info } },
    });
    return;
  }
  const ringing = step.action === SignalingAction.Invite;
  await messaging.send({
    ...common,
    target: { kind: 'c2c', to: step.to ? [step.to] : step.invitees },
    offlinePushInfo: ringing ? invite.offlinePushInfo : step.followUp,
    lifeTime: DEFAULT_LIFETIME_SECONDS,
    onlineOnly: invite.onlineOnly,
    call: {
      inviteId: invite.inviteId,
      push: invite.onlineOnly ? 'none' : step.push,
      ...(ringing && invite.expiresAt !== null ? { expiresAt: invite.expiresAt } : {}),
      signaling: { ...info },
    },
  });
}
