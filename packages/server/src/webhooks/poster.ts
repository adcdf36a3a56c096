// One callback POST with a timeout, and the retry schedule: the only HTTP client of every callback
// (State.StateChange, Push.*, the message callbacks; see webhooks/). It signs each request (webhooks/sign.ts).
import { type CallbackOrigin, callbackUrl } from './sign.js';

export interface PostResult {
  ok: boolean;
  /** HTTP status, absent on a network error or timeout. */
  status?: number;
  /** Why it failed, for logs and the outbox row. */
  error?: string;
  /** Seconds from a Retry-After header on 429/503. */
  retryAfterMs?: number;
  /** The JSON the app answered with (2xx only), if it was JSON. */
  reply?: unknown;
}

export interface PostOptions {
  /** The app's callback token: adds RequestTime and Sign. */
  token?: string | undefined;
  origin?: CallbackOrigin | undefined;
  /** Overrides the poster's time-out (before-send callbacks). */
  timeoutMs?: number;
}

export interface RetryPolicy {
  /** First retry delay; doubles per attempt (with ±20% jitter). */
  baseMs: number;
  maxMs: number;
}

/**
 * Told of every callback POST that went out: `answered` when the app's server answered it with an HTTP
 * status (any), not when it timed out or could not be reached. getappinfo's CallBackReq / CallBackRsp.
 */
export type PostListener = (sdkAppId: number, answered: boolean) => void;

export class WebhookPoster {
  readonly #listeners: PostListener[] = [];

  constructor(private readonly timeoutMs = 5000) {}

  /** Adds a listener; it must be cheap and must not throw (it runs on every callback). */
  onPosted(listener: PostListener): void {
    this.#listeners.push(listener);
  }

  #posted(sdkAppId: number, answered: boolean): void {
    for (const listener of this.#listeners) listener(sdkAppId, answered);
  }

  /**
   * POSTs `<callbackUrl>?SdkAppid=&CallbackCommand=&contenttype=json[&ClientIP=&OptPlatform=]
   * [&RequestTime=&Sign=]` with a JSON body.
   */
  async post(
    base: string,
    sdkAppId: number,
    command: string,
    body: unknown,
    opts: PostOptions = {},
  ): Promise<PostResult> {
    let url: URL;
    try {
      url = callbackUrl(base, sdkAppId, command, {
        token: opts.token,
        origin: opts.origin,
        nowMs: Date.now(),
      });
    } catch {
      return { ok: false, error: 'callback URL is not a valid URL' };
    }
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'manual',
      });
    } catch (err) {
      this.#posted(sdkAppId, false);
      const e = err as Error & { cause?: { code?: string } };
      const reason =
        e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.message);
      return { ok: false, error: reason };
    }
    this.#posted(sdkAppId, true);
    // Read to the end so the connection can be reused; the JSON answer matters to before-send callbacks.
    const text = await res.text().catch(() => '');
    if (res.status >= 200 && res.status < 300)
      return { ok: true, status: res.status, reply: parseJson(text) };
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
    return {
      ok: false,
      status: res.status,
      error: `HTTP ${res.status}`,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
}

/** Delay before retry number `attempt` (1 = the first retry). */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfterMs?: number): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = exp * (0.8 + Math.random() * 0.4);
  return Math.min(policy.maxMs, Math.max(jittered, retryAfterMs ?? 0));
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
