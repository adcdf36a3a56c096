// openconfigsvr/getappinfo (the app's operation data of the last 30 days) and ConfigSvc/GetIPList (this
// deployment's addresses). docs/rest-api.md#app-information says which of Tencent's fields Pushline fills,
// from what, and which it cannot know.
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { DAILY_STATS_DAYS, type DailyStats, utcDay } from '../../apps/daily-stats.js';
import type { Database } from '../../store/schema.js';
import { defineCommand, RestError, type V4Command, V4Error } from './command.js';

const DAY_MS = 86_400_000;

/** Tencent's operation fields Pushline fills (all of them when RequestField is absent or empty). */
export const APP_INFO_FIELDS = [
  'AppName',
  'AppId',
  'Date',
  'ActiveUserNum',
  'RegistUserNumOneDay',
  'RegistUserNumTotal',
  'LoginTimes',
  'LoginUserNum',
  'UpMsgNum',
  'DownMsgNum',
  'SendMsgUserNum',
  'APNSMsgNum',
  'C2CUpMsgNum',
  'C2CDownMsgNum',
  'C2CSendMsgUserNum',
  'C2CAPNSMsgNum',
  'GroupUpMsgNum',
  'GroupDownMsgNum',
  'GroupSendMsgUserNum',
  'GroupSendMsgGroupNum',
  'GroupAPNSMsgNum',
  'GroupNewGroupNum',
  'GroupDestroyGroupNum',
  'GroupJoinGroupTimes',
  'GroupQuitGroupTimes',
  'CallBackReq',
  'CallBackRsp',
] as const;

/** Tencent's fields Pushline does not count, and why: asking for one is refused rather than answered 0. */
export const APP_INFO_UNKNOWN_FIELDS: Record<string, string> = {
  Company: 'Pushline keeps no company name for an app',
  MaxOnlineNum: 'Pushline does not record the peak of online users',
  ChainIncrease: 'Pushline does not count relationship-chain changes per day',
  ChainDecrease: 'Pushline does not count relationship-chain changes per day',
  GroupAllGroupNum: 'Pushline does not keep a daily count of groups',
};

type Field = (typeof APP_INFO_FIELDS)[number];

/** Chat push kinds of the hourly push counters (push/outcomes), by Tencent's C2C / group split. */
const C2C_PUSH_KINDS = ['c2c', 'call'];
const GROUP_PUSH_KINDS = ['group'];

export interface AppInfoDeps {
  /**
   * The 30 days' numbers count every active user of each day: long reads, off the main thread on SQLite
   * (store/read-worker.ts). They see the flushed day counters once their commit is done.
   */
  reads: Kysely<Database>;
  dailyStats: DailyStats;
  now: () => number;
  /** The addresses GetIPList answers (config publicAddresses, or the listening addresses: ip-list.ts). */
  ipList: () => Promise<string[]>;
}

export function appInfoCommands(deps: AppInfoDeps): V4Command[] {
  return [
    defineCommand({
      name: 'openconfigsvr/getappinfo',
      body: z.object({ RequestField: z.array(z.string()).max(64).optional() }),
      invalid: { default: RestError.InvalidParameters },
      examples: [{}, { RequestField: ['LoginUserNum', 'C2CUpMsgNum', 'APNSMsgNum'] }],
      async handle({ app }, body) {
        const fields = requestedFields(body.RequestField);
        // This node's counts of the last seconds first (other nodes write theirs every 2 s).
        await deps.dailyStats.flush();
        const days = await dailyNumbers(deps.reads, app.sdkAppId, deps.now());
        const Result = days.map((d) => {
          const all: Record<Field, string> = {
            AppName: app.name,
            AppId: String(app.sdkAppId),
            Date: String(d.day),
            ...d.numbers,
          };
          return Object.fromEntries(fields.map((f) => [f, all[f]]));
        });
        return { Result };
      },
    }),
    defineCommand({
      name: 'ConfigSvc/GetIPList',
      body: z.object({}),
      invalid: { default: RestError.InvalidParameters },
      examples: [{}],
      async handle() {
        return { IPList: await deps.ipList() };
      },
    }),
  ];
}

function requestedFields(requested: string[] | undefined): Field[] {
  if (!requested || requested.length === 0) return [...APP_INFO_FIELDS];
  const fields: Field[] = [];
  for (const name of requested) {
    if (Object.hasOwn(APP_INFO_UNKNOWN_FIELDS, name)) {
      throw new V4Error(
        RestError.InvalidParameters,
        `RequestField ${name}: ${APP_INFO_UNKNOWN_FIELDS[name]}`,
      );
    }
    if (!(APP_INFO_FIELDS as readonly string[]).includes(name)) {
      throw new V4Error(RestError.InvalidParameters, `RequestField ${name} is not an operation data field`);
    }
    if (!fields.includes(name as Field)) fields.push(name as Field);
  }
  return fields;
}

type Numbers = Record<Exclude<Field, 'AppName' | 'AppId' | 'Date'>, string>;

