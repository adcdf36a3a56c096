// The writes of push outcomes, each inside the caller's transaction so that a record commits with what it
// records (docs/delivery.md "Settlement"):
//   - decisions (trace rows of accepted and skipped pushes, their counters) with the jobs they enqueue;
//   - vendor answers (stage events, counters, task counters, webhook events, removal of dead bindings) with
//     the settlement of their jobs. An answer is recorded once per push and attempt, whatever replays it;
//   - receipts and clicks (stage events, counters, webhook events) in a transaction of their own.
import type { Kysely, Transaction } from 'kysely';
import { storedAppSettings } from '../../apps/settings.js';
import { BindingStore } from '../../devices/binding-store.js';
import type { Database } from '../../store/schema.js';
import type { WebhookOutbox } from '../../webhooks/outbox.js';
import { PushTaskService } from '../tasks/store.js';
import { VENDOR_MODULES } from '../vendors/index.js';
import { writeCounters, writeTraces } from './batched-outcomes.js';
import { HourlyCounters } from './counters.js';
import { counterBase, eventRow, traceRow } from './rows.js';
import {
  answerKey,
  type EventRow,
  insertEvents,
  type TraceMetaRow,
  type TraceRow,
  toMeta,
} from './trace-store.js';
import type { PushRecord, SkippedRecord, VendorAnswer } from './types.js';
import { buildEvent, commandFor, type PendingEvent, PushStage } from './webhook-events.js';

type Tx = Transaction<Database> | Kysely<Database>;

/** Trace rows and counters of the engine's decisions. */
export async function writeDecisions(
  tx: Tx,
  accepted: readonly PushRecord[],
  skipped: readonly SkippedRecord[],
  now: number,
): Promise<void> {
  if (accepted.length === 0 && skipped.length === 0) return;
  const counters = new HourlyCounters();
  const rows: TraceRow[] = [];
  for (const r of accepted) {
    const at = r.at ?? now;
    rows.push(traceRow(r, at, null));
    counters.add({ ...counterBase(r, at), outcome: 'accepted' });
  }
  for (const r of skipped) {
    const at = r.at ?? now;
    rows.push(traceRow(r, at, r.reason));
    counters.add({ ...counterBase(r, at), outcome: 'skipped', code: r.reason });
  }
  await writeTraces(tx, rows);
  await writeCounters(tx, counters.take());
}

/** The trace fields an answer is counted under, and a webhook event is built from. */
type TraceInfo = TraceMetaRow;

/** One answer as stored: the stage it records (a last `retry` becomes `failed`). */
export function answerStage(a: VendorAnswer): string {
  const final = a.final ?? a.outcome.kind !== 'retry';
  return a.outcome.kind === 'retry' && final ? 'failed' : a.outcome.kind;
}

export interface WriteAnswersDeps {
  outbox: WebhookOutbox;
  /** Binding removal needs a clock for its bookkeeping. */
  now: () => number;
  /** Whether an app has a webhook (callback) URL; may read through `tx`. */
  hasCallback: (tx: Tx, sdkAppId: number) => Promise<boolean>;
}

export interface WrittenAnswers {
  /** The answers recorded by this call (not those recorded before: a replayed settlement). */
  recorded: VendorAnswer[];
  /** Webhook batches queued (wake the outbox after the commit). */
  webhookBatches: number;
}

/**
 * Vendor answers: stage events (once per push and attempt), hourly counters, the sent/failed counters of
 * push tasks, webhook events of apps with a callback URL, and the removal of bindings whose token the vendor
 * declared gone. Answers for a push with no trace row (never accepted through the engine) are not recorded.
 */
