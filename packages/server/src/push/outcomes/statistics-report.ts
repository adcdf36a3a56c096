// The console's statistics page: for a time range, the funnel total -> sent -> delivered -> clicked, the
// same per vendor with failures by reason, an hourly series, and per-task figures of all-member and batch
// pushes. Everything comes from the hourly counters (push_stats_hourly), like the REST statistics.
import type { Funnel, HourFigures, StatisticsReport, TaskFigures, VendorFigures } from '@pushline/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { explainAnswer } from '../answers/vendor-answers.js';
import { POST_SEND_LOSS_INFO } from './loss.js';
import { CHAT_KINDS, statistics, sumCounters, TASK_KINDS } from './statistics.js';

const HOUR_S = 3600;

/** The report's shapes are the console API's (@pushline/contracts). */
export type { Funnel, HourFigures, StatisticsReport, TaskFigures, VendorFigures };

const isFailure = (outcome: string) => outcome in POST_SEND_LOSS_INFO;

function funnelOf(rows: Parameters<typeof statistics>[0]): Funnel {
  const s = statistics(rows);
  const failed = rows.filter((r) => isFailure(r.outcome)).reduce((n, r) => n + r.count, 0);
  return {
    total: s.TotalCount,
    sent: s.SentCount,
    delivered: s.DeliveredCount,
    clicked: s.ClickCount,
    failed,
  };
}

/**
 * A vendor's failures, one row per code: the counters keep a row per kind of push and task, so the same code
 * comes in several rows; they are summed here. The outcome is the most frequent one of the code (a retry
 * code that gave up is `failed`), `info` its meaning from the vendor answers table (push/answers).
 */
function failuresOf(vendor: string, rows: Parameters<typeof statistics>[0]): VendorFigures['failures'] {
  const byCode = new Map<string, Map<string, number>>();
  for (const r of rows) {
    if (!isFailure(r.outcome)) continue;
    const outcomes = byCode.get(r.code) ?? new Map<string, number>();
    outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + r.count);
    byCode.set(r.code, outcomes);
  }
  return [...byCode]
    .map(([code, outcomes]) => {
      const [outcome] = [...outcomes].sort((a, b) => b[1] - a[1])[0] as [string, number];
      const count = [...outcomes.values()].reduce((n, c) => n + c, 0);
      // Receipt codes (undelivered) are not send answers: the table does not explain them.
      const meaning = outcome === 'undelivered' ? undefined : explainAnswer(vendor, code, outcome)?.meaning;
      const info = meaning ?? (POST_SEND_LOSS_INFO[outcome] as string);
      return { outcome, code, count, info };
    })
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

/** `from`/`to` in UNIX ms; the counters are hourly, so hours overlapping the range count whole. */
export async function statisticsReport(
  db: Kysely<Database>,
  sdkAppId: number,
  from: number,
  to: number,
): Promise<StatisticsReport> {
  const fromSeconds = Math.floor(from / 1000);
  const toSeconds = Math.ceil(to / 1000);
  const rows = await sumCounters(db, sdkAppId, {
    kinds: [...CHAT_KINDS, ...TASK_KINDS],
    fromSeconds,
    toSeconds,
  });

  const vendors = new Map<string, typeof rows>();
  for (const r of rows) vendors.set(r.vendor, [...(vendors.get(r.vendor) ?? []), r]);
  const vendorFigures = [...vendors].map(([vendor, vr]) => ({
    vendor,
    ...funnelOf(vr),
    failures: failuresOf(vendor, vr),
  }));
  vendorFigures.sort((a, b) => b.total - a.total || a.vendor.localeCompare(b.vendor));

  const tasks = new Map<string, typeof rows>();
  for (const r of rows) if (r.task_id) tasks.set(r.task_id, [...(tasks.get(r.task_id) ?? []), r]);
  const taskFigures = [...tasks].map(([taskId, tr]) => ({
    taskId,
    kind: tr[0]?.kind ?? '',
    ...funnelOf(tr),
  }));

  return {
    from,
    to,
    funnel: funnelOf(rows),
    vendors: vendorFigures,
    hours: await hourlySeries(db, sdkAppId, fromSeconds, toSeconds),
    tasks: taskFigures,
  };
}

/** Every hour of the range (empty hours included, so charts show gaps as zero). */
async function hourlySeries(
  db: Kysely<Database>,
  sdkAppId: number,
  fromSeconds: number,
  toSeconds: number,
): Promise<HourFigures[]> {
  const rows = await db
    .selectFrom('push_stats_hourly')
    .select(['hour', 'vendor', 'outcome', (eb) => eb.fn.sum<number>('count').as('count')])
    .where('sdkappid', '=', sdkAppId)
    .where('hour', '>', fromSeconds - HOUR_S)
    .where('hour', '<=', toSeconds)
    .where('outcome', 'in', ['sent', 'delivered', ...Object.keys(POST_SEND_LOSS_INFO)])
    .groupBy(['hour', 'vendor', 'outcome'])
    .execute();
  const hours = new Map<number, HourFigures>();
  const first = Math.floor(fromSeconds / HOUR_S) * HOUR_S;
  for (let h = first; h < toSeconds; h += HOUR_S) {
    hours.set(h, { hour: h * 1000, sent: 0, delivered: 0, failed: 0, sentByVendor: {} });
  }
  for (const r of rows) {
    const h = hours.get(Number(r.hour));
    if (!h) continue;
    const count = Number(r.count);
    if (r.outcome === 'sent') {
      h.sent += count;
      h.sentByVendor[r.vendor] = (h.sentByVendor[r.vendor] ?? 0) + count;
    } else if (r.outcome === 'delivered') h.delivered += count;
    else h.failed += count;
  }
  return [...hours.values()];
}
