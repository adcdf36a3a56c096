// With the Redis queue a message's or a push task's jobs commit to the database with it and reach Redis
// through the outbox's relay (push/queue/outbox.ts), after the commit has woken the dispatcher. Here the
// dispatcher looks into an empty queue once a minute: the pushes below are sent within the test only because
// a fan-out's commit starts the relay at once and each relay step wakes the dispatcher (push/engine/index.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import {
  backgroundPhone,
  type PushWorld,
  random,
  sendText,
  startPushWorld,
  text,
} from '../helpers/push-e2e.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';

const backends = await testBackends();

describe.each(backends)('the Redis queue hands relayed jobs to a sleeping dispatcher on %s', (backend) => {
  const prefix = testPrefix();
  let w: PushWorld;

  beforeAll(async () => {
    w = await startPushWorld(
      backend,
      { push: { backoffBaseMs: 50, backoffMaxMs: 500, idleMs: 60_000 } },
      { redis: REDIS_URL, redisPrefix: prefix },
    );
    expect(w.s.pushline.pushQueue.kind).toBe('redis');
    const r = await w.s.v4('im_open_login_svc/multiaccount_import', {
      AccountList: ['ann', 'ben', 'cat'].map((UserID) => ({ UserID })),
    });
    expect(r).toMatchObject({ ErrorCode: 0 });
  });
  afterAll(async () => {
    await w?.close();
    await dropPrefix(prefix);
  });

  it("sends a chat message's push and an all-member push, each relayed to Redis after its commit", async () => {
    const ben = await backgroundPhone(w, 'ben', 'apns');
    const cat = await backgroundPhone(w, 'cat', 'fcm');
    await sendText(w.s, 'ann', 'ben', 'hello ben');
    await waitFor(() => w.sim.received({ token: ben.token }).length === 1, "ben's chat push", 10_000);

    const all = await w.s.v4('all_member_push/im_push', {
      MsgRandom: random(),
      MsgBody: text('to everyone'),
      OfflinePushInfo: { Title: 'News', Desc: 'to everyone' },
    });
    expect(all).toMatchObject({ ErrorCode: 0 });
    await waitFor(
      () =>
        w.sim.received({ token: ben.token }).length === 2 &&
        w.sim.received({ token: cat.token }).length === 1,
      'the all-member push on both phones',
      10_000,
    );
  });
});
