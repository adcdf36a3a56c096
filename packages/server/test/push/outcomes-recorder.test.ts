// The outcomes recorder on SQLite and PostgreSQL: buffered writes, traces with their stages, hourly
// counters, receipts matched by PushID or vendor message ID + token, invalid tokens and retention.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { looksLikePushId, newPushId } from '../../src/push/outcomes/push-id.js';
import { testBackends } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { answer, pushRecord, waitFor } from './outcomes-helpers.js';

const backends = await testBackends();
const DAY = 86_400_000;

describe('newPushId', () => {
  it('gives unique Tencent-like ids', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newPushId()));
    expect(ids.size).toBe(10_000);
    for (const id of [...ids].slice(0, 5)) expect(looksLikePushId(id)).toBe(true);
    expect(looksLikePushId('not a push id')).toBe(false);
  });
});

describe.each(backends)('push outcomes recorder on %s', (backend) => {
  let s: TestServer;
  const invalid: { sdkAppId: number; certificateId: number; token: string; code: string }[] = [];
  beforeAll(async () => {
    s = await startTestServer({
      backend,
      // Flushes happen when the test asks, except where maxBatchRows is the point.
      create: { outcomes: { flushIntervalMs: 3_600_000, maxBatchRows: 2_000 } },
    });
  });
  afterAll(async () => {
    await s?.close();
  });

  const recorder = () => s.pushline.outcomes.recorder;
  const db = () => s.pushline.db;
  const appId = () => s.app.sdkAppId;

  async function events(pushId: string) {
    return db()
      .selectFrom('push_trace_events')
      .select(['stage', 'attempt', 'code', 'vendor_msg_id'])
      .where('push_id', '=', pushId)
      .orderBy('id')
      .execute();
  }

  async function counters(outcome: string) {
    return db()
      .selectFrom('push_stats_hourly')
      .select(['kind', 'task_id', 'vendor', 'code', 'count'])
      .where('sdkappid', '=', appId())
      .where('outcome', '=', outcome)
      .orderBy('kind')
      .orderBy('vendor')
      .orderBy('code')
      .execute();
  }

  it('buffers in memory and writes a trace with every stage on flush', async () => {
    const r = pushRecord(appId(), { kind: 'group', groupId: '@TGS#1', vendor: 'huawei' });
    recorder().accepted([r]);
    recorder().vendorAnswers([
      answer(r, { kind: 'retry', code: '503' }, { attempt: 1 }),
      answer(r, { kind: 'sent', vendorId: 'req-1' }, { attempt: 2 }),
    ]);
    const before = await db()
      .selectFrom('push_traces')
      .select('push_id')
      .where('push_id', '=', r.pushId)
      .execute();
    expect(before).toEqual([]);
    await recorder().flush();
    const trace = await db()
      .selectFrom('push_traces')
      .selectAll()
      .where('push_id', '=', r.pushId)
      .executeTakeFirst();
    expect(trace).toMatchObject({
      sdkappid: appId(),
      kind: 'group',
      group_id: '@TGS#1',
      from_user: 'alice',
      to_user: 'bob',
      vendor: 'huawei',
      certificate_id: 7,
      token_suffix: r.token!.slice(-12),
      skip_reason: null,
    });
    // The trace row is the accepted stage; events hold what happened next.
    expect(await events(r.pushId)).toEqual([
      { stage: 'retry', attempt: 1, code: '503', vendor_msg_id: null },
      { stage: 'sent', attempt: 2, code: null, vendor_msg_id: 'req-1' },
    ]);
    // Vendor answers are counted under the kind of the push they answer.
    expect(await counters('sent')).toEqual([
      { kind: 'group', task_id: '', vendor: 'huawei', code: '', count: 1 },
    ]);
    expect(await counters('retry')).toEqual([
      { kind: 'group', task_id: '', vendor: 'huawei', code: '503', count: 1 },
    ]);
  });

  it('aggregates thousands of pushes into hourly counters and flushes by itself at maxBatchRows', async () => {
    const at = Date.now(); // one hour for every count, however long the test takes
    const records = Array.from({ length: 3000 }, (_, i) =>
      pushRecord(appId(), {
        kind: 'all-member',
        taskId: 'task-big',
        vendor: i % 3 === 0 ? 'apns' : 'vivo',
        at,
      }),
    );
    recorder().accepted(records);
    // 3000 rows > maxBatchRows (2000): a flush starts without being asked.
    await waitFor(async () => {
      const { n } = await db()
        .selectFrom('push_traces')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('task_id', '=', 'task-big')
        .executeTakeFirstOrThrow();
      return Number(n) === 3000;
    }, 'the automatic flush');
    recorder().vendorAnswers(records.map((r) => ({ ...answer(r, { kind: 'sent' }), at })));
    recorder().vendorAnswers([answer(records[1]!, { kind: 'invalid-token', code: '10302' })]);
    await recorder().flush();
    const accepted = (await counters('accepted')).filter((c) => c.task_id === 'task-big');
    expect(accepted).toEqual([
      { kind: 'all-member', task_id: 'task-big', vendor: 'apns', code: '', count: 1000 },
      { kind: 'all-member', task_id: 'task-big', vendor: 'vivo', code: '', count: 2000 },
    ]);
    const sent = (await counters('sent')).filter((c) => c.task_id === 'task-big');
    expect(sent.map((c) => c.count)).toEqual([1000, 2000]);
    expect((await counters('invalid-token')).find((c) => c.task_id === 'task-big')).toMatchObject({
      vendor: 'vivo',
      code: '10302',
      count: 1,
    });
  });

  it('records skipped pushes with their reason and counts them by reason', async () => {
    const noBinding = pushRecord(appId(), { vendor: undefined, token: undefined, toUser: 'carol' });
    const foreground = pushRecord(appId(), { toUser: 'carol' });
    recorder().skipped([
      { ...noBinding, reason: 'no-binding' },
      { ...foreground, reason: 'instance-foreground' },
    ]);
    await recorder().flush();
    const row = await db()
      .selectFrom('push_traces')
      .select(['skip_reason', 'vendor', 'token_suffix'])
      .where('push_id', '=', noBinding.pushId)
      .executeTakeFirst();
    expect(row).toEqual({ skip_reason: 'no-binding', vendor: null, token_suffix: null });
    const fg = await db()
      .selectFrom('push_traces')
      .select(['skip_reason'])
      .where('push_id', '=', foreground.pushId)
      .executeTakeFirst();
    expect(fg).toEqual({ skip_reason: 'instance-foreground' });
    const skipped = await counters('skipped');
    expect(skipped).toContainEqual({ kind: 'c2c', task_id: '', vendor: '', code: 'no-binding', count: 1 });
    expect(skipped).toContainEqual({
      kind: 'c2c',
      task_id: '',
      vendor: 'fcm',
      code: 'instance-foreground',
      count: 1,
    });
  });

  it('marks a task that is given up after retries as failed', async () => {
    const r = pushRecord(appId(), { vendor: 'oppo' });
    recorder().accepted([r]);
    recorder().vendorAnswers([answer(r, { kind: 'retry', code: '-2' }, { attempt: 5, final: true })]);
    await recorder().flush();
    expect((await events(r.pushId)).map((e) => [e.stage, e.code])).toEqual([['failed', '-2']]);
  });

  it('matches receipts by PushID and by vendor message ID + token, never across apps', async () => {
    const single = pushRecord(appId(), { vendor: 'huawei' });
    const batch = [0, 1, 2].map(() => pushRecord(appId(), { vendor: 'meizu' }));
    recorder().accepted([single, ...batch]);
    recorder().vendorAnswers([
      answer(single, { kind: 'sent', vendorId: 'hw-req' }),
      ...batch.map((b) => answer(b, { kind: 'sent', vendorId: 'NS2016' })),
    ]);
    // The receipt comes in before any flush: the recorder flushes first so the message ID is known.
    expect(
      await recorder().receipt({
        sdkAppId: appId(),
        vendor: 'huawei',
        status: 'delivered',
        pushId: single.pushId,
      }),
    ).toBe(1);
    expect(
      await recorder().receipt({
        sdkAppId: appId(),
        vendor: 'meizu',
        status: 'clicked',
        pushId: batch[0]!.pushId, // the batch shares one callback.param
        vendorMsgId: 'NS2016',
        tokens: [batch[0]!.token!, batch[2]!.token!, 'someone-elses-token'],
      }),
    ).toBe(2);
    expect(
      await recorder().receipt({
        sdkAppId: appId() + 1,
        vendor: 'huawei',
        status: 'delivered',
        pushId: single.pushId,
      }),
    ).toBe(0);
    expect(
      await recorder().receipt({
        sdkAppId: appId(),
        vendor: 'vivo',
        status: 'delivered',
        pushId: single.pushId,
      }),
    ).toBe(0);
    expect(await recorder().clicked(appId(), 'mallory', single.pushId)).toBe(false);
    expect(await recorder().clicked(appId(), 'bob', single.pushId)).toBe(true);
    await recorder().flush();
    expect((await events(single.pushId)).map((e) => e.stage)).toEqual(['sent', 'delivered', 'clicked']);
    expect((await events(batch[0]!.pushId)).map((e) => e.stage)).toEqual(['sent', 'clicked']);
    expect((await events(batch[1]!.pushId)).map((e) => e.stage)).toEqual(['sent']);
    expect((await events(batch[2]!.pushId)).map((e) => e.stage)).toEqual(['sent', 'clicked']);
  });

  it('deletes traces after the retention and counters after theirs, keeping recent ones', async () => {
    const now = Date.now();
    const old = pushRecord(appId(), { at: now - 8 * DAY, taskId: 'old-task', kind: 'batch' });
    const recent = pushRecord(appId(), { at: now - 6 * DAY, taskId: 'recent-task', kind: 'batch' });
    const ancient = pushRecord(appId(), { at: now - 91 * DAY, taskId: 'ancient-task', kind: 'batch' });
    recorder().accepted([old, recent, ancient]);
    recorder().vendorAnswers([
      { ...answer(old, { kind: 'sent' }), at: now - 8 * DAY },
      { ...answer(recent, { kind: 'sent' }), at: now - 6 * DAY },
    ]);
    await recorder().flush();
    expect(await events(old.pushId)).toHaveLength(1);
    const result = await s.pushline.outcomes.runRetention(now);
    expect(result.traces).toBeGreaterThanOrEqual(2);
    const left = await db()
      .selectFrom('push_traces')
      .select('push_id')
      .where('push_id', 'in', [old.pushId, recent.pushId, ancient.pushId])
      .execute();
    expect(left.map((r) => r.push_id)).toEqual([recent.pushId]);
    expect(await events(old.pushId)).toEqual([]);
    expect(await events(recent.pushId)).toHaveLength(1);
    expect(result.events).toBeGreaterThanOrEqual(1);
    const tasks = (await counters('accepted')).map((c) => c.task_id);
    expect(tasks).toContain('old-task'); // counters live 90 days
    expect(tasks).toContain('recent-task');
    expect(tasks).not.toContain('ancient-task');
  });

  it('describes answers of pushes accepted long before from the database, and ignores unknown pushes', async () => {
    const local = await startTestServer({
      backend,
      create: { outcomes: { flushIntervalMs: 3_600_000, recentTraces: 2 } },
    });
    try {
      const rec = local.pushline.outcomes.recorder;
      const pushes = Array.from({ length: 10 }, () =>
        pushRecord(local.app.sdkAppId, { kind: 'group', groupId: '@TGS#3', vendor: 'vivo' }),
      );
      rec.accepted(pushes);
      await rec.flush();
      const stranger = pushRecord(local.app.sdkAppId, { vendor: 'vivo' }); // never reported accepted
      rec.vendorAnswers([...pushes, stranger].map((p) => answer(p, { kind: 'sent', vendorId: 't-1' })));
      await rec.flush();
      const sent = await local.pushline.db
        .selectFrom('push_stats_hourly')
        .select(['kind', 'count'])
        .where('sdkappid', '=', local.app.sdkAppId)
        .where('outcome', '=', 'sent')
        .orderBy('kind')
        .execute();
      expect(sent).toEqual([
        { kind: '', count: 1 },
        { kind: 'group', count: 10 },
      ]);
      const stored = await local.pushline.db
        .selectFrom('push_trace_events')
        .select('push_id')
        .where('stage', '=', 'sent')
        .execute();
      expect(stored.map((e) => e.push_id).sort()).toEqual(pushes.map((p) => p.pushId).sort());
    } finally {
      await local.close();
    }
  });

  it('keeps what a failed flush held and writes it once the database is back', async () => {
    const r = pushRecord(appId(), { vendor: 'honor' });
    recorder().accepted([r]);
    recorder().vendorAnswers([answer(r, { kind: 'sent', vendorId: 'h-1' })]);
    await sql`alter table push_traces rename to push_traces_away`.execute(db());
    try {
      await recorder().flush(); // fails: the table is gone; nothing is lost
    } finally {
      await sql`alter table push_traces_away rename to push_traces`.execute(db());
    }
    expect(await events(r.pushId)).toEqual([]);
    await recorder().flush();
    expect(await events(r.pushId)).toEqual([{ stage: 'sent', attempt: 1, code: null, vendor_msg_id: 'h-1' }]);
    const counted = (await counters('sent')).filter((c) => c.vendor === 'honor');
    expect(counted).toEqual([{ kind: 'c2c', task_id: '', vendor: 'honor', code: '', count: 1 }]);
  });

  it('bounds the memory buffer, dropping the oldest trace rows and counting them', async () => {
    const local = await startTestServer({
      backend,
      create: { outcomes: { flushIntervalMs: 3_600_000, maxBatchRows: 1_000_000, maxBufferedRows: 10 } },
    });
    try {
      const pushes = Array.from({ length: 30 }, () => pushRecord(local.app.sdkAppId));
      for (const p of pushes) local.pushline.outcomes.recorder.accepted([p]);
      await local.pushline.outcomes.recorder.flush();
      const stored = await local.pushline.db.selectFrom('push_traces').select('push_id').execute();
      expect(stored.map((t) => t.push_id).sort()).toEqual(
        pushes
          .slice(20)
          .map((p) => p.pushId)
          .sort(),
      );
      const dropped = await local.pushline.metrics.registry
        .getSingleMetric('pushline_push_trace_rows_dropped_total')
        ?.get();
      expect(dropped?.values[0]?.value).toBe(20);
      // The counters still count every push.
      const accepted = await local.pushline.db
        .selectFrom('push_stats_hourly')
        .select('count')
        .where('outcome', '=', 'accepted')
        .execute();
      expect(accepted.reduce((sum, c) => sum + c.count, 0)).toBe(30);
    } finally {
      await local.close();
    }
  });

  it('hands invalid tokens to the binding cleanup and writes what is buffered on close', async () => {
    const local = await startTestServer({
      backend,
      create: { outcomes: { flushIntervalMs: 3_600_000 } },
    });
    try {
      local.pushline.outcomes.recorder.setInvalidTokenHandler((items) => {
        invalid.push(...items);
      });
      const r = pushRecord(local.app.sdkAppId, { vendor: 'apns', certificateId: 3 });
      local.pushline.outcomes.recorder.accepted([r]);
      local.pushline.outcomes.recorder.vendorAnswers([
        answer(r, { kind: 'invalid-token', code: 'Unregistered' }),
      ]);
      await local.pushline.outcomes.close();
      expect(invalid).toEqual([
        { sdkAppId: local.app.sdkAppId, certificateId: 3, token: r.token, code: 'Unregistered' },
      ]);
      const stored = await local.pushline.db
        .selectFrom('push_trace_events')
        .select('stage')
        .where('push_id', '=', r.pushId)
        .execute();
      expect(stored.map((e) => e.stage)).toEqual(['invalid-token']);
    } finally {
      await local.close();
    }
  });
});
