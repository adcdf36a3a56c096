// Heartbeats: the SDK sends one per heartbeatIntervalMs of the login answer; a heartbeat that gets no answer
// ends the connection, and the SDK reconnects.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeGateway, fakeClient, loginAnswer, recordListener } from './helpers/fake-gateway.js';

let gateway: FakeGateway;
beforeEach(async () => {
  gateway = await FakeGateway.start();
  gateway.answer = (req) => (req.op === 'login' ? loginAnswer({ heartbeatIntervalMs: 10_000 }) : undefined);
  vi.spyOn(Math, 'random').mockReturnValue(0);
  // The SDK's timers only: the sockets are real.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
});
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await gateway.close();
});

describe('heartbeats', () => {
  it('go out every heartbeatIntervalMs; one left unanswered drops the connection, which is then re-made', async () => {
    const { chat, opened } = fakeClient(gateway, { requestTimeoutMs: 3_000, reconnectMinDelayMs: 200 });
    await chat.login({ userID: 'alice', userSig: 'sig', platform: 'Web' });
    const events = recordListener(chat);
    const conn = await gateway.connection();
    await conn.request('login');

    await vi.advanceTimersByTimeAsync(9_999);
    expect(conn.frames.all.filter((f) => f.type === 'req' && f.op === 'heartbeat')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    const beat = await conn.request('heartbeat');
    expect(beat).toEqual({ type: 'req', id: expect.any(Number), op: 'heartbeat', data: {} });
    conn.answer(beat, { code: 0, data: {} });

    await vi.advanceTimersByTimeAsync(10_000);
    await conn.request('heartbeat'); // not answered
    await vi.advanceTimersByTimeAsync(3_000);
    // The SDK closes the socket itself when the heartbeat times out.
    expect(chat.getConnectionState()).toBe('reconnecting');
    expect((await conn.closed).code).toBe(4000);
    await vi.advanceTimersByTimeAsync(100); // reconnectMinDelayMs without jitter: 200 / 2
    expect(opened()).toBe(2);
    await (await gateway.connection()).request('login');
    await events.next('onConnectSuccess');
    expect(chat.getConnectionState()).toBe('connected');
  });
});
