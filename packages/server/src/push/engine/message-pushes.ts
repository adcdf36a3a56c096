// A stored chat message -> the push jobs of its receivers' background devices (device-pushes.ts), inside
// the send's transaction; messageSource() is shared with the fan-out of large groups (group-fan-out.ts).
// Signaling messages (message.call) become call pushes: VoIP first, expiring with the invitation; answers
// to an invitation (call.push 'none') are not pushed at all.
import type { Kysely, Transaction } from 'kysely';
import { AccountsService } from '../../apps/accounts.js';
import { GroupsService } from '../../messaging/groups.js';
import type { CommittedMessage, KnownWithSend, RecipientOutcome } from '../../messaging/hooks.js';
import type { Database } from '../../store/schema.js';
import { prepareDecision } from '../decide/decide.js';
import { receiveReasonToSkip } from '../decide/receive-reasons.js';
import {
  type DevicePushDeps,
  type DevicePushes,
  devicePushes,
  type PushSource,
  type Receiver,
} from './device-pushes.js';

/** Where the pushes of a chat message come from: its decision, rendering and trace fields. */
export async function messageSource(
  db: Kysely<Database> | Transaction<Database>,
  deps: Pick<DevicePushDeps, 'now'>,
  message: CommittedMessage,
  taskId?: string,
  known: KnownWithSend = {},
): Promise<PushSource> {
  const sdkAppId = message.sdkAppId;
  const call = message.call;
  const sentAt = message.sentAt ?? message.msgTime * 1000;
  const lifeEnd = message.lifeTime > 0 ? sentAt + message.lifeTime * 1000 : undefined;
  // A ringing push never outlives its invitation (checked again when dispatched).
  const expiresAt =
    call?.expiresAt !== undefined && (lifeEnd === undefined || call.expiresAt < lifeEnd)
      ? call.expiresAt
      : lifeEnd;
  const kind = call ? ('call' as const) : ('message' as const);
  const senderNick = known.senderNick ?? (await new AccountsService(db).get(sdkAppId, message.from))?.nick;
  const group = message.groupId
    ? await new GroupsService(db, deps.now).get(sdkAppId, message.groupId)
    : undefined;
  const push = message.offlinePushInfo ? { offlinePushInfo: message.offlinePushInfo } : {};
  return {
    sdkAppId,
    ...(taskId ? { taskId } : {}),
    // Receive options were evaluated by messaging (RecipientOutcome.push/reason): decide() gets none.
    decider: prepareDecision({
      kind,
      chatType: message.type,
      senderId: message.from,
      ...(group ? { groupType: group.type } : {}),
      msgLifeTime: message.lifeTime,
      onlineOnly: message.onlineOnly,
      body: message.body,
      ...push,
      ...(expiresAt !== undefined ? { expiresAt } : {}),
    }),
    render: {
      kind,
      ...(call
        ? {
            call: {
              inviteId: call.inviteId,
              action: call.push === 'ring' ? ('ring' as const) : ('clear' as const),
              signaling: call.signaling,
            },
            ...(expiresAt !== undefined ? { expiresAt } : {}),
          }
        : {}),
      ...(call ? {} : { msgKey: message.msgKey }),
      chatType: message.type,
      sender: { userId: message.from, ...(senderNick ? { nick: senderNick } : {}) },
      ...(message.groupId
        ? { group: { id: message.groupId, ...(group?.name ? { name: group.name } : {}) } }
        : {}),
      body: message.body,
      ...push,
      msgLifeTime: message.lifeTime,
      now: sentAt,
    },
    record: {
      sdkAppId,
      kind: call ? 'call' : message.type,
      fromUser: message.from,
      ...(message.groupId ? { groupId: message.groupId } : {}),
      msgKey: message.msgKey,
    },
    ...(call ? { preferVoip: true } : {}),
  };
}

/** Messaging's verdicts as devicePushes receivers: a "no" carries its reason to the trace. */
export function receiversOf(
  recipients: Pick<RecipientOutcome, 'userId' | 'isAtMe' | 'push' | 'reason'>[],
): Receiver[] {
  return recipients.map((r) => ({
    userId: r.userId,
    isAtMe: r.isAtMe,
    ...(r.push ? {} : { skipReason: receiveReasonToSkip(r.reason) }),
  }));
}

export async function messagePushes(
  trx: Transaction<Database>,
  deps: DevicePushDeps,
  message: CommittedMessage,
  recipients: RecipientOutcome[],
  known: KnownWithSend = {},
): Promise<DevicePushes> {
  if (recipients.length === 0 || message.call?.push === 'none')
    return { tasks: [], accepted: [], skipped: [], usersEnqueued: 0 };
  return devicePushes(
    trx,
    deps,
    await messageSource(trx, deps, message, undefined, known),
    receiversOf(recipients),
  );
}
