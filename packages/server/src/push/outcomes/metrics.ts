// Prometheus metrics of push outcomes, registered on the Pushline registry (metrics.ts). They mirror
// the hourly counters: totals since the process started, by vendor and outcome.
import { Counter, Histogram, type Registry } from 'prom-client';

export interface OutcomeMetrics {
  /** Pushes by vendor and outcome: accepted, throttled (deferred by a rate limit), sent, retry, invalid-token, rejected, credential-error, failed, delivered, undelivered, clicked. */
  pushes: Counter<'vendor' | 'outcome'>;
  skipped: Counter<'reason'>;
  vendorLatency: Histogram<'vendor'>;
  webhookDeliveries: Counter<'result'>;
  webhookEventsDropped: Counter<'reason'>;
  receipts: Counter<'vendor' | 'result'>;
}

export function registerOutcomeMetrics(registry: Registry): OutcomeMetrics {
  const registers = [registry];
  return {
    pushes: new Counter({
      name: 'pushline_push_total',
      help: 'Offline pushes by vendor and outcome (accepted, throttled, sent, retry, invalid-token, rejected, credential-error, failed, delivered, undelivered, clicked)',
      labelNames: ['vendor', 'outcome'] as const,
      registers,
    }),
    skipped: new Counter({
      name: 'pushline_push_skipped_total',
      help: 'Devices that got no offline push, by reason (docs/push-payloads.md)',
      labelNames: ['reason'] as const,
      registers,
    }),
    vendorLatency: new Histogram({
      name: 'pushline_push_vendor_latency_seconds',
      help: 'Time from sending a push to the vendor answer',
      labelNames: ['vendor'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    webhookDeliveries: new Counter({
      name: 'pushline_webhook_deliveries_total',
      help: 'Push webhook requests (Push.OfflinePush, Push.AllMemberPush) by result: ok, retry, dropped',
      labelNames: ['result'] as const,
      registers,
    }),
    webhookEventsDropped: new Counter({
      name: 'pushline_webhook_events_dropped_total',
      help: 'Callback events given up (Push.*, State.StateChange, after-send), by reason: expired (retried too long), attempts (retried too often), overflow (too many pending), no-callback-url',
      labelNames: ['reason'] as const,
      registers,
    }),
    receipts: new Counter({
      name: 'pushline_push_receipts_total',
      help: 'Vendor receipts and SDK click reports by vendor and result: matched, unmatched, refused',
      labelNames: ['vendor', 'result'] as const,
      registers,
    }),
  };
}
