// Real SDK clients (and raw protocol sockets) against a test server, plus a polling wait helper.
import { type LoginParams, PushlineChat, type PushlineListener, type ReceivedMessage } from '@pushline/sdk';
import WebSocket from 'ws';
import { genUserSig } from '../../src/index.js';
import type { TestServer } from './server.js';

export function userSigFor(s: TestServer, userId: string, expire = 86_400): string {
  return genUserSig({ sdkAppId: s.app.sdkAppId, key: s.app.secretKey, identifier: userId, expire });
}

export function gatewayUrl(s: TestServer): string {
  return `${s.url.replace(/^http/, 'ws')}/ws`;
}

/** Polls `check` until it returns a truthy value (or passes without throwing). */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  what = 'condition',
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
      last = new Error(`${what}: got ${JSON.stringify(v)}`);
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw last instanceof Error ? last : new Error(String(last));
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface TestClient {
  chat: PushlineChat;
  messages: ReceivedMessage[];
  kicked: { code: number; reason: string }[];
  events: string[];
  changes: { conversationID: string; unreadCount: number }[];
  totals: number[];
}

/** A PushlineChat over `ws`, recording everything it reports. */
export function sdkClient(s: TestServer, opts: { reconnectMinDelayMs?: number } = {}): TestClient {
  const chat = new PushlineChat({
    url: gatewayUrl(s),
    sdkAppId: s.app.sdkAppId,
    WebSocket: WebSocket as unknown as new (url: string) => unknown,
    reconnectMinDelayMs: opts.reconnectMinDelayMs ?? 50,
    reconnectMaxDelayMs: 500,
    requestTimeoutMs: 10_000,
  });
  const c: TestClient = { chat, messages: [], kicked: [], events: [], changes: [], totals: [] };
  const listener: Partial<PushlineListener> = {
    onRecvNewMessage: (m) => c.messages.push(m),
    onKickedOffline: (code, reason) => c.kicked.push({ code, reason }),
    onUserSigExpired: () => c.events.push('userSigExpired'),
    onConnectSuccess: () => c.events.push('connected'),
    onConnectionStateChanged: (st) => c.events.push(`state:${st}`),
    onConversationChanged: (list) => c.changes.push(...list),
    onTotalUnreadMessageCountChanged: (t) => c.totals.push(t),
  };
  chat.addListener(listener);
  return c;
}

export async function loggedIn(
  s: TestServer,
  userID: string,
  params: Partial<LoginParams> = {},
): Promise<TestClient> {
  const c = sdkClient(s);
  await c.chat.login({ userID, userSig: userSigFor(s, userID), platform: 'Android', ...params });
  return c;
}

/** A raw protocol socket: send frames, read frames. */
export interface RawSocket {
  ws: WebSocket;
  frames: Record<string, unknown>[];
  send(frame: unknown): void;
  request(op: string, data?: unknown): Promise<Record<string, unknown>>;
  closed: Promise<{ code: number; reason: string }>;
}

export async function rawSocket(s: TestServer): Promise<RawSocket> {
  const ws = new WebSocket(gatewayUrl(s));
  const frames: Record<string, unknown>[] = [];
  ws.on('message', (d) => frames.push(JSON.parse(String(d))));
  const closed = new Promise<{ code: number; reason: string }>((r) =>
    ws.on('close', (code, reason) => r({ code, reason: String(reason) })),
  );
  await new Promise((r, j) => {
    ws.once('open', r);
    ws.once('error', j);
  });
  let nextId = 1;
  return {
    ws,
    frames,
    closed,
    send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    async request(op, data = {}) {
      const id = nextId++;
      ws.send(JSON.stringify({ type: 'req', id, op, data }));
      return waitFor(() => frames.find((f) => f.type === 'res' && f.id === id), `response to ${op}`);
    },
  };
}
