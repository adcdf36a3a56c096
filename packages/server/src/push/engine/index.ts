// The push engine: from a committed message to queued push jobs, and the dispatcher that sends them.
//
//   messaging.onMessageStoring  -> messagePushes() -> pushQueue.enqueueWith(trx)   (same commit as the message,
//                                  with the trace rows of every push and skip: outcomes.writeDecisions)
//                                  or, for a large group, a fan-out task (group-fan-out.ts) that pages after it
//   Dispatcher (dispatch/)       -> channels -> one commit per certificate group: the jobs' settlement and
//                                  outcomes.writeAnswers (traces, counters, webhooks, dead bindings, task
//                                  counters) and the certificate pause of a credential error
//   after each commit            -> metrics and observers (tests)

import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { AudienceQuery } from '../../audience/query.js';
import type { SecretBox } from '../../auth/secret-box.js';
import type { CertificateService } from '../../certificates/service.js';
import { CertificateStore } from '../../certificates/store.js';
import type { CommittedMessage } from '../../messaging/hooks.js';
import type { InboxService } from '../../messaging/inbox.js';
import type { MessagingService } from '../../messaging/messages.js';
import type { RecallService } from '../../messaging/recall.js';
import type { Database } from '../../store/schema.js';
import type { CertificateChannels } from '../channels/index.js';
import {
  Dispatcher,
  type DispatcherOptions,
  NodeLiveness,
  type SettledEvent,
  type Settlement,
} from '../dispatch/index.js';
import { certificateRateLimit, type VendorRateLimits } from '../dispatch/rate-limits.js';
import type { OutcomeRecorder, VendorAnswer, WrittenAnswers } from '../outcomes/index.js';
import { recordedAnswers } from '../outcomes/trace-store.js';
import { isOutbox, type LeasedJob, type TransactionalPushQueue } from '../queue/index.js';
import type { PushTaskService } from '../tasks/store.js';
import type { PushTask } from '../tasks/types.js';
import type { PushTask as PushJobTask } from '../types.js';
import { BadgeSync } from './badge-pushes.js';
import { dispatchChannels } from './channel-adapter.js';
import type { DevicePushes } from './device-pushes.js';
import { FanOut } from './fan-out.js';
import { createGroupTask } from './group-fan-out.js';
import { messagePushes } from './message-pushes.js';
import type { PushRecorder } from './push-recorder.js';
import {
  lateRetractions,
  type ReadElsewhere,
  type Retractions,
  readRetractions,
  retractionPushes,
} from './retractions.js';

export { type EngineThrottled, MemoryPushRecorder, type PushRecorder, teeRecorder } from './push-recorder.js';

export interface PushEngineDeps {
  messaging: MessagingService;
  /** The SQL queue or the Redis queue's outbox: its jobs commit in the message's transaction. */
  queue: TransactionalPushQueue;
  channels: CertificateChannels;
  certificateService: CertificateService;
  /** Writes the record of every push: with its jobs, and with their settlement. */
  outcomes: OutcomeRecorder;
  /** Told after each commit (tests read what the engine decided and what the vendors answered). */
  observer?: PushRecorder | undefined;
  secrets: SecretBox;
  log: Logger;
  now: () => number;
  newPushId?: () => string;
  /** For push tasks (fan-out.ts). */
  db: Kysely<Database>;
  tasks: PushTaskService;
  audience: AudienceQuery;
  /** This node's ID and how long it may stay silent before other nodes reclaim its leases (dispatch/nodes.ts). */
  node: { id: string; timeoutMs: number };
  /** Reads (unread changes): the badges of the reader's other background devices follow (badge-pushes.ts). */
  inbox?: InboxService;
  /** Call invitations: a ringing push still queued when its invitation ended is not sent. */
  callEnded?: (sdkAppId: number, ring: { inviteId: string; userId: string }) => Promise<boolean>;
  /** Recalls: queued pushes of a recalled message are not sent; delivered ones are retracted (retractions.ts). */
  recall?: RecallService;
}

