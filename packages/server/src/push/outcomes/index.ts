// Push outcomes: traces, hourly statistics, Push.* webhooks, receipts and metrics. `createOutcomes` builds
// the recorder the engine and dispatcher write through (`pushline.outcomes.recorder`):
//
//   const pushId = newPushId();                                   // one per notification to one device
//   recorder.writeDecisions(trx, accepted, skipped);              // in the transaction that enqueues the jobs
//   recorder.writeAnswers(trx, [{ task, outcome, attempt, latencyMs, final? }]);  // in the settlement's
//   recorder.countDecisions(...) / countAnswers(recorded);        // after the commit: metrics
//   await recorder.receipts([...]); await recorder.clicked(...);  // vendor receipts, SDK click reports
//
// Every write commits with what it records (recorder.ts); nothing waits in memory.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { AppsService } from '../../apps/apps.js';
import type { Vendor } from '../../certificates/types.js';
import type { Database } from '../../store/schema.js';
import { DEFAULT_OUTBOX_OPTIONS, type OutboxOptions, WebhookOutbox } from '../../webhooks/outbox.js';
import { registerOutcomeMetrics } from './metrics.js';
import { receiptUrl } from './receipt-token.js';
import { OutcomeRecorder } from './recorder.js';
import { deleteExpiredOutcomes, type RetentionOptions, type RetentionResult } from './retention.js';

export type { WrittenAnswers } from './batch-write.js';
export { newPushId } from './push-id.js';
export { withReceiptFields } from './receipt-fields.js';
export type { OutcomeRecorder } from './recorder.js';
export type * from './types.js';

export interface OutcomesOptions extends RetentionOptions {
  /** The address vendors reach this server at; the base of receipt callback URLs. */
  publicUrl?: string | undefined;
  /** How often the retention job runs. */
  retentionIntervalMs: number;
  webhooks: OutboxOptions;
}

export const DEFAULT_OUTCOMES_OPTIONS: OutcomesOptions = {
  traceRetentionDays: 7,
  statsRetentionDays: 90,
  retentionIntervalMs: 3_600_000,
  webhooks: DEFAULT_OUTBOX_OPTIONS,
};

export interface Outcomes {
  recorder: OutcomeRecorder;
  outbox: WebhookOutbox;
  options: OutcomesOptions;
  /**
   * The receipt URL a channel puts in vivo/Meizu/Xiaomi messages (with withReceiptFields, receipt-fields.ts);
   * undefined without a `publicUrl` or for an unknown app.
   */
  receiptCallbackUrl(sdkAppId: number, vendor: Vendor): Promise<string | undefined>;
  /** Deletes expired traces and counters now. */
  runRetention(now?: number): Promise<RetentionResult>;
  /** Stops the retention job and the webhook outbox. */
  close(): Promise<void>;
}

export interface OutcomesDeps {
  db: Kysely<Database>;
  apps: AppsService;
  registry: Registry;
  log: Logger;
  now?: () => number;
}

export function createOutcomes(deps: OutcomesDeps, overrides: Partial<OutcomesOptions> = {}): Outcomes {
  const options: OutcomesOptions = {
    ...DEFAULT_OUTCOMES_OPTIONS,
    ...overrides,
    webhooks: { ...DEFAULT_OUTBOX_OPTIONS, ...overrides.webhooks },
  };
  const metrics = registerOutcomeMetrics(deps.registry);
  const outbox = new WebhookOutbox(deps.db, deps.apps, metrics, deps.log, options.webhooks);
  const recorder = new OutcomeRecorder({
    db: deps.db,
    apps: deps.apps,
    metrics,
    log: deps.log,
    outbox,
    ...(deps.now ? { now: deps.now } : {}),
  });
  outbox.start();
  const runRetention = (now = Date.now()) => deleteExpiredOutcomes(deps.db, options, now);
  const retentionTimer = setInterval(() => {
    runRetention().catch((err) => deps.log.error({ err }, 'push outcomes: retention job failed'));
  }, options.retentionIntervalMs);
  retentionTimer.unref();
  return {
    recorder,
    outbox,
    options,
    runRetention,
    async receiptCallbackUrl(sdkAppId, vendor) {
      if (!options.publicUrl) return undefined;
      const app = await deps.apps.get(sdkAppId);
      return app ? receiptUrl(options.publicUrl, app.secretKey, sdkAppId, vendor) : undefined;
    },
    async close() {
      clearInterval(retentionTimer);
      await outbox.close();
    },
  };
}
