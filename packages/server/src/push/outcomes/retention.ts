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
  for (;;) {
    const r = await db
      .deleteFrom('push_trace_events')
      .where('id', 'in', (eb) =>
        eb.selectFrom('push_trace_events').select('id').where('at', '<', traceCutoff).limit(CHUNK),
      )
      .executeTakeFirst();
    const n = Number(r.numDeletedRows);
    result.events += n;
    if (n < CHUNK) break;
  }
  for (;;) {
    const r = await db
      .deleteFrom('push_traces')
      .where('push_id', 'in', (eb) =>
        eb.selectFrom('push_traces').select('push_id').where('created_at', '<', traceCutoff).limit(CHUNK),
      )
      .executeTakeFirst();
    const n = Number(r.numDeletedRows);
    result.traces += n;
    if (n < CHUNK) break;
  }
  const r = await db
    .deleteFrom('push_stats_hourly')
    .where('hour', '<', statsCutoffSeconds)
    .executeTakeFirst();
  result.counters = Number(r.numDeletedRows);
  return result;
}