export type PushEngineOptions = {
  fanOutPageSize?: number;
  /**
   * Group messages to more receivers than this are pushed by a durable fan-out task that pages through the
   * members (group-fan-out.ts) instead of inside the send's transaction (default: the fan-out page size).
   */
  groupFanOutThreshold?: number;
  /** Per-vendor default send rates (config `pushRateLimits`); a certificate's own limit wins. */
  vendorRateLimits?: VendorRateLimits;
} & Pick<
  DispatcherOptions,
  | 'batchSize'
  | 'concurrency'
  | 'maxAttempts'
  | 'backoffBaseMs'
  | 'backoffMaxMs'
  | 'idleMs'
  | 'visibilityMs'
  | 'rateLimit'
  | 'buckets'
>;

export class PushEngine {
  readonly dispatcher: Dispatcher;
  /** Starts push tasks (the FanOutStarter of the push commands). */
  readonly fanOut: FanOut;
  /** Reclaims this node's leases left by a crash, and those of nodes that died. */
  readonly liveness: NodeLiveness;
  /** Badge updates after a read (badge-pushes.ts). */
  readonly badges: BadgeSync;
  /** Records of messages stored but not yet committed (the same message object reaches both hooks). */
  readonly #pending = new WeakMap<CommittedMessage, DevicePushes | PushTask>();
  /** The jobs of those messages that were leased to this node's dispatcher with their insert. */
  readonly #handedOff = new WeakMap<CommittedMessage, LeasedJob[]>();
  readonly #queue: TransactionalPushQueue;
  /** The answers each settlement recorded, for the metrics and observers after its commit. */
  readonly #recorded = new WeakMap<Settlement, WrittenAnswers>();
  /** Retractions a settlement queued for pushes whose message was recalled while they were sent. */
  readonly #late = new WeakMap<Settlement, Retractions>();
  readonly #detach: (() => void)[] = [];
  /** After a read: the notifications the reader's other devices still show of it are retracted. */
  readonly #retractRead: (read: ReadElsewhere) => Promise<void>;

