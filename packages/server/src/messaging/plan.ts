// Who receives a message and how: one unit per stored message row (one per C2C recipient, one per group
// message), each recipient with the decision of its receive options.
import { createHash, randomInt } from 'node:crypto';
import type { GroupsService } from './groups.js';
import type { CommittedMessage } from './hooks.js';
import type { MsgBody } from './message-types.js';
import type { SendRequest } from './messages.js';
import { evaluateReceive, type ReceiveDecision, receiveSettingsApply } from './receive-options.js';
import { c2cTarget, groupTarget, type ReceiveSettings } from './receive-settings.js';

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
    body: req.body,
    ...(req.offlinePushInfo ? { offlinePushInfo: req.offlinePushInfo } : {}),
    ...(req.cloudCustomData !== undefined ? { cloudCustomData: req.cloudCustomData } : {}),
    ...(req.senderInstanceId ? { senderInstanceId: req.senderInstanceId } : {}),
  };
  const self = (isAtMe = false) => ({ userId: req.from, decision: SENDER_DECISION, isAtMe });
  const dnd = async (ids: string[]) => deps.settings.dndOf(req.sdkAppId, ids);

  if (req.target.kind === 'c2c') {
    const to = [...new Set(req.target.to)];
    const [opts, dnds] = await Promise.all([
      deps.settings.optsFor(req.sdkAppId, to, c2cTarget(req.from)),
      dnd(to),
    ]);
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
  const members = await deps.groups.members(req.sdkAppId, groupId);
  const ids = members.map((m) => m.userId).filter((id) => id !== req.from);
  const [opts, dnds] = await Promise.all([
    deps.settings.optsFor(req.sdkAppId, ids, groupTarget(groupId)),
    dnd(ids),
  ]);
  const at = new Set(req.atAccounts ?? []);
  const message: CommittedMessage = { ...base, type: 'group', groupId, msgSeq: 0, msgKey: '' };
  if (at.size > 0) message.atUserList = [...at];
  const flags = new Map(members.map((m) => [m.userId, m.msgFlag]));
  const recipients = ids.map((userId) => {
    const isAtMe = at.has(AT_ALL) || at.has(userId);
    const decision = evaluateReceive({
      groupOpt: opts.get(userId),
      memberMsgFlag: flags.get(userId),
      globalDnd: dnds.get(userId),
      now,
      isAtMe,
      honourOptions,
    });
    return { userId, decision, isAtMe };
  });
  if (req.syncOtherMachine === 1 && flags.has(req.from)) recipients.push(self());
  return [{ message, dedupKey: `group|${groupId}|${req.msgRandom}`, recipients }];
}

function bodyHash(body: MsgBody): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 22);
}
