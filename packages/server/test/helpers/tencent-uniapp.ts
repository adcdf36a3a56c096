// `@tencentcloud/chat` as its uni-app native build runs it: the package finds a `uni` global with
// `requireNativePlugin` (and no `window`) when it loads, and then talks through `uni.*` — `connectSocket`,
// storage, system info — instead of browser APIs. This file supplies that `uni` object over Node (`ws` for
// the socket) and a push plugin in the shape of Tencent's `tim-offline-push-plugin`, which hands the SDK a
// device token and tells it when the app goes to the background and comes back. The SDK itself is loaded
// unchanged; only the platform around it is simulated, as a phone would provide it.
import { createRequire } from 'node:module';
import WebSocket from 'ws';
import { userSigFor } from './clients.js';
import type { TestServer } from './server.js';
import type { TencentClient, TencentMessage } from './tencent-sdk.js';

const require = createRequire(import.meta.url);

type Callback = (res: Record<string, unknown>) => void;

/** A uni-app SocketTask over `ws`. */
function socketTask(url: string) {
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  ws.on('error', () => undefined);
  return {
    onOpen: (cb: Callback) => ws.on('open', () => cb({})),
    onMessage: (cb: Callback) =>
      ws.on('message', (data, isBinary) =>
        cb({ data: isBinary ? data : Buffer.from(data as ArrayBuffer).toString('utf8') }),
      ),
    onClose: (cb: Callback) => ws.on('close', (code, reason) => cb({ code, reason: reason.toString() })),
    onError: (cb: Callback) => ws.on('error', (err) => cb({ errMsg: err.message })),
    send: ({ data, fail }: { data: string | ArrayBuffer; fail?: () => void }) => {
      if (ws.readyState !== ws.OPEN) fail?.();
      else ws.send(data);
    },
    close: ({ code }: { code?: number } = {}) => ws.close(code),
  };
}

const storage = new Map<string, unknown>();

/** What the uni-app runtime offers the SDK, on a phone of the given platform. */
function uniRuntime(platform: 'android' | 'ios') {
  return {
    requireNativePlugin: () => ({}),
    getSystemInfoSync: () => ({ platform, model: 'Pushline test phone', system: platform, SDKVersion: '' }),
    connectSocket: ({ url }: { url: string }) => socketTask(url),
    getStorageSync: (key: string) => storage.get(key) ?? '',
    setStorageSync: (key: string, value: unknown) => void storage.set(key, value),
    removeStorageSync: (key: string) => void storage.delete(key),
    clearStorageSync: () => storage.clear(),
    getStorageInfoSync: () => ({ keys: [...storage.keys()], currentSize: 0, limitSize: 10_240 }),
    getNetworkType: ({ success }: { success: Callback }) => success({ networkType: 'wifi' }),
    onNetworkStatusChange: () => undefined,
    offNetworkStatusChange: () => undefined,
    onAppShow: () => undefined,
    request: ({ fail }: { fail?: Callback }) => fail?.({ errMsg: 'no HTTP in this test' }),
  };
}

export interface UniAppPhone {
  /** The push plugin's answer to getDeviceToken. */
  token: string;
  certificateId: number;
  /** The brand the plugin names (InstType on the wire). */
  deviceType: number;
}

export interface UniAppClient extends TencentClient {
  /** The app goes to the background (appShow 0) or comes back (appShow 1), as the plugin reports it. */
  setAppShown(shown: boolean): void;
}

/**
 * A uni-app build of `@tencentcloud/chat`, logged in, with the offline push plugin registered. The `uni`
 * global stays defined for the rest of the test file (the SDK reads it while it runs), so every Tencent SDK
 * loaded afterwards in that file is a uni-app one too.
 */
export async function uniAppLoggedIn(
  s: TestServer,
  userID: string,
  phone: UniAppPhone,
  platform: 'android' | 'ios' = 'android',
): Promise<UniAppClient> {
  const g = globalThis as { uni?: unknown; getApp?: () => unknown };
  g.uni = uniRuntime(platform);
  // uni-app's global for the running app (the SDK reads its globalData).
  g.getApp = () => ({ globalData: {} });
  const path = require.resolve('@tencentcloud/chat');
  delete require.cache[path];
  const TencentCloudChat = require(path);
  const chat = TencentCloudChat.create({
    SDKAppID: s.app.sdkAppId,
    proxyServer: s.url.replace(/^http/, 'ws'),
  });
  chat.setLogLevel(4);
  let appShow: Callback = () => undefined;
  chat.registerPlugin({
    'tim-offline-push-plugin': {
      getDeviceToken: (_config: unknown, cb: Callback) =>
        cb({
          code: 0,
          data: { deviceToken: phone.token, deviceType: phone.deviceType, bussinessId: phone.certificateId },
        }),
      setAppShowListener: (cb: Callback) => {
        appShow = cb;
      },
      getDeviceType: () => ({ deviceType: phone.deviceType }),
    },
    offlinePushConfig: {},
  });
  const c: UniAppClient = {
    chat,
    TencentCloudChat,
    messages: [] as TencentMessage[],
    kicked: [],
    ready: false,
    async destroy() {
      await chat.destroy().catch(() => undefined);
    },
    setAppShown(shown) {
      appShow({ appShow: shown ? 1 : 0 });
    },
  };
  chat.on(TencentCloudChat.EVENT.MESSAGE_RECEIVED, (e: { data: TencentMessage[] }) =>
    c.messages.push(...e.data),
  );
  chat.on(TencentCloudChat.EVENT.SDK_READY, () => {
    c.ready = true;
  });
  chat.on(TencentCloudChat.EVENT.SDK_NOT_READY, () => {
    c.ready = false;
  });
  await chat.login({ userID, userSig: userSigFor(s, userID) });
  return c;
}
