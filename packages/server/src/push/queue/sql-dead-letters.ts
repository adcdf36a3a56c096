// Dead letters and counts of the SQL queue: what the console and `pushline queue` show. Every call is scoped
// to one app except the global stats.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../store/schema.js';
import { idParts, parseId, toJob } from './sql-rows.js';
import type { DeadFilter, DeadJob, DeadPage, QueueStats } from './types.js';

export async function listDead(
  db: Kysely<Database>,
  filter: DeadFilter,
  opts: { limit?: number; after?: string } = {},
): Promise<DeadPage> {
  const limit = Math.min(Math.max(1, Math.floor(opts.limit ?? 100)), 1000);
  let q = deadQuery(db, filter)
    .selectAll()
    .orderBy('id')
    .limit(limit + 1);
  if (opts.after !== undefined) q = q.where('id', '>', parseId(opts.after));
  const rows = await q.execute();
  const jobs = rows.slice(0, limit).map(
    (r): DeadJob => ({
      ...toJob(r, r.next_attempt_at),
      deadAt: r.settled_at ?? r.created_at,
      lastAnswer: r.last_answer,
    }),
  );
  const last = jobs.at(-1);
  return rows.length > limit && last ? { jobs, next: last.id } : { jobs };
}

export async function requeueDead(
  db: Kysely<Database>,
  now: number,
  filter: DeadFilter,
  ids?: readonly string[],
): Promise<number> {
  let total = 0;
  for (const part of idParts(ids)) {
    let q = db
      .updateTable('push_jobs')
      .set({ status: 'queued', attempts: 0, next_attempt_at: now, lease_token: null, settled_at: null })
      .where('status', '=', 'dead')
      .where('sdkappid', '=', filter.sdkAppId);
    if (filter.certificateId !== undefined) q = q.where('certificate_id', '=', filter.certificateId);
    if (part) q = q.where('id', 'in', part);
    total += Number((await q.executeTakeFirst()).numUpdatedRows);
  }
  return total;
}

export async function purgeDead(
  db: Kysely<Database>,
  filter: DeadFilter,
  ids?: readonly string[],
): Promise<number> {
  let total = 0;
  for (const part of idParts(ids)) {
    let q = db.deleteFrom('push_jobs').where('status', '=', 'dead').where('sdkappid', '=', filter.sdkAppId);
    if (filter.certificateId !== undefined) q = q.where('certificate_id', '=', filter.certificateId);
    if (part) q = q.where('id', 'in', part);
    total += Number((await q.executeTakeFirst()).numDeletedRows);
  }
  return total;
}

/** Counts by state in one pass over the table (or the app's rows). */
export async function queueStats(
  db: Kysely<Database>,
  now: number,
  filter: { sdkAppId?: number } = {},
): Promise<QueueStats> {
  const queued = sql`status = 'queued'`;
  const due = sql`${queued} and next_attempt_at <= ${now}`;
  let q = db
    .selectFrom('push_jobs')
    .select([
      sql<number>`coalesce(sum(case when ${due} then push_count else 0 end), 0)`.as('ready'),
      sql<number>`coalesce(sum(case when ${queued} and next_attempt_at > ${now} and lease_token is null then push_count else 0 end), 0)`.as(
        'delayed',
      ),
      sql<number>`coalesce(sum(case when ${queued} and next_attempt_at > ${now} and lease_token is not null then push_count else 0 end), 0)`.as(
        'leased',
      ),
      sql<number>`coalesce(sum(case when status = 'held' then push_count else 0 end), 0)`.as('held'),
      sql<number>`coalesce(sum(case when status = 'dead' then push_count else 0 end), 0)`.as('dead'),
      sql<number | null>`min(case when ${due} then created_at end)`.as('oldest'),
    ]);
  if (filter.sdkAppId !== undefined) q = q.where('sdkappid', '=', filter.sdkAppId);
  const r = await q.executeTakeFirstOrThrow();
  return {
    ready: Number(r.ready),
    delayed: Number(r.delayed),
    leased: Number(r.leased),
    held: Number(r.held),
    dead: Number(r.dead),
    oldestReadyCreatedAt: r.oldest === null ? null : Number(r.oldest),
  };
}

function deadQuery(db: Kysely<Database>, filter: DeadFilter) {
  let q = db.selectFrom('push_jobs').where('status', '=', 'dead').where('sdkappid', '=', filter.sdkAppId);
  if (filter.certificateId !== undefined) q = q.where('certificate_id', '=', filter.certificateId);
  return q;
}
