// The push engine: from a committed message to queued push jobs, and the dispatcher that sends them.
//
//   messaging.onMessageStoring  -> messagePushes() -> pushQueue.enqueueWith(trx)   (same commit as the message)
//                                  or, for a large group, a fan-out task (group-fan-out.ts) that pages after it
//   messaging.onMessageCommitted -> recorder.accepted / skipped                     (after the commit)
//   Dispatcher (dispatch.ts)     -> channels -> recorder.vendorAnswers, binding removal, certificate pause

import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { SecretBox } from '../../auth/secret-box.js';
import type { BindingStore } from '../../gateway/binding-store.js';
import type { CommittedMessage } from '../../messaging/hooks.js';
import type { MessagingService } from '../../messaging/messages.js';
import type { Database } from '../../store/schema.js';
import type { AudienceQuery } from '../audience/query.js';
import type { CertificateService } from '../certificates/service.js';
import type { ChannelRegistry } from '../channels/index.js';
import { Dispatcher, type DispatcherOptions } from '../dispatch.js';
import type { TransactionalPushQueue } from '../queue/index.js';
import { certificateRateLimit, type VendorRateLimits } from '../rate-limits.js';
import { TaskProgressBuffer } from '../tasks/progress-buffer.js';
import type { PushTaskService } from '../tasks/store.js';
import type { PushTask } from '../tasks/types.js';
import { dispatchChannels } from './channel-adapter.js';
import type { DevicePushes } from './device-pushes.js';
import { FanOut } from './fan-out.js';
import { createGroupTask } from './group-fan-out.js';
import { messagePushes } from './message-pushes.js';
import { MemoryPushRecorder, type PushRecorder } from './recorder.js';

export { type EngineThrottled, MemoryPushRecorder, type PushRecorder, teeRecorder } from './recorder.js';

export interface PushEngineDeps {
  messaging: MessagingService;
  /** The SQL queue or the Redis queue's outbox: its jobs commit in the message's transaction. */
  queue: TransactionalPushQueue;
  channels: ChannelRegistry;
  certificateService: CertificateService;
  bindings: BindingStore;
  secrets: SecretBox;
  log: Logger;
  now: () => number;
  recorder?: PushRecorder;
  newPushId?: () => string;
  /** For push tasks (fan-out.ts). */
  db: Kysely<Database>;
  tasks: PushTaskService;
  audience: AudienceQuery;
  /** Call invitations: a ringing push still queued when its invitation ended is not sent. */
  callEnded?: (sdkAppId: number, ring: { inviteId: string; userId: string }) => Promise<boolean>;
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
  recorder: PushRecorder;
  /** Records of messages stored but not yet committed (the same message object reaches both hooks). */
  readonly #pending = new WeakMap<CommittedMessage, DevicePushes | PushTask>();
  readonly #detach: (() => void)[] = [];
  /** Sent/failed counters of push tasks, written in batches. */
  readonly #taskCounts: TaskProgressBuffer;

