// End to end, vendor faults (simulator fault injection): every push arrives exactly once after 503 bursts,
// 429 with Retry-After, GOAWAY and connection resets; an uninstalled app's binding is removed and never
// retried; a credential error pauses the certificate, and resuming it delivers what was held.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { backgroundPhone, type PushWorld, random, startPushWorld, text } from '../helpers/push-e2e.js';

const backends = await testBackends();

describe.each(backends)('push faults end to end on %s', (backend) => {
  let w: PushWorld;

  beforeAll(async () => {
    w = await startPushWorld(backend);
    const users = ['boss', 'gone', 'other', 'ivy', 'andy', 'pat', 'lena', 'nora'];
    const r = await w.s.v4('im_open_login_svc/multiaccount_import', {
      AccountList: users.map((UserID) => ({ UserID })),
    });
    expect(r).toMatchObject({ ErrorCode: 0 });
  });
  afterAll(async () => {
    await w?.close();
  });

  async function sendmsg(to: string, body: unknown) {
    const r = await w.s.v4('openim/sendmsg', {
      From_Account: 'boss',
      To_Account: to,
      MsgRandom: random(),
      MsgBody: body,
    });
    expect(r).toMatchObject({ ErrorCode: 0 });
    return r;
  }
  const answersFor = (token: string) => w.recorder.answers.filter((a) => a.task.token === token);
  const bodies = (token: string) => w.sim.received({ token }).map((p) => p.body);

  it('an uninstalled app: binding removed, never retried, later messages skip with no-binding', async () => {
    const phone = await backgroundPhone(w, 'gone', 'apns');
    w.sim.devices.uninstall('apns', phone.token);
    await sendmsg('gone', text('anyone?'));
    await waitFor(async () => {
      const [t] = await w.s.pushline.sessions.pushTargets(w.s.app.sdkAppId, ['gone']);
      return t !== undefined && t.bindings.length === 0;
    }, 'binding removed');
    // The binding goes before the batch is settled and its answers reported: wait for the answer too.
    await waitFor(() => answersFor(phone.token).length > 0, 'answer recorded');
    expect(answersFor(phone.token).map((a) => a.outcome.kind)).toEqual(['invalid-token']);
    const later = await sendmsg('gone', text('still there?'));
    expect(w.recorder.skippedRecords.filter((r) => r.msgKey === later.MsgKey)).toMatchObject([
      { toUser: 'gone', reason: 'no-binding' },
    ]);
    // A later push to another device goes through; the uninstalled one was never tried again.
    const other = await backgroundPhone(w, 'other', 'apns');
    await sendmsg('other', text('ping'));
    await w.sim.waitFor({ token: other.token });
    expect(answersFor(phone.token)).toHaveLength(1);
    expect(await w.s.pushline.pushQueue.stats()).toMatchObject({ ready: 0, delayed: 0 });
  });

  it('vendor latency is measured per request and shows in the trace', async () => {
    const apple = await backgroundPhone(w, 'lena', 'apns', 0, 'lena-iphone');
    const android = await backgroundPhone(w, 'lena', 'fcm', 0, 'lena-android');
    // The simulators hold the next request of each vendor this long before answering.
    w.sim.faults.add('apns', { kind: 'latency', ms: 300, count: 1 });
    w.sim.faults.add('fcm', { kind: 'latency', ms: 300, count: 1 });
    const r = await sendmsg('lena', text('slow vendors'));
    await w.sim.waitFor({ token: apple.token });
    await w.sim.waitFor({ token: android.token });
    await waitFor(() => answersFor(apple.token).length + answersFor(android.token).length === 2, 'answers');
    for (const token of [apple.token, android.token]) {
      const [answer] = answersFor(token);
      expect(answer?.outcome.kind).toBe('sent');
      // At least the injected hold (a lower bound set by the simulator, not a timing goal).
      expect(answer?.latencyMs).toBeGreaterThanOrEqual(300);
    }
    // The persisted trace carries it too (timpush/normal_push_trace Stages[].LatencyMs).
    const pushId = answersFor(android.token)[0]!.task.pushId;
    const sentStage = async () => {
      const t = await w.s.v4('timpush/normal_push_trace', { PushID: pushId });
      const stages = (
        (t.InstanceTrace as { Stages: { Stage: string; LatencyMs?: number }[] }[] | undefined) ?? []
      )
        .flatMap((i) => i.Stages)
        .filter((x) => x.Stage === 'sent');
      return stages[0];
    };
    await waitFor(async () => (await sentStage()) !== undefined, 'trace written');
    expect((await sentStage())?.LatencyMs).toBeGreaterThanOrEqual(300);
    expect(r.MsgKey).toBeTruthy();
  });

  it('503 bursts, 429 with Retry-After, GOAWAY and resets: everything delivered exactly once', async () => {
    const ios = await backgroundPhone(w, 'ivy', 'apns');
    const android = await backgroundPhone(w, 'andy', 'fcm');
    w.sim.faults.add('apns', { kind: 'status', status: 503, reason: 'ServiceUnavailable', count: 3 });
    w.sim.faults.add('fcm', { kind: 'status', status: 503, count: 3 });
    await sendmsg('ivy', text('after 503'));
    await sendmsg('andy', text('after 503'));
    await waitFor(() => bodies(ios.token).length === 1 && bodies(android.token).length === 1, '503 recovery');

    w.sim.faults.add('apns', {
      kind: 'status',
      status: 429,
      reason: 'TooManyRequests',
      retryAfter: 1,
      count: 1,
    });
    await sendmsg('ivy', text('after 429'));
    await waitFor(() => bodies(ios.token).length === 2, '429 recovery');
    const limited = answersFor(ios.token).find(
      (a) => a.outcome.kind === 'retry' && a.outcome.code === 'TooManyRequests',
    );
    expect(limited?.outcome).toMatchObject({ kind: 'retry', afterMs: 1000 });

    w.sim.faults.add('apns', { kind: 'goaway', afterStreams: 1 });
    for (const n of [1, 2, 3]) await sendmsg('ivy', text(`goaway ${n}`));
    await waitFor(() => bodies(ios.token).length === 5, 'GOAWAY recovery');
    w.sim.faults.clear('apns');

    w.sim.faults.add('fcm', { kind: 'reset', count: 2 });
    await sendmsg('andy', text('after reset'));
    await waitFor(() => bodies(android.token).length === 2, 'reset recovery');

    expect(bodies(ios.token).sort()).toEqual(
      ['after 503', 'after 429', 'goaway 1', 'goaway 2', 'goaway 3'].sort(),
    );
    expect(bodies(android.token)).toEqual(['after 503', 'after reset']);
    expect(answersFor(ios.token).some((a) => a.outcome.kind === 'retry')).toBe(true);
    expect(answersFor(android.token).some((a) => a.outcome.kind === 'retry')).toBe(true);
  });

  it('a credential error pauses the certificate; pushes of messages that keep arriving are held, and resuming delivers them all', async () => {
    const phone = await backgroundPhone(w, 'pat', 'apns');
    w.sim.faults.add('apns', { kind: 'status', status: 403, reason: 'InvalidProviderToken', count: 1 });
    await sendmsg('pat', text('held'));
    const paused = await waitFor(async () => {
      const c = await w.s.pushline.certificateService.get(w.s.app.sdkAppId, w.apns.id);
      return c.status === 'paused' ? c : undefined;
    }, 'certificate paused');
    expect(paused).toMatchObject({ pausedMode: 'hold' });
    expect(paused.pausedReason).toContain('InvalidProviderToken');
    // While paused, new messages' pushes are queued and wait: nothing is skipped, nothing is sent.
    const during = [];
    for (let i = 0; i < 5; i++) during.push(await sendmsg('pat', text(`while paused ${i}`)));
    // One with a 1-second lifetime: it expires while it waits and is dropped, not delivered late.
    const shortLived = await w.s.v4('openim/sendmsg', {
      From_Account: 'boss',
      To_Account: 'pat',
      MsgRandom: random(),
      MsgLifeTime: 1,
      MsgBody: text('short-lived'),
    });
    expect(shortLived).toMatchObject({ ErrorCode: 0 });
    for (const r of during) {
      expect(w.recorder.skippedRecords.filter((s) => s.msgKey === r.MsgKey)).toEqual([]);
      expect(w.recorder.acceptedRecords.filter((a) => a.msgKey === r.MsgKey)).toHaveLength(1);
    }
    // Six wait for certain; the short-lived one is either held too or, if it was reached only after its
    // lifetime, already dropped as expired (checked below) — on a slow database either can happen.
    await waitFor(async () => (await w.s.pushline.pushQueue.stats()).held >= 6, 'six pushes held');
    expect(bodies(phone.token)).toEqual([]);
    await new Promise((r) => setTimeout(r, 1200));

    await w.s.pushline.certificateService.resume(w.s.app.sdkAppId, w.apns.id);
    await waitFor(() => bodies(phone.token).length >= 6, 'held pushes delivered');
    expect(bodies(phone.token).sort()).toEqual(
      ['held', ...[0, 1, 2, 3, 4].map((i) => `while paused ${i}`)].sort(),
    );
    // Dropped by the dispatcher (a rejection that says expired) or, on a machine so slow that the push was
    // decided after the message's lifetime, never queued (skipped as expired).
    await waitFor(
      () =>
        answersFor(phone.token).find((a) => a.outcome.kind === 'rejected' && a.outcome.code === 'expired') ??
        w.recorder.skippedRecords.find((r) => r.msgKey === shortLived.MsgKey && r.reason === 'expired'),
      'the short-lived push dropped as expired',
    );
    expect(bodies(phone.token)).not.toContain('short-lived');
    // The trace shows the wait: held while paused, then sent.
    const pushId = w.recorder.acceptedRecords.find((a) => a.msgKey === during[0]?.MsgKey)?.pushId ?? '';
    const traceStages = () =>
      w.s.pushline.db
        .selectFrom('push_trace_events')
        .select(['stage', 'code'])
        .where('push_id', '=', pushId)
        .orderBy('id')
        .execute();
    const stages = await waitFor(async () => {
      const found = await traceStages();
      return found.some((x) => x.stage === 'sent') ? found : undefined;
    }, 'the held push answered');
    expect(stages.map((x) => [x.stage, x.code])).toEqual([
      ['held', 'certificate-paused'],
      ['sent', null],
    ]);
  });

  it('a certificate paused to discard: new pushes are skipped and waiting ones dropped, with the reason', async () => {
    const phone = await backgroundPhone(w, 'nora', 'apns');
    await w.s.pushline.certificateService.pause(w.s.app.sdkAppId, w.apns.id, 'app retired', 'hold');
    const waiting = await sendmsg('nora', text('waiting'));
    await waitFor(async () => (await w.s.pushline.pushQueue.stats()).held >= 1, 'one push held');
    // Switching to discard drops what waits; a message sent now is not queued at all.
    await w.s.pushline.certificateService.pause(w.s.app.sdkAppId, w.apns.id, 'app retired', 'discard');
    const after = await sendmsg('nora', text('after'));
    expect(w.recorder.skippedRecords.filter((s) => s.msgKey === after.MsgKey)).toMatchObject([
      { reason: 'certificate-paused' },
    ]);
    const waitingPush = w.recorder.acceptedRecords.find((a) => a.msgKey === waiting.MsgKey);
    await waitFor(
      () =>
        w.recorder.answers.find(
          (a) =>
            a.task.pushId === waitingPush?.pushId &&
            a.outcome.kind === 'rejected' &&
            a.outcome.code === 'certificate-paused',
        ),
      'the waiting push dropped',
    );
    await w.s.pushline.certificateService.resume(w.s.app.sdkAppId, w.apns.id);
    await new Promise((r) => setTimeout(r, 300));
    expect(bodies(phone.token)).toEqual([]);
  });
});
