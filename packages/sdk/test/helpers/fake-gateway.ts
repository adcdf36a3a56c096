// A fake Pushline gateway for the SDK's unit tests: a `ws` server on 127.0.0.1 (random port) that speaks the
// frames of packages/server/src/gateway/protocol.ts (docs/protocol.md). Client frames: `{type:"req", id, op,
// data}` and `{type:"ack", seq}`; server frames: `{type:"res", id, code, message, data}`, `{type:"event",
// event, data}` and `{type:"error", code, message}`. Each test decides how requests are answered.
import {
  PushlineChat,
  type PushlineChatOptions,
  type PushlineListener,
  type WebSocketConstructor,
} from '@pushline/sdk';
import WS, { type WebSocket, WebSocketServer } from 'ws';

export type ClientFrame =
  | { type: 'req'; id: number; op: string; data: Record<string, unknown> }
  | { type: 'ack'; seq: number };
export type Request = Extract<ClientFrame, { type: 'req' }>;

/** What a test does with a request: an answer `{code, message?, data?}`, or `undefined` to leave it unanswered. */
export type Answerer = (
  req: Request,
  conn: FakeConnection,
) => { code: number; message?: string; data?: Record<string, unknown> } | undefined;

/** The login answer the real gateway gives (connection.ts #login), with a long heartbeat. */
export function loginAnswer(extra: Record<string, unknown> = {}): { code: 0; data: Record<string, unknown> } {
  return {
    code: 0,
    data: {
      instanceId: 'inst',
      serverTime: Date.now(),
      heartbeatIntervalMs: 600_000,
      resumeFromSeq: 0,
      maxInFlight: 32,
      ...extra,
    },
  };
}

/** Logs in with loginAnswer(), answers every other request with code 0 and empty data. */
export const answerAll: Answerer = (req) => (req.op === 'login' ? loginAnswer() : { code: 0, data: {} });

/** Waits for frames as they come; each frame is handed to at most one waiter. */
class Inbox<T> {
  readonly all: T[] = [];
  #unread: T[] = [];
  #waiters: { match: (item: T) => boolean; resolve: (item: T) => void }[] = [];

  push(item: T): void {
    this.all.push(item);
    const i = this.#waiters.findIndex((w) => w.match(item));
    if (i >= 0) this.#waiters.splice(i, 1)[0]!.resolve(item);
    else this.#unread.push(item);
  }

  /** The first not yet taken item that matches, now or when it arrives. */
  next(match: (item: T) => boolean = () => true): Promise<T> {
    const i = this.#unread.findIndex(match);
    if (i >= 0) return Promise.resolve(this.#unread.splice(i, 1)[0]!);
    return new Promise((resolve) => this.#waiters.push({ match, resolve }));
  }
}

export class FakeConnection {
  readonly frames = new Inbox<ClientFrame>();
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(
    readonly ws: WebSocket,
    private readonly gateway: FakeGateway,
  ) {
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    ws.on('message', (raw) => {
      const frame = JSON.parse(raw.toString()) as ClientFrame;
      this.frames.push(frame);
      if (frame.type !== 'req') return;
      const answer = this.gateway.answer(frame, this);
      if (answer) this.answer(frame, answer);
    });
  }

  /** The next request (of `op`, if given) this connection receives. */
  request(op?: string): Promise<Request> {
    return this.frames.next((f) => f.type === 'req' && (op === undefined || f.op === op)) as Promise<Request>;
  }

  ack(): Promise<Extract<ClientFrame, { type: 'ack' }>> {
    return this.frames.next((f) => f.type === 'ack') as Promise<Extract<ClientFrame, { type: 'ack' }>>;
  }

  answer(req: { id: number }, a: { code: number; message?: string; data?: Record<string, unknown> }): void {
    this.send({
      type: 'res',
      id: req.id,
      code: a.code,
      message: a.message ?? '',
      ...(a.data ? { data: a.data } : {}),
    });
  }

  event(event: string, data: Record<string, unknown>): void {
    this.send({ type: 'event', event, data });
  }

  send(frame: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** The connection drops without a closing handshake (network loss). */
  drop(): void {
    this.ws.terminate();
  }
}

export class FakeGateway {
  readonly connections = new Inbox<FakeConnection>();
  /** How requests are answered; tests may replace it. */
  answer: Answerer = answerAll;
  /** The clients made by fakeClient(): logged out before the gateway closes. */
  readonly clients: PushlineChat[] = [];

  private constructor(
    private readonly server: WebSocketServer,
    readonly url: string,
  ) {
    server.on('connection', (ws) => this.connections.push(new FakeConnection(ws, this)));
  }

  static async start(): Promise<FakeGateway> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error(`unexpected address ${address}`);
    return new FakeGateway(server, `ws://127.0.0.1:${address.port}/ws`);
  }

  /** The next connection the gateway accepts. */
  connection(): Promise<FakeConnection> {
    return this.connections.next();
  }

  /** Logs out the clients (answering everything from now on), then drops every connection and stops. */
  async close(): Promise<void> {
    this.answer = answerAll;
    for (const chat of this.clients) await chat.logout().catch(() => undefined);
    for (const c of this.connections.all) c.ws.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** `ws` as the SDK's WebSocket (Node 20 has no global one), counting the sockets the SDK opens. */
export function countingWebSocket(): { WebSocket: WebSocketConstructor; opened: () => number } {
  let count = 0;
  class CountingWebSocket extends WS {
    constructor(url: string) {
      super(url);
      count++;
    }
  }
  return { WebSocket: CountingWebSocket as unknown as WebSocketConstructor, opened: () => count };
}

/** A client of the fake gateway; `opened()` counts its connection attempts. */
export function fakeClient(
  gateway: FakeGateway,
  options: Partial<PushlineChatOptions> = {},
): { chat: PushlineChat; opened: () => number } {
  const { WebSocket, opened } = countingWebSocket();
  const chat = new PushlineChat({ url: gateway.url, sdkAppId: 1400000001, WebSocket, ...options });
  gateway.clients.push(chat);
  return { chat, opened };
}

/** A `message` event's data as the gateway sends inbox entries (connection.ts #drain): a C2C text message. */
export function messageEvent(
  seq: number,
  from: string,
  to: string,
  text: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    seq,
    conversationId: `c2c_${from}`,
    message: {
      msgKey: `${seq}_${from}_${to}`,
      msgSeq: seq,
      msgRandom: 1000 + seq,
      msgTime: 1_780_000_000 + seq,
      type: 'c2c',
      from,
      to,
      body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }],
    },
    ...extra,
  };
}

export type ListenerCall = { name: keyof PushlineListener; args: unknown[] };

/**
 * A listener that records every call the SDK makes to it, in order. `next(name, ...args)` waits for the first
 * call of that name (with those arguments, if given) that no earlier `next` returned.
 */
export function recordListener(chat: PushlineChat): {
  calls: ListenerCall[];
  names: () => string[];
  next: (name: keyof PushlineListener, ...args: unknown[]) => Promise<unknown[]>;
} {
  const calls = new Inbox<ListenerCall>();
  const listener = new Proxy({} as Partial<PushlineListener>, {
    get: (_, name) =>
      typeof name === 'string'
        ? (...args: unknown[]) => calls.push({ name: name as keyof PushlineListener, args })
        : undefined,
  });
  chat.addListener(listener);
  return {
    calls: calls.all,
    names: () => calls.all.map((c) => c.name),
    next: async (name, ...args) =>
      (
        await calls.next(
          (c) => c.name === name && (args.length === 0 || JSON.stringify(c.args) === JSON.stringify(args)),
        )
      ).args,
  };
}
