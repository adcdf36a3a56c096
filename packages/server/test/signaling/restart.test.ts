// The server-side call timeout is stored, not kept in memory: an invitation made before a restart times
// out after it, with both sides offline, and both learn it when they come back. A timeout claimed by a
// sweeper that died is taken over later; a sweep never sends a timeout twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPushline, type Pushline } from '../../src/index.js';
import { callEvent, listen } from '../helpers/calls.js';
import { sdkClient, userSigFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const backends = await testBackends();

describe.each(backends)('signaling timeouts across restarts on %s', (backend) => {
  let s: TestServer;
  let offset = 0;
  const clock = () => Date.now() + offset;
  const create = { clock, signaling: { sweepIntervalMs: 0 } };
  let restarted: Pushline | undefined;

  beforeAll(async () => {
    s = await startTestServer({ backend, create });
    const imported = await s.v4('im_open_login_svc/multiaccount_import', {
      AccountList: [{ UserID: 'alice' }, { UserID: 'bob' }],
    });
    expect(imported).toMatchObject({ ErrorCode: 0 });
  });
  afterAll(async () => {
    await restarted?.close();
    await s?.close();
  });

  it('times out an invitation made before the restart and tells both sides', async () => {
    // Bob's phone has been logged in before (a brand-new instance starts without a backlog).
    const bobBefore = sdkClient(s);
    await bobBefore.chat.login({
      userID: 'bob',
      userSig: userSigFor(s, 'bob'),
      platform: 'Android',
      instanceID: 'b1',
    });
    await bobBefore.chat.logout();
    const alice = listen(sdkClient(s));
    await alice.chat.login({
      userID: 'alice',
      userSig: userSigFor(s, 'alice'),
      platform: 'iPhone',
      instanceID: 'a1',
    });
    const inviteID = await alice.chat
      .getSignalingManager()
      .invite({ invitee: 'bob', data: 'call', timeout: 20 });
    await alice.chat.logout();

    // Stop the server; start a new one on the same database.
    await s.pushline.close();
    restarted = await createPushline(s.pushline.config, create);
    const url = await restarted.listen();
    const target = { ...s, url, pushline: restarted };

    offset += 21_000;
    expect(await restarted.signaling.sweep()).toBe(1);
    expect(await restarted.signaling.sweep()).toBe(0);

    // Bob was offline all along: his next login syncs the invitation (expired, so it does not ring) and the timeout.
    const bob = listen(sdkClient(target));
    await bob.chat.login({
      userID: 'bob',
      userSig: userSigFor(s, 'bob'),
      platform: 'Android',
      instanceID: 'b1',
    });
    expect((await callEvent(bob, 'timeout', inviteID)).args).toEqual([['bob']]);
    expect(bob.calls.filter((c) => c.event === 'invited')).toEqual([]);
    expect(await bob.chat.getSignalingManager().recoverInvitations()).toEqual([]);
    // Too late to answer.
    await expect(bob.chat.getSignalingManager().accept(inviteID)).rejects.toMatchObject({ code: 8010 });

    // Alice's device comes back too and learns the timeout from its synced copy.
    const alice2 = listen(sdkClient(target));
    await alice2.chat.login({
      userID: 'alice',
      userSig: userSigFor(s, 'alice'),
      platform: 'iPhone',
      instanceID: 'a1',
    });
    expect((await callEvent(alice2, 'timeout', inviteID)).args).toEqual([['bob']]);
    await bob.chat.logout();
    await alice2.chat.logout();
  });

  it('takes over a timeout whose sweeper died after claiming it', async () => {
    const p = restarted as Pushline;
    const sdkAppId = s.app.sdkAppId;
    const inviteID = (
      await p.signaling.invite({ sdkAppId, userId: 'alice' }, { invitee: 'bob', data: 'x', timeout: 5 })
    ).inviteId;
    offset += 6_000;
    // A sweeper on another node claims the timeout and dies before sending it.
    expect(await p.signaling.store.claimTimeout(sdkAppId, inviteID, 'bob', p.now())).toBe(true);
    expect(await p.signaling.sweep()).toBe(0);
    offset += 61_000;
    expect(await p.signaling.sweep()).toBe(1);
    const invite = await p.signaling.store.get(sdkAppId, inviteID);
    expect(invite?.invitees.get('bob')).toBe('timeout');
  });
});