  constructor(deps: PushEngineDeps, options: PushEngineOptions = {}) {
    this.recorder = deps.recorder ?? new MemoryPushRecorder();
    const log = deps.log;
    const { fanOutPageSize, groupFanOutThreshold, vendorRateLimits = {}, ...dispatchOptions } = options;
    const groupThreshold = groupFanOutThreshold ?? fanOutPageSize ?? 500;
    this.#taskCounts = new TaskProgressBuffer(deps.tasks, {
      onError: (err) => log.error({ err }, 'writing push task counters'),
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
      recorder: () => this.recorder,
      ...(fanOutPageSize !== undefined ? { pageSize: fanOutPageSize } : {}),
    });
    this.dispatcher = new Dispatcher({
      queue: deps.queue,
      channels: dispatchChannels(deps.channels),
      // The server's clock decides whether a job's notAfter (a call's timeout) has passed.
      now: deps.now,
      // The certificate (cached with its channel) may carry its own limit; else its vendor's default.
      rateLimit: async (certificateId) => {
        const info = await deps.channels.certificate(certificateId);
        return info ? certificateRateLimit(info, vendorRateLimits) : undefined;
      },
      ...(deps.callEnded ? { callEnded: deps.callEnded } : {}),
      onThrottled: (tasks, delayMs) => this.recorder.throttled?.(tasks.map((task) => ({ task, delayMs }))),
      ...dispatchOptions,
      onOutcome: (task, outcome, info) => {
        // Held while the certificate is paused: the real answer comes after resume.
        if (outcome.kind === 'certificate-paused') return;
        const final = info.action === 'done' || info.action === 'dead-letter';
        if (task.taskId && final) {
          this.#taskCounts.add(task.taskId, outcome.kind === 'sent' ? { sent: 1 } : { failed: 1 });
        }
        // Expired before sending, a ring whose call ended, or the certificate was deleted: a final rejection.
        const answer =
          outcome.kind === 'expired' || outcome.kind === 'no-certificate' || outcome.kind === 'call-ended'
            ? { kind: 'rejected' as const, code: outcome.kind }
            : outcome;
        // Measured per vendor request by the channel (channels/outcomes.ts timed(), apns.ts); 0 when none was made.
        const latencyMs = 'latencyMs' in outcome ? (outcome.latencyMs ?? 0) : 0;
        this.recorder.vendorAnswers([{ task, outcome: answer, attempt: info.attempt, latencyMs, final }]);
      },
      onInvalidToken: async (task) => {
        await deps.bindings.removeToken(task.sdkAppId, task.certificateId, task.token);
      },
      onCredentialError: async (certificateId, code) => {
        const info = await deps.channels.certificate(certificateId);
        if (!info) return;
        await deps.certificateService.pause(
          info.sdkAppId,
          certificateId,
          `the vendor refused the credential: ${code}`,
        );
        log.warn(
          { certificateId, sdkAppId: info.sdkAppId, code },
          'certificate paused after a credential error',
        );
      },
      onError: (err, context) => log.error({ err }, `push dispatch: ${context}`),
    });
    // Resuming a certificate (console or CLI) releases the pushes held while it was paused.
    deps.certificateService.onResumed((_sdkAppId, id) => deps.queue.resumeCertificate(id));
    this.#detach.push(
      deps.messaging.onMessageStoring(async (trx, message, recipients) => {
        // A large group: commit a fan-out task with the message; its pushes are enqueued page by page after.
        if (message.type === 'group' && recipients.length > groupThreshold) {
          this.#pending.set(message, await createGroupTask(trx, deps.tasks, message, deps.now()));
          return;
        }
        const pushes = await messagePushes(
          trx,
          { secrets: deps.secrets, now: deps.now, newPushId: deps.newPushId },
          message,
          recipients,
        );
        if (pushes.tasks.length > 0)
          await deps.queue.enqueueWith(trx, pushes.tasks, { groupKey: message.msgKey });
        this.#pending.set(message, pushes);
      }),
      deps.messaging.onMessageCommitted((message) => {
        const pushes = this.#pending.get(message);
        if (!pushes) return;
        this.#pending.delete(message);
        if ('taskId' in pushes) return this.fanOut.start(pushes);
        // A chat push should not wait for the dispatcher's next idle poll (up to idleMs, 200 ms by default).
        if (pushes.tasks.length > 0) this.dispatcher.wake();
        if (pushes.accepted.length > 0) this.recorder.accepted(pushes.accepted);
        if (pushes.skipped.length > 0) this.recorder.skipped(pushes.skipped);
      }),
    );
  }

  start(): void {
    this.dispatcher.start();
  }

  /** Stops dispatching (batches in flight finish) and detaches from messaging. */
  async stop(): Promise<void> {
    for (const detach of this.#detach.splice(0)) detach();
    await this.fanOut.stop();
    await this.dispatcher.stop();
    // A failed write is logged by the buffer's onError at its next flush; counters are for display only.
    await this.#taskCounts.close().catch(() => {});
  }
}
