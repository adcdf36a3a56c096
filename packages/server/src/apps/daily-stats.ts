// Per-app daily operation counters (openconfigsvr/getappinfo, http/v4/app-info.ts). The code paths that
// count (gateway logins, committed messages) only add to memory; a timer writes the sums out, one upsert per
// (app, day, metric) and one insert per first-seen (app, day, activity, actor), so a busy send path costs no
// extra database write per message. A crash loses at most the last flush interval of counts; close() writes
// what is pending. Days are UTC dates (YYYYMMDD).
import { type Kysely, sql } from 'kysely';
import type { Database } from '../store/schema.js';

/** Sums kept per app and day. */
export type DailyMetric =
  | 'login_times'
  | 'c2c_up'
  | 'c2c_down'
  | 'group_up'
  | 'group_down'
  | 'group_created'
  | 'group_destroyed'
  | 'group_joined'
  | 'group_quit'
  /** Callback requests sent to the app's callback URL (message callbacks, webhooks), and those it answered. */
  | 'callback_req'
  | 'callback_rsp';

/** Who is counted once per day: a user (login, send...) or a group (received a message). */
export type DailyActivity =
  | 'login'
  | 'active'
  | 'sender'
  | 'c2c_sender'
  | 'group_sender'
  | 'group_with_message';

/** How many days back getappinfo answers (Tencent: the last 30 days); older rows are deleted. */
export const DAILY_STATS_DAYS = 30;

const DEFAULT_FLUSH_MS = 2000;
const PURGE_EVERY_MS = 3_600_000;
const ACTOR_CHUNK = 500;

/** The UTC date of `ms` as YYYYMMDD. */
export function utcDay(ms: number): number {
  const d = new Date(ms);
  return d.getUTCFullYear() * 10_000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

export class DailyStats {
  /** `${sdkAppId}|${day}|${metric}` -> count not yet written. */
  #sums = new Map<string, number>();
  /** Actor rows not yet written. */
  #actors: { sdkappid: number; day: number; activity: string; actor: string }[] = [];
  /** Actors already written or queued today by this node (cleared when the day changes). */
  #seen = new Set<string>();
  #seenDay = 0;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #lastPurge = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number,
    private readonly onError: (err: unknown) => void,
    flushMs = DEFAULT_FLUSH_MS,
  ) {
    this.#timer = setInterval(() => void this.flush(), flushMs);
    this.#timer.unref();
  }

  add(sdkAppId: number, metric: DailyMetric, n = 1): void {
    if (n <= 0) return;
    const key = `${sdkAppId}|${utcDay(this.now())}|${metric}`;
    this.#sums.set(key, (this.#sums.get(key) ?? 0) + n);
  }

  /** Counts `actor` once for `activity` today. */
  saw(sdkAppId: number, activity: DailyActivity, actor: string): void {
    const day = utcDay(this.now());
    if (day !== this.#seenDay) {
      this.#seen.clear();
      this.#seenDay = day;
    }
    const key = `${sdkAppId}|${activity}|${actor}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.#actors.push({ sdkappid: sdkAppId, day, activity, actor });
  }

  /** Writes what is pending; flushes run one after the other. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(() => this.#write().catch(this.onError));
    return this.#flushing;
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }

  async #write(): Promise<void> {
    const sums = this.#sums;
    const actors = this.#actors;
    this.#sums = new Map();
    this.#actors = [];
    try {
      for (const [key, count] of sums) {
        const [app, day, metric] = key.split('|') as [string, string, string];
        await this.db
          .insertInto('app_daily_counters')
          .values({ sdkappid: Number(app), day: Number(day), metric, count })
          .onConflict((oc) =>
            oc.columns(['sdkappid', 'day', 'metric']).doUpdateSet({
              count: sql`app_daily_counters.count + excluded.count`,
            }),
          )
          .execute();
        sums.delete(key);
      }
      for (let i = 0; i < actors.length; i += ACTOR_CHUNK) {
        await this.db
          .insertInto('app_daily_actors')
          .values(actors.slice(i, i + ACTOR_CHUNK))
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      actors.length = 0;
    } finally {
      // What could not be written (database down) is retried at the next flush.
      for (const [key, count] of sums) this.#sums.set(key, (this.#sums.get(key) ?? 0) + count);
      this.#actors.push(...actors);
    }
    await this.#purge();
  }

  async #purge(): Promise<void> {
    const now = this.now();
    if (now - this.#lastPurge < PURGE_EVERY_MS) return;
    this.#lastPurge = now;
    const oldest = utcDay(now - (DAILY_STATS_DAYS + 1) * 86_400_000);
    await this.db.deleteFrom('app_daily_counters').where('day', '<', oldest).execute();
    await this.db.deleteFrom('app_daily_actors').where('day', '<', oldest).execute();
  }
}

/**
 * Counts one callback POST (a listener of webhooks/poster.ts): one request, and one answer when
 * the app's server answered it with any HTTP status (a time-out or refused connection is no answer).
 */
export function countCallback(stats: DailyStats, sdkAppId: number, answered: boolean): void {
  stats.add(sdkAppId, 'callback_req');
  if (answered) stats.add(sdkAppId, 'callback_rsp');
}
