// Deletes trace rows older than the retention (7 days by default) and hourly counters older than theirs,
// in chunks so that a large backlog never holds a long lock.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';

const CHUNK = 5000;
const DAY_MS = 86_400_000;

export interface RetentionOptions {
  traceRetentionDays: number;
  statsRetentionDays: number;
}

export interface RetentionResult {
  traces: number;
  events: number;
  counters: number;
}

export async function deleteExpiredOutcomes(
  db: Kysely<Database>,
  options: RetentionOptions,
  now = Date.now(),
): Promise<RetentionResult> {
  const traceCutoff = now - options.traceRetentionDays * DAY_MS;
  const statsCutoffSeconds = Math.floor((now - options.statsRetentionDays * DAY_MS) / 1000);
  const result: RetentionResult = { traces: 0, events: 0, counters: 0 };
  // Stage events go with their trace (a click two days after the push is deleted with the push). The traces
  // are walked app by app through push_traces_by_app_time: an index of creation times alone would cost every
  // push one more entry to write, for a job that runs once an hour (migration 0074).
  for (let app = await nextTracedApp(db, undefined); app !== undefined; app = await nextTracedApp(db, app)) {
    for (;;) {
      const expired = await db
        .selectFrom('push_traces')
        .select('push_id')
        .where('sdkappid', '=', app)
        .where('created_at', '<', traceCutoff)
        .limit(CHUNK)
        .execute();
      if (!expired.length) break;
      const ids = expired.map((e) => e.push_id);
      await db.transaction().execute(async (tx) => {
        const events = await tx
          .deleteFrom('push_trace_events')
          .where('push_id', 'in', ids)
          .executeTakeFirst();
        const traces = await tx.deleteFrom('push_traces').where('push_id', 'in', ids).executeTakeFirst();
        result.events += Number(events.numDeletedRows);
        result.traces += Number(traces.numDeletedRows);
      });
      if (expired.length < CHUNK) break;
    }
  }
  const r = await db
    .deleteFrom('push_stats_hourly')
    .where('hour', '<', statsCutoffSeconds)
    .executeTakeFirst();
  result.counters = Number(r.numDeletedRows);
  return result;
}

/**
 * The next app (by SDKAppID) after `after` that has trace rows, apps deleted since included: one probe of
 * push_traces_by_app_time each.
 */
async function nextTracedApp(db: Kysely<Database>, after: number | undefined): Promise<number | undefined> {
  let q = db.selectFrom('push_traces').select('sdkappid').orderBy('sdkappid').limit(1);
  if (after !== undefined) q = q.where('sdkappid', '>', after);
  const row = await q.executeTakeFirst();
  return row === undefined ? undefined : Number(row.sdkappid);
}
