// Push.OfflinePush / Push.AllMemberPush webhooks against a local HTTP receiver: batches of at most 100
// events, retries with backoff on failures, durability across a restart, and the per-app cap.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPushline } from '../../../src/server.js';
import { callbackSign } from '../../../src/webhooks/sign.js';
import { testBackends } from '../../helpers/databases.js';
import { answer, pushRecord, waitFor } from '../../helpers/outcomes.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';

const backends = await testBackends();
const FAST_RETRIES = {
  webhooks: { retry: { baseMs: 30, maxMs: 200 }, pollIntervalMs: 50 },
};

async function metric(s: TestServer, name: string, labels: Record<string, string>): Promise<number> {
  const m = await s.pushline.metrics.registry.getSingleMetric(name)?.get();
  const v = m?.values.find((x) => Object.entries(labels).every(([k, val]) => x.labels[k] === val));
  return v?.value ?? 0;
}

async function outboxSize(s: TestServer): Promise<number> {
  const { n } = await s.pushline.db
    .selectFrom('push_webhook_outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

describe.each(backends)('push webhooks on %s', (backend) => {
  let s: TestServer;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    s = await startTestServer({ backend, create: { outcomes: FAST_RETRIES } });
    await s.pushline.apps.updateSettings(s.app.sdkAppId, { callbackUrl: receiver.url });
  });
  afterEach(() => {
    receiver.received.length = 0;
    receiver.script = [];
  });
  afterAll(async () => {
    await s?.close();
    await receiver?.close();
  });

  it('posts Push.OfflinePush events in batches of at most 100', async () => {
    const rec = s.pushline.outcomes.recorder;
    const pushes = Array.from({ length: 249 }, () => pushRecord(s.app.sdkAppId));
    const group = pushRecord(s.app.sdkAppId, { kind: 'group', groupId: '@TGS#9', vendor: 'honor' });
    await rec.accepted([...pushes, group]);
    await rec.vendorAnswers([
      ...pushes.map((p) => answer(p, { kind: 'sent' })),
      answer(group, { kind: 'invalid-token', code: '80300007' }),
    ]);
    await waitFor(() => receiver.received.length === 3, 'three webhook requests');
    const sizes = receiver.received.map((r) => r.body.Events.length).sort((a, b) => a - b);
    expect(sizes).toEqual([50, 100, 100]);
    for (const r of receiver.received) {
      expect(r.query).toEqual({
        SdkAppid: String(s.app.sdkAppId),
        CallbackCommand: 'Push.OfflinePush',
        contenttype: 'json',
        RequestTime: expect.stringMatching(/^\d+$/),
        Sign: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      // Signed with the app's callback token, as every callback (Sign = sha256(token + RequestTime)).
      expect(r.query.Sign).toBe(callbackSign(s.app.settings.callbackToken ?? '', r.query.RequestTime ?? ''));
      expect(r.contentType).toMatch(/^application\/json/);
    }
    const events = receiver.received.flatMap((r) => r.body.Events);
    expect(new Set(events.map((e) => e.PushID))).toEqual(new Set([...pushes, group].map((p) => p.pushId)));
    expect(events.find((e) => e.PushID === pushes[0]!.pushId)).toEqual({
      CallbackCommand: 'Push.OfflinePush',
      EventType: 1,
      EventTime: expect.any(Number),
      From_Account: 'alice',
      To_Account: 'bob',
      MsgKey: '48374_2837546_1557481126',
      MsgSeq: 48374,
      MsgRandom: 2837546,
      MsgTime: 1557481126,
      PushPlatform: 2,
      PushStage: 1,
      PushID: pushes[0]!.pushId,
      ErrCode: 0,
      ErrInfo: 'OK',
    });
    expect(events.find((e) => e.PushID === group.pushId)).toMatchObject({
      EventType: 2,
      GroupID: '@TGS#9',
      PushPlatform: 8,
      ErrCode: 1,
      ErrInfo: '80300007',
    });
    await waitFor(async () => (await outboxSize(s)) === 0, 'an empty outbox');
  });

  it('posts Push.AllMemberPush for task pushes, and receipt and click stages', async () => {
    const rec = s.pushline.outcomes.recorder;
    const p = pushRecord(s.app.sdkAppId, { kind: 'all-member', taskId: 'task-42', vendor: 'huawei' });
    await rec.accepted([p]);
    await rec.vendorAnswers([answer(p, { kind: 'sent', vendorId: 'hw-1' })]);
    await rec.receipt({
      sdkAppId: s.app.sdkAppId,
      vendor: 'huawei',
      status: 'undelivered',
      pushId: p.pushId,
      code: '2',
    });
    await rec.clicked(s.app.sdkAppId, 'bob', p.pushId);
    await waitFor(() => receiver.received.flatMap((r) => r.body.Events).length === 3, 'three events');
    const events = receiver.received.flatMap((r) => r.body.Events);
    for (const r of receiver.received) expect(r.query.CallbackCommand).toBe('Push.AllMemberPush');
    expect(events.map((e) => [e.PushStage, e.ErrCode, e.ErrInfo]).sort()).toEqual([
      [1, 0, 'OK'],
      [2, 5, '2'],
      [3, 0, 'OK'],
    ]);
    expect(events[0]).toMatchObject({
      CallbackCommand: 'Push.AllMemberPush',
      EventType: 1,
      TaskId: 'task-42',
      TaskTime: expect.any(Number),
      To_Account: 'bob',
      PushPlatform: 3,
    });
  });

  it('retries a failed delivery with backoff until the app answers 2xx, without duplicates', async () => {
    receiver.script = [500, 503, 404];
    const rec = s.pushline.outcomes.recorder;
    const retriesBefore = await metric(s, 'pushline_webhook_deliveries_total', { result: 'retry' });
    const p = pushRecord(s.app.sdkAppId);
    await rec.accepted([p]);
    await rec.vendorAnswers([answer(p, { kind: 'rejected', code: 'PayloadTooLarge' })]);
    await waitFor(() => receiver.received.length === 1, 'the delivery after three failures');
    expect(receiver.script).toEqual([]);
    expect(receiver.received[0]!.body.Events).toEqual([
      expect.objectContaining({ PushID: p.pushId, ErrCode: 2 }),
    ]);
    expect(await metric(s, 'pushline_webhook_deliveries_total', { result: 'retry' })).toBe(retriesBefore + 3);
    await waitFor(async () => (await outboxSize(s)) === 0, 'an empty outbox');
    // Nothing else arrives later.
    await s.pushline.outcomes.outbox.idle();
    expect(receiver.received).toHaveLength(1);
  });

  it('sends nothing for an app without a callback URL', async () => {
    const other = await s.pushline.apps.create({ name: 'No hooks' });
    const p = pushRecord(other.sdkAppId);
    await s.pushline.outcomes.recorder.accepted([p]);
    await s.pushline.outcomes.recorder.vendorAnswers([answer(p, { kind: 'sent' })]);
    expect(await outboxSize(s)).toBe(0);
  });
});

describe.each(backends)('push webhooks wake-up on %s', (backend) => {
  it('looks for due batches after a settlement that queued some, and only then', async () => {
    const receiver = await startWebhookReceiver();
    // A poll once a minute: within the test only a wake-up can deliver.
    const s = await startTestServer({
      backend,
      create: { outcomes: { webhooks: { pollIntervalMs: 60_000 } } },
    });
    try {
      await s.pushline.apps.updateSettings(s.app.sdkAppId, { callbackUrl: receiver.url });
      const quiet = await s.pushline.apps.create({ name: 'No hooks' });
      const rec = s.pushline.outcomes.recorder;
      const wake = vi.spyOn(s.pushline.outcomes.outbox, 'wake');
      const unseen = pushRecord(quiet.sdkAppId);
      await rec.accepted([unseen]);
      await rec.vendorAnswers([answer(unseen, { kind: 'sent' })]);
      expect(wake).not.toHaveBeenCalled();
      const seen = pushRecord(s.app.sdkAppId);
      await rec.accepted([seen]);
      await rec.vendorAnswers([answer(seen, { kind: 'sent' })]);
      expect(wake).toHaveBeenCalledTimes(1);
      await waitFor(() => receiver.received.length === 1, 'the webhook request');
      expect(receiver.received[0]!.body.Events.map((e) => e.PushID)).toEqual([seen.pushId]);
    } finally {
      await s.close();
      await receiver.close();
    }
  });
});

describe.each(backends)('push webhooks durability on %s', (backend) => {
  it('keeps undelivered batches across a restart and delivers them once the app is back', async () => {
    const receiver = await startWebhookReceiver();
    const s = await startTestServer({ backend, create: { outcomes: FAST_RETRIES } });
    try {
      await s.pushline.apps.updateSettings(s.app.sdkAppId, { callbackUrl: receiver.url });
      receiver.script = Array.from({ length: 1000 }, () => 503);
      const p = pushRecord(s.app.sdkAppId);
      await s.pushline.outcomes.recorder.accepted([p]);
      await s.pushline.outcomes.recorder.vendorAnswers([answer(p, { kind: 'sent' })]);
      await waitFor(
        async () => (await metric(s, 'pushline_webhook_deliveries_total', { result: 'retry' })) >= 2,
        'two failed attempts',
      );
      await s.pushline.close();

      receiver.script = [];
      const restarted = await createPushline(s.pushline.config, { outcomes: FAST_RETRIES });
      try {
        await waitFor(() => receiver.received.length === 1, 'delivery after the restart');
        expect(receiver.received[0]!.body.Events[0]).toMatchObject({ PushID: p.pushId });
      } finally {
        await restarted.close();
      }
    } finally {
      await s.close();
      await receiver.close();
    }
  });

  it('keeps delivering to other apps while one app endpoint hangs', async () => {
    const hanging = createServer(() => {}); // accepts requests, never answers
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const receiver = await startWebhookReceiver();
    const s = await startTestServer({
      backend,
      create: {
        outcomes: {
          ...FAST_RETRIES,
          webhooks: { ...FAST_RETRIES.webhooks, concurrency: 2, timeoutMs: 60_000 },
        },
      },
    });
    try {
      const stuck = await s.pushline.apps.create({ name: 'Stuck' });
      const { port } = hanging.address() as AddressInfo;
      await s.pushline.apps.updateSettings(stuck.sdkAppId, { callbackUrl: `http://127.0.0.1:${port}/hook` });
      await s.pushline.apps.updateSettings(s.app.sdkAppId, { callbackUrl: receiver.url });
      const rec = s.pushline.outcomes.recorder;
      for (let i = 0; i < 3; i++) {
        const p = pushRecord(stuck.sdkAppId);
        await rec.accepted([p]);
        await rec.vendorAnswers([answer(p, { kind: 'sent' })]);
      }
      const healthy = pushRecord(s.app.sdkAppId);
      await rec.accepted([healthy]);
      await rec.vendorAnswers([answer(healthy, { kind: 'sent' })]);
      await waitFor(() => receiver.received.length === 1, 'the healthy app to get its webhook');
      expect(receiver.received[0]!.body.Events[0]).toMatchObject({ PushID: healthy.pushId });
    } finally {
      hanging.closeAllConnections();
      hanging.close();
      await s.close();
      await receiver.close();
    }
  });

  it('gives up a batch that could not be delivered within maxAgeMs', async () => {
    const receiver = await startWebhookReceiver();
    const s = await startTestServer({
      backend,
      create: { outcomes: { ...FAST_RETRIES, webhooks: { ...FAST_RETRIES.webhooks, maxAgeMs: 300 } } },
    });
    try {
      await s.pushline.apps.updateSettings(s.app.sdkAppId, { callbackUrl: receiver.url });
      receiver.script = Array.from({ length: 100_000 }, () => 500);
      const pushes = [pushRecord(s.app.sdkAppId), pushRecord(s.app.sdkAppId)];
      await s.pushline.outcomes.recorder.accepted(pushes);
      await s.pushline.outcomes.recorder.vendorAnswers(pushes.map((p) => answer(p, { kind: 'sent' })));
      await waitFor(async () => (await outboxSize(s)) === 0, 'the batch to be given up');
      expect(await metric(s, 'pushline_webhook_events_dropped_total', { reason: 'expired' })).toBe(2);
      expect(await metric(s, 'pushline_webhook_deliveries_total', { result: 'dropped' })).toBe(1);
      expect(receiver.received).toEqual([]);
    } finally {
      await s.close();
      await receiver.close();
    }
  });

  it('drops the oldest batches of an app whose endpoint is down, counting the events', async () => {
    const receiver = await startWebhookReceiver();
    const s = await startTestServer({
      backend,
      create: {
        outcomes: { ...FAST_RETRIES, webhooks: { ...FAST_RETRIES.webhooks, maxPendingBatchesPerApp: 2 } },
      },
    });
    try {
      // The endpoint is down (connection refused) while batches pile up.
      const down = await startWebhookReceiver();
      await down.close();
      await s.pushline.apps.updateSettings(s.app.sdkAppId, { callbackUrl: down.url });
      const rec = s.pushline.outcomes.recorder;
      const batches = Array.from({ length: 4 }, () =>
        Array.from({ length: 100 }, () => pushRecord(s.app.sdkAppId)),
      );
      for (const batch of batches) {
        await rec.accepted(batch);
        await rec.vendorAnswers(batch.map((p) => answer(p, { kind: 'sent' })));
      }
      expect(await outboxSize(s)).toBe(2);
      expect(await metric(s, 'pushline_webhook_events_dropped_total', { reason: 'overflow' })).toBe(200);
      await s.pushline.apps.updateSettings(s.app.sdkAppId, { callbackUrl: receiver.url });
      await waitFor(() => receiver.received.length === 2, 'the two newest batches');
      const delivered = new Set(receiver.received.flatMap((r) => r.body.Events.map((e) => e.PushID)));
      expect(delivered).toEqual(new Set([...batches[2]!, ...batches[3]!].map((p) => p.pushId)));
    } finally {
      await s.close();
      await receiver.close();
    }
  });
});
