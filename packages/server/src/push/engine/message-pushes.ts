// A stored message -> the push jobs of its receivers' background devices, computed inside the send's
// transaction (every read goes through `trx`: on SQLite the transaction holds the only connection).
// Each receiver instance is decided (decide.ts), rendered once per certificate (render/) and counted
// toward its badge; what does not go is returned with its reason for the trace.
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { AccountsService } from '../../apps/accounts.js';
import type { SecretBox } from '../../auth/secret-box.js';
import { type PushTarget, SessionStore } from '../../gateway/sessions.js';
import { GroupsService } from '../../messaging/groups.js';
import type { CommittedMessage, RecipientOutcome } from '../../messaging/hooks.js';
import type { Database } from '../../store/schema.js';
import { CertificateStore } from '../certificates/store.js';
import type { CertificateInfo } from '../certificates/types.js';
import { type DecideInstance, type DecideMessage, prepareDecision } from '../decide.js';
import { type DeviceRenderer, prepareRender, type RenderMessage } from '../render/index.js';
import type { PushTask } from '../types.js';
import { receiveReasonToSkip } from './reasons.js';
import type { EnginePushRecord, EngineSkipRecord } from './recorder.js';

export interface MessagePushes {
  tasks: PushTask[];
  accepted: EnginePushRecord[];
  skipped: EngineSkipRecord[];
}

export interface MessagePushDeps {
  secrets: SecretBox;
  now: () => number;
  /** A new PushID per notification. */
  newPushId?: () => string;
}

export async function messagePushes(
  trx: Transaction<Database>,
  deps: MessagePushDeps,
  message: CommittedMessage,
  recipients: RecipientOutcome[],
): Promise<MessagePushes> {
  const out: MessagePushes = { tasks: [], accepted: [], skipped: [] };
  if (recipients.length === 0) return out;
  const newPushId = deps.newPushId ?? randomUUID;
  const now = deps.now();
  const sdkAppId = message.sdkAppId;
  const chatType = message.type;
  const sentAt = message.msgTime * 1000;
  const expiresAt = message.lifeTime > 0 ? sentAt + message.lifeTime * 1000 : undefined;

  const sender = await new AccountsService(trx).get(sdkAppId, message.from);
  const group = message.groupId
    ? await new GroupsService(trx, deps.now).get(sdkAppId, message.groupId)
    : undefined;

  const decideMessage: DecideMessage = {
    kind: 'message',
    origin: message.source === 'rest' ? 'rest' : 'client',
    sendMsgControl: message.sendMsgControl,
    chatType,
    senderId: message.from,
    ...(group ? { groupType: group.type } : {}),
    msgLifeTime: message.lifeTime,
    onlineOnly: message.onlineOnly,
    body: message.body,
    ...(message.offlinePushInfo ? { offlinePushInfo: message.offlinePushInfo } : {}),
    ...(expiresAt !== undefined ? { expiresAt } : {}),
  };
  const decider = prepareDecision(decideMessage);
  const renderMessage: RenderMessage = {
    kind: 'message',
    chatType,
    sender: { userId: message.from, ...(sender?.nick ? { nick: sender.nick } : {}) },
    ...(message.groupId
      ? { group: { id: message.groupId, ...(group?.name ? { name: group.name } : {}) } }
      : {}),
    body: message.body,
    ...(message.offlinePushInfo ? { offlinePushInfo: message.offlinePushInfo } : {}),
    msgLifeTime: message.lifeTime,
    now: sentAt,
  };

  const sessions = new SessionStore(trx, deps.now);
  const certificates = new CertificateStore(trx, deps.secrets);
  const certCache = new Map<number, CertificateInfo | undefined>();
  const renderers = new Map<number, DeviceRenderer>();
  const certificate = async (id: number) => {
    if (!certCache.has(id)) certCache.set(id, await certificates.get(sdkAppId, id));
    return certCache.get(id);
  };

  const targets = await sessions.pushTargets(
    sdkAppId,
    recipients.map((r) => r.userId),
  );
  const byUser = new Map<string, PushTarget[]>();
  for (const t of targets) {
    const list = byUser.get(t.userId);
    if (list) list.push(t);
    else byUser.set(t.userId, [t]);
  }

  for (const recipient of recipients) {
    const base: EnginePushRecord = {
      pushId: '',
      sdkAppId,
      kind: chatType,
      toUser: recipient.userId,
      fromUser: message.from,
      ...(message.groupId ? { groupId: message.groupId } : {}),
      msgKey: message.msgKey,
      at: now,
    };
    const skip = (reason: string, extra: Partial<EnginePushRecord> = {}) =>
      out.skipped.push({ ...base, ...extra, pushId: newPushId(), reason });
    if (!recipient.push) {
      skip(receiveReasonToSkip(recipient.reason));
      continue;
    }
    const instances = byUser.get(recipient.userId) ?? [];
    if (instances.length === 0) {
      skip('instance-offline');
      continue;
    }
    for (const instance of instances) {
      let counted = false;
      const bindings = instance.bindings.length > 0 ? instance.bindings : [undefined];
      for (const binding of bindings) {
        const cert = binding ? await certificate(binding.certificateId) : undefined;
        const where: Partial<EnginePushRecord> = {
          instanceId: instance.instanceId,
          ...(binding ? { certificateId: binding.certificateId, token: binding.token } : {}),
          ...(cert ? { vendor: cert.vendor } : {}),
        };
        const decision = decider(
          { userId: recipient.userId, atMe: recipient.isAtMe },
          decideInstance(instance, binding, cert),
          now,
        );
        if (!decision.push) {
          skip(decision.reason, where);
          continue;
        }
        // decide() checked binding and certificate; the narrowing is for TypeScript.
        if (!binding || !cert) continue;
        let renderer = renderers.get(cert.id);
        if (!renderer) {
          renderer = prepareRender(renderMessage, cert);
          renderers.set(cert.id, renderer);
        }
        const result = renderer({ unreadAtBackground: instance.badgeBase, countedSince: 0 });
        if (!result.ok) {
          skip(result.reason, where);
          continue;
        }
        const pushId = newPushId();
        out.tasks.push({
          pushId,
          sdkAppId,
          certificateId: cert.id,
          token: binding.token,
          request: result.request,
          ...(result.notAfter !== undefined ? { notAfter: result.notAfter } : {}),
        });
        out.accepted.push({ ...base, ...where, pushId });
        // One increment per instance, even when it has several bindings.
        if (result.countsTowardBadge && !counted) {
          counted = true;
          await sessions.addToBadge(sdkAppId, instance.userId, instance.instanceId, 1);
        }
      }
    }
  }
  return out;
}

/** The gateway's view of an instance in decide()'s terms. Only PushOnline instances are background. */
function decideInstance(
  instance: PushTarget,
  binding: PushTarget['bindings'][number] | undefined,
  cert: CertificateInfo | undefined,
): DecideInstance {
  const state =
    instance.state === 'PushOnline'
      ? 'background'
      : instance.state === 'Online'
        ? 'foreground'
        : 'logged-out';
  return {
    state,
    ...(binding
      ? {
          binding: {
            tokenType: binding.tokenType,
            ...(cert ? { certificate: { status: cert.status } } : {}),
          },
        }
      : {}),
  };
}
