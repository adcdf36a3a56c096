// Tencent's own client SDK (`@tencentcloud/chat`, unmodified, pinned in package.json) pointed at a test
// server through its `proxyServer` option. The package keeps one chat instance per process (create() returns
// it again), so every client loads its own copy of the module.
import { createRequire } from 'node:module';
import WebSocket from 'ws';
import { userSigFor } from './clients.js';
import type { TestServer } from './server.js';

const require = createRequire(import.meta.url);

/** Every socket the SDKs opened, so that a test can cut one as a network failure would. */
const sockets: WebSocket[] = [];
class RecordedWebSocket extends WebSocket {
  constructor(url: string) {
    super(url);
    sockets.push(this);
    // A browser WebSocket closed while connecting only fires events; `ws` also emits 'error', which
    // throws when the SDK has already detached its handlers (it does so before close()).
    this.on('error', () => undefined);
  }
}
// The SDK opens its socket with the global WebSocket (browsers have one; Node 20 does not).
(globalThis as { WebSocket?: unknown }).WebSocket = RecordedWebSocket;

/** Drops the open sockets of an SDK instance without a closing handshake, as a lost network does. */
export function cutConnection(instanceId: string): number {
  let cut = 0;
  for (const ws of sockets) {
    if (new URL(ws.url).searchParams.get('instanceid') === instanceId && ws.readyState === ws.OPEN) {
      ws.terminate();
      cut++;
    }
  }
  return cut;
}

// biome-ignore lint/suspicious/noExplicitAny: the package's own typings describe a browser global
type Chat = any;

export interface TencentMessage {
  ID: string;
  type: string;
  from: string;
  to: string;
  conversationType: string;
  conversationID: string;
  payload: Record<string, unknown>;
  flow: string;
}

export interface TencentClient {
  chat: Chat;
  /** The module the chat came from (its TYPES and EVENT constants). */
  TencentCloudChat: Chat;
  messages: TencentMessage[];
  kicked: string[];
  ready: boolean;
  destroy(): Promise<void>;
}

export function tencentClient(s: TestServer): TencentClient {
  const path = require.resolve('@tencentcloud/chat');
  delete require.cache[path];
  const TencentCloudChat = require(path);
  const chat = TencentCloudChat.create({
    SDKAppID: s.app.sdkAppId,
    proxyServer: s.url.replace(/^http/, 'ws'),
  });
  // Errors only (level 4): the SDK logs every request otherwise.
  chat.setLogLevel(4);
  const c: TencentClient = {
    chat,
    TencentCloudChat,
    messages: [],
    kicked: [],
    ready: false,
    async destroy() {
      await chat.destroy().catch(() => undefined);
    },
  };
  chat.on(TencentCloudChat.EVENT.MESSAGE_RECEIVED, (e: { data: TencentMessage[] }) =>
    c.messages.push(...e.data),
  );
  chat.on(TencentCloudChat.EVENT.KICKED_OUT, (e: { data: { type: string } }) => c.kicked.push(e.data.type));
  chat.on(TencentCloudChat.EVENT.SDK_READY, () => {
    c.ready = true;
  });
  chat.on(TencentCloudChat.EVENT.SDK_NOT_READY, () => {
    c.ready = false;
  });
  return c;
}

export async function tencentLoggedIn(s: TestServer, userID: string): Promise<TencentClient> {
  const c = tencentClient(s);
  await c.chat.login({ userID, userSig: userSigFor(s, userID) });
  return c;
}

export function textOf(m: TencentMessage): unknown {
  return m.payload.text;
}
