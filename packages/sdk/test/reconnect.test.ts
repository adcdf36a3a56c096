// A dropped connection: pending requests reject with the connection-lost error (not the timeout one), the SDK
// reconnects with exponential backoff and logs in again as the same instance, resuming from its last seq.
import { PushlineError, SdkErrorCode } from '@pushline/sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  FakeGateway,
  fakeClient,
  loginAnswer,
  messageEvent,
  recordListener,
} from './helpers/fake-gateway.js';

let gateway: FakeGateway;
beforeEach(async () => {
  gateway = await FakeGateway.start();
  gateway.answer = (req) => (req.op === 'login' ? loginAnswer() : undefined);
});
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await gateway.close();
});

describe('a dropped connection', () => {
  it('rejects pending requests with the connection-lost error, then reconnects and logs in again', async () => {
    const { chat } = fakeClient(gateway, { reconnectMinDelayMs: 5, reconnectMaxDelayMs: 5 });
    await chat.login({ userID: 'alice', userSig: 'sig', platform: 'Android', instanceID: 'phone-1' });
    const first = await gateway.connection();
    const events = recordListener(chat);
    first.event('message', messageEvent(7, 'bob', 'alice', 'hello'));
    await events.next('onRecvNewMessage');
    const pending = chat.doForeground().then(
      () => undefined,
      (e: unknown) => e,
    );
    await first.request('doForeground');

    first.drop();
    const err = await pending;
    expect(err).toBeInstanceOf(PushlineError);
    expect(err).toMatchObject({ code: SdkErrorCode.ConnectionLost, message: 'connection lost' });
    // Told apart from a timeout by its code (Tencent's ERR_SDK_NET_DISCONNECT, not ERR_REQUEST_TIMEOUT) and message.
    expect((err as PushlineError).code).toBe(9508);
    expect(SdkErrorCode.ConnectionLost).not.toBe(SdkErrorCode.Timeout);
    expect((err as PushlineError).message).not.toMatch(/timed out/);
    expect(await events.next('onConnectionStateChanged')).toEqual(['reconnecting']);

    const second = await gateway.connection();
    const login = await second.request('login');
    expect(login.data).toEqual({
      sdkAppId: 1400000001,
      userId: 'alice',
      userSig: 'sig',
      platform: 'Android',
      instanceId: 'phone-1',
      lastSeq: 7,
    });
    await events.next('onConnectSuccess');
    expect(chat.getConnectionState()).toBe('connected');

    // Requests go to the new connection.
    const total = chat.getTotalUnreadMessageCount();
    second.answer(await second.request('getTotalUnreadMessageCount'), { code: 0, data: { totalUnread: 4 } });
    expect(await total).toBe(4);
  });

  it('waits reconnectMinDelayMs, doubling per failed attempt up to reconnectMaxDelayMs, and starts over once connected', async () => {
    // No jitter: the delay is half of min(max, min * 2^attempt).
    vi.spyOn(Math, 'random').mockReturnValue(0);
    let failLogins = 0;
    gateway.answer = (req) => {
      if (req.op !== 'login') return undefined;
      return failLogins-- > 0 ? { code: 70500, message: 'internal error' } : loginAnswer();
    };
    const { chat, opened } = fakeClient(gateway, { reconnectMinDelayMs: 1000, reconnectMaxDelayMs: 3000 });
    await chat.login({ userID: 'alice', userSig: 'sig', platform: 'Web' });
    const events = recordListener(chat);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    failLogins = 2;

    /** Advances the clock to just before `delay`, then to it: the SDK opens a new socket exactly then. */
    const reconnectsAfter = async (delay: number) => {
      const before = opened();
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(opened()).toBe(before);
      await vi.advanceTimersByTimeAsync(1);
      expect(opened()).toBe(before + 1);
    };

    (await gateway.connection()).drop();
    await events.next('onConnectionStateChanged', 'reconnecting');
    await reconnectsAfter(500);
    expect(await events.next('onConnectFailed')).toEqual([70500, 'internal error']);
    await reconnectsAfter(1000);
    await events.next('onConnectFailed');
    await reconnectsAfter(1500); // min(3000, 4000) / 2
    await events.next('onConnectSuccess');
    expect(chat.getConnectionState()).toBe('connected');

    // Connected again: the next drop waits the first delay again.
    const connections = gateway.connections.all;
    connections[connections.length - 1]!.drop();
    await events.next('onConnectionStateChanged', 'reconnecting');
    await reconnectsAfter(500);
    await events.next('onConnectSuccess');
  });

  it('stops reconnecting when the login is refused for good (UserSig expired)', async () => {
    let refuse = false;
    gateway.answer = (req) =>
      req.op !== 'login'
        ? undefined
        : refuse
          ? { code: SdkErrorCode.UserSigExpired, message: 'UserSig expired' }
          : loginAnswer();
    const { chat, opened } = fakeClient(gateway, { reconnectMinDelayMs: 5, reconnectMaxDelayMs: 5 });
    await chat.login({ userID: 'alice', userSig: 'sig', platform: 'Web' });
    const events = recordListener(chat);
    refuse = true;
    (await gateway.connection()).drop();

    await events.next('onUserSigExpired');
    expect(chat.getConnectionState()).toBe('disconnected');
    expect(opened()).toBe(2);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(opened()).toBe(2);
  });
});
