// End to end, per-certificate send rate limits: a certificate's own limit (set through the console JSON API)
// spreads its sends out; every push is delivered once, none counted as a retry, and the trace shows the wait.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { backgroundPhone, type PushWorld, random, startPushWorld, text } from '../helpers/push-e2e.js';

const backends = await testBackends();
const USERS = Array.from({ length: 8 }, (_, i) => `rl${i}`);

describe.each(backends)('per-certificate rate limits end to end on %s', (backend) => {
  let w: PushWorld;

  beforeAll(async () => {
    w = await startPushWorld(backend);
    const r = await w.s.v4('im_open_login_svc/multiaccount_import', {
      AccountList: ['lead', ...USERS].map((UserID) => ({ UserID })),
    });
    expect(r).toMatchObject({ ErrorCode: 0 });
  });
  afterAll(async () => {
    await w?.close();
  });

  const putCertificate = async (id: number, body: unknown) => {
    const res = await fetch(`${w.s.url}/api/console/apps/${w.s.app.sdkAppId}/certificates/${id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${w.s.adminSig}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return {
      status: res.status,
      body: (await res.json()) as { certificate: { defaults: Record<string, unknown> } },
    };
  };

  it('the console API sets a limit and refuses a bad one', async () => {
    const bad = await putCertificate(w.fcm.id, { defaults: { rateLimit: { perSecond: 0 } } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('rateLimit');
    const ok = await putCertificate(w.fcm.id, {
      defaults: { ...w.fcm.defaults, rateLimit: { perSecond: 20, burst: 2 } },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.certificate.defaults).toEqual({
      channelId: 'im_messages',
      rateLimit: { perSecond: 20, burst: 2 },
    });
  });

  it('a low limit spreads the sends out: all delivered once, deferred not retried, throttling traced', async () => {
    const phones = await Promise.all(USERS.map((u) => backgroundPhone(w, u, 'fcm')));
    const before = Date.now();
    const r = await w.s.v4('openim/batchsendmsg', {
      From_Account: 'lead',
      To_Account: USERS,
      MsgRandom: random(),
      MsgBody: text('one at a time'),
    });
    expect(r).toMatchObject({ ErrorCode: 0 });
    for (const p of phones) await w.sim.waitFor({ token: p.token });
    const tokens = new Set(phones.map((p) => p.token));
    const shown = w.sim.received({ vendor: 'fcm' }).filter((x) => tokens.has(x.token));
    expect(shown).toHaveLength(USERS.length); // exactly once each
    // 2 go at once (the burst), the other 6 at 20/s: the last cannot arrive before 300 ms after the send.
    expect(Math.max(...shown.map((x) => x.receivedAt)) - before).toBeGreaterThanOrEqual(300);

    const answersOf = () => w.recorder.answers.filter((a) => tokens.has(a.task.token));
    await waitFor(() => answersOf().length >= USERS.length, 'every answer recorded');
    const answers = answersOf();
    expect(answers.map((a) => [a.outcome.kind, a.attempt])).toEqual(USERS.map(() => ['sent', 1]));
    // How many waited depends on how quickly the queue handed them over (a slow database spreads them out
    // by itself); the arrival times above prove the limit, this proves the wait is recorded.
    const throttled = w.recorder.throttledRecords.filter((t) => tokens.has(t.task.token));
    expect(throttled.length).toBeGreaterThanOrEqual(1);
    expect(throttled.every((t) => t.delayMs > 0)).toBe(true);

    // The trace of a deferred push: accepted -> throttled -> sent.
    const pushId = throttled[0]!.task.pushId;
    const stagesOf = async () => {
      const t = await w.s.v4('timpush/normal_push_trace', { PushID: pushId });
      return (
        (t.InstanceTrace as { Stages: { Stage: string; Code?: string }[] }[] | undefined) ?? []
      ).flatMap((i) => i.Stages);
    };
    await waitFor(async () => (await stagesOf()).some((s) => s.Stage === 'sent'), 'trace written');
    const stages = await stagesOf();
    expect(stages.map((s) => s.Stage)).toEqual(['accepted', 'throttled', 'sent']);
    expect(stages[1]).toMatchObject({ Code: 'rate-limit' });
    expect(await w.s.pushline.pushQueue.stats()).toMatchObject({ ready: 0, delayed: 0, dead: 0 });
  });
});
