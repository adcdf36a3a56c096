// Push statistics and loss breakdowns from the hourly counters, in the shapes of timpush/normal_push_statistics,
// all_member_push_statistics and normal_push_loss (docs/internals/tencent-im.md#push-statistics-and-traces).
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { findAnswer } from '../answers/vendor-answers.js';
import { isLoss, lossCode, POST_SEND_LOSS_INFO } from './loss.js';
import { pushPlatform } from './platforms.js';

export const CHAT_KINDS = ['c2c', 'group', 'call'];
export const TASK_KINDS = ['all-member', 'batch'];

interface CounterSum {
  kind: string;
  task_id: string;
  vendor: string;
  outcome: string;
  code: string;
  count: number;
}

export type CounterFilter =
  | { kinds: string[]; fromSeconds: number; toSeconds: number }
  | { kinds: string[]; taskIds: string[] };

export async function sumCounters(
  db: Kysely<Database>,
  sdkAppId: number,
  filter: CounterFilter,
): Promise<CounterSum[]> {
  let q = db
    .selectFrom('push_stats_hourly')
    .select(['kind', 'task_id', 'vendor', 'outcome', 'code', (eb) => eb.fn.sum<number>('count').as('count')])
    .where('sdkappid', '=', sdkAppId)
    .where('kind', 'in', filter.kinds);
  if ('taskIds' in filter) {
    // PostgreSQL refuses `in ()`: no task, no counters.
    if (filter.taskIds.length === 0) return [];
    q = q.where('task_id', 'in', filter.taskIds);
  } else {
    // Counters are hourly: an hour is in the window when it starts before the end and ends after the start.
    q = q.where('hour', '>', filter.fromSeconds - 3600).where('hour', '<=', filter.toSeconds);
  }
  const rows = await q.groupBy(['kind', 'task_id', 'vendor', 'outcome', 'code']).execute();
  return rows.map((r) => ({ ...r, count: Number(r.count) }));
}

type Funnel = {
  TotalCount: number;
  SentCount: number;
  DeliveredCount: number;
  ClickCount: number;
};

const emptyFunnel = (): Funnel => ({ TotalCount: 0, SentCount: 0, DeliveredCount: 0, ClickCount: 0 });

function addTo(funnel: Funnel, row: CounterSum): boolean {
  if (row.outcome === 'accepted' || (row.outcome === 'skipped' && isLoss(row.code)))
    funnel.TotalCount += row.count;
  else if (row.outcome === 'sent') funnel.SentCount += row.count;
  else if (row.outcome === 'delivered') funnel.DeliveredCount += row.count;
  else if (row.outcome === 'clicked') funnel.ClickCount += row.count;
  else return false;
  return true;
}

/** EventType of PlatformStatistics: chat pushes 1 C2C (and calls), 2 group; task pushes 1 (offline push). */
function eventType(kind: string): number {
  return kind === 'group' ? 2 : 1;
}

/** TotalCount (accepted + ready-to-send losses), SentCount, DeliveredCount, ClickCount, per platform too. */
export function statistics(rows: CounterSum[]): Funnel & { PlatformStatistics: Funnel[] } {
  const total = emptyFunnel();
  const platforms = new Map<string, Funnel & { EventType: number; PushPlatform: number }>();
  for (const row of rows) {
    if (!addTo(total, row)) continue;
    const EventType = eventType(row.kind);
    const PushPlatform = pushPlatform(row.vendor);
    const key = `${EventType}:${PushPlatform}`;
    const p = platforms.get(key) ?? { EventType, PushPlatform, ...emptyFunnel() };
    addTo(p, row);
    platforms.set(key, p);
  }
  const PlatformStatistics = [...platforms.values()].sort(
    (a, b) => a.EventType - b.EventType || a.PushPlatform - b.PushPlatform,
  );
  return { ...total, PlatformStatistics };
}

type Loss = {
  ErrCode: string;
  ErrCount: number;
  ErrInfo: string;
};

/** ReadyToSendLoss (skips that are failures) and PostSendDeliveredLoss (vendor refusals, undelivered). */
export function losses(rows: CounterSum[]) {
  const ready = new Map<string, Loss>();
  const post = new Map<string, Loss>();
  const platformReady = new Map<string, Loss & { PushPlatform: number }>();
  const platformPost = new Map<string, Loss & { PushPlatform: number }>();
  const add = <T extends Loss>(map: Map<string, T>, key: string, make: () => T, count: number) => {
    const entry = map.get(key) ?? make();
    entry.ErrCount += count;
    map.set(key, entry);
  };
  for (const row of rows) {
    const PushPlatform = pushPlatform(row.vendor);
    if (row.outcome === 'skipped' && isLoss(row.code)) {
      const { code, info } = lossCode(row.code);
      const make = () => ({ ErrCode: code, ErrCount: 0, ErrInfo: info });
      add(ready, code, make, row.count);
      add(platformReady, `${PushPlatform}:${code}`, () => ({ PushPlatform, ...make() }), row.count);
    } else if (row.outcome in POST_SEND_LOSS_INFO) {
      const info = `${row.outcome}: ${POST_SEND_LOSS_INFO[row.outcome]}`;
      const make = () => ({ ErrCode: row.code, ErrCount: 0, ErrInfo: info });
      add(post, `${row.outcome}:${row.code}`, make, row.count);
      // Under a PushPlatform the vendor is known: ErrInfo says what its code means (push/answers).
      const meaning =
        row.outcome === 'undelivered' ? undefined : findAnswer(row.vendor, row.code)?.en.meaning;
      add(
        platformPost,
        `${PushPlatform}:${row.outcome}:${row.code}`,
        () => ({ PushPlatform, ...make(), ...(meaning ? { ErrInfo: `${row.outcome}: ${meaning}` } : {}) }),
        row.count,
      );
    }
  }
  const byCount = (a: Loss, b: Loss) => b.ErrCount - a.ErrCount || a.ErrCode.localeCompare(b.ErrCode);
  return {
    ReadyToSendLoss: [...ready.values()].sort(byCount),
    PostSendDeliveredLoss: [...post.values()].sort(byCount),
    PlatformReadyToSendLoss: [...platformReady.values()].sort(byCount),
    PlatformPostSendDeliveredLoss: [...platformPost.values()].sort(byCount),
  };
}
