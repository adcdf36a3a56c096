// The calls that steer offline pushes, as the frames the gateway receives (protocol.ts requestSchemas:
// setOfflinePushConfig {config | null}, doBackground {unreadCount}, doForeground {}).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeConnection, FakeGateway, fakeClient, type Request } from './helpers/fake-gateway.js';

let gateway: FakeGateway;
beforeEach(async () => {
  gateway = await FakeGateway.start();
});
afterEach(async () => {
  await gateway.close();
});

async function sent(call: () => Promise<void>, conn: FakeConnection): Promise<Omit<Request, 'id'>> {
  await call();
  const { id: _, ...frame } = await conn.request();
  return frame;
}

describe('offline push frames', () => {
  it('report the push token, a VoIP token, and its removal', async () => {
    const { chat } = fakeClient(gateway);
    await chat.login({ userID: 'alice', userSig: 'sig', platform: 'iPhone' });
    const conn = await gateway.connection();
    await conn.request('login');

    expect(await sent(() => chat.setOfflinePushConfig({ businessID: 12, token: 'a1b2c3' }), conn)).toEqual({
      type: 'req',
      op: 'setOfflinePushConfig',
      data: { config: { businessID: 12, token: 'a1b2c3' } },
    });
    expect(
      await sent(() => chat.setOfflinePushConfig({ businessID: 13, token: 'voip', tokenType: 2 }), conn),
    ).toEqual({
      type: 'req',
      op: 'setOfflinePushConfig',
      data: { config: { businessID: 13, token: 'voip', tokenType: 2 } },
    });
    expect(await sent(() => chat.setOfflinePushConfig(null), conn)).toEqual({
      type: 'req',
      op: 'setOfflinePushConfig',
      data: { config: null },
    });
  });

  it('send doBackground with the badge base (0 by default) and doForeground with no data', async () => {
    const { chat } = fakeClient(gateway);
    await chat.login({ userID: 'alice', userSig: 'sig', platform: 'Android' });
    const conn = await gateway.connection();
    await conn.request('login');

    expect(await sent(() => chat.doBackground(7), conn)).toEqual({
      type: 'req',
      op: 'doBackground',
      data: { unreadCount: 7 },
    });
    expect(await sent(() => chat.doBackground(), conn)).toEqual({
      type: 'req',
      op: 'doBackground',
      data: { unreadCount: 0 },
    });
    expect(await sent(() => chat.doForeground(), conn)).toEqual({
      type: 'req',
      op: 'doForeground',
      data: {},
    });
  });
});