  constructor(deps: PushEngineDeps, options: PushEngineOptions = {}) {
    const { log, outcomes } = deps;
    const { fanOutPageSize, groupFanOutThreshold, vendorRateLimits = {}, ...dispatchOptions } = options;
    const groupThreshold = groupFanOutThreshold ?? fanOutPageSize ?? 500;
    this.#queue = deps.queue;
    this.liveness = new NodeLiveness(deps.db, deps.queue, {
      nodeId: deps.node.id,
      timeoutMs: deps.node.timeoutMs,
      log,
      now: deps.now,
    });
    this.fanOut = new FanOut({
      db: deps.db,
      tasks: deps.tasks,
      audience: deps.audience,
      queue: deps.queue,
      log,
      secrets: deps.secrets,
      now: deps.now,
      newPushId: deps.newPushId,
      outcomes,
      observer: deps.observer,
      onEnqueued: (first) => {
        this.dispatcher.wake({ now: first });
        // The Redis queue's relay moves a fan-out page's jobs from the database at once, not at its next poll.
        if (isOutbox(deps.queue)) deps.queue.kick();
      },
      ...(fanOutPageSize !== undefined ? { pageSize: fanOutPageSize } : {}),
      packUpTo: () => (this.liveness.packedJobsReadable ? (dispatchOptions.batchSize ?? 500) : 1),
      sharedRequests: () => this.liveness.packFormat >= 2,
    });
    this.dispatcher = new Dispatcher({
      queue: deps.queue,
      channels: dispatchChannels(deps.channels),
      owner: deps.node.id,
      // The server's clock decides whether a job's notAfter (a call's timeout) has passed.
      now: deps.now,
      // The certificate (cached with its channel) may carry its own limit; else its vendor's default.
      rateLimit: async (certificateId) => {
        const info = await deps.channels.certificate(certificateId);
        return info ? certificateRateLimit(info, vendorRateLimits) : undefined;
      },
      ...(deps.callEnded ? { callEnded: deps.callEnded } : {}),
      ...(deps.recall ? { recalled: deps.recall.recalledOf.bind(deps.recall) } : {}),
      // Redis settles after the database commit: a job back from a crash in between is settled as recorded.
      ...(deps.queue.kind === 'redis' ? { recordedAnswers: (jobs) => recordedAnswers(deps.db, jobs) } : {}),
      ...dispatchOptions,
      record: async (trx, events, settlement) => {
        this.#recorded.set(settlement, await outcomes.writeAnswers(trx, events.flatMap(vendorAnswer)));
        if (deps.recall) {
          // Recalled while on their way: the recall saw no delivery to retract, so the settlement does.
          const sent = events.filter((e) => e.outcome.kind === 'sent' && e.job.task.recallable);
          if (sent.length > 0) {
            const late = await lateRetractions(
              trx,
              { secrets: deps.secrets, now: deps.now, newPushId: deps.newPushId },
              sent.map((e) => e.job.task),
            );
            if (late.tasks.length > 0) {
              await deps.queue.enqueueWith(trx, late.tasks, { groupKey: 'recall_late' });
              await outcomes.writeDecisions(trx, late.accepted, []);
              this.#late.set(settlement, late);
            }
          }
        }
        if (settlement.throttled.length > 0)
          await outcomes.writeThrottled(
            trx,
            settlement.throttled.map((t) => t.task),
          );
        const held = settlement.events.filter((e) => e.outcome.kind === 'certificate-paused');
        if (held.length > 0)
          await outcomes.writeHeld(
            trx,
            held.map((e) => e.job.task),
          );
        await pauseCertificates(trx, deps.secrets, settlement);
      },
      onCommitted: (settlement) => {
        const late = this.#late.get(settlement);
        if (late) {
          this.dispatcher.wake();
          outcomes.countDecisions(late.accepted, []);
          deps.observer?.accepted(late.accepted);
        }
        const written = this.#recorded.get(settlement) ?? { recorded: [], webhookBatches: 0 };
        outcomes.countAnswers(written);
        const { recorded } = written;
        if (settlement.throttled.length > 0) outcomes.countThrottled(settlement.throttled.map((t) => t.task));
        if (recorded.length > 0) deps.observer?.vendorAnswers(recorded);
        if (settlement.throttled.length > 0) deps.observer?.throttled?.(settlement.throttled);
        for (const [certificateId, code] of settlement.credentialErrors) {
          // The pause is committed; CertificateChannels re-reads the certificate (and stops using it).
          deps.channels.invalidate(certificateId);
          log.warn({ certificateId, code }, 'certificate paused after a credential error');
        }
      },
      onError: (err, context) => log.error({ err }, `push dispatch: ${context}`),
    });
    // With the Redis queue a commit's jobs reach Redis through the outbox's relay, after the commit has woken
    // the dispatcher: once relayed, wake as many batches as they fill, or they wait for the next poll (200 ms).
    if (isOutbox(deps.queue)) {
      const batchSize = dispatchOptions.batchSize ?? 500;
      const concurrency = dispatchOptions.concurrency ?? 4;
      deps.queue.onRelayed((count) => {
        for (let i = Math.min(Math.ceil(count / batchSize), concurrency); i > 0; i--)
          this.dispatcher.wake({ now: true });
      });
    }
    this.#retractRead = async (read) => {
      let handed: LeasedJob[] | undefined;
      const pushes = await deps.db.transaction().execute(async (trx) => {
        const found = await readRetractions(
          trx,
          { secrets: deps.secrets, now: deps.now, newPushId: deps.newPushId },
          read,
        );
        if (found.tasks.length === 0) return found;
        handed = await this.#enqueueHandingOff(trx, found.tasks, `read_${read.conversationId}`);
        await outcomes.writeDecisions(trx, found.accepted, []);
        return found;
      });
      if (pushes.tasks.length === 0) return;
      this.#committed(handed);
      outcomes.countDecisions(pushes.accepted, []);
      deps.observer?.accepted(pushes.accepted);
    };
    this.badges = new BadgeSync({
      db: deps.db,
      enqueue: (trx, tasks, groupKey) => this.#enqueueHandingOff(trx, tasks, groupKey),
      outcomes,
      observer: deps.observer,
      secrets: deps.secrets,
      now: deps.now,
      newPushId: deps.newPushId,
      onEnqueued: (handed) => this.#committed(handed),
    });
    if (deps.inbox)
      this.#detach.push(
        deps.inbox.onUnreadChanged(async (sdkAppId, userId, total, readOn, read) => {
          await this.badges.sync(sdkAppId, userId, total, readOn);
          if (read && read.cleared > 0) await this.#retractRead({ sdkAppId, userId, readOn, ...read });
        }),
      );
    // Resuming a certificate (console or CLI) releases the pushes held while it was paused.
    // Either way they are due at once: the dispatcher is woken rather than left to its next idle poll.
    const release = async (id: number) => {
      const n = await deps.queue.resumeCertificate(id);
      if (n > 0) this.dispatcher.wake({ now: true });
      return n;
    };
    deps.certificateService.onResumed((_sdkAppId, id) => release(id));
    // Paused to discard: the held pushes become leasable, and the dispatcher drops them (recorded, not sent).
    deps.certificateService.onDiscarding((_sdkAppId, id) => release(id));
    if (deps.recall) {
      const pending = new WeakMap<object, { pushes: Retractions; handed: LeasedJob[] | undefined }>();
      this.#detach.push(
        deps.recall.onRecalling(async (trx, recalled) => {
          const pushes = await retractionPushes(
            trx,
            { secrets: deps.secrets, now: deps.now, newPushId: deps.newPushId },
            recalled,
          );
          if (pushes.tasks.length === 0) return;
          const handed = await this.#enqueueHandingOff(trx, pushes.tasks, `recall_${recalled.msgKey}`);
          await outcomes.writeDecisions(trx, pushes.accepted, []);
          pending.set(recalled, { pushes, handed });
        }),
        deps.recall.onRecalled((recalled) => {
          const queued = pending.get(recalled);
          if (!queued) return;
          pending.delete(recalled);
          const { pushes } = queued;
          this.#committed(queued.handed);
          outcomes.countDecisions(pushes.accepted, []);
          deps.observer?.accepted(pushes.accepted);
        }),
      );
    }
    this.#detach.push(
      deps.messaging.onMessageStoring(async (trx, message, recipients, known) => {
        // Group tips and group system notifications are not pushed offline (as in Tencent IM).
        if (message.groupTip) return;
        // A large group: commit a fan-out task with the message; its pushes are enqueued page by page after.
        // A targeted message goes only to its receivers, listed here: never paged through the whole group.
        if (message.type === 'group' && !message.receivers && recipients.length > groupThreshold) {
          this.#pending.set(message, await createGroupTask(trx, deps.tasks, message, deps.now()));
          return;
        }
        const pushes = await messagePushes(
          trx,
          { secrets: deps.secrets, now: deps.now, newPushId: deps.newPushId },
          message,
          recipients,
          known,
        );
        if (pushes.tasks.length > 0) {
          const handed = await this.#enqueueHandingOff(trx, pushes.tasks, message.msgKey);
          if (handed) this.#handedOff.set(message, handed);
        }
        await outcomes.writeDecisions(trx, pushes.accepted, pushes.skipped);
        this.#pending.set(message, pushes);
      }),
      deps.messaging.onMessageCommitted((message) => {
        const pushes = this.#pending.get(message);
        if (!pushes) return;
        this.#pending.delete(message);
        if ('taskId' in pushes) return this.fanOut.start(pushes);
        // A chat push should not wait for the dispatcher's next idle poll (up to idleMs, 200 ms by default):
        // handed to it already leased when it was idle, else it is woken.
        if (pushes.tasks.length > 0) this.#committed(this.#handedOff.get(message));
        outcomes.countDecisions(pushes.accepted, pushes.skipped);
        if (pushes.accepted.length > 0) deps.observer?.accepted(pushes.accepted);
        if (pushes.skipped.length > 0) deps.observer?.skipped(pushes.skipped);
      }),
    );
  }

  /**
   * Enqueues pushes in the caller's transaction (a message's, a read's, a recall's): leased to this node's
   * dispatcher when it would send them at once (dispatch/hand-off.ts; returns the leased jobs to hand it after
   * the commit), else plainly.
   */
  async #enqueueHandingOff(
    trx: Kysely<Database>,
    tasks: PushJobTask[],
    groupKey: string,
  ): Promise<LeasedJob[] | undefined> {
    const queue = this.#queue;
    const lease = queue.enqueueLeasedWith ? this.dispatcher.handOffLease(tasks.length) : undefined;
    if (lease && queue.enqueueLeasedWith) return queue.enqueueLeasedWith(trx, tasks, { groupKey }, lease);
    await queue.enqueueWith(trx, tasks, { groupKey });
    return undefined;
  }

  /** Pushes committed: handed to the dispatcher when they were leased to it with their insert, else it is woken. */
  #committed(handed: LeasedJob[] | undefined): void {
    if (handed) this.dispatcher.handOff(handed);
    else this.dispatcher.wake();
  }

  /** Takes back this node's leases left by a crash, then starts dispatching. */
  async start(): Promise<void> {
    await this.liveness.start();
    this.dispatcher.start();
  }

  /** Stops dispatching (batches in flight finish and settle) and detaches from messaging. */
  async stop(): Promise<void> {
    for (const detach of this.#detach.splice(0)) detach();
    await this.fanOut.stop();
    await this.dispatcher.stop();
    await this.liveness.stop();
  }
}

