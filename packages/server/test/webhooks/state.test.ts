// State.StateChange webhooks delivered to a local HTTP receiver, retried when it fails.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn, rawSocket, userSigFor, waitFor } from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

interface Received {
  query: URLSearchParams;
  body: {
    CallbackCommand: string;
    EventTime: number;
    Info: Record<string, string>;
    KickedDevice?: unknown[];
  };
}

describe('state change webhooks', () => {
  let s: TestServer;
  let receiver: Server;
  const received: Received[] = [];
  let failNext = 0;
  let offset = 0;
  let attempts = 0;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let data = '';
      req.on('data', (c) => {
        data += c;
      });
      req.on('end', () => {
        attempts++;
        if (failNext > 0) {
          failNext--;
          res.writeHead(503).end();
          return;
        }
        received.push({ query: new URL(req.url ?? '', 'http://x').searchParams, body: JSON.parse(data) });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ActionStatus":"OK","ErrorCode":0}');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const port = (receiver.address() as AddressInfo).port;
    s = await startTestServer({
      create: {
        clock: () => Date.now() + offset,
        gateway: { sweepIntervalMs: 0 },
        // The one callback outbox: two retries, then given up.
        outcomes: { webhooks: { retry: { baseMs: 20, maxMs: 40 }, maxAttempts: 3, pollIntervalMs: 20 } },
      },
    });
    await s.pushline.apps.updateSettings(s.app.sdkAppId, {
      callbackUrl: `http://127.0.0.1:${port}/im-callback`,
    });
    await s.pushline.apps.updateSettings(s.app.sdkAppId, { loginPolicy: { mode: 'single' } } as never);
  });
  afterAll(async () => {
    await s?.close();
    await new Promise((r) => receiver.close(r));
  });

  const infos = () => received.map((r) => r.body.Info);

  it('reports Login, Logout, Disconnect (LinkClose) and the device a login kicked', async () => {
    const c = await loggedIn(s, 'w1', { platform: 'Android', instanceID: 'w-a' });
    await waitFor(() => received.length === 1, 'login webhook');
    expect(received[0]?.query.get('SdkAppid')).toBe(String(s.app.sdkAppId));
    expect(received[0]?.query.get('CallbackCommand')).toBe('State.StateChange');
    expect(received[0]?.query.get('contenttype')).toBe('json');
    // Tencent's callback authentication: Sign = sha256(token + RequestTime), and where the event came from.
    const requestTime = received[0]?.query.get('RequestTime') ?? '';
    expect(Math.abs(Number(requestTime) - Date.now() / 1000)).toBeLessThan(60);
    expect(received[0]?.query.get('Sign')).toBe(
      createHash('sha256').update(`${s.app.settings.callbackToken}${requestTime}`).digest('hex'),
    );
    expect(received[0]?.query.get('OptPlatform')).toBe('Android');
    expect(received[0]?.query.get('ClientIP')).toBe('127.0.0.1');
    expect(received[0]?.body).toMatchObject({
      CallbackCommand: 'State.StateChange',
      Info: { Action: 'Login', To_Account: 'w1', Reason: 'Register', Platform: 'Android', InstanceId: 'w-a' },
    });
    expect(typeof received[0]?.body.EventTime).toBe('number');

    const other = await loggedIn(s, 'w1', { platform: 'iPhone', instanceID: 'w-b' }); // single: kicks w-a
    await waitFor(() => c.kicked.length === 1, 'kicked');
    await waitFor(() => received.length === 2, 'second login webhook');
    expect(received[1]?.body.KickedDevice).toEqual([{ Platform: 'Android', InstanceId: 'w-a' }]);
    await other.chat.logout();
    await waitFor(() => received.length === 3, 'logout webhook');
    expect(received[2]?.body.Info).toMatchObject({ Action: 'Logout', Reason: 'Unregister' });

    const raw = await rawSocket(s);
    await raw.request('login', {
      sdkAppId: s.app.sdkAppId,
      userId: 'w2',
      userSig: userSigFor(s, 'w2'),
      platform: 'Web',
      instanceId: 'w',
    });
    raw.ws.terminate();
    await waitFor(
      () => infos().some((i) => i.To_Account === 'w2' && i.Action === 'Disconnect'),
      'disconnect webhook',
    );
    expect(infos().find((i) => i.Action === 'Disconnect')).toMatchObject({ Reason: 'LinkClose' });
  });

  it('reports a heartbeat timeout as Disconnect / TimeOut', async () => {
    const c = await loggedIn(s, 'w5');
    offset += 10 * 60_000;
    await s.pushline.gateway.sweep();
    await waitFor(
      () => infos().some((i) => i.To_Account === 'w5' && i.Action === 'Disconnect'),
      'timeout webhook',
    );
    expect(infos().find((i) => i.To_Account === 'w5' && i.Action === 'Disconnect')).toMatchObject({
      Reason: 'TimeOut',
    });
    await waitFor(() => c.chat.getConnectionState() === 'connected', 'SDK back');
    await c.chat.logout();
    await s.pushline.webhooks.drain();
  });

  it('reports an administrator kick as Logout / Kicked', async () => {
    const c = await loggedIn(s, 'w6', { platform: 'Mac', instanceID: 'mac' });
    expect((await s.v4('im_open_login_svc/kick', { UserID: 'w6' })).ErrorCode).toBe(0);
    await waitFor(() => c.kicked.length === 1, 'kicked');
    await waitFor(() => infos().some((i) => i.To_Account === 'w6' && i.Action === 'Logout'), 'kick webhook');
    expect(infos().find((i) => i.To_Account === 'w6' && i.Action === 'Logout')).toEqual({
      Action: 'Logout',
      To_Account: 'w6',
      Reason: 'Kicked',
      Platform: 'Mac',
      InstanceId: 'mac',
    });
    await s.pushline.gateway.settled();
    await s.pushline.webhooks.drain();
  });

  it('retries a failed delivery with backoff', async () => {
    await s.pushline.webhooks.drain();
    received.length = 0;
    failNext = 2;
    const before = attempts;
    const c = await loggedIn(s, 'w3');
    await waitFor(() => received.length === 1, 'delivered after retries');
    expect(attempts - before).toBe(3);
    expect(received[0]?.body.Info).toMatchObject({ Action: 'Login', To_Account: 'w3' });
    await c.chat.logout();
    await s.pushline.webhooks.drain();
  });

  it('gives up after the last retry and keeps running', async () => {
    await s.pushline.gateway.settled();
    await s.pushline.webhooks.drain();
    received.length = 0;
    failNext = 3;
    const c = await loggedIn(s, 'w4');
    await s.pushline.webhooks.drain();
    expect(received).toHaveLength(0);
    await c.chat.logout();
    await waitFor(() => received.length === 1, 'next webhook delivered');
  });
});
