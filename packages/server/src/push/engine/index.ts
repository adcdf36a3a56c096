// The push engine: from a committed message to queued push jobs, and the dispatcher that sends them.
//
//   messaging.onMessageStoring  -> messagePushes() -> pushQueue.enqueueWith(trx)   (same commit as the message)
//   messaging.onMessageCommitted -> recorder.accepted / skipped                     (after the commit)
//   Dispatcher (dispatch.ts)     -> channels -> recorder.vendorAnswers, binding removal, certificate pause
import type { Logger } from 'pino';
import type { SecretBox } from '../../auth/secret-box.js';
import type { BindingStore } from '../../gateway/binding-store.js';
import type { CommittedMessage } from '../../messaging/hooks.js';
import type { MessagingService } from '../../messaging/messages.js';
import type { CertificateService } from '../certificates/service.js';
import type { ChannelRegistry } from '../channels/index.js';
import { Dispatcher, type DispatcherOptions } from '../dispatch.js';
import type { SqlPushQueue } from '../queue/index.js';
import { dispatchChannels } from './channel-adapter.js';
import { type MessagePushes, messagePushes } from './message-pushes.js';
import { MemoryPushRecorder, type PushRecorder } from './recorder.js';

export { MemoryPushRecorder, type PushRecorder } from './recorder.js';

export interface PushEngineDeps {
  messaging: MessagingService;
  /** The SQL queue: its jobs commit in the message's transaction. */
  queue: SqlPushQueue;
  channels: ChannelRegistry;
  certificateService: CertificateService;
  bindings: BindingStore;
  secrets: SecretBox;
  log: Logger;
  now: () => number;
  recorder?: PushRecorder;
  newPushId?: () => string;
}

export type PushEngineOptions = Pick<
  DispatcherOptions,
  | 'batchSize'
  | 'concurrency'
  | 'maxAttempts'
  | 'backoffBaseMs'
  | 'backoffMaxMs'
  | 'idleMs'
  | 'visibilityMs'
  | 'rateLimit'
>;

export class PushEngine {
  readonly dispatcher: Dispatcher;
  recorder: PushRecorder;
  /** Records of messages stored but not yet committed (the same message object reaches both hooks). */
  readonly #pending = new WeakMap<CommittedMessage, MessagePushes>();
  readonly #detach: (() => void)[] = [];

  constructor(deps: PushEngineDeps, options: PushEngineOptions = {}) {
    this.recorder = deps.recorder ?? new MemoryPushRecorder();
    const log = deps.log;
    this.dispatcher = new Dispatcher({
      queue: deps.queue,
      channels: dispatchChannels(deps.channels),
      ...options,
      onOutcome: (task, outcome, info) => {
        if (
          outcome.kind === 'expired' ||
          outcome.kind === 'no-certificate' ||
          outcome.kind === 'certificate-paused'
        )
          return;
        this.recorder.vendorAnswers([
          {
            task,
            outcome,
            attempt: info.attempt,
            latencyMs: 0,
            final: info.action !== 'retry' && info.action !== 'hold',
          },
        ]);
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
    this.#detach.push(
      deps.messaging.onMessageStoring(async (trx, message, recipients) => {
        const pushes = await messagePushes(
          trx,
          { secrets: deps.secrets, now: deps.now, ...(deps.newPushId ? { newPushId: deps.newPushId } : {}) },
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
    await this.dispatcher.stop();
  }
}
