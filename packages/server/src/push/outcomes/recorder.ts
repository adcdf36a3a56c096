// The outcomes recorder: the engine, the dispatcher and the receipt endpoints report every stage of every
// push here. Calls only append to memory (the engine pushes ~20k notifications/s); a flush every
// `flushIntervalMs`, or as soon as `maxBatchRows` are waiting, writes traces, stage events, hourly
// counters and webhook batches in one transaction.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { AppsService } from '../../apps/apps.js';
import type { Database, PushStatsHourlyTable } from '../../store/schema.js';
import { HourlyCounters, upsertCounters } from './counters.js';
import type { OutcomeMetrics } from './metrics.js';
import {
  type EventRow,
  insertEvents,
  insertTraces,
  matchReceipt,
  type TraceRow,
  toMeta,
  traceRows,
} from './trace-store.js';
import {
  type InvalidTokenHandler,
  type PushRecord,
  type Receipt,
  type SkippedRecord,
  tokenSuffix,
  type VendorAnswer,
} from './types.js';
import { buildEvent, commandFor, type PendingEvent, PushStage } from './webhook-events.js';
import type { WebhookOutbox } from './webhook-outbox.js';

export interface RecorderOptions {
  flushIntervalMs: number;
  /** Flush at once when this many rows are waiting. */
  maxBatchRows: number;
  /** Above this many waiting rows (database down or too slow), the oldest trace rows are dropped. */
  maxBufferedRows: number;
}

