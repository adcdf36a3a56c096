// The outcomes recorder: the engine, the dispatcher and the receipt endpoints report every stage of every
// push here. Calls only append to memory (the engine pushes ~20k notifications/s); a flush every
// `flushIntervalMs`, or as soon as `maxBatchRows` are waiting, writes traces, stage events, hourly
// counters and webhook batches in one transaction.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { AppsService } from '../../apps/apps.js';
import type { Database } from '../../store/schema.js';
import type { PushTask } from '../types.js';
import { writeBatch } from './batch-write.js';
import { HourlyCounters } from './counters.js';
import type { OutcomeMetrics } from './metrics.js';
import { RECEIPT_VENDORS } from './receipts.js';
import { RecentTraces } from './recent-traces.js';
import { type AnswerCount, counterBase, eventRow, traceRow } from './rows.js';
import { type EventRow, matchReceipt, sameRequestPush, type TraceRow, traceRows } from './trace-store.js';
import type { InvalidTokenHandler, PushRecord, Receipt, SkippedRecord, VendorAnswer } from './types.js';
import { type PendingEvent, PushStage } from './webhook-events.js';
import type { WebhookOutbox } from './webhook-outbox.js';

export interface RecorderOptions {
  flushIntervalMs: number;
  /** Flush at once when this many rows are waiting. */
  maxBatchRows: number;
  /** Above this many waiting rows (database down or too slow), the oldest trace rows are dropped. */
  maxBufferedRows: number;
  /** Trace rows kept in memory to describe vendor answers without a database lookup. */
  recentTraces: number;
}

export const DEFAULT_RECORDER_OPTIONS: RecorderOptions = {
  flushIntervalMs: 200,
  maxBatchRows: 5000,
  maxBufferedRows: 200_000,
  recentTraces: 50_000,
};

interface Deps {
  db: Kysely<Database>;
  apps: AppsService;
  metrics: OutcomeMetrics;
  log: Logger;
  outbox: WebhookOutbox;
  onInvalidToken?: InvalidTokenHandler | undefined;
}

type InvalidToken = Parameters<InvalidTokenHandler>[0][number];

const RECEIPT_VENDOR_SET: ReadonlySet<string> = new Set(RECEIPT_VENDORS);

export class OutcomeRecorder {
  #traces: TraceRow[] = [];
  #events: EventRow[] = [];
  #webhooks: PendingEvent[] = [];
  #invalidTokens: InvalidToken[] = [];
  #answers: AnswerCount[] = [];
  readonly #counters = new HourlyCounters();
  readonly #recent: RecentTraces;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #flushQueued = false;
  #closed = false;
  #onInvalidToken: InvalidTokenHandler | undefined;

  constructor(
    private readonly deps: Deps,
    private readonly options: RecorderOptions = DEFAULT_RECORDER_OPTIONS,
  ) {
    this.#onInvalidToken = deps.onInvalidToken;
    this.#recent = new RecentTraces(options.recentTraces);
    this.#timer = setInterval(() => void this.flush(), options.flushIntervalMs);
    this.#timer.unref();
  }

  /** Who removes bindings whose token a vendor declared invalid (called after each flush). */
  setInvalidTokenHandler(handler: InvalidTokenHandler | undefined): void {
    this.#onInvalidToken = handler;
  }

  /** Pushes handed to the queue for a vendor. */
  accepted(records: PushRecord[]): void {
    for (const r of records) {
      const at = r.at ?? Date.now();
      this.#remember(traceRow(r, at, null));
      this.#counters.add({ ...counterBase(r, at), outcome: 'accepted' });
      this.deps.metrics.pushes.inc({ vendor: r.vendor ?? '', outcome: 'accepted' });
    }
    this.#afterAppend();
  }

  /** Devices that get no push, with the reason (push/push-reasons.ts). */
  skipped(records: SkippedRecord[]): void {
    for (const r of records) {
      const at = r.at ?? Date.now();
      this.#remember(traceRow(r, at, r.reason));
      this.#counters.add({ ...counterBase(r, at), outcome: 'skipped', code: r.reason });
      this.deps.metrics.skipped.inc({ reason: r.reason });
    }
    this.#afterAppend();
  }

