// SQL for push traces: bulk inserts of trace rows and stage events (store/bulk.ts withValues: no query
// building per row), trace metadata for webhooks, and matching vendor receipts to pushes.
import type { Insertable, Kysely, Transaction } from 'kysely';
import { type ColumnType, withValues } from '../../store/bulk.js';
import type { Database, PushTraceEventsTable, PushTracesTable } from '../../store/schema.js';
import { type Receipt, tokenSuffix } from './types.js';
import type { TraceMeta } from './webhook-events.js';

type Db = Kysely<Database> | Transaction<Database>;
export type TraceRow = PushTracesTable;
export type EventRow = Insertable<PushTraceEventsTable>;

const LOOKUP_CHUNK = 500;

const TRACE_TYPES = {
  push_id: 'text',
  sdkappid: 'bigint',
  kind: 'text',
  msg_key: 'text',
  task_id: 'text',
  from_user: 'text',
  to_user: 'text',
  group_id: 'text',
  instance_id: 'text',
  vendor: 'text',
  certificate_id: 'bigint',
  token_suffix: 'text',
  skip_reason: 'text',
  created_at: 'bigint',
} as const satisfies Record<keyof TraceRow, ColumnType>;
const TRACE_COLUMNS = Object.keys(TRACE_TYPES) as (keyof TraceRow)[];

const EVENT_TYPES = {
  push_id: 'text',
  stage: 'text',
  at: 'bigint',
  attempt: 'integer',
  code: 'text',
  info: 'text',
  vendor_msg_id: 'text',
  latency_ms: 'integer',
} as const satisfies Record<Exclude<keyof EventRow, 'id'>, ColumnType>;
const EVENT_COLUMNS = Object.keys(EVENT_TYPES) as (keyof typeof EVENT_TYPES)[];

export async function insertTraces(db: Db, rows: TraceRow[]): Promise<void> {
  if (rows.length === 0) return;
  await withValues(
    db,
    {
      key: 'push_traces',
      // A PushID recorded twice (a fan-out page retried after a crash) keeps its first row.
      text: (values) =>
        `insert into push_traces (${TRACE_COLUMNS.join(', ')}) ${values} on conflict (push_id) do nothing`,
      columnTypes: Object.values(TRACE_TYPES),
    },
    TRACE_COLUMNS.length,
    rows.map((r) => TRACE_COLUMNS.map((name) => r[name])),
  );
}

/**
 * Inserts stage events. Vendor answers carry their attempt: an answer already recorded for that push and
 * attempt (a settlement replayed after a crash) is not inserted again. Returns the `push_id|attempt` keys of
 * the answers inserted now (events without an attempt are always inserted and not returned).
 */
export async function insertEvents(db: Db, rows: EventRow[]): Promise<Set<string>> {
  const inserted = new Set<string>();
  if (rows.length === 0) return inserted;
  const returned = await withValues<{ push_id: string; attempt: number | null }>(
    db,
    {
      key: 'push_trace_events',
      text: (values) =>
        `insert into push_trace_events (${EVENT_COLUMNS.join(', ')}) ${values} ` +
        'on conflict (push_id, attempt) do nothing returning push_id, attempt',
      columnTypes: Object.values(EVENT_TYPES),
    },
    EVENT_COLUMNS.length,
    rows.map((r) => EVENT_COLUMNS.map((name) => r[name] ?? null)),
  );
  for (const r of returned) if (r.attempt !== null) inserted.add(answerKey(r.push_id, Number(r.attempt)));
  return inserted;
}

export const answerKey = (pushId: string, attempt: number) => `${pushId}|${attempt}`;

/** The trace fields a webhook event is built from. */
export type TraceMetaRow = Pick<
  TraceRow,
  | 'push_id'
  | 'sdkappid'
  | 'kind'
  | 'task_id'
  | 'msg_key'
  | 'from_user'
  | 'to_user'
  | 'group_id'
  | 'vendor'
  | 'created_at'
>;

export function toMeta(r: TraceMetaRow): TraceMeta {
  return {
    pushId: r.push_id,
    kind: r.kind,
    msgKey: r.msg_key,
    taskId: r.task_id,
    fromUser: r.from_user,
    toUser: r.to_user,
    groupId: r.group_id,
    vendor: r.vendor,
    createdAt: r.created_at,
  };
}

