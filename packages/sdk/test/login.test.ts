// Connecting and logging in: the login frame the SDK sends, and what it makes of the gateway's answer.
import { LoginStatus, PushlineError, SdkErrorCode } from '@pushline/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeGateway, fakeClient, loginAnswer, recordListener } from './helpers/fake-gateway.js';

let gateway: FakeGateway;
beforeEach(async () => {
  gateway = await FakeGateway.start();
});
afterEach(async () => {
  await gateway.close();
});

describe('login', () => {
  it('sends one login request with the app, user, platform and instance, and is connected after the answer', async () => {
    const { chat } = fakeClient(gateway);
    const events = recordListener(chat);
    await chat.login({ userID: 'alice', userSig: 'sig-a', platform: 'Android', instanceID: 'phone-1' });

    const conn = await gateway.connection();
    expect(conn.frames.all).toEqual([
      {
        type: 'req',
        id: expect.any(Number),
        op: 'login',
        // No lastSeq on a first login that was given none: the server starts from what it delivered.
        data: {
          sdkAppId: 1400000001,
          userId: 'alice',
          userSig: 'sig-a',
          platform: 'Android',
          instanceId: 'phone-1',
        },
      },
    ]);
    expect(chat.getLoginStatus()).toBe(LoginStatus.LOGINED);
    expect(chat.getLoginUser()).toBe('alice');
    expect(chat.getConnectionState()).toBe('connected');
    expect(events.calls).toEqual([
      { name: 'onConnectionStateChanged', args: ['connecting'] },
      { name: 'onConnecting', args: [] },
      { name: 'onConnectionStateChanged', args: ['connected'] },
      { name: 'onConnectSuccess', args: [] },
    ]);
    await chat.logout();
  });

  it('makes up an instance ID when none is given, and sends the lastSeq the app kept', async () => {
    const { chat } = fakeClient(gateway);
    await chat.login({ userID: 'bob', userSig: 'sig-b', platform: 'iPhone', lastSeq: 41 });
    const login = await (await gateway.connection()).request('login');
    expect(login.data.instanceId).toEqual(expect.stringMatching(/.+/));
    expect(login.data.lastSeq).toBe(41);
    await chat.logout();
  });

  it("takes the login answer's resumeFromSeq as the last seq", async () => {
    gateway.answer = (req) =>
      req.op === 'login' ? loginAnswer({ resumeFromSeq: 17 }) : { code: 0, data: {} };
    const { chat } = fakeClient(gateway);
    await chat.login({ userID: 'alice', userSig: 'sig', platform: 'Web' });
    expect(chat.getLastSeq()).toBe(17);
    await chat.logout();
  });

  it('rejects with the code and message of a refused login, and stays logged out', async () => {
    gateway.answer = () => ({ code: SdkErrorCode.UserSigExpired, message: 'UserSig expired' });
    const { chat, opened } = fakeClient(gateway);
    const events = recordListener(chat);
    const err = await chat
      .login({ userID: 'alice', userSig: 'old', platform: 'Web' })
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(PushlineError);
    expect(err).toMatchObject({ code: SdkErrorCode.UserSigExpired, message: 'UserSig expired' });
    expect(events.calls).toContainEqual({
      name: 'onConnectFailed',
      args: [SdkErrorCode.UserSigExpired, 'UserSig expired'],
    });
    expect(chat.getLoginStatus()).toBe(LoginStatus.LOGOUT);
    expect(chat.getConnectionState()).toBe('disconnected');
    // The socket of the failed login is closed.
    await (await gateway.connection()).closed;
    expect(opened()).toBe(1);
  });

  it('refuses a second login while logged in, and requests before any login', async () => {
    const { chat } = fakeClient(gateway);
    await expect(chat.doForeground()).rejects.toMatchObject({ code: SdkErrorCode.NotLoggedIn });
    await chat.login({ userID: 'alice', userSig: 'sig', platform: 'Web' });
    await expect(chat.login({ userID: 'alice', userSig: 'sig', platform: 'Web' })).rejects.toMatchObject({
      code: SdkErrorCode.NotLoggedIn,
    });
    await chat.logout();
  });

  it('logs out on the server and closes the socket', async () => {
    const { chat } = fakeClient(gateway);
    await chat.login({ userID: 'alice', userSig: 'sig', platform: 'Web' });
    const conn = await gateway.connection();
    await chat.logout();

    const logout = await conn.request('logout');
    expect(logout).toEqual({ type: 'req', id: expect.any(Number), op: 'logout', data: {} });
    await conn.closed;
    expect(chat.getLoginStatus()).toBe(LoginStatus.LOGOUT);
    expect(chat.getConnectionState()).toBe('disconnected');
  });
});
