// Requests and answers: each answer settles the request of its id, whatever the order; server errors reject
// with the server's code; unanswered requests time out; the login answer's maxInFlight holds requests back.
import { PushlineError, SdkErrorCode } from '@pushline/sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeGateway, fakeClient, loginAnswer, messageEvent } from './helpers/fake-gateway.js';

let gateway: FakeGateway;
beforeEach(async () => {
  gateway = await FakeGateway.start();
  // Logins are answered; every other request waits for the test.
  gateway.answer = (req) => (req.op === 'login' ? loginAnswer() : undefined);
});
afterEach(async () => {
  vi.useRealTimers();
  await gateway.close();
});

async function loggedIn(options: Parameters<typeof fakeClient>[1] = {}) {
  const { chat } = fakeClient(gateway, options);
  await chat.login({ userID: 'alice', userSig: 'sig', platform: 'Web' });
  return { chat, conn: await gateway.connection() };
}

describe('requests', () => {
  it('settles each request with the answer of its own id, in whatever order the answers come', async () => {
    const { chat, conn } = await loggedIn();
    const first = chat.getTotalUnreadMessageCount();
    const second = chat.getTotalUnreadMessageCount();
    const r1 = await conn.request('getTotalUnreadMessageCount');
    const r2 = await conn.request('getTotalUnreadMessageCount');
    expect(r1.id).not.toBe(r2.id);

    conn.answer(r2, { code: 0, data: { totalUnread: 2 } });
    conn.answer(r1, { code: 0, data: { totalUnread: 1 } });
    expect(await first).toBe(1);
    expect(await second).toBe(2);
  });

  it('ignores an answer to an id it never sent', async () => {
    const { chat, conn } = await loggedIn();
    const total = chat.getTotalUnreadMessageCount();
    const req = await conn.request('getTotalUnreadMessageCount');
    conn.answer({ id: req.id + 1000 }, { code: 0, data: { totalUnread: 99 } });
    conn.answer(req, { code: 0, data: { totalUnread: 3 } });
    expect(await total).toBe(3);
  });

  it("rejects with the server's code and message when the answer is an error", async () => {
    const { chat, conn } = await loggedIn();
    const sent = chat.setOfflinePushConfig({ businessID: 9, token: 'tok' });
    conn.answer(await conn.request('setOfflinePushConfig'), { code: 6301, message: 'unknown certificate 9' });
    const err = await sent.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PushlineError);
    expect(err).toMatchObject({ code: 6301, message: 'unknown certificate 9' });
  });

  it('rejects a request that gets no answer within requestTimeoutMs with the timeout error', async () => {
    const { chat, conn } = await loggedIn({ requestTimeoutMs: 5_000 });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    let settled = false;
    const sent = chat.doForeground().finally(() => {
      settled = true;
    });
    sent.catch(() => undefined);
    const req = await conn.request('doForeground');

    await vi.advanceTimersByTimeAsync(4_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const err = await sent.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PushlineError);
    expect(err).toMatchObject({ code: SdkErrorCode.Timeout, message: 'doForeground timed out' });

    // A late answer changes nothing, and the connection still serves requests.
    conn.answer(req, { code: 0, data: {} });
    const total = chat.getTotalUnreadMessageCount();
    conn.answer(await conn.request('getTotalUnreadMessageCount'), { code: 0, data: { totalUnread: 5 } });
    expect(await total).toBe(5);
    expect(chat.getConnectionState()).toBe('connected');
  });

  it("holds back requests beyond the login answer's maxInFlight until an answer comes", async () => {
    gateway.answer = (req) => (req.op === 'login' ? loginAnswer({ maxInFlight: 1 }) : undefined);
    const { chat, conn } = await loggedIn();
    const first = chat.getTotalUnreadMessageCount();
    const second = chat.doBackground(4);
    // An ack is not held back: posted after both requests, it arrives after every request that was sent.
    conn.event('message', messageEvent(1, 'bob', 'alice', 'hi'));
    await conn.ack();
    const requests = () => conn.frames.all.filter((f) => f.type === 'req' && f.op !== 'login');
    expect(requests()).toEqual([expect.objectContaining({ op: 'getTotalUnreadMessageCount' })]);

    conn.answer(await conn.request('getTotalUnreadMessageCount'), { code: 0, data: { totalUnread: 0 } });
    await first;
    const r2 = await conn.request('doBackground');
    conn.answer(r2, { code: 0, data: {} });
    await second;
  });
});
