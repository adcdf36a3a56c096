// Shared pieces of the answer -> outcome tables that every channel file declares.
import { type AnswerVendor, VENDOR_ANSWERS } from '../answers/vendor-answers.js';
import type { PushOutcome, PushTask } from '../types.js';
import { NetworkError } from './http.js';

export type OutcomeKind = PushOutcome['kind'];

/** One row of a vendor's answer table: what the answer means and what Pushline does with it. */
export interface AnswerRow {
  outcome: OutcomeKind;
  /** Why, in words a user reading the docs or the trace understands. */
  why: string;
}

/** A vendor's answer -> outcome table, from the one table of vendor answers (push/answers/vendor-answers.ts). */
export function answerTable(vendor: AnswerVendor): Record<string, AnswerRow> {
  return Object.fromEntries(
    Object.entries(VENDOR_ANSWERS[vendor]).map(([code, e]) => [
      code,
      { outcome: e.outcome, why: e.en.meaning },
    ]),
  );
}

/** Longest vendor answer text kept in an outcome's `detail`. */
const DETAIL_MAX = 500;

export function outcome(kind: OutcomeKind, code: string, detail?: string, afterMs?: number): PushOutcome {
  const d = detail
    ? { detail: detail.length > DETAIL_MAX ? `${detail.slice(0, DETAIL_MAX)}...` : detail }
    : {};
  switch (kind) {
    case 'sent':
      return { kind, ...(code ? { vendorId: code } : {}), ...d };
    case 'retry':
      return { kind, code, ...(afterMs !== undefined ? { afterMs } : {}), ...d };
    default:
      return { kind, code, ...d };
  }
}

/** Looks a code up in a table; unknown codes fall back by HTTP status, never to dropping the token. */
export function fromTable(
  table: Record<string, AnswerRow>,
  code: string,
  status: number,
  detail?: string,
  afterMs?: number,
): PushOutcome {
  const row = table[code];
  if (row) return outcome(row.outcome, code, detail, row.outcome === 'retry' ? afterMs : undefined);
  return outcome(byStatus(status), code, detail, afterMs);
}

/** Fallback for answers no table lists: an ambiguous 4xx never drops a binding. */
export function byStatus(status: number): OutcomeKind {
  if (status === 429 || status >= 500 || status === 0 || status === 408) return 'retry';
  if (status === 401 || status === 403) return 'credential-error';
  return 'rejected';
}

/** Retry-After (seconds or an HTTP date) in milliseconds. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The outcome for an exception while talking to a vendor: network trouble is retried. */
export function failureOutcome(err: unknown): PushOutcome {
  if (err instanceof NetworkError) return outcome('retry', `Network:${err.code}`, err.message);
  return outcome('retry', 'ClientError', err instanceof Error ? err.message : String(err));
}

/**
 * Runs one vendor request and stamps the time it took on its outcomes (the dispatcher records it in the
 * trace and the latency histogram). Outcomes built without a request (unsendable tasks) keep none.
 */
export async function timed<T extends PushOutcome | PushOutcome[]>(send: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await send();
  const latencyMs = performance.now() - started;
  for (const o of Array.isArray(result) ? result : [result]) o.latencyMs ??= latencyMs;
  return result;
}

/** Runs `fn` on every item with at most `limit` at a time; results in input order. */
export async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Answers a task that must not be sent at all: expired, or a request built for another vendor. */
export function unsendable(task: PushTask, vendor: string, now: number): PushOutcome | undefined {
  if (task.notAfter !== undefined && now > task.notAfter) {
    return outcome('rejected', 'Expired', 'the notification expired before it could be sent');
  }
  if (task.request.vendor !== vendor) {
    return outcome(
      'rejected',
      'WrongVendor',
      `a ${task.request.vendor} request sent with a ${vendor} certificate`,
    );
  }
  return undefined;
}

/**
 * Groups sendable tasks whose vendor request is identical (same message to many tokens), at most `max`
 * per group, for vendors with multi-token sends. Returns index lists into `tasks`.
 */
export function groupIdentical(tasks: PushTask[], indexes: number[], max: number): number[][] {
  const groups = new Map<string, number[][]>();
  // Tasks of one fan-out page share their request object (push/render/index.ts): serialised once each.
  const keys = new Map<PushTask['request'], string>();
  for (const i of indexes) {
    const { request } = tasks[i] as PushTask;
    let key = keys.get(request);
    if (key === undefined) {
      key = JSON.stringify(request);
      keys.set(request, key);
    }
    const lists = groups.get(key) ?? [];
    const last = lists[lists.length - 1];
    if (last && last.length < max) last.push(i);
    else lists.push([i]);
    groups.set(key, lists);
  }
  return [...groups.values()].flat();
}

/**
 * The send loop of vendors with multi-token requests: answers unsendable tasks directly, groups identical
 * requests (at most `max` tokens each), sends `concurrency` groups at a time, and puts each group's
 * per-token outcomes back in task order.
 */
export async function sendGrouped(
  batch: PushTask[],
  vendor: string,
  now: number,
  limits: { max: number; concurrency: number },
  sendGroup: (tasks: PushTask[]) => Promise<PushOutcome[]>,
): Promise<PushOutcome[]> {
  const out = new Array<PushOutcome>(batch.length);
  const sendable: number[] = [];
  batch.forEach((task, i) => {
    const refused = unsendable(task, vendor, now);
    if (refused) out[i] = refused;
    else sendable.push(i);
  });
  await mapLimit(groupIdentical(batch, sendable, limits.max), limits.concurrency, async (group) => {
    const results = await timed(() => sendGroup(group.map((i) => batch[i] as PushTask)));
    group.forEach((taskIndex, k) => {
      out[taskIndex] = results[k] as PushOutcome;
    });
  });
  return out;
}