/** Trace rows by PushID (within one app: a PushID of another app is not found). */
export async function traceRows(db: Db, sdkAppId: number, pushIds: string[]): Promise<Map<string, TraceRow>> {
  const out = new Map<string, TraceRow>();
  const unique = [...new Set(pushIds)];
  for (let i = 0; i < unique.length; i += LOOKUP_CHUNK) {
    const rows = await db
      .selectFrom('push_traces')
      .selectAll()
      .where('sdkappid', '=', sdkAppId)
      .where('push_id', 'in', unique.slice(i, i + LOOKUP_CHUNK))
      .execute();
    for (const r of rows) out.set(r.push_id, r);
  }
  return out;
}

/**
 * The pushes a receipt is about. A receipt names our PushID (the callback parameter we set) and/or the
 * vendor's message ID plus target tokens; a batch send shares one message ID, so the token suffix picks
 * the push out of the batch.
 */
export async function matchReceipt(db: Db, receipt: Receipt): Promise<TraceRow[]> {
  const targets = receipt.tokens?.length ? receipt.tokens : [undefined];
  const byPushId = receipt.pushId
    ? (await traceRows(db, receipt.sdkAppId, [receipt.pushId])).get(receipt.pushId)
    : undefined;
  const matched = new Map<string, TraceRow>();
  const unmatchedSuffixes: string[] = [];
  for (const token of targets) {
    const suffix = tokenSuffix(token);
    if (
      byPushId &&
      byPushId.vendor === receipt.vendor &&
      (suffix === null || byPushId.token_suffix === suffix)
    ) {
      matched.set(byPushId.push_id, byPushId);
    } else if (suffix !== null) {
      unmatchedSuffixes.push(suffix);
    }
  }
  if (receipt.vendorMsgId && unmatchedSuffixes.length > 0) {
    for (let i = 0; i < unmatchedSuffixes.length; i += LOOKUP_CHUNK) {
      const rows = await db
        .selectFrom('push_trace_events as e')
        .innerJoin('push_traces as t', 't.push_id', 'e.push_id')
        .selectAll('t')
        .where('e.vendor_msg_id', '=', receipt.vendorMsgId)
        .where('t.sdkappid', '=', receipt.sdkAppId)
        .where('t.vendor', '=', receipt.vendor)
        .where('t.token_suffix', 'in', unmatchedSuffixes.slice(i, i + LOOKUP_CHUNK))
        .execute();
      for (const r of rows) matched.set(r.push_id, r);
    }
  }
  return [...matched.values()];
}

/**
 * The push of `userId` sent in the same vendor request as `pushId` (same vendor message ID): how a click on a
 * multi-token request, which carries its first push's PushID, finds the clicking receiver's own push.
 */
export async function sameRequestPush(
  db: Db,
  sdkAppId: number,
  pushId: string,
  userId: string,
): Promise<TraceRow | undefined> {
  const sent = await db
    .selectFrom('push_trace_events')
    .select('vendor_msg_id')
    .where('push_id', '=', pushId)
    .where('vendor_msg_id', 'is not', null)
    .executeTakeFirst();
  if (!sent?.vendor_msg_id) return undefined;
  return db
    .selectFrom('push_trace_events as e')
    .innerJoin('push_traces as t', 't.push_id', 'e.push_id')
    .selectAll('t')
    .where('e.vendor_msg_id', '=', sent.vendor_msg_id)
    .where('t.sdkappid', '=', sdkAppId)
    .where('t.to_user', '=', userId)
    .orderBy('t.created_at')
    .executeTakeFirst();
}

/**
 * For jobs leased again, the answer already recorded for their current attempt (attempts + 1), if any: after a
 * crash between the database commit of a settlement and the Redis queue's settle, the job comes back with its
 * outcome recorded. Keyed by job ID.
 */
export async function recordedAnswers(
  db: Db,
  jobs: readonly { id: string; attempts: number; task: { pushId: string } }[],
): Promise<Map<string, { stage: string; code: string | null }>> {
  const out = new Map<string, { stage: string; code: string | null }>();
  const wanted = new Map(jobs.map((j) => [answerKey(j.task.pushId, j.attempts + 1), j.id]));
  const ids = [...new Set(jobs.map((j) => j.task.pushId))];
  for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
    const rows = await db
      .selectFrom('push_trace_events')
      .select(['push_id', 'attempt', 'stage', 'code'])
      .where('push_id', 'in', ids.slice(i, i + LOOKUP_CHUNK))
      .where('attempt', 'is not', null)
      .execute();
    for (const r of rows) {
      const jobId = wanted.get(answerKey(r.push_id, Number(r.attempt)));
      if (jobId !== undefined) out.set(jobId, { stage: r.stage, code: r.code });
    }
  }
  return out;
}
