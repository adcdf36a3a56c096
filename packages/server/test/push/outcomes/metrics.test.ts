// Prometheus counters of push outcomes, scraped from /metrics like a Prometheus server would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../helpers/databases.js';
import { answer, pushRecord, waitFor } from '../../helpers/outcomes.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';

const backends = await testBackends();

describe.each(backends)('push outcome metrics on %s', (backend) => {
  let s: TestServer;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    s = await startTestServer({
      backend,
      create: { outcomes: { webhooks: { pollIntervalMs: 50, retry: { baseMs: 20, maxMs: 50 } } } },
    });
    await s.pushline.apps.updateSettings(s.app.sdkAppId, { callbackUrl: receiver.url });
  });
  afterAll(async () => {
    await s?.close();
    await receiver?.close();
  });

  it('mirrors pushes, skips, vendor latency, receipts and webhook deliveries', async () => {
    const rec = s.pushline.outcomes.recorder;
    const a = pushRecord(s.app.sdkAppId, { vendor: 'apns' });
    const b = pushRecord(s.app.sdkAppId, { vendor: 'apns' });
    const c = pushRecord(s.app.sdkAppId, { vendor: 'fcm' });
    await rec.accepted([a, b, c]);
    await rec.skipped([{ ...pushRecord(s.app.sdkAppId), reason: 'dnd-window' }]);
    receiver.script = [500];
    await rec.vendorAnswers([
      { ...answer(a, { kind: 'sent' }), latencyMs: 30 },
      { ...answer(b, { kind: 'invalid-token', code: 'BadDeviceToken' }), latencyMs: 700 },
      { ...answer(c, { kind: 'retry', code: 'UNAVAILABLE' }), latencyMs: 5 },
    ]);
    await rec.receipt({ sdkAppId: s.app.sdkAppId, vendor: 'huawei', status: 'delivered', pushId: 'nope' });
    await waitFor(() => receiver.received.length === 1, 'the webhook after one failure');

    const res = await fetch(`${s.url}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const value = (line: string) => {
      const found = text.split('\n').find((l) => l.startsWith(`${line} `));
      return found === undefined ? undefined : Number(found.slice(line.length + 1));
    };
    expect(value('pushline_push_total{vendor="apns",outcome="accepted"}')).toBe(2);
    expect(value('pushline_push_total{vendor="fcm",outcome="accepted"}')).toBe(1);
    expect(value('pushline_push_total{vendor="apns",outcome="sent"}')).toBe(1);
    expect(value('pushline_push_total{vendor="apns",outcome="invalid-token"}')).toBe(1);
    expect(value('pushline_push_total{vendor="fcm",outcome="retry"}')).toBe(1);
    expect(value('pushline_push_skipped_total{reason="dnd-window"}')).toBe(1);
    expect(value('pushline_push_vendor_latency_seconds_count{vendor="apns"}')).toBe(2);
    expect(value('pushline_push_vendor_latency_seconds_bucket{le="0.05",vendor="apns"}')).toBe(1);
    expect(value('pushline_push_vendor_latency_seconds_bucket{le="1",vendor="apns"}')).toBe(2);
    expect(value('pushline_push_receipts_total{vendor="huawei",result="unmatched"}')).toBe(1);
    expect(value('pushline_webhook_deliveries_total{result="retry"}')).toBe(1);
    expect(value('pushline_webhook_deliveries_total{result="ok"}')).toBe(1);
  });
});