export const DEFAULT_RECORDER_OPTIONS: RecorderOptions = {
  flushIntervalMs: 200,
  maxBatchRows: 5000,
  maxBufferedRows: 200_000,
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
type Tx = Parameters<WebhookOutbox['enqueue']>[0];

/** A vendor answer to count once its trace row tells the push kind and task. */
interface AnswerCount {
  sdkAppId: number;
  pushId: string;
  at: number;
  vendor: string;
  outcome: string;
  code: string | undefined;
}

export class OutcomeRecorder {
  #traces: TraceRow[] = [];
  #events: EventRow[] = [];
  #webhooks: PendingEvent[] = [];
  #invalidTokens: InvalidToken[] = [];
  #answers: AnswerCount[] = [];
  readonly #counters = new HourlyCounters();
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
      this.#traces.push(traceRow(r, at, null));
      this.#events.push(eventRow(r.pushId, 'accepted', at));
      this.#counters.add({ ...counterBase(r, at), outcome: 'accepted' });
      this.deps.metrics.pushes.inc({ vendor: r.vendor ?? '', outcome: 'accepted' });
    }
    this.#afterAppend();
  }

  /** Devices that get no push, with the reason (push/push-reasons.ts). */
  skipped(records: SkippedRecord[]): void {
    for (const r of records) {
      const at = r.at ?? Date.now();
      this.#traces.push(traceRow(r, at, r.reason));
      this.#events.push(eventRow(r.pushId, 'skipped', at, { code: r.reason }));
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
      this.#events.push(
        eventRow(task.pushId, stage, at, {
          attempt: a.attempt,
          code,
          latencyMs: Math.round(a.latencyMs),
          vendorMsgId: outcome.kind === 'sent' ? outcome.vendorId : undefined,
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

  /** Records a vendor receipt; resolves to the number of pushes it matched. */
  async receipt(receipt: Receipt): Promise<number> {
    await this.flush(); // the vendor answer carrying the message ID may still be in memory
    const rows = await matchReceipt(this.deps.db, receipt);
    const at = receipt.at ?? Date.now();
    for (const row of rows) this.#stageFromReceipt(row, receipt.status, at, receipt.code);
    this.deps.metrics.receipts.inc({ vendor: receipt.vendor, result: rows.length ? 'matched' : 'unmatched' });
    if (rows.length) this.#afterAppend();
    return rows.length;
  }

  /** An SDK click report: only the push's receiver may report it. Resolves false for an unknown PushID. */
  async clicked(sdkAppId: number, userId: string, pushId: string, at = Date.now()): Promise<boolean> {
    await this.flush();
    const row = (await traceRows(this.deps.db, sdkAppId, [pushId])).get(pushId);
    if (!row || row.to_user !== userId) return false;
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

  #stageFromReceipt(row: TraceRow, status: Receipt['status'], at: number, code: string | undefined): void {
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

  /** The database is not keeping up: keep counters and webhooks, drop the oldest trace detail. */
  #shed(): void {
    const excess = this.#traces.length + this.#events.length - this.options.maxBufferedRows;
    const fromEvents = Math.min(excess, this.#events.length);
    this.#events.splice(0, fromEvents);
    const fromTraces = Math.min(excess - fromEvents, this.#traces.length);
    this.#traces.splice(0, fromTraces);
    this.deps.metrics.traceRowsDropped.inc(fromEvents + fromTraces);
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
        await insertTraces(tx, traces);
        await insertEvents(tx, events);
        const known = await resolveTraces(tx, traces, [...answers, ...hooked]);
        await upsertCounters(tx, withAnswers(counters, answers, known));
        batches = await this.#enqueueWebhooks(tx, known, hooked);
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

  async #enqueueWebhooks(tx: Tx, known: Map<string, TraceRow>, pending: PendingEvent[]): Promise<number> {
    const groups = new Map<
      string,
      { sdkAppId: number; command: string; events: Record<string, unknown>[] }
    >();
    for (const p of pending) {
      const row = known.get(p.pushId);
      if (!row || row.sdkappid !== p.sdkAppId) continue; // never reported accepted: nothing to describe
      const command = commandFor(row.kind);
      const key = `${p.sdkAppId}:${command}`;
      const group = groups.get(key) ?? { sdkAppId: p.sdkAppId, command, events: [] };
      group.events.push(buildEvent(toMeta(row), p));
      groups.set(key, group);
    }
    let batches = 0;
    for (const g of groups.values())
      batches += await this.deps.outbox.enqueue(tx, g.sdkAppId, g.command, g.events);
    return batches;
  }
}

/** Trace rows of the pushes named, from this flush or from the database. */
async function resolveTraces(
  tx: Tx,
  local: TraceRow[],
  wanted: { sdkAppId: number; pushId: string }[],
): Promise<Map<string, TraceRow>> {
  const known = new Map(local.map((t) => [t.push_id, t]));
  const missingByApp = new Map<number, string[]>();
  for (const w of wanted) {
    if (known.has(w.pushId)) continue;
    const list = missingByApp.get(w.sdkAppId) ?? [];
    list.push(w.pushId);
    missingByApp.set(w.sdkAppId, list);
  }
  for (const [sdkAppId, ids] of missingByApp) {
    for (const [id, row] of await traceRows(tx, sdkAppId, ids)) known.set(id, row);
  }
  return known;
}

/** One row per key (PostgreSQL refuses an upsert that touches a row twice). */
function withAnswers(rows: PushStatsHourlyTable[], answers: AnswerCount[], known: Map<string, TraceRow>) {
  const counters = new HourlyCounters();
  counters.restore(rows);
  for (const a of answers) {
    const row = known.get(a.pushId);
    counters.add({
      sdkAppId: a.sdkAppId,
      at: a.at,
      kind: row?.kind ?? '',
      taskId: row?.task_id ?? undefined,
      vendor: a.vendor,
      outcome: a.outcome,
      code: a.code,
    });
  }
  return counters.take();
}

function traceRow(r: PushRecord, at: number, skipReason: string | null): TraceRow {
  return {
    push_id: r.pushId,
    sdkappid: r.sdkAppId,
    kind: r.kind,
    msg_key: r.msgKey ?? null,
    task_id: r.taskId ?? null,
    from_user: r.fromUser ?? null,
    to_user: r.toUser,
    group_id: r.groupId ?? null,
    instance_id: r.instanceId ?? null,
    vendor: r.vendor ?? null,
    certificate_id: r.certificateId ?? null,
    token_suffix: tokenSuffix(r.token),
    skip_reason: skipReason,
    created_at: at,
  };
}

function eventRow(
  pushId: string,
  stage: string,
  at: number,
  extra: {
    attempt?: number;
    code?: string | undefined;
    latencyMs?: number;
    vendorMsgId?: string | undefined;
  } = {},
): EventRow {
  return {
    push_id: pushId,
    stage,
    at,
    attempt: extra.attempt ?? null,
    code: extra.code ?? null,
    info: null,
    vendor_msg_id: extra.vendorMsgId ?? null,
    latency_ms: extra.latencyMs ?? null,
  };
}

function counterBase(r: PushRecord, at: number) {
  return { sdkAppId: r.sdkAppId, at, kind: r.kind, taskId: r.taskId, vendor: r.vendor };
}
