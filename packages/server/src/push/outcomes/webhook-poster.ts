// One webhook POST with a timeout, and the retry schedule. Self-contained so that it can serve every
// webhook sender (State.StateChange, Push.*) once they are unified.

export interface PostResult {
  ok: boolean;
  /** HTTP status, absent on a network error or timeout. */
  status?: number;
  /** Why it failed, for logs and the outbox row. */
  error?: string;
  /** Seconds from a Retry-After header on 429/503. */
  retryAfterMs?: number;
}

export interface RetryPolicy {
  /** First retry delay; doubles per attempt (with ±20% jitter). */
  baseMs: number;
  maxMs: number;
}

export class WebhookPoster {
  constructor(private readonly timeoutMs = 5000) {}

  /** POSTs `<callbackUrl>?SdkAppid=&CallbackCommand=&contenttype=json` with a JSON body. */
  async post(callbackUrl: string, sdkAppId: number, command: string, body: unknown): Promise<PostResult> {
    let url: URL;
    try {
      url = new URL(callbackUrl);
    } catch {
      return { ok: false, error: 'callback URL is not a valid URL' };
    }
    url.searchParams.set('SdkAppid', String(sdkAppId));
    url.searchParams.set('CallbackCommand', command);
    url.searchParams.set('contenttype', 'json');
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'manual',
      });
      await res.arrayBuffer().catch(() => undefined); // drain so the connection can be reused
      if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
      return {
        ok: false,
        status: res.status,
        error: `HTTP ${res.status}`,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      const reason =
        e.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : (e.cause?.code ?? e.message);
      return { ok: false, error: reason };
    }
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