/** The last 30 UTC days, today first, each with its numbers as decimal strings (Tencent's type). */
async function dailyNumbers(
  db: Kysely<Database>,
  sdkAppId: number,
  nowMs: number,
): Promise<{ day: number; numbers: Numbers }[]> {
  const todayStart = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const firstStart = todayStart - (DAILY_STATS_DAYS - 1) * DAY_MS;
  const dayStarts = Array.from({ length: DAILY_STATS_DAYS }, (_, i) => todayStart - i * DAY_MS);
  const firstDay = utcDay(firstStart);

  const counters = await db
    .selectFrom('app_daily_counters')
    .select(['day', 'metric', 'count'])
    .where('sdkappid', '=', sdkAppId)
    .where('day', '>=', firstDay)
    .execute();
  const actors = await db
    .selectFrom('app_daily_actors')
    .select(['day', 'activity', (eb) => eb.fn.countAll<number>().as('n')])
    .where('sdkappid', '=', sdkAppId)
    .where('day', '>=', firstDay)
    .groupBy(['day', 'activity'])
    .execute();
  const pushes = await db
    .selectFrom('push_stats_hourly')
    .select(['hour', 'kind', (eb) => eb.fn.sum<number>('count').as('n')])
    .where('sdkappid', '=', sdkAppId)
    .where('outcome', '=', 'sent')
    .where('kind', 'in', [...C2C_PUSH_KINDS, ...GROUP_PUSH_KINDS])
    .where('hour', '>=', firstStart / 1000)
    .groupBy(['hour', 'kind'])
    .execute();
  // Registrations: accounts that exist now, by the day they were created (a deleted account is not counted).
  // The day index as a literal expression (integers computed here): PostgreSQL must see the same
  // expression in SELECT and GROUP BY, which two bound parameters are not.
  const dayIndex = sql<number>`(created_at - ${sql.lit(firstStart)}) / ${sql.lit(DAY_MS)}`;
  const registered = await db
    .selectFrom('accounts')
    .select([dayIndex.as('index'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('sdkappid', '=', sdkAppId)
    .where('created_at', '>=', firstStart)
    .groupBy(dayIndex)
    .execute();
  const before = await db
    .selectFrom('accounts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('sdkappid', '=', sdkAppId)
    .where('created_at', '<', firstStart)
    .executeTakeFirstOrThrow();

  const get = (map: Map<string, number>, day: number, key: string) => map.get(`${day}|${key}`) ?? 0;
  const sums = new Map<string, number>();
  const add = (day: number, key: string, n: number) =>
    sums.set(`${day}|${key}`, (sums.get(`${day}|${key}`) ?? 0) + Number(n));
  for (const c of counters) add(c.day, c.metric, c.count);
  for (const a of actors) add(a.day, a.activity, a.n);
  for (const p of pushes)
    add(utcDay(p.hour * 1000), C2C_PUSH_KINDS.includes(p.kind) ? 'c2c_push' : 'group_push', p.n);
  const newAccounts = new Map<number, number>();
  for (const r of registered) {
    const day = utcDay(firstStart + Math.floor(Number(r.index)) * DAY_MS);
    newAccounts.set(day, (newAccounts.get(day) ?? 0) + Number(r.n));
  }

  let total = Number(before.n);
  const byDay = new Map<number, Numbers>();
  // Oldest first, so the running total of registrations adds up.
  for (const start of [...dayStarts].reverse()) {
    const day = utcDay(start);
    const n = (key: string) => get(sums, day, key);
    const registeredToday = newAccounts.get(day) ?? 0;
    total += registeredToday;
    const s = (v: number) => String(v);
    byDay.set(day, {
      ActiveUserNum: s(n('active')),
      RegistUserNumOneDay: s(registeredToday),
      RegistUserNumTotal: s(total),
      LoginTimes: s(n('login_times')),
      LoginUserNum: s(n('login')),
      UpMsgNum: s(n('c2c_up') + n('group_up')),
      DownMsgNum: s(n('c2c_down') + n('group_down')),
      SendMsgUserNum: s(n('sender')),
      APNSMsgNum: s(n('c2c_push') + n('group_push')),
      C2CUpMsgNum: s(n('c2c_up')),
      C2CDownMsgNum: s(n('c2c_down')),
      C2CSendMsgUserNum: s(n('c2c_sender')),
      C2CAPNSMsgNum: s(n('c2c_push')),
      GroupUpMsgNum: s(n('group_up')),
      GroupDownMsgNum: s(n('group_down')),
      GroupSendMsgUserNum: s(n('group_sender')),
      GroupSendMsgGroupNum: s(n('group_with_message')),
      GroupAPNSMsgNum: s(n('group_push')),
      GroupNewGroupNum: s(n('group_created')),
      GroupDestroyGroupNum: s(n('group_destroyed')),
      GroupJoinGroupTimes: s(n('group_joined')),
      GroupQuitGroupTimes: s(n('group_quit')),
      CallBackReq: s(n('callback_req')),
      CallBackRsp: s(n('callback_rsp')),
    });
  }
  return dayStarts.map((start) => ({ day: utcDay(start), numbers: byDay.get(utcDay(start))! }));
}
