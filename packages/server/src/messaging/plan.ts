// Who receives a message and how: one unit per stored message row (one per C2C recipient, one per group
// message), each recipient with the decision of its receive options.
import { hash, randomInt } from 'node:crypto';
import type { GroupsService } from './groups.js';
import type { CommittedMessage } from './hooks.js';
import type { MsgBody } from './message-types.js';
import { evaluateReceive, type ReceiveDecision, receiveSettingsApply } from './receive-options.js';
import { c2cTarget, groupTarget, type ReceiveSettings } from './receive-settings.js';
import type { SendRequest } from './send-request.js';

/** The @-everyone marker in `atAccounts` / `atUserList`. */
export const AT_ALL = '@ALL';

export interface PlannedRecipient {
  userId: string;
  decision: ReceiveDecision;
  isAtMe: boolean;
}

export interface Unit {
  message: CommittedMessage;
  dedupKey?: string;
  recipients: PlannedRecipient[];
}

/** The sender's own copy: stored and synced to its other devices, never pushed. */
const SENDER_DECISION: ReceiveDecision = { online: true, push: false, reason: 'sender' };

/** Builds one unit per stored message row, with each recipient's receive decision. */
export async function planUnits(
  deps: { groups: GroupsService; settings: ReceiveSettings },
  req: SendRequest,
  msgTime: number,
  now: number,
): Promise<Unit[]> {
  const honourOptions = receiveSettingsApply(req.source !== 'sdk', req.sendMsgControl);
  const base = {
    sdkAppId: req.sdkAppId,
    source: req.source,
    lifeTime: req.onlineOnly ? 0 : req.lifeTime,
    onlineOnly: req.onlineOnly || req.lifeTime === 0,
    sendMsgControl: req.sendMsgControl,
    from: req.from,
    msgRandom: req.msgRandom,
    msgTime,
    sentAt: now,
    body: req.body,
    ...(req.offlinePushInfo ? { offlinePushInfo: req.offlinePushInfo } : {}),
    ...(req.cloudCustomData !== undefined ? { cloudCustomData: req.cloudCustomData } : {}),
    ...(req.senderInstanceId ? { senderInstanceId: req.senderInstanceId } : {}),
    ...(req.clientTime !== undefined ? { clientTime: req.clientTime } : {}),
    ...(req.call ? { call: req.call } : {}),
    ...(req.groupTip ? { groupTip: true as const } : {}),
  };
  const self = (isAtMe = false) => ({ userId: req.from, decision: SENDER_DECISION, isAtMe });

  if (req.target.kind === 'c2c') {
    const to = [...new Set(req.target.to)];
    const { opts, dnds } = await deps.settings.ofReceivers(req.sdkAppId, to, c2cTarget(req.from));
    const msgSeq = req.msgSeq ?? randomInt(1, 2 ** 31);
    return to.map((userId) => {
      const message: CommittedMessage = {
        ...base,
        type: 'c2c',
        to: userId,
        msgSeq,
        msgKey: `${msgSeq}_${req.msgRandom}_${msgTime}`,
      };
      const decision = evaluateReceive({
        c2cOpt: opts.get(userId),
        globalDnd: dnds.get(userId),
        now,
        isAtMe: false,
        honourOptions,
      });
      const recipients = [{ userId, decision, isAtMe: false }];
      if (req.syncOtherMachine === 1 && userId !== req.from) recipients.push(self());
      return {
        message,
        dedupKey: `c2c|${req.from}|${userId}|${req.msgSeq ?? ''}|${req.msgRandom}|${bodyHash(req.body)}`,
        recipients,
      };
    });
  }

  const groupId = req.target.groupId;
  const targeted = req.target.receivers ? new Set(req.target.receivers) : undefined;
  const everyone: { userId: string; msgFlag: string }[] = await deps.groups.members(req.sdkAppId, groupId);
  for (const userId of req.target.formerMembers ?? [])
    if (!everyone.some((m) => m.userId === userId)) everyone.push({ userId, msgFlag: 'AcceptAndNotify' });
  // A targeted message reaches the members named and the sender's own devices, nobody else.
  const members = targeted
    ? everyone.filter((m) => targeted.has(m.userId) || m.userId === req.from)
    : everyone;
  const message: CommittedMessage = { ...base, type: 'group', groupId, msgSeq: 0, msgKey: '' };
  if (targeted) message.receivers = [...targeted].sort();
  if (req.atAccounts?.length) message.atUserList = [...new Set(req.atAccounts)];
  const recipients = await groupRecipients(deps.settings, message, members, now);
  if (req.syncOtherMachine === 1 && members.some((m) => m.userId === req.from)) recipients.push(self());
  return [{ message, dedupKey: `group|${groupId}|${req.msgRandom}`, recipients }];
}

/**
 * The receive decisions of group members other than the sender: for the send, and page by page for the
 * push fan-out of a large group (push/engine/group-fan-out.ts), so both judge members the same way.
 */
export async function groupRecipients(
  settings: ReceiveSettings,
  message: Pick<
    CommittedMessage,
    'sdkAppId' | 'groupId' | 'from' | 'source' | 'sendMsgControl' | 'atUserList'
  >,
  members: readonly { userId: string; msgFlag: string }[],
  now: number,
): Promise<PlannedRecipient[]> {
  const honourOptions = receiveSettingsApply(message.source !== 'sdk', message.sendMsgControl);
  const others = members.filter((m) => m.userId !== message.from);
  const ids = others.map((m) => m.userId);
  const { opts, dnds } = await settings.ofReceivers(
    message.sdkAppId,
    ids,
    groupTarget(message.groupId ?? ''),
  );
  const at = new Set(message.atUserList ?? []);
  return others.map(({ userId, msgFlag }) => {
    const isAtMe = at.has(AT_ALL) || at.has(userId);
    const decision = evaluateReceive({
      groupOpt: opts.get(userId),
      memberMsgFlag: msgFlag,
      globalDnd: dnds.get(userId),
      now,
      isAtMe,
      honourOptions,
    });
    return { userId, decision, isAtMe };
  });
}

function bodyHash(body: MsgBody): string {
  return hash('sha256', JSON.stringify(body), 'base64url').slice(0, 22);
}
