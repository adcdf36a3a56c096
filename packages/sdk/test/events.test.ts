// Server events reaching the app: message pushes (acknowledged, never twice), unread changes, a kick or an
// expired UserSig (which end the session for good) and the gateway's error frames.
import { LoginStatus, SdkErrorCode } from '@pushline/sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type FakeConnection,
  FakeGateway,
  fakeClient,
  messageEvent,
  recordListener,
} from './helpers/fake-gateway.js';

let gateway: FakeGateway;
beforeEach(async () => {
  gateway = await FakeGateway.start();
});
afterEach(async () => {
  vi.useRealTimers();
  await gateway.close();
});

async function loggedIn(): Promise<{
  client: ReturnType<typeof fakeClient>;
  conn: FakeConnection;
  events: ReturnType<typeof recordListener>;
}> {
  const client = fakeClient(gateway);
  await client.chat.login({ userID: 'alice', userSig: 'sig', platform: 'Android' });
  return { client, conn: await gateway.connection(), events: recordListener(client.chat) };
}

describe('message pushes', () => {
  it('reach the listeners with their conversation and seq, and are acknowledged', async () => {
    const { client, conn, events } = await loggedIn();
    const pushed = messageEvent(3, 'bob', 'alice', 'hello');
    conn.event('message', pushed);

    const [received] = await events.next('onRecvNewMessage');
    expect(received).toEqual({
      ...(pushed.message as object),
      conversationID: 'c2c_bob',
      seq: 3,
      isSelf: false,
      onlineOnly: false,
    });
    expect(await conn.ack()).toEqual({ type: 'ack', seq: 3 });
    expect(client.chat.getLastSeq()).toBe(3);
  });

  it('skips seqs already processed and messages sent from this device, but acknowledges them', async () => {
    const { client, conn, events } = await loggedIn();
    conn.event('message', messageEvent(5, 'bob', 'alice', 'five'));
    await events.next('onRecvNewMessage');
    expect(await conn.ack()).toEqual({ type: 'ack', seq: 5 });

    conn.event('message', messageEvent(5, 'bob', 'alice', 'five again'));
    conn.event('message', messageEvent(4, 'bob', 'alice', 'four, late'));
    conn.event('message', messageEvent(6, 'alice', 'bob', 'mine', { fromThisDevice: true }));
    expect(await conn.ack()).toEqual({ type: 'ack', seq: 6 });
    conn.event('message', messageEvent(7, 'alice', 'bob', 'from my other phone'));
    const [other] = await events.next('onRecvNewMessage');

    expect(other).toMatchObject({ seq: 7, isSelf: true });
    expect(events.calls.filter((c) => c.name === 'onRecvNewMessage').map((c) => c.args[0])).toEqual([
      expect.objectContaining({ seq: 5 }),
      expect.objectContaining({ seq: 7 }),
    ]);
    expect(client.chat.getLastSeq()).toBe(7);
  });

  it('passes online-only messages (no seq) on without moving the last seq', async () => {
    const { client, conn, events } = await loggedIn();
    const { seq: _, ...online } = messageEvent(9, 'bob', 'alice', 'typing...', { onlineOnly: true });
    conn.event('message', online);
    const [received] = await events.next('onRecvNewMessage');
    expect(received).toMatchObject({ onlineOnly: true, conversationID: 'c2c_bob' });
    expect(received).not.toHaveProperty('seq');
    expect(client.chat.getLastSeq()).toBe(0);
  });

  it('stop reaching a listener once it is removed', async () => {
    const { client, conn, events } = await loggedIn();
    const removed = vi.fn();
    const listener = { onRecvNewMessage: removed };
    client.chat.addListener(listener);
    client.chat.removeListener(listener);
    conn.event('message', messageEvent(1, 'bob', 'alice', 'hi'));
    await events.next('onRecvNewMessage');
    expect(removed).not.toHaveBeenCalled();
  });
});

describe('notices', () => {
  it('report unread changes of a conversation and the new total', async () => {
    const { conn, events } = await loggedIn();
    conn.event('conversationChanged', { conversationId: 'c2c_bob', unread: 0, totalUnread: 2, pinned: true });
    expect(await events.next('onConversationChanged')).toEqual([
      [{ conversationID: 'c2c_bob', unreadCount: 0, isPinned: true }],
    ]);
    expect(await events.next('onTotalUnreadMessageCountChanged')).toEqual([2]);
  });

  it('report a kick and end the session without reconnecting', async () => {
    const { client, conn, events } = await loggedIn();
    // As the gateway kicks (connection.ts onKick): the event, then close code 4001.
    conn.event('kicked', { code: SdkErrorCode.KickedByLogin, reason: 'logged in on another device' });
    conn.ws.close(4001, 'kicked');

    expect(await events.next('onKickedOffline')).toEqual([
      SdkErrorCode.KickedByLogin,
      'logged in on another device',
    ]);
    expect(client.chat.getLoginStatus()).toBe(LoginStatus.LOGOUT);
    expect(client.chat.getConnectionState()).toBe('disconnected');
    await expect(client.chat.doForeground()).rejects.toMatchObject({ code: SdkErrorCode.NotLoggedIn });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(client.opened()).toBe(1);
  });

  it('report an expired UserSig and end the session', async () => {
    const { client, conn, events } = await loggedIn();
    conn.event('userSigExpired', {});
    conn.ws.close(4010, 'UserSig expired');
    await events.next('onUserSigExpired');
    expect(client.chat.getLoginStatus()).toBe(LoginStatus.LOGOUT);
    await conn.closed;
    expect(client.opened()).toBe(1);
  });

  it("pass the gateway's error frames to onError", async () => {
    const { conn, events } = await loggedIn();
    conn.send({ type: 'error', code: 60003, message: 'invalid data: bad frame' });
    expect(await events.next('onError')).toEqual([60003, 'invalid data: bad frame']);
    expect(events.names()).not.toContain('onConnectionStateChanged');
  });
});