  /** Channel answers, one per task. */
  vendorAnswers(answers: VendorAnswer[]): void {
    for (const a of answers) {
      const at = a.at ?? Date.now();
      const { task, outcome } = a;
      const vendor = task.request.vendor;
      const final = a.final ?? outcome.kind !== 'retry';
      const stage = outcome.kind === 'retry' && final ? 'failed' : outcome.kind;
      const code = outcome.kind === 'sent' ? undefined : outcome.code;
      const vendorId = outcome.kind === 'sent' ? outcome.vendorId : undefined;
      // Only receipt vendors' message IDs are indexed (receipts are matched by them); others (apns-id,
      // FCM message name) are kept for display.
      const indexed = RECEIPT_VENDOR_SET.has(vendor);
      this.#events.push(
        eventRow(task.pushId, stage, at, {
          attempt: a.attempt,
          code,
          latencyMs: Math.round(a.latencyMs),
          vendorMsgId: indexed ? vendorId : undefined,
          info: indexed ? undefined : vendorId,
        }),
      );
      // The kind (c2c, group...) and task are on the trace row: counted at flush time.
      this.#answers.push({ sdkAppId: task.sdkAppId, pushId: task.pushId, at, vendor, outcome: stage, code });
      this.deps.metrics.pushes.inc({ vendor, outcome: stage });
      this.deps.metrics.vendorLatency.observe({ vendor }, a.latencyMs / 1000);
      if (final) {
        this.#webhooks.push({
          sdkAppId: task.sdkAppId,
          pushId: task.pushId,
          stage: PushStage.VendorAnswer,
          result: stage === 'sent' ? 'ok' : (stage as PendingEvent['result']),
          info: code ?? 'OK',
          at,
        });
      }
      if (outcome.kind === 'invalid-token') {
        this.#invalidTokens.push({
          sdkAppId: task.sdkAppId,
          certificateId: task.certificateId,
          token: task.token,
          code: outcome.code,
        });
      }
    }
    this.#afterAppend();
  }

  /** Pushes the dispatcher deferred under their certificate's rate limit (a `throttled` trace stage). */
  throttled(items: { task: PushTask; delayMs: number; at?: number }[]): void {
    for (const { task, at } of items) {
      this.#events.push(eventRow(task.pushId, 'throttled', at ?? Date.now(), { code: 'rate-limit' }));
      this.deps.metrics.pushes.inc({ vendor: task.request.vendor, outcome: 'throttled' });
    }
    this.#afterAppend();
  }

  /** Records a vendor receipt; resolves to the number of pushes it matched. */
  async receipt(receipt: Receipt): Promise<number> {
    return this.receipts([receipt]);
  }

  /** Records vendor receipts (one vendor request); resolves to the number of pushes they matched. */
  async receipts(receipts: Receipt[]): Promise<number> {
    await this.flush(); // the vendor answers carrying the message IDs may still be in memory
    let matched = 0;
    for (const receipt of receipts) {
      const rows = await matchReceipt(this.deps.db, receipt);
      const at = receipt.at ?? Date.now();
      for (const row of rows) this.#stageFromReceipt(row, receipt.status, at, receipt.code);
      this.deps.metrics.receipts.inc({
        vendor: receipt.vendor,
        result: rows.length ? 'matched' : 'unmatched',
      });
      matched += rows.length;
    }
    if (matched) this.#afterAppend();
    return matched;
  }

  /**
   * An SDK click report: only the push's receiver may report it. Resolves false for an unknown PushID. A
   * multi-token vendor request (Huawei, Honor, Xiaomi, Meizu) carries its first push's PushID to every
   * device: another receiver's report is matched to their own push of that same request.
   */
  async clicked(sdkAppId: number, userId: string, pushId: string, at = Date.now()): Promise<boolean> {
    await this.flush();
    let row = (await traceRows(this.deps.db, sdkAppId, [pushId])).get(pushId);
    if (row && row.to_user !== userId) row = await sameRequestPush(this.deps.db, sdkAppId, pushId, userId);
    if (!row) return false;
    this.#stageFromReceipt(row, 'clicked', at, undefined);
    this.deps.metrics.receipts.inc({ vendor: row.vendor ?? '', result: 'matched' });
    this.#afterAppend();
    return true;
  }

  /** Writes everything waiting. Flushes run one at a time; a call during a flush waits for the next one. */
  flush(): Promise<void> {
    if (this.#flushQueued) return this.#flushing;
    this.#flushQueued = true;
    this.#flushing = this.#flushing.then(async () => {
      this.#flushQueued = false;
      await this.#flushOnce();
    });
    return this.#flushing;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    await this.flush();
  }

  /** The trace row is written with the next flush; its accepted/skipped stage is the row itself. */
  #remember(row: TraceRow): void {
    this.#traces.push(row);
    this.#recent.add(row);
  }

  #stageFromReceipt(row: TraceRow, status: Receipt['status'], at: number, code: string | undefined): void {
    this.#recent.add(row);
    this.#events.push(eventRow(row.push_id, status, at, { code }));
    this.#counters.add({
      sdkAppId: row.sdkappid,
      at,
      kind: row.kind,
      taskId: row.task_id ?? undefined,
      vendor: row.vendor ?? undefined,
      outcome: status,
      code,
    });
    this.deps.metrics.pushes.inc({ vendor: row.vendor ?? '', outcome: status });
    this.#webhooks.push({
      sdkAppId: row.sdkappid,
      pushId: row.push_id,
      stage: status === 'clicked' ? PushStage.Click : PushStage.DeviceReceipt,
      result: status === 'undelivered' ? 'undelivered' : 'ok',
      info: code ?? 'OK',
      at,
    });
  }

  #afterAppend(): void {
    const waiting = this.#traces.length + this.#events.length;
    if (waiting >= this.options.maxBatchRows) void this.flush();
    if (waiting > this.options.maxBufferedRows) this.#shed();
  }

  /**
   * The database is not keeping up: keep the counters, drop the oldest trace detail. Sheds a tenth of the
   * buffer at once so that a long outage costs one array copy per many calls, not one per call.
   */
  #shed(): void {
    const target = Math.floor(this.options.maxBufferedRows * 0.9);
    const excess = this.#traces.length + this.#events.length - target;
    const fromEvents = Math.min(excess, this.#events.length);
    this.#events.splice(0, fromEvents);
    const fromTraces = Math.min(excess - fromEvents, this.#traces.length);
    this.#traces.splice(0, fromTraces);
    this.deps.metrics.traceRowsDropped.inc(fromEvents + fromTraces);
    // What waits for the trace rows (answers to count, webhook events) is bounded the same way.
    if (this.#answers.length > target) this.#answers.splice(0, this.#answers.length - target);
    if (this.#webhooks.length > target) {
      const dropped = this.#webhooks.length - target;
      this.#webhooks.splice(0, dropped);
      this.deps.metrics.webhookEventsDropped.inc({ reason: 'overflow' }, dropped);
    }
  }

  async #flushOnce(): Promise<void> {
    const traces = this.#traces;
    const events = this.#events;
    const webhooks = this.#webhooks;
    const invalidTokens = this.#invalidTokens;
    const answers = this.#answers;
    const counters = this.#counters.take();
    if (!traces.length && !events.length && !webhooks.length && !counters.length && !answers.length) return;
    this.#traces = [];
    this.#events = [];
    this.#webhooks = [];
    this.#invalidTokens = [];
    this.#answers = [];
    try {
      const hooked = await this.#withCallbackUrl(webhooks);
      let batches = 0;
      await this.deps.db.transaction().execute(async (tx) => {
        batches = await writeBatch(
          tx,
          { traces, events, counters, answers, webhooks: hooked },
          this.#recent,
          this.deps.outbox,
        );
      });
      if (batches > 0) this.deps.outbox.wake();
    } catch (err) {
      this.deps.log.error({ err }, 'push outcomes: writing a batch failed; retrying with the next flush');
      this.#traces = traces.concat(this.#traces);
      this.#events = events.concat(this.#events);
      this.#webhooks = webhooks.concat(this.#webhooks);
      this.#answers = answers.concat(this.#answers);
      this.#counters.restore(counters);
      this.#invalidTokens = invalidTokens.concat(this.#invalidTokens);
      if (this.#traces.length + this.#events.length > this.options.maxBufferedRows) this.#shed();
      return;
    }
    if (invalidTokens.length && this.#onInvalidToken) {
      try {
        await this.#onInvalidToken(invalidTokens);
      } catch (err) {
        this.deps.log.error({ err }, 'push outcomes: removing invalid-token bindings failed');
      }
    }
  }

  /** Only apps with a callback URL get webhook events. */
  async #withCallbackUrl(pending: PendingEvent[]): Promise<PendingEvent[]> {
    const urls = new Map<number, boolean>();
    for (const p of pending) {
      if (!urls.has(p.sdkAppId)) {
        const app = await this.deps.apps.get(p.sdkAppId);
        urls.set(p.sdkAppId, Boolean(app?.settings.callbackUrl));
      }
    }
    return pending.filter((p) => urls.get(p.sdkAppId));
  }
}
