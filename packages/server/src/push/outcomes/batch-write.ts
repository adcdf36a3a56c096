// One flush of the recorder, inside one transaction: trace rows, stage events, hourly counters (vendor
// answers counted under their push's kind and task) and webhook batches for the outbox.
import type { Transaction } from 'kysely';
import type { Database, PushStatsHourlyTable } from '../../store/schema.js';
import { HourlyCounters, upsertCounters } from './counters.js';
import type { RecentTraces } from './recent-traces.js';
import { ANSWER_STAGES, type AnswerCount } from './rows.js';
import {
  type EventRow,
  insertEvents,
  insertTraces,
  type TraceRow,
  toMeta,
  traceRows,
} from './trace-store.js';
import { buildEvent, commandFor, type PendingEvent } from './webhook-events.js';
import type { WebhookOutbox } from './webhook-outbox.js';

type Tx = Transaction<Database>;

export interface Batch {
  traces: TraceRow[];
  events: EventRow[];
  counters: PushStatsHourlyTable[];
  answers: AnswerCount[];
  /** Webhook events of apps that have a callback URL. */
  webhooks: PendingEvent[];
}

/** Writes a batch; resolves to the number of webhook batches queued. */
export async function writeBatch(
  tx: Tx,
  batch: Batch,
  recent: RecentTraces,
  outbox: WebhookOutbox,
): Promise<number> {
  await insertTraces(tx, batch.traces);
  const known = await resolveTraces(tx, recent, [...batch.answers, ...batch.webhooks]);
  // Answers for a push the engine never reported would outlive the retention (it follows the traces);
  // receipts and clicks were matched to a stored trace.
  await insertEvents(
    tx,
    batch.events.filter((e) => !ANSWER_STAGES.has(e.stage) || known.has(e.push_id)),
  );
  await upsertCounters(tx, withAnswers(batch.counters, batch.answers, known));
  return enqueueWebhooks(tx, outbox, known, batch.webhooks);
}

/** Trace rows of the pushes named, from memory or from the database. */
async function resolveTraces(
  tx: Tx,
  recent: RecentTraces,
  wanted: { sdkAppId: number; pushId: string }[],
): Promise<Map<string, TraceRow>> {
  const known = new Map<string, TraceRow>();
  const missingByApp = new Map<number, string[]>();
  for (const w of wanted) {
    if (known.has(w.pushId)) continue;
    const cached = recent.get(w.pushId);
    if (cached) {
      known.set(w.pushId, cached);
      continue;
    }
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

async function enqueueWebhooks(
  tx: Tx,
  outbox: WebhookOutbox,
  known: Map<string, TraceRow>,
  pending: PendingEvent[],
): Promise<number> {
  const groups = new Map<string, { sdkAppId: number; command: string; events: Record<string, unknown>[] }>();
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
  for (const g of groups.values()) batches += await outbox.enqueue(tx, g.sdkAppId, g.command, g.events);
  return batches;
}
