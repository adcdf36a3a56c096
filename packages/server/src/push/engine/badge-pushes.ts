// Badge sync: when a user's unread total changes by a read (on one device, or by the app's backend), the
// badges of the user's other background devices follow. Each such device whose badge base differs from the
// new total gets a badge-only push (render/badge-update.ts) through the durable queue, recorded like every
// push with kind `badge` (a kind the message statistics do not count: outcomes/statistics.ts CHAT_KINDS),
// and its badge base becomes the total, so that the next message push counts on from there.
// docs/push-payloads.md#badge-updates.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SecretBox } from '../../auth/secret-box.js';
import { CertificateStore } from '../../certificates/store.js';
import { SessionStore } from '../../devices/sessions.js';
import type { Database } from '../../store/schema.js';
import type { OutcomeRecorder } from '../outcomes/index.js';
import type { LeasedJob } from '../queue/index.js';
import { badgeUpdateRequest } from '../render/badge-update.js';
import type { PushTask } from '../types.js';
import type { EnginePushRecord, PushRecorder } from './push-recorder.js';

export interface BadgeSyncDeps {
  db: Kysely<Database>;
  /**
   * Enqueues the pushes in the caller's transaction; returns them when they were leased to this node's
   * dispatcher with their insert (dispatch/hand-off.ts), to hand it after the commit.
   */
  enqueue: (trx: Kysely<Database>, tasks: PushTask[], groupKey: string) => Promise<LeasedJob[] | undefined>;
  outcomes: OutcomeRecorder;
  observer?: PushRecorder | undefined;
  secrets: SecretBox;
  now: () => number;
  newPushId?: (() => string) | undefined;
  /** After the jobs committed: hand them to the dispatcher (`handed`), or wake it. */
  onEnqueued: (handed: LeasedJob[] | undefined) => void;
}

/** Keeps the badges of a user's background devices on the user's unread total. */
export class BadgeSync {
  constructor(private readonly deps: BadgeSyncDeps) {}

  /**
   * Sets every background device of the user (but `readOn`, the device that read) to `total`, pushing a
   * badge update where its vendor has one. Returns the records of the pushes queued.
   */
  async sync(sdkAppId: number, userId: string, total: number, readOn?: string): Promise<EnginePushRecord[]> {
    const { deps } = this;
    const newPushId = deps.newPushId ?? randomUUID;
    let handed: LeasedJob[] | undefined;
    const accepted = await deps.db.transaction().execute(async (trx) => {
      const now = deps.now();
      const sessions = new SessionStore(trx, deps.now);
      const certificates = new CertificateStore(trx, deps.secrets);
      const tasks: PushTask[] = [];
      const records: EnginePushRecord[] = [];
      const moved: { userId: string; instanceId: string; by: number }[] = [];
      for (const instance of await sessions.pushTargets(sdkAppId, [userId])) {
        if (instance.instanceId === readOn || instance.badgeBase === total) continue;
        const background =
          instance.state === 'PushOnline' || (instance.state === 'Online' && instance.background);
        if (!background) continue;
        moved.push({ userId, instanceId: instance.instanceId, by: total - instance.badgeBase });
        for (const binding of instance.bindings) {
          if (binding.tokenType !== 0) continue;
          const cert = await certificates.get(sdkAppId, binding.certificateId);
          // A paused certificate sends nothing now; a later read or message brings the badge right.
          if (cert?.status !== 'active') continue;
          const request = badgeUpdateRequest(cert, total);
          if (!request) continue;
          const pushId = newPushId();
          tasks.push({
            pushId,
            sdkAppId,
            certificateId: cert.id,
            token: binding.token,
            kind: 'badge',
            request,
          });
          records.push({
            pushId,
            sdkAppId,
            kind: 'badge',
            toUser: userId,
            instanceId: instance.instanceId,
            vendor: cert.vendor,
            certificateId: cert.id,
            token: binding.token,
            at: now,
          });
        }
      }
      // The badge base becomes the total (by adding the difference: one statement per distinct difference).
      const byDelta = new Map<number, { userId: string; instanceId: string }[]>();
      for (const m of moved) byDelta.set(m.by, [...(byDelta.get(m.by) ?? []), m]);
      for (const [delta, instances] of byDelta) await sessions.addToBadges(sdkAppId, instances, delta);
      if (tasks.length > 0) {
        handed = await deps.enqueue(trx, tasks, `badge_${userId}`);
        await deps.outcomes.writeDecisions(trx, records, []);
      }
      return records;
    });
    if (accepted.length > 0) {
      deps.onEnqueued(handed);
      deps.outcomes.countDecisions(accepted, []);
      deps.observer?.accepted(accepted);
    }
    return accepted;
  }
}