/** A settled job as the vendor answer it records (held jobs of a paused certificate record nothing). */
function vendorAnswer(e: SettledEvent): VendorAnswer[] {
  const { outcome, info } = e;
  if (outcome.kind === 'certificate-paused') return [];
  // Expired before sending, a ring whose call ended, the certificate deleted or paused to discard: a final
  // rejection that names why.
  const answer =
    outcome.kind === 'expired' ||
    outcome.kind === 'no-certificate' ||
    outcome.kind === 'call-ended' ||
    outcome.kind === 'recalled'
      ? { kind: 'rejected' as const, code: outcome.kind }
      : outcome.kind === 'certificate-discarded'
        ? { kind: 'rejected' as const, code: 'certificate-paused' }
        : outcome;
  const final = info.action === 'done' || info.action === 'dead-letter';
  // Measured per vendor request by the channel (channels/answer-tables.ts timed(), vendors/apns/channel.ts); 0 when none was made.
  const latencyMs = 'latencyMs' in outcome ? (outcome.latencyMs ?? 0) : 0;
  return [{ task: e.job.task, outcome: answer, attempt: info.attempt, latencyMs, final }];
}

/** A credential error pauses its certificate in the settlement's transaction (the console shows why). */
async function pauseCertificates(trx: Kysely<Database>, secrets: SecretBox, s: Settlement): Promise<void> {
  if (s.credentialErrors.size === 0) return;
  const store = new CertificateStore(trx, secrets);
  for (const [certificateId, code] of s.credentialErrors) {
    const sdkAppId = s.events.find((e) => e.job.task.certificateId === certificateId)?.job.task.sdkAppId;
    if (sdkAppId === undefined) continue;
    await store.setStatus(sdkAppId, certificateId, 'paused', `the vendor refused the credential: ${code}`);
  }
}
