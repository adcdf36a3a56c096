// A small HTTP/1.1 client for the vendors that speak plain JSON or form posts (FCM, Huawei, Honor, Xiaomi,
// OPPO, vivo, Meizu, Web Push): keep-alive sockets, the configured CA, and answers as text.
import http from 'node:http';
import https from 'node:https';
import { trustContext } from './tls-context.js';

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HttpRequest {
  method?: string;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
  /** Milliseconds before the request is abandoned (default 30 s). */
  timeoutMs?: number;
}

/** A network-level failure (no HTTP answer): always worth a retry. */
export class NetworkError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class HttpClient {
  readonly #https: https.Agent;
  readonly #http: http.Agent;
  /** Requests sent and not yet answered: close() lets them finish (see close). */
  #inFlight = 0;
  #closing = false;

  constructor(ca: string[] | undefined, maxSockets = 64) {
    // One TLS context per trust list (tls-context.ts): given as `ca`, the ~150 root certificates were parsed
    // again for every new connection, and joined into the agent's pool key on every request.
    const secureContext = trustContext(ca);
    this.#https = new https.Agent({
      keepAlive: true,
      maxSockets,
      ...(secureContext ? { secureContext } : {}),
    });
    this.#http = new http.Agent({ keepAlive: true, maxSockets });
  }

  request(url: string, req: HttpRequest = {}): Promise<HttpAnswer> {
    this.#inFlight++;
    return this.#request(url, req).finally(() => {
      this.#inFlight--;
      if (this.#closing && this.#inFlight === 0) this.#destroy();
    });
  }

  #request(url: string, req: HttpRequest): Promise<HttpAnswer> {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    const body =
      req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body);
    const headers: Record<string, string | number> = { ...req.headers };
    if (body) headers['content-length'] = body.length;
    return new Promise((resolve, reject) => {
      const r = (secure ? https : http).request(
        target,
        { method: req.method ?? 'POST', headers, agent: secure ? this.#https : this.#http },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', (err: NodeJS.ErrnoException) =>
            reject(new NetworkError(err.code ?? 'ResponseError', err.message)),
          );
        },
      );
      r.setTimeout(req.timeoutMs ?? 30_000, () =>
        r.destroy(new NetworkError('Timeout', 'vendor did not answer in time')),
      );
      r.on('error', (err: NodeJS.ErrnoException) =>
        reject(err instanceof NetworkError ? err : new NetworkError(err.code ?? 'NetworkError', err.message)),
      );
      r.end(body);
    });
  }

  /**
   * Closes the connections once the requests in flight are answered. Destroying the agents at once reset
   * them, and a push the vendor had already accepted came back as a network error and was sent again — a
   * duplicate on the phone whenever a certificate was edited, paused or resumed during a send.
   */
  close(): void {
    this.#closing = true;
    if (this.#inFlight === 0) this.#destroy();
  }

  #destroy(): void {
    this.#https.destroy();
    this.#http.destroy();
  }
}

export function form(fields: Record<string, string | number | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) p.set(k, String(v));
  return p.toString();
}

export function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
