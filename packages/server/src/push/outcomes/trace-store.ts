// SQL for push traces: multi-row inserts of trace rows and stage events, trace metadata for webhooks,
// and matching vendor receipts to pushes.
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database, PushTraceEventsTable, PushTracesTable } from '../../store/schema.js';
import { type Receipt, tokenSuffix } from './types.js';
import type { TraceMeta } from './webhook-events.js';

type Db = Kysely<Database> | Transaction<Database>;
export type TraceRow = PushTracesTable;
export type EventRow = Insertable<PushTraceEventsTable>;

// Stay well under SQLite's 32766 and PostgreSQL's 65535 bound parameters per statement.
const TRACE_CHUNK = 1000;
const EVENT_CHUNK = 1500;
const LOOKUP_CHUNK = 500;

export async function insertTraces(db: Db, rows: TraceRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += TRACE_CHUNK) {
    // A PushID recorded twice (an engine retry after a crash) keeps its first row.
    await db
      .insertInto('push_traces')
      .values(rows.slice(i, i + TRACE_CHUNK))
      .onConflict((oc) => oc.column('push_id').doNothing())
      .execute();
  }
}

export async function insertEvents(db: Db, rows: EventRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += EVENT_CHUNK) {
    await db
      .insertInto('push_trace_events')
      .values(rows.slice(i, i + EVENT_CHUNK))
      .execute();
  }
}

export function toMeta(r: TraceRow): TraceMeta {
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
