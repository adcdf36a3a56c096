// Heartbeats on the real clock: the SDK's heartbeats keep an idle session open while a silent socket is
// dropped. Margins are wide (heartbeat every 100 ms against a 2 s timeout).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn, rawSocket, userSigFor, waitFor } from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('heartbeats', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({
      create: { gateway: { heartbeatIntervalMs: 100, heartbeatTimeoutMs: 2_000, sweepIntervalMs: 100 } },
    });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('keeps an SDK session alive and drops a silent socket', async () => {
    const sdk = await loggedIn(s, 'alive');
    const silent = await rawSocket(s);
    const r = await silent.request('login', {
      sdkAppId: s.app.sdkAppId,
      userId: 'silent',
      userSig: userSigFor(s, 'silent'),
      platform: 'Android',
      instanceId: 'quiet',
    });
    expect(r.code).toBe(0);
    expect((await silent.closed).code).toBe(4008);
    await waitFor(async () => {
      const [i] = await s.pushline.sessions.instancesOf(s.app.sdkAppId, ['silent']);
      return i?.state === 'Offline';
    }, 'silent instance offline');
    // The SDK sent heartbeats all along: its first connection is still the only one.
    expect(sdk.events.filter((e) => e === 'connected')).toHaveLength(1);
    expect(sdk.chat.getConnectionState()).toBe('connected');
    const [alive] = await s.pushline.sessions.instancesOf(s.app.sdkAppId, ['alive']);
    expect(alive?.state).toBe('Online');
    await sdk.chat.logout();
  });
});
