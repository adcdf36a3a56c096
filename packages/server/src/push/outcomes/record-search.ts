// The console's push records: an app's push traces newest first, filtered and paged by a keyset cursor,
// each with the furthest stage it reached. Traces and their stage events are the rows the recorder wrote
// (trace-store.ts); the trace of one push is trace-view.ts's InstanceTrace.
import type { PushRecordRow, RecordOutcome } from '@pushline/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { ANSWER_STAGES } from './rows.js';
import type { TraceRow } from './trace-store.js';

/** Stages after the vendor's answer that say the push did not reach the device. */
const FAILED_STAGES = ['invalid-token', 'rejected', 'credential-error', 'failed', 'undelivered'];

/** "Reached this stage" filters of the records page. */
export const RECORD_OUTCOMES = ['skipped', 'sent', 'delivered', 'clicked', 'failed'] as const;
export type RecordOutcomeFilter = (typeof RECORD_OUTCOMES)[number];

export interface RecordQuery {
  /** A user ID (receiver), PushID, message key or task ID. */
  search?: string | undefined;
  /** Exactly this push. */
  pushId?: string | undefined;
  vendor?: string | undefined;
  kind?: string | undefined;
  outcome?: RecordOutcomeFilter | undefined;
  /** UNIX ms, inclusive. */
  from?: number | undefined;
  /** UNIX ms, exclusive. */
  to?: number | undefined;
  /** The previous page's `next`. */
  before?: string | undefined;
  /** 1..100, default 25. */
  limit?: number | undefined;
}

/** Where a push got to, and a push as the records page lists it: the console API's shapes (@pushline/contracts). */
export type { PushRecordRow, RecordOutcome };

export class RecordCursorError extends Error {}

function encodeCursor(createdAt: number, pushId: string): string {
  return Buffer.from(JSON.stringify([createdAt, pushId])).toString('base64url');
}

function decodeCursor(cursor: string): [number, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && typeof v[0] === 'number' && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    // fall through
  }
  throw new RecordCursorError('invalid page cursor');
}

type EventSummary = { stage: string; code: string | null };

/** The furthest stage of one push, from its events in the order they were written. */
export function recordOutcome(trace: Pick<TraceRow, 'skip_reason'>, events: EventSummary[]) {
  if (trace.skip_reason !== null) return { outcome: 'skipped' as const, code: trace.skip_reason };
  const clicked = events.find((e) => e.stage === 'clicked');
  if (clicked) return { outcome: 'clicked' as const, code: null };
  const receipt = events.filter((e) => e.stage === 'delivered' || e.stage === 'undelivered').at(-1);
  if (receipt) return { outcome: receipt.stage as RecordOutcome, code: receipt.code };
  const answers = events.filter((e) => ANSWER_STAGES.has(e.stage));
  const final = answers.filter((e) => e.stage !== 'retry').at(-1);
  if (final) return { outcome: final.stage as RecordOutcome, code: final.code };
  const retry = answers.at(-1);
  if (retry) return { outcome: 'retrying' as const, code: retry.code };
  return { outcome: 'queued' as const, code: null };
}

/** One page of an app's push records, newest first; `next` is undefined on the last page. */
export async function searchPushRecords(
  db: Kysely<Database>,
  sdkAppId: number,
  query: RecordQuery,
): Promise<{ records: PushRecordRow[]; next: string | undefined }> {
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? 25), 1), 100);
  let q = db.selectFrom('push_traces as t').selectAll('t').where('t.sdkappid', '=', sdkAppId);
  const search = query.search?.trim();
  if (search) {
    q = q.where((eb) =>
      eb.or([
        eb('t.to_user', '=', search),
        eb('t.push_id', '=', search),
        eb('t.msg_key', '=', search),
        eb('t.task_id', '=', search),
      ]),
    );
  }
  if (query.pushId !== undefined) q = q.where('t.push_id', '=', query.pushId);
  if (query.vendor) q = q.where('t.vendor', '=', query.vendor);
  if (query.kind) q = q.where('t.kind', '=', query.kind);
  if (query.from !== undefined) q = q.where('t.created_at', '>=', query.from);
  if (query.to !== undefined) q = q.where('t.created_at', '<', query.to);
  if (query.outcome === 'skipped') q = q.where('t.skip_reason', 'is not', null);
  else if (query.outcome) {
    const stages = query.outcome === 'failed' ? FAILED_STAGES : [query.outcome];
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('push_trace_events as e')
          .select('e.id')
          .whereRef('e.push_id', '=', 't.push_id')
          .where('e.stage', 'in', stages),
      ),
    );
  }
  if (query.before !== undefined) {
    const [createdAt, pushId] = decodeCursor(query.before);
    q = q.where((eb) =>
      eb.or([
        eb('t.created_at', '<', createdAt),
        eb.and([eb('t.created_at', '=', createdAt), eb('t.push_id', '<', pushId)]),
      ]),
    );
  }
  const rows = await q
    .orderBy('t.created_at', 'desc')
    .orderBy('t.push_id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const events = page.length
    ? await db
        .selectFrom('push_trace_events')
        .select(['push_id', 'stage', 'code'])
        .where(
          'push_id',
          'in',
          page.map((r) => r.push_id),
        )
        .orderBy('id')
        .execute()
    : [];
  const byPush = new Map<string, EventSummary[]>();
  for (const e of events) {
    const list = byPush.get(e.push_id) ?? [];
    list.push(e);
    byPush.set(e.push_id, list);
  }
  const last = page.at(-1);
  return {
    records: page.map((r) => ({
      pushId: r.push_id,
      kind: r.kind,
      toUser: r.to_user,
      fromUser: r.from_user,
      groupId: r.group_id,
      msgKey: r.msg_key,
      taskId: r.task_id,
      instanceId: r.instance_id,
      vendor: r.vendor,
      certificateId: r.certificate_id === null ? null : Number(r.certificate_id),
      createdAt: Number(r.created_at),
      ...recordOutcome(r, byPush.get(r.push_id) ?? []),
    })),
    next: rows.length > limit && last ? encodeCursor(Number(last.created_at), last.push_id) : undefined,
  };
}
