// How a Web Push channel reaches each push service (docs/internals/webpush.md#connections): over HTTP/2 where
// the service offers it, which FCM's, Mozilla's and Apple's push services do — one connection carries many
// messages at once, with fewer system calls and TLS records per message than HTTP/1.1 keep-alive sockets —
// and over HTTP/1.1 where it does not. Subscriptions name their service by their endpoint's origin; a channel
// asks each origin once, by TLS ALPN (offering h2 and http/1.1; the server picks).

import { isIP } from 'node:net';
import { type SecureContext, connect as tlsConnect } from 'node:tls';
import { Http2SessionPool } from '../../channels/http2-pool.js';

export type WebPushTransport = { kind: 'h2'; pool: Http2SessionPool } | { kind: 'http1' };

/** How long an origin whose ALPN answer could not be read (unreachable, bad certificate) uses HTTP/1.1. */
const RETRY_NEGOTIATION_MS = 60_000;
const NEGOTIATION_TIMEOUT_MS = 10_000;

interface Entry {
  transport: Promise<WebPushTransport>;
  /** Set when the negotiation failed: ask again after this time. */
  retryAt?: number;
}

export class WebPushTransports {
  readonly #byOrigin = new Map<string, Entry>();
  #closed = false;

  constructor(
    private readonly secureContext: SecureContext | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** The transport of an endpoint's push service, negotiated on first use. */
  of(endpoint: URL): Promise<WebPushTransport> {
    const known = this.#byOrigin.get(endpoint.origin);
    if (known && (known.retryAt === undefined || known.retryAt > this.now())) return known.transport;
    if (endpoint.protocol !== 'https:') {
      // Plain HTTP (a push service on a private network): no TLS, so no ALPN and no HTTP/2 to ask for.
      const entry: Entry = { transport: Promise.resolve({ kind: 'http1' }) };
      this.#byOrigin.set(endpoint.origin, entry);
      return entry.transport;
    }
    const entry: Entry = {
      transport: negotiateAlpn(endpoint, this.secureContext).then((protocol) => {
        // No answer could be read (unreachable, bad certificate): HTTP/1.1 for now — its own request reports
        // the real error — and ask again later.
        if (protocol === undefined) entry.retryAt = this.now() + RETRY_NEGOTIATION_MS;
        return protocol === 'h2' && !this.#closed ? this.#http2(endpoint) : { kind: 'http1' };
      }),
    };
    this.#byOrigin.set(endpoint.origin, entry);
    return entry.transport;
  }

  #http2(endpoint: URL): WebPushTransport {
    return {
      kind: 'h2',
      pool: new Http2SessionPool({
        label: 'Web Push',
        origin: endpoint.origin,
        tls: this.secureContext ? { secureContext: this.secureContext } : {},
        maxSessions: 2,
        maxQueue: 50_000,
        pingIntervalMs: 60_000,
        idleMs: 5 * 60_000,
        requestTimeoutMs: 30_000,
        successBody: true,
      }),
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    const transports = await Promise.all([...this.#byOrigin.values()].map((e) => e.transport));
    this.#byOrigin.clear();
    await Promise.all(transports.map((t) => (t.kind === 'h2' ? t.pool.close() : undefined)));
  }
}

/**
 * The protocol a push service picks by ALPN: 'h2', 'http/1.1' (also when it names none), or undefined when
 * the TLS handshake did not complete.
 */
export function negotiateAlpn(
  endpoint: URL,
  secureContext: SecureContext | undefined,
): Promise<'h2' | 'http/1.1' | undefined> {
  const host = endpoint.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = tlsConnect({
      host,
      port: Number(endpoint.port || 443),
      ...(isIP(host) ? {} : { servername: host }),
      ALPNProtocols: ['h2', 'http/1.1'],
      ...(secureContext ? { secureContext } : {}),
    });
    const done = (protocol: 'h2' | 'http/1.1' | undefined) => {
      socket.destroy();
      resolve(protocol);
    };
    socket.setTimeout(NEGOTIATION_TIMEOUT_MS, () => done(undefined));
    socket.once('secureConnect', () => done(socket.alpnProtocol === 'h2' ? 'h2' : 'http/1.1'));
    socket.once('error', () => done(undefined));
  });
}
