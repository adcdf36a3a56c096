// Push outcomes: traces, hourly statistics, Push.* webhooks, receipts and metrics. `createOutcomes` builds
// the recorder the engine and dispatcher report to (`pushline.outcomes.recorder`):
//
//   const pushId = newPushId();                        // one per notification to one device
//   recorder.accepted([{ pushId, sdkAppId, kind: 'c2c', toUser, fromUser, msgKey, instanceId,
//                        vendor, certificateId, token }]);              // when the job is queued
//   recorder.skipped([{ ...sameFields, reason: 'no-binding' }]);       // a device that gets no push
//   recorder.vendorAnswers([{ task, outcome, attempt, latencyMs, final? }]); // each channel answer
//   recorder.setInvalidTokenHandler(async (items) => removeBindings(items));
//
// All calls only append to memory; writes happen in batches (recorder.ts).
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { AppsService } from '../../apps/apps.js';
import type { Database } from '../../store/schema.js';
import { registerOutcomeMetrics } from './metrics.js';
import { DEFAULT_RECORDER_OPTIONS, OutcomeRecorder, type RecorderOptions } from './recorder.js';
import { deleteExpiredOutcomes, type RetentionOptions, type RetentionResult } from './retention.js';
import type { InvalidTokenHandler } from './types.js';
import { DEFAULT_OUTBOX_OPTIONS, type OutboxOptions, WebhookOutbox } from './webhook-outbox.js';

export { newPushId } from './push-id.js';
export type { OutcomeRecorder } from './recorder.js';
export type * from './types.js';

export interface OutcomesOptions extends RecorderOptions, RetentionOptions {
  /** How often the retention job runs. */
  retentionIntervalMs: number;
  webhooks: OutboxOptions;
}

export const DEFAULT_OUTCOMES_OPTIONS: OutcomesOptions = {
  ...DEFAULT_RECORDER_OPTIONS,
  traceRetentionDays: 7,
  statsRetentionDays: 90,
  retentionIntervalMs: 3_600_000,
  webhooks: DEFAULT_OUTBOX_OPTIONS,
};

export interface Outcomes {
  recorder: OutcomeRecorder;
  outbox: WebhookOutbox;
  options: OutcomesOptions;
  /** Deletes expired traces and counters now. */
  runRetention(now?: number): Promise<RetentionResult>;
  /** Flushes what is buffered and stops the timers. */
  close(): Promise<void>;
}

export interface OutcomesDeps {
  db: Kysely<Database>;
  apps: AppsService;
  registry: Registry;
  log: Logger;
  onInvalidToken?: InvalidTokenHandler;
}

export function createOutcomes(deps: OutcomesDeps, overrides: Partial<OutcomesOptions> = {}): Outcomes {
  const options: OutcomesOptions = {
    ...DEFAULT_OUTCOMES_OPTIONS,
    ...overrides,
    webhooks: { ...DEFAULT_OUTBOX_OPTIONS, ...overrides.webhooks },
  };
  const metrics = registerOutcomeMetrics(deps.registry);
  const outbox = new WebhookOutbox(deps.db, deps.apps, metrics, deps.log, options.webhooks);
  const recorder = new OutcomeRecorder(
    { db: deps.db, apps: deps.apps, metrics, log: deps.log, outbox, onInvalidToken: deps.onInvalidToken },
    options,
  );
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
    async close() {
      clearInterval(retentionTimer);
      await recorder.close();
      await outbox.close();
    },
  };
}