export async function writeAnswers(
  tx: Tx,
  answers: readonly VendorAnswer[],
  deps: WriteAnswersDeps,
): Promise<WrittenAnswers> {
  if (answers.length === 0) return { recorded: [], webhookBatches: 0 };
  // Pushes of the engine carry their kind, and their trace row commits with their job. Others (tests,
  // tools) are recorded only when their trace exists, under the trace's kind.
  const traces = await traceInfo(
    tx,
    answers.filter((a) => !a.task.kind).map((a) => a.task.pushId),
  );
  const known = answers.filter((a) => a.task.kind || traces.get(a.task.pushId)?.sdkappid === a.task.sdkAppId);
  const inserted = await insertEvents(
    tx,
    known.map((a) => {
      const indexed = indexedVendor(a.task.request.vendor);
      const vendorId = a.outcome.kind === 'sent' ? a.outcome.vendorId : undefined;
      return eventRow(a.task.pushId, answerStage(a), a.at ?? Date.now(), {
        attempt: a.attempt,
        code: a.outcome.kind === 'sent' ? undefined : a.outcome.code,
        latencyMs: Math.round(a.latencyMs),
        // Only receipt vendors' message IDs are indexed (receipts are matched by them); others (apns-id,
        // FCM message name) are kept for display.
        vendorMsgId: indexed ? vendorId : undefined,
        info: indexed ? undefined : vendorId,
      });
    }),
  );
  const recorded = known.filter((a) => inserted.has(answerKey(a.task.pushId, a.attempt)));
  if (recorded.length === 0) return { recorded, webhookBatches: 0 };

  const counters = new HourlyCounters();
  const taskCounts = new Map<string, { sent: number; failed: number }>();
  const webhooks: PendingEvent[] = [];
  const deadTokens: VendorAnswer[] = [];
  for (const a of recorded) {
    const trace = traces.get(a.task.pushId);
    const stage = answerStage(a);
    const at = a.at ?? Date.now();
    const code = a.outcome.kind === 'sent' ? undefined : a.outcome.code;
    const taskId = a.task.taskId ?? trace?.task_id ?? undefined;
    counters.add({
      sdkAppId: a.task.sdkAppId,
      at,
      kind: a.task.kind ?? trace?.kind ?? '',
      taskId,
      vendor: a.task.request.vendor,
      outcome: stage,
      code,
    });
    const final = stage !== 'retry' && stage !== 'credential-error';
    if (!final) continue;
    if (taskId) {
      const sums = taskCounts.get(taskId) ?? { sent: 0, failed: 0 };
      if (stage === 'sent') sums.sent++;
      else sums.failed++;
      taskCounts.set(taskId, sums);
    }
    if (a.outcome.kind === 'invalid-token') deadTokens.push(a);
    webhooks.push({
      sdkAppId: a.task.sdkAppId,
      pushId: a.task.pushId,
      stage: PushStage.VendorAnswer,
      result: stage === 'sent' ? 'ok' : (stage as PendingEvent['result']),
      info: code ?? 'OK',
      at,
    });
  }
  await writeCounters(tx, counters.take());
  const tasks = new PushTaskService(tx as Kysely<Database>);
  for (const [taskId, c] of taskCounts) await tasks.addOutcomes(taskId, c, deps.now());
  if (deadTokens.length > 0) {
    const bindings = new BindingStore(tx as Kysely<Database>, deps.now);
    for (const a of deadTokens)
      await bindings.removeToken(a.task.sdkAppId, a.task.certificateId, a.task.token);
  }
  const webhookBatches = await enqueueWebhooks(tx, deps, traces, webhooks);
  return { recorded, webhookBatches };
}

/** The trace fields of these pushes, in one query per chunk. */
async function traceInfo(tx: Tx, pushIds: readonly string[]): Promise<Map<string, TraceInfo>> {
  const out = new Map<string, TraceInfo>();
  const ids = [...new Set(pushIds)];
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await tx
      .selectFrom('push_traces')
      .select([
        'push_id',
        'sdkappid',
        'kind',
        'task_id',
        'msg_key',
        'from_user',
        'to_user',
        'group_id',
        'vendor',
        'created_at',
      ])
      .where('push_id', 'in', ids.slice(i, i + 1000))
      .execute();
    for (const r of rows)
      out.set(r.push_id, { ...r, sdkappid: Number(r.sdkappid), created_at: Number(r.created_at) });
  }
  return out;
}

/**
 * Webhook events of apps with a callback URL, in batches per app and command; the trace rows they describe
 * are read when `traces` lacks them. Returns the batches queued.
 */
