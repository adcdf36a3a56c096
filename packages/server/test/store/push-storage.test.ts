// What a push writes, kept small (migrations 0074 and 0075): the trace rows' MsgKey index holds chat pushes
// only and is still what a MsgKey lookup uses; with no index of creation times the retention job walks the
// traces app by app and deletes the expired ones of every app, deleted apps included; on PostgreSQL a job
// pack's tasks are compressed with lz4 and read back intact, and a fan-out's badge update of a whole page of
// instances is a HOT update for every row (room for it on the page).
import { CompiledQuery, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { SessionStore } from '../../src/devices/sessions.js';
import { deleteExpiredOutcomes } from '../../src/push/outcomes/retention.js';
import { readPacks, writePacks } from '../../src/push/queue/sql-packs.js';
import type { PushTask } from '../../src/push/types.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import type { Database } from '../../src/store/schema.js';
import { appRow, type Backend, emptyDatabases, testBackends } from '../helpers/databases.js';

const backends = await testBackends();
const DAY = 86_400_000;
const NOW = 1_800_000_000_000;
const APPS = [1_600_000_074, 1_600_000_075, 1_600_000_076];

interface TraceSpec {
  app: number;
  id: string;
  ageDays: number;
  msgKey?: string;
}

async function insertTraces(db: Kysely<Database>, traces: TraceSpec[]): Promise<void> {
  for (let i = 0; i < traces.length; i += 200) {
    await db
      .insertInto('push_traces')
      .values(
        traces.slice(i, i + 200).map((t) => ({
          push_id: t.id,
          sdkappid: t.app,
          kind: t.msgKey ? 'c2c' : 'all',
          msg_key: t.msgKey ?? null,
          task_id: t.msgKey ? null : 'task-1',
          to_user: `user-${t.id}`,
          vendor: 'apns',
          created_at: NOW - t.ageDays * DAY,
        })),
      )
      .execute();
    await db
      .insertInto('push_trace_events')
      .values(
        traces.slice(i, i + 200).map((t) => ({ push_id: t.id, stage: 'sent', at: NOW - t.ageDays * DAY })),
      )
      .execute();
  }
}

async function plan(db: Kysely<Database>, backend: Backend, query: CompiledQuery): Promise<string> {
  const text = backend === 'sqlite' ? `explain query plan ${query.sql}` : `explain ${query.sql}`;
  const result = await db.executeQuery<Record<string, string>>(
    CompiledQuery.raw(text, [...query.parameters]),
  );
  return result.rows.map((r) => r.detail ?? r['QUERY PLAN']).join(' | ');
}

describe.each(backends)('push storage on %s', (backend: Backend) => {
  const newDatabase = emptyDatabases(backend);

  it('finds a message’s pushes through the index of chat pushes, which holds no task push', async () => {
    const { db } = await newDatabase();
    expect((await migrateToLatest(db)).every((r) => r.status === 'Success')).toBe(true);
    // Mostly task pushes (no MsgKey), a few chat pushes.
    const traces: TraceSpec[] = [];
    for (let i = 0; i < 3000; i++) traces.push({ app: APPS[0]!, id: `task-${i}`, ageDays: 0 });
    for (let i = 0; i < 30; i++)
      traces.push({ app: APPS[0]!, id: `chat-${i}`, ageDays: 0, msgKey: `key-${i % 10}` });
    await insertTraces(db, traces);
    if (backend === 'postgres') await db.executeQuery(CompiledQuery.raw('analyze push_traces'));

    const lookup = db
      .selectFrom('push_traces')
      .select('push_id')
      .where('sdkappid', '=', APPS[0]!)
      .where('msg_key', '=', 'key-3')
      .orderBy('push_id');
    expect((await lookup.execute()).map((r) => r.push_id)).toEqual(['chat-13', 'chat-23', 'chat-3']);
    expect(await plan(db, backend, lookup.compile())).toMatch(/push_traces_by_msg_key/);

    // The index is partial: task pushes, nearly all of a large push's rows, have no entry in it.
    const definition =
      backend === 'sqlite'
        ? "select sql as def from sqlite_master where name = 'push_traces_by_msg_key'"
        : "select indexdef as def from pg_indexes where tablename = 'push_traces' and indexname = 'push_traces_by_msg_key'";
    const { rows } = await db.executeQuery<{ def: string }>(CompiledQuery.raw(definition));
    expect(rows[0]!.def).toMatch(/where \(?"?msg_key"? is not null\)?/i);
  });

  it('deletes the expired traces of every app, deleted apps included, with their events', async () => {
    const { db } = await newDatabase();
    expect((await migrateToLatest(db)).every((r) => r.status === 'Success')).toBe(true);
    // No `apps` rows at all: traces outlive their app (no foreign key), and retention still finds them.
    const traces: TraceSpec[] = [];
    for (const app of APPS) {
      // More expired rows than one chunk of the job (5,000) in the first app.
      const expired = app === APPS[0] ? 5_200 : 40;
      for (let i = 0; i < expired; i++) traces.push({ app, id: `${app}-old-${i}`, ageDays: 8 });
      for (let i = 0; i < 25; i++) traces.push({ app, id: `${app}-new-${i}`, ageDays: 6, msgKey: `k${i}` });
    }
    await insertTraces(db, traces);

    const result = await deleteExpiredOutcomes(db, { traceRetentionDays: 7, statsRetentionDays: 90 }, NOW);
    expect(result.traces).toBe(5_200 + 40 + 40);
    expect(result.events).toBe(5_200 + 40 + 40);
    const left = await db
      .selectFrom('push_traces')
      .select(['sdkappid', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('sdkappid')
      .orderBy('sdkappid')
      .execute();
    expect(left.map((r) => [Number(r.sdkappid), Number(r.n)])).toEqual(APPS.map((a) => [a, 25]));
    const events = await db
      .selectFrom('push_trace_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(events.n)).toBe(75);

    // A second run finds nothing more.
    const again = await deleteExpiredOutcomes(db, { traceRetentionDays: 7, statsRetentionDays: 90 }, NOW);
    expect(again).toMatchObject({ traces: 0, events: 0 });

    if (backend === 'sqlite') {
      // Both of its reads go through the index of apps and times, not a scan of every trace.
      const next = db
        .selectFrom('push_traces')
        .select('sdkappid')
        .where('sdkappid', '>', APPS[0]!)
        .orderBy('sdkappid')
        .limit(1);
      expect(await plan(db, backend, next.compile())).toMatch(/USING (COVERING )?INDEX push_traces_by_app/);
      const expired = db
        .selectFrom('push_traces')
        .select('push_id')
        .where('sdkappid', '=', APPS[0]!)
        .where('created_at', '<', NOW)
        .limit(5000);
      expect(await plan(db, backend, expired.compile())).toMatch(/USING INDEX push_traces_by_app_time/);
    }
  });

  it.runIf(backend === 'postgres')(
    'stores a job pack’s tasks compressed with lz4 and reads them back',
    async () => {
      const { db } = await newDatabase();
      expect((await migrateToLatest(db)).every((r) => r.status === 'Success')).toBe(true);
      const { rows: supported } = await db.executeQuery<{ lz4: boolean }>(
        CompiledQuery.raw(
          "select coalesce(bool_or('lz4' = any(enumvals)), false) as lz4 from pg_settings where name = 'default_toast_compression'",
        ),
      );
      const tasks = Array.from(
        { length: 500 },
        (_, i) =>
          ({
            pushId: `6933f0a1_abcdef012345_${i.toString(16)}`,
            sdkAppId: APPS[0],
            userId: `u${String(i).padStart(7, '0')}`,
            instanceId: `i${i}`,
            certificateId: 1,
            token: `${i}`.repeat(8).slice(0, 64),
          }) as unknown as PushTask,
      );
      await writePacks(db, [{ id: 7, tasks }]);
      const read = await readPacks(db, false, [7]);
      expect(read.get(7)).toEqual(tasks);
      const { rows } = await db.executeQuery<{ method: string | null }>(
        CompiledQuery.raw(
          'select pg_column_compression(tasks) as method from push_job_packs where job_id = 7',
        ),
      );
      // This machine's PostgreSQL (Debian's) has lz4; a server without it keeps its default method.
      expect(rows[0]!.method).toBe(supported[0]!.lz4 ? 'lz4' : 'pglz');
    },
  );

  it.runIf(backend === 'postgres')(
    'raises the badge base of a page of 500 devices registered together without moving a row off its page',
    async () => {
      const { db } = await newDatabase();
      expect((await migrateToLatest(db)).every((r) => r.status === 'Success')).toBe(true);
      await db.insertInto('apps').values(appRow(APPS[0]!)).execute();
      const devices = Array.from({ length: 500 }, (_, i) => ({
        userId: `u${String(i).padStart(7, '0')}`,
        instanceId: `ios-${i}`,
      }));
      // Registered one after another: they fill consecutive pages of the table.
      await db
        .insertInto('instances')
        .values(
          devices.map((d) => ({
            sdkappid: APPS[0]!,
            user_id: d.userId,
            instance_id: d.instanceId,
            platform: 'iOS',
            state: 'PushOnline',
            background: 1,
            unread_base: 0,
            acked_seq: 0,
            session_id: '',
            logged_in_at: 1,
            last_seen_at: 1,
            updated_at: 1,
          })),
        )
        .execute();
      const hot = await db.transaction().execute(async (trx) => {
        await new SessionStore(trx, () => NOW).addToBadges(APPS[0]!, devices, 1);
        const { rows } = await trx.executeQuery<{ updated: string; hot: string }>(
          CompiledQuery.raw(
            "select n_tup_upd as updated, n_tup_hot_upd as hot from pg_stat_xact_user_tables where relname = 'instances'",
          ),
        );
        return rows[0]!;
      });
      // With a fifth of each page free (migration 0072 alone) about a quarter of them were.
      expect({ updated: Number(hot.updated), hot: Number(hot.hot) }).toEqual({ updated: 500, hot: 500 });
      const raised = await db
        .selectFrom('instances')
        .select((eb) => eb.fn.sum<number>('unread_base').as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(raised.n)).toBe(500);
    },
  );
});
