// Group tips (who joined, left, was kicked or muted, what changed in the group's profile, who owns it) and
// group system notifications (send_group_system_notification): stored as group messages so that online
// members get them live and every member finds them in its history after a reconnect. As in Tencent IM they
// are never pushed offline (CommittedMessage.groupTip) and do not count as unread.
// docs/internals/tencent-im.md#group-tips describes the element shapes.
import { randomInt } from 'node:crypto';
/** Where a tip that could not be sent is reported (a pino or Fastify logger). */
export interface TipLog {
  error(obj: object, msg: string): void;
}

import type { MsgBody } from './message-types.js';
import { DEFAULT_LIFETIME_SECONDS, type MessagingService } from './messages.js';

/** V2TIMGroupTipsType. */
export const GroupTipType = {
  Join: 1,
  Invite: 2,
  Quit: 3,
  Kicked: 4,
  SetAdmin: 5,
  CancelAdmin: 6,
  GroupInfoChange: 7,
  MemberInfoChange: 8,
} as const;

/** V2TIMGroupInfoChangeType, plus MaxMemberNum (no V2TIM name): what a GroupInfoChange tip lists. */
export const GroupInfoChangeType = {
  Name: 1,
  Introduction: 2,
  Notification: 3,
  FaceUrl: 4,
  Owner: 5,
  Custom: 6,
  ShutUpAll: 8,
  ApplyJoinOption: 11,
  MaxMemberNum: 100,
} as const;

export interface GroupInfoChange {
  type: number;
  /** The REST field changed (Name, Introduction, …, Owner_Account, AppDefinedData). */
  field: string;
  value: string | number | boolean;
  /** Custom fields: the key ("" value = deleted). */
  key?: string;
}

export interface GroupTip {
  type: (typeof GroupTipType)[keyof typeof GroupTipType];
  /** Who did it: a member, or the administrator for REST commands. */
  opMember: string;
  /** The members the tip is about (joined, left, kicked, muted, made admin). */
  memberList?: string[];
  groupChangeInfoList?: GroupInfoChange[];
  /** Mutes: seconds from now the member stays muted (0 = unmuted). */
  memberChangeInfoList?: { userID: string; muteTime: number }[];
  /** Kicks by REST: delete_group_member's Reason. */
  reason?: string;
}

export interface TipTarget {
  sdkAppId: number;
  groupId: string;
  groupType: string;
  source: 'rest' | 'sdk';
  /** The SDK device that did it: its own copy is not echoed back. */
  senderInstanceId?: string | undefined;
  /** Accounts that just left and still get this tip. */
  formerMembers?: string[];
  /** Only these members get it (system notifications to some members). */
  receivers?: string[];
}

/** Sends one group message of one element; AVChatRoom groups keep no history, so there it is online-only. */
async function sendTipMessage(
  messaging: MessagingService,
  t: TipTarget,
  from: string,
  body: MsgBody,
): Promise<void> {
  const live = t.groupType === 'AVChatRoom';
  await messaging.send({
    sdkAppId: t.sdkAppId,
    source: t.source,
    from,
    target: {
      kind: 'group',
      groupId: t.groupId,
      ...(t.formerMembers?.length ? { formerMembers: t.formerMembers } : {}),
      ...(t.receivers ? { receivers: t.receivers } : {}),
    },
    body,
    lifeTime: live ? 0 : DEFAULT_LIFETIME_SECONDS,
    onlineOnly: live,
    msgRandom: randomInt(0, 2 ** 32 - 1),
    sendMsgControl: ['NoUnread'],
    syncOtherMachine: 1,
    senderInstanceId: t.senderInstanceId,
    groupTip: true,
  });
}

/**
 * Sends a group tip (element TIMGroupTipElem) to the group's members. A failure is logged, not thrown: the
 * change it announces is already committed.
 */
export async function sendGroupTip(
  messaging: MessagingService,
  log: TipLog,
  target: TipTarget,
  tip: GroupTip,
): Promise<void> {
  const content: Record<string, unknown> = { groupID: target.groupId, ...tip };
  const body = [{ MsgType: 'TIMGroupTipElem', MsgContent: content }] as unknown as MsgBody;
  try {
    await sendTipMessage(messaging, target, tip.opMember, body);
  } catch (err) {
    log.error({ err, groupId: target.groupId, tip: tip.type }, 'group tip could not be sent');
  }
}

/**
 * Sends a group system notification about a join request (element TIMGroupSystemNotifyElem with `type`
 * JoinApplication to the owner and admins, ApplicationProcessed to the applicant; V2TIM's
 * onReceiveJoinApplication and onApplicationProcessed) to `receivers`, members of the group.
 */
export async function sendJoinApplicationNotice(
  messaging: MessagingService,
  target: TipTarget & { receivers: string[] },
  from: string,
  content: { type: 'JoinApplication' | 'ApplicationProcessed' } & Record<string, unknown>,
): Promise<void> {
  if (target.receivers.length === 0) return;
  const body = [
    { MsgType: 'TIMGroupSystemNotifyElem', MsgContent: { groupID: target.groupId, ...content } },
  ] as unknown as MsgBody;
  await sendTipMessage(messaging, target, from, body);
}

/** Sends a group system notification (element TIMGroupSystemNotifyElem, V2TIM onReceiveRESTCustomData). */
export async function sendGroupSystemNotification(
  messaging: MessagingService,
  target: TipTarget,
  from: string,
  content: string,
): Promise<void> {
  const body = [
    {
      MsgType: 'TIMGroupSystemNotifyElem',
      MsgContent: { type: 'RESTCustomData', groupID: target.groupId, content },
    },
  ] as unknown as MsgBody;
  await sendTipMessage(messaging, target, from, body);
}