export async function enqueueWebhooks(
  tx: Tx,
  deps: Pick<WriteAnswersDeps, 'outbox' | 'hasCallback'>,
  traces: ReadonlyMap<string, TraceInfo>,
  pending: readonly PendingEvent[],
): Promise<number> {
  const hooked = new Map<number, boolean>();
  const wanted: PendingEvent[] = [];
  for (const p of pending) {
    let has = hooked.get(p.sdkAppId);
    if (has === undefined) {
      has = await deps.hasCallback(tx, p.sdkAppId);
      hooked.set(p.sdkAppId, has);
    }
    if (has) wanted.push(p);
  }
  if (wanted.length === 0) return 0;
  const missing = wanted.filter((p) => !traces.has(p.pushId)).map((p) => p.pushId);
  const read = missing.length > 0 ? await traceInfo(tx, missing) : new Map<string, TraceInfo>();
  const groups = new Map<string, { sdkAppId: number; command: string; events: Record<string, unknown>[] }>();
  for (const p of wanted) {
    const trace = traces.get(p.pushId) ?? read.get(p.pushId);
    if (!trace || Number(trace.sdkappid) !== p.sdkAppId) continue;
    // Badge updates and retractions (a recalled message's) notify of no message: Tencent's push webhooks have
    // no such event.
    if (trace.kind === 'badge' || trace.kind === 'recall' || trace.kind === 'read') continue;
    const command = commandFor(trace.kind);
    const key = `${p.sdkAppId}:${command}`;
    const group = groups.get(key) ?? { sdkAppId: p.sdkAppId, command, events: [] };
    group.events.push(buildEvent(toMeta(trace), p));
    groups.set(key, group);
  }
  let batches = 0;
  for (const g of groups.values())
    batches += await deps.outbox.enqueue(tx as Transaction<Database>, g.sdkAppId, g.command, g.events);
  return batches;
}

/** Pushes deferred by a rate limit: a `throttled` stage each (no attempt: it is not one). */
export async function writeThrottled(
  tx: Tx,
  items: readonly { pushId: string; at: number }[],
): Promise<void> {
  if (items.length === 0) return;
  await insertEvents(
    tx,
    items.map((i) => eventRow(i.pushId, 'throttled', i.at, { code: 'rate-limit' })),
  );
}

/**
 * Pushes parked because their certificate is paused: a `held` stage each (no attempt), so the trace shows
 * when a push started waiting and, with its later `sent` stage, for how long.
 */
export async function writeHeld(tx: Tx, items: readonly { pushId: string; at: number }[]): Promise<void> {
  if (items.length === 0) return;
  await insertEvents(
    tx,
    items.map((i) => eventRow(i.pushId, 'held', i.at, { code: 'certificate-paused' })),
  );
}

/** A receipt or click stage of stored pushes: events, counters and webhook events. */
export async function writeReceiptStages(
  tx: Tx,
  deps: Pick<WriteAnswersDeps, 'outbox' | 'hasCallback'>,
  stages: { row: TraceRow; status: 'delivered' | 'undelivered' | 'clicked'; at: number; code?: string }[],
): Promise<number> {
  if (stages.length === 0) return 0;
  const events: EventRow[] = [];
  const counters = new HourlyCounters();
  const pending: PendingEvent[] = [];
  const traces = new Map<string, TraceInfo>();
  for (const { row, status, at, code } of stages) {
    traces.set(row.push_id, { ...row, sdkappid: Number(row.sdkappid), created_at: Number(row.created_at) });
    events.push(eventRow(row.push_id, status, at, { code }));
    counters.add({
      sdkAppId: Number(row.sdkappid),
      at,
      kind: row.kind,
      taskId: row.task_id ?? undefined,
      vendor: row.vendor ?? undefined,
      outcome: status,
      code,
    });
    pending.push({
      sdkAppId: Number(row.sdkappid),
      pushId: row.push_id,
      stage: status === 'clicked' ? PushStage.Click : PushStage.DeviceReceipt,
      result: status === 'undelivered' ? 'undelivered' : 'ok',
      info: code ?? 'OK',
      at,
    });
  }
  await insertEvents(tx, events);
  await writeCounters(tx, counters.take());
  return enqueueWebhooks(tx, deps, traces, pending);
}

/** Reads an app's callback URL through `tx` (inside a transaction, on SQLite, nothing else may read). */
export async function appHasCallback(tx: Tx, sdkAppId: number): Promise<boolean> {
  const row = await tx
    .selectFrom('apps')
    .select('settings')
    .where('sdkappid', '=', sdkAppId)
    .executeTakeFirst();
  if (!row) return false;
  try {
    return Boolean(storedAppSettings(row.settings).callbackUrl);
  } catch {
    return false;
  }
}

/**
 * The vendors whose message IDs are indexed: receipts are matched by them, and a click on a multi-token
 * request (which carries its first push's PushID) finds the clicking receiver's own push through them.
 */
const INDEXED_VENDORS: ReadonlySet<string> = new Set(
  Object.values(VENDOR_MODULES)
    .filter((m) => ('parseReceipts' in m && m.parseReceipts) || m.multiTokenRequests)
    .map((m) => m.vendor),
);
function indexedVendor(vendor: string): boolean {
  return INDEXED_VENDORS.has(vendor);
}
