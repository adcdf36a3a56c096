// Receivers -> push jobs for their background devices, inside a transaction (every read goes through `trx`:
// on SQLite the transaction holds the only connection). Each receiver instance and binding is decided
// (decide.ts), rendered once per certificate (render/) and counted toward its badge; what does not go is
// returned with its reason for the trace. Used for chat messages and for push tasks alike.
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { APP_MEMO_PREFIX } from '../../apps/apps.js';
import { storedAppSettings } from '../../apps/settings.js';
import type { SecretBox } from '../../auth/secret-box.js';
import { CertificateStore } from '../../certificates/store.js';
import type { CertificateInfo } from '../../certificates/types.js';
import { type PushTarget, SessionStore } from '../../devices/sessions.js';
import { reuse } from '../../store/compiled.js';
import type { Database } from '../../store/schema.js';
import { memoized } from '../../store/transaction-memo.js';
import type { DecideInstance, RecipientDecider } from '../decide/decide.js';
import { type DeviceRenderer, prepareRender, type RenderMessage } from '../render/index.js';
import type { PushTask } from '../types.js';
import type { EnginePushRecord, EngineSkipRecord } from './push-recorder.js';

export interface DevicePushes {
  tasks: PushTask[];
  accepted: EnginePushRecord[];
  skipped: EngineSkipRecord[];
  /** Receivers with at least one push job. */
  usersEnqueued: number;
}

export interface DevicePushDeps {
  secrets: SecretBox;
  now: () => number;
  /** A new PushID per notification. */
  newPushId?: (() => string) | undefined;
}

/** One receiver; `skipReason` set = receive options already said no (messaging/receive-options.ts). */
export interface Receiver {
  userId: string;
  isAtMe?: boolean;
  skipReason?: string;
}

export interface PushSource {
  sdkAppId: number;
  /** The push task whose sent/failed counters these pushes feed (when not already `record.taskId`). */
  taskId?: string;
  decider: RecipientDecider;
  render: RenderMessage;
  /** The trace fields every record of this source shares (kind, sender, msgKey or taskId...). */
  record: Omit<EnginePushRecord, 'pushId' | 'toUser'>;
  /** Call pushes: an instance with a usable VoIP binding is reached through it alone. */
  preferVoip?: boolean;
}

export async function devicePushes(
  trx: Transaction<Database>,
  deps: DevicePushDeps,
  source: PushSource,
  receivers: Receiver[],
): Promise<DevicePushes> {
  const out: DevicePushes = { tasks: [], accepted: [], skipped: [], usersEnqueued: 0 };
  if (receivers.length === 0) return out;
  const newPushId = deps.newPushId ?? randomUUID;
  const now = deps.now();
  const { sdkAppId } = source;
  const sessions = new SessionStore(trx, deps.now);
  const certificates = new CertificateStore(trx, deps.secrets);
  const certCache = new Map<number, CertificateInfo | undefined>();
  const renderers = new Map<number, DeviceRenderer>();
  let appName: string | undefined;
  const certificate = async (id: number) => {
    if (!certCache.has(id)) certCache.set(id, await certificates.get(sdkAppId, id));
    return certCache.get(id);
  };

  const targets = await sessions.pushTargets(
    sdkAppId,
    receivers.map((r) => r.userId),
  );
  /** Instances whose badge base grows by one: updated together after the loop, in the same transaction. */
  const badged: PushTarget[] = [];
  const byUser = new Map<string, PushTarget[]>();
  for (const t of targets) {
    const list = byUser.get(t.userId);
    if (list) list.push(t);
    else byUser.set(t.userId, [t]);
  }

  for (const receiver of receivers) {
    const base: EnginePushRecord = { ...source.record, pushId: '', toUser: receiver.userId, at: now };
    const skip = (reason: string, extra: Partial<EnginePushRecord> = {}) =>
      out.skipped.push({ ...base, ...extra, pushId: newPushId(), reason });
    if (receiver.skipReason) {
      skip(receiver.skipReason);
      continue;
    }
    const instances = byUser.get(receiver.userId) ?? [];
    if (instances.length === 0) {
      skip('instance-offline');
      continue;
    }
    let enqueued = false;
    for (const instance of instances) {
      let counted = false;
      const bindings = instance.bindings.length > 0 ? instance.bindings : [undefined];
      let voipPreferred = false;
      if (source.preferVoip) {
        for (const b of instance.bindings) {
          if (b.tokenType === 2 && (await certificate(b.certificateId))?.status === 'active')
            voipPreferred = true;
        }
      }
      for (const binding of bindings) {
        const cert = binding ? await certificate(binding.certificateId) : undefined;
        const where: Partial<EnginePushRecord> = {
          instanceId: instance.instanceId,
          ...(binding ? { certificateId: binding.certificateId, token: binding.token } : {}),
          ...(cert ? { vendor: cert.vendor } : {}),
        };
        const decision = source.decider(
          { userId: receiver.userId },
          { ...decideInstance(instance, binding, cert), ...(voipPreferred ? { voipPreferred } : {}) },
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
          appName ??= await displayName(trx, sdkAppId);
          renderer = prepareRender({ ...source.render, appName }, cert);
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
          kind: source.record.kind,
          request: result.request,
          ...(result.notAfter !== undefined ? { notAfter: result.notAfter } : {}),
          ...(source.render.call?.action === 'ring'
            ? { ringsFor: { inviteId: source.render.call.inviteId, userId: receiver.userId } }
            : {}),
          ...(source.record.msgKey && !source.render.call
            ? { recallable: { msgKey: source.record.msgKey, userId: receiver.userId } }
            : {}),
          ...((source.taskId ?? source.record.taskId)
            ? { taskId: source.taskId ?? source.record.taskId }
            : {}),
        });
        out.accepted.push({ ...base, ...where, pushId });
        enqueued = true;
        // One increment per instance, even when it has several bindings.
        if (result.countsTowardBadge && !counted) {
          counted = true;
          badged.push(instance);
        }
      }
    }
    if (enqueued) out.usersEnqueued++;
  }
  await sessions.addToBadges(sdkAppId, badged, 1);
  return out;
}

/**
 * The gateway's view of an instance in decide()'s terms. PushOnline instances are in the background; an
 * Online one that went to the background without a push token is too (it then gets no push for lack of a
 * binding, and the trace says so).
 */
function decideInstance(
  instance: PushTarget,
  binding: PushTarget['bindings'][number] | undefined,
  cert: CertificateInfo | undefined,
): DecideInstance {
  const state =
    instance.state === 'PushOnline' || (instance.state === 'Online' && instance.background)
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
            ...(cert ? { certificate: { status: cert.status, pausedMode: cert.pausedMode } } : {}),
          },
        }
      : {}),
  };
}

/** The app's display name: the title a notification falls back to (render/content.ts titleFallback). */
const appNameQuery = reuse((db: Kysely<Database>, sdkAppId: number) =>
  db.selectFrom('apps').select(['name', 'settings']).where('sdkappid', '=', sdkAppId),
);

/** Read once per transaction: every send of a group commit renders with it (store/transaction-memo.ts). */
function displayName(trx: Transaction<Database>, sdkAppId: number): Promise<string> {
  return memoized(trx, `${APP_MEMO_PREFIX}${sdkAppId}:display-name`, async () => {
    const app = (await appNameQuery(trx, sdkAppId)).rows[0];
    if (!app) return '';
    const settings = storedAppSettings(app.settings);
    return settings.displayName || app.name;
  });
}
