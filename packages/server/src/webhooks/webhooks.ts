// Webhooks to the app's `settings.callbackUrl`, the way Tencent calls them:
// POST <url>?SdkAppid=<id>&CallbackCommand=<command>&contenttype=json with a JSON body. A delivery that
// fails (network error, timeout, non-2xx) is retried with growing delays; after the last one it is logged
// and dropped. Used for State.StateChange here and for Push.OfflinePush by the push engine.
import type { Logger } from 'pino';
import type { AppsService } from '../apps/apps.js';

export interface WebhookOptions {
  /** Delays before each retry; the number of entries is the number of retries. */
  retryDelaysMs?: number[];
  timeoutMs?: number;
}

export const DEFAULT_RETRY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000];

export class WebhookSender {
  readonly #pending = new Set<Promise<void>>();
  readonly #sleeps = new Map<NodeJS.Timeout, (ok: boolean) => void>();
  readonly #retryDelays: number[];
  readonly #timeoutMs: number;
  #closed = false;

  constructor(
    private readonly apps: AppsService,
    private readonly log: Logger,
    opts: WebhookOptions = {},
  ) {
    this.#retryDelays = opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.#timeoutMs = opts.timeoutMs ?? 5_000;
  }

  /** Queues a webhook; resolves at once. Apps without a callback URL get nothing. */
  post(sdkAppId: number, callbackCommand: string, body: Record<string, unknown>): void {
    if (this.#closed) return;
    const task = this.#deliver(sdkAppId, callbackCommand, body).finally(() => this.#pending.delete(task));
    this.#pending.add(task);
  }

  /** Resolves when every queued webhook was delivered or gave up. */
  async drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  close(): void {
    this.#closed = true;
    for (const [t, wake] of this.#sleeps) {
      clearTimeout(t);
      wake(false);
    }
    this.#sleeps.clear();
  }

  async #deliver(sdkAppId: number, command: string, body: Record<string, unknown>): Promise<void> {
    const app = await this.apps.get(sdkAppId);
    const base = app?.settings.callbackUrl;
    if (!base) return;
    const url = new URL(base);
    url.searchParams.set('SdkAppid', String(sdkAppId));
    url.searchParams.set('CallbackCommand', command);
    url.searchParams.set('contenttype', 'json');
    const payload = JSON.stringify(body);
    for (let attempt = 0; ; attempt++) {
      const problem = await this.#attempt(url, payload);
      if (problem === undefined) return;
      const delay = this.#retryDelays[attempt];
      if (delay === undefined || this.#closed) {
        this.log.warn({ sdkAppId, command, attempts: attempt + 1, problem }, 'webhook dropped');
        return;
      }
      this.log.debug({ sdkAppId, command, attempt, problem }, 'webhook failed, retrying');
      const ok = await this.#sleep(delay);
      if (!ok) return;
    }
  }

  /** undefined on success, else what went wrong. */
  async #attempt(url: URL, payload: string): Promise<string | undefined> {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: payload,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.ok ? undefined : `HTTP ${res.status}`;
    } catch (err) {
      return (err as Error).message;
    }
  }

  #sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.#closed) return resolve(false);
      const t = setTimeout(() => {
        this.#sleeps.delete(t);
        resolve(!this.#closed);
      }, ms);
      this.#sleeps.set(t, resolve);
    });
  }
}
