// One WebSocket to the gateway: opens it, correlates requests with responses, and reports frames and the
// close. Reconnecting is the client's job (chat.ts); a Link is used once.
import type { GatewayOp } from '@pushline/contracts';
import { PushlineError, SdkErrorCode } from './types.js';

/** The part of the WHATWG WebSocket the SDK uses (browsers, React Native, Node 22+, or `ws`). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export type WebSocketConstructor = new (url: string) => unknown;

const OPEN = 1;

interface Pending {
  resolve(data: Record<string, unknown>): void;
  reject(err: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export interface LinkHandlers {
  onEvent(event: string, data: Record<string, unknown>): void;
  onServerError(code: number, message: string): void;
  /** Called once, whatever ended the link. */
  onClose(code: number, reason: string): void;
}

export class Link {
  readonly #ws: WebSocketLike;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #closed = false;
  /** Requests the server runs at once per connection (`maxInFlight` of the login answer); more wait here. */
  #maxInFlight = Number.POSITIVE_INFINITY;
  /** Requests sent and not yet answered (or timed out). */
  #inFlight = 0;
  readonly #waiting: { id: number; frame: string }[] = [];
  readonly #opened: Promise<void>;

  constructor(
    url: string,
    Ctor: WebSocketConstructor,
    private readonly handlers: LinkHandlers,
    private readonly requestTimeoutMs: number,
  ) {
    this.#ws = new Ctor(url) as WebSocketLike;
    this.#opened = new Promise((resolve, reject) => {
      this.#ws.onopen = () => resolve();
      this.#ws.onerror = () =>
        reject(new PushlineError(SdkErrorCode.ConnectionLost, `cannot connect to ${url}`));
    });
    this.#opened.catch(() => undefined);
    this.#ws.onmessage = (ev) => this.#onMessage(ev.data);
    this.#ws.onclose = (ev) => this.#finish(ev.code, ev.reason);
  }

  /** Resolves when the socket is open; rejects if it fails first. */
  opened(): Promise<void> {
    return Promise.race([
      this.#opened,
      new Promise<void>((_, reject) => {
        const t = setTimeout(
          () => reject(new PushlineError(SdkErrorCode.Timeout, 'connect timed out')),
          this.requestTimeoutMs,
        );
        void this.#opened.finally(() => clearTimeout(t)).catch(() => undefined);
      }),
    ]);
  }

  /**
   * The server answers requests beyond this many in flight with 7008 (docs/protocol.md#limits): the link
   * holds the extra ones back and sends each as an answer comes in.
   */
  setMaxInFlight(limit: number): void {
    if (Number.isInteger(limit) && limit > 0) this.#maxInFlight = limit;
    this.#sendWaiting();
  }

  request(op: GatewayOp, data: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    if (this.#closed || this.#ws.readyState !== OPEN) {
      return Promise.reject(new PushlineError(SdkErrorCode.ConnectionLost, 'not connected'));
    }
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const waiting = this.#waiting.findIndex((w) => w.id === id);
        if (waiting >= 0) this.#waiting.splice(waiting, 1);
        else this.#done();
        this.#pending.delete(id);
        reject(new PushlineError(SdkErrorCode.Timeout, `${op} timed out`));
      }, this.requestTimeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      this.#waiting.push({ id, frame: JSON.stringify({ type: 'req', id, op, data }) });
      this.#sendWaiting();
    });
  }

  #sendWaiting(): void {
    while (this.#inFlight < this.#maxInFlight && this.#waiting.length > 0 && !this.#closed) {
      const next = this.#waiting.shift()!;
      this.#inFlight++;
      this.#ws.send(next.frame);
    }
  }

  /** A sent request was answered (or gave up waiting): the next one may go. */
  #done(): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    this.#sendWaiting();
  }

  /** Sends a frame that has no answer (acks). */
  post(frame: Record<string, unknown>): void {
    if (!this.#closed && this.#ws.readyState === OPEN) this.#ws.send(JSON.stringify(frame));
  }

  /** Ends the link now, without waiting for the closing handshake. */
  close(code = 1000, reason = ''): void {
    if (this.#closed) return;
    try {
      this.#ws.close(code, reason);
    } catch {
      // already closing
    }
    this.#finish(code, reason);
  }

  #onMessage(raw: unknown): void {
    let frame: Record<string, unknown>;
    try {
      frame = JSON.parse(String(raw)) as Record<string, unknown>;
    } catch {
      return;
    }
    if (frame.type === 'res') {
      const pending = this.#pending.get(Number(frame.id));
      if (!pending) return;
      this.#pending.delete(Number(frame.id));
      clearTimeout(pending.timer);
      this.#done();
      if (frame.code === 0) pending.resolve((frame.data ?? {}) as Record<string, unknown>);
      else pending.reject(new PushlineError(Number(frame.code), String(frame.message ?? 'request failed')));
    } else if (frame.type === 'event') {
      this.handlers.onEvent(String(frame.event), (frame.data ?? {}) as Record<string, unknown>);
    } else if (frame.type === 'error') {
      this.handlers.onServerError(Number(frame.code), String(frame.message));
    }
  }

  #finish(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#ws.onopen = this.#ws.onmessage = this.#ws.onclose = null;
    this.#ws.onerror = () => undefined;
    for (const p of this.#pending.values()) {
      clearTimeout(p.timer);
      p.reject(new PushlineError(SdkErrorCode.ConnectionLost, 'connection lost'));
    }
    this.#pending.clear();
    this.#waiting.length = 0;
    this.handlers.onClose(code, reason);
  }
}
