// Callbacks that are not part of a transaction (State.StateChange): handed to the one callback sender,
// the outbox of push/outcomes/webhook-outbox.ts, which stores, signs, POSTs and retries them like every
// other callback. `post` returns at once; the row is written in the background.
import type { Logger } from 'pino';
import type { WebhookOutbox } from '../push/outcomes/webhook-outbox.js';
import type { CallbackOrigin } from './sign.js';

export class WebhookSender {
  readonly #pending = new Set<Promise<void>>();
  #closed = false;

  constructor(
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
    const task = this.outbox()
      .enqueueOne(this.outbox().db, sdkAppId, callbackCommand, body, origin)
      .catch((err) => this.log.error({ err, sdkAppId, callbackCommand }, 'webhooks: queueing failed'))
      .finally(() => this.#pending.delete(task));
    this.#pending.add(task);
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
