// Callbacks that are not part of a transaction (State.StateChange): handed to the one callback sender,
// the outbox of webhooks/outbox.ts, which stores, signs, POSTs and retries them like every
// other callback. `post` returns at once; the row is written in the background.
import type { Logger } from 'pino';
import type { AppsService } from '../apps/apps.js';
import type { WebhookOutbox } from './outbox.js';
import type { CallbackOrigin } from './sign.js';

export class WebhookSender {
  readonly #pending = new Set<Promise<void>>();
  #closed = false;

  constructor(
    private readonly apps: AppsService,
    private readonly outbox: () => WebhookOutbox,
    private readonly log: Logger,
  ) {}

  /** Queues a callback; resolves at once. Apps without a callback URL get nothing. */
  post(
    sdkAppId: number,
    callbackCommand: string,
    body: Record<string, unknown>,
    origin?: CallbackOrigin,
  ): void {
    if (this.#closed) return;
    const task = this.#queue(sdkAppId, callbackCommand, body, origin)
      .catch((err) => this.log.error({ err, sdkAppId, callbackCommand }, 'webhooks: queueing failed'))
      .finally(() => this.#pending.delete(task));
    this.#pending.add(task);
  }

  async #queue(
    sdkAppId: number,
    command: string,
    body: Record<string, unknown>,
    origin: CallbackOrigin | undefined,
  ): Promise<void> {
    // Most apps have no callback URL: they cost no row.
    const app = await this.apps.get(sdkAppId);
    if (!app?.settings.callbackUrl) return;
    const outbox = this.outbox();
    await outbox.enqueueOne(outbox.db, sdkAppId, command, body, origin);
  }

  /**
   * Resolves when every queued callback (of any kind) was delivered or given up, or after `timeoutMs`.
   * For tests and orderly shutdowns.
   */
  async drain(timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
    const outbox = this.outbox();
    while (Date.now() < until) {
      await outbox.idle();
      if ((await outbox.pending()) === 0) return;
      outbox.wake();
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): void {
    this.#closed = true;
  }
}
