// The outcomes recorder on SQLite and PostgreSQL: traces with their stages written when asked (nothing
// waits in memory), hourly counters, answers recorded once per push and attempt, receipts matched by PushID
// or vendor message ID + token, dead bindings removed with their answer, retention.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { looksLikePushId, newPushId } from '../../../src/push/outcomes/push-id.js';
import { testBackends } from '../../helpers/databases.js';
import { answer, pushRecord } from '../../helpers/outcomes.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

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
  beforeAll(async () => {
    s = await startTestServer({ backend });
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
      .execute()
      .then((rows) => rows.map((r) => ({ ...r, count: Number(r.count) })));
  }

  it('writes a trace and every stage before it resolves', async () => {
    const r = pushRecord(appId(), { kind: 'group', groupId: '@TGS#1', vendor: 'huawei' });
    await recorder().accepted([r]);
    const recorded = await recorder().vendorAnswers([
      answer(r, { kind: 'retry', code: '503' }, { attempt: 1 }),
      answer(r, { kind: 'sent', vendorId: 'req-1' }, { attempt: 2 }),
    ]);
    expect(recorded).toHaveLength(2);
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

  it('stores text as written, whatever array or list syntax it contains, in batches of any size', async () => {
    // On PostgreSQL the rows go as one array per column (store/bulk.ts): quoting must survive.
    const awkward = ['a"b,c{d}\\e', 'NULL', "it's", ' spaced ', '中文 😀', '{}', ''];
    const records = Array.from({ length: 700 }, (_, i) =>
      pushRecord(appId(), {
        kind: 'group',
        fromUser: awkward[i % awkward.length],
        toUser: `u${i}-${awkward[(i + 1) % awkward.length]}`,
        groupId: i % 2 ? undefined : `@TGS#{${i}}`,
        msgKey: i % 3 ? `k,${i}` : undefined,
        vendor: 'huawei',
      }),
    );
    await recorder().accepted(records);
    const recorded = await recorder().vendorAnswers(
      records.map((r, i) =>
        answer(r, i % 2 ? { kind: 'sent', vendorId: 'NULL' } : { kind: 'rejected', code: '"80300002",{x}' }),
      ),
    );
    expect(recorded).toHaveLength(700);
    const traces = await db()
      .selectFrom('push_traces')
      .select(['push_id', 'from_user', 'to_user', 'group_id', 'msg_key'])
      .where(
        'push_id',
        'in',
        records.map((r) => r.pushId),
      )
      .execute();
    const byId = new Map(traces.map((t) => [t.push_id, t]));
    for (const [i, r] of records.entries()) {
      expect(byId.get(r.pushId)).toEqual({
        push_id: r.pushId,
        from_user: r.fromUser,
        to_user: r.toUser,
        group_id: r.groupId ?? null,
        msg_key: r.msgKey ?? null,
      });
      expect(await events(r.pushId)).toEqual([
        i % 2
          ? { stage: 'sent', attempt: 1, code: null, vendor_msg_id: 'NULL' }
          : { stage: 'rejected', attempt: 1, code: '"80300002",{x}', vendor_msg_id: null },
      ]);
    }
  });

  it('records an answer once per push and attempt, however often its settlement is replayed', async () => {
    const r = pushRecord(appId(), { kind: 'batch', taskId: 'task-replay', vendor: 'xiaomi' });
    await recorder().accepted([r]);
    const sent = answer(r, { kind: 'sent', vendorId: 'x-1' }, { attempt: 1 });
    expect(await recorder().vendorAnswers([sent])).toHaveLength(1);
    // A crash between the database commit and the Redis settle brings the same answer back.
    expect(await recorder().vendorAnswers([sent])).toEqual([]);
    expect(
      await recorder().vendorAnswers([answer(r, { kind: 'retry', code: '500' }, { attempt: 1 })]),
    ).toEqual([]);
    expect(await events(r.pushId)).toEqual([{ stage: 'sent', attempt: 1, code: null, vendor_msg_id: 'x-1' }]);
    expect((await counters('sent')).filter((c) => c.task_id === 'task-replay')).toEqual([
      { kind: 'batch', task_id: 'task-replay', vendor: 'xiaomi', code: '', count: 1 },
    ]);
  });

  it('aggregates thousands of pushes into hourly counters', async () => {
    const at = Date.now(); // one hour for every count, however long the test takes
    const records = Array.from({ length: 3000 }, (_, i) =>
      pushRecord(appId(), {
        kind: 'all-member',
        taskId: 'task-big',
        vendor: i % 3 === 0 ? 'apns' : 'vivo',
        at,
      }),
    );
    await recorder().accepted(records);
    await recorder().vendorAnswers(records.map((r) => ({ ...answer(r, { kind: 'sent' }), at })));
    // A later attempt of one of them: the vendor then says the token is gone.
    await recorder().vendorAnswers([
      answer(records[1]!, { kind: 'invalid-token', code: '10302' }, { attempt: 2 }),
    ]);
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
    await recorder().skipped([
      { ...noBinding, reason: 'no-binding' },
      { ...foreground, reason: 'instance-foreground' },
    ]);
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
    await recorder().accepted([r]);
    await recorder().vendorAnswers([answer(r, { kind: 'retry', code: '-2' }, { attempt: 5, final: true })]);
    expect((await events(r.pushId)).map((e) => [e.stage, e.code])).toEqual([['failed', '-2']]);
  });

  it('matches receipts by PushID and by vendor message ID + token, never across apps', async () => {
    const single = pushRecord(appId(), { vendor: 'huawei' });
    const batch = [0, 1, 2].map(() => pushRecord(appId(), { vendor: 'meizu' }));
    await recorder().accepted([single, ...batch]);
    await recorder().vendorAnswers([
      answer(single, { kind: 'sent', vendorId: 'hw-req' }),
      ...batch.map((b) => answer(b, { kind: 'sent', vendorId: 'NS2016' })),
    ]);
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
    await recorder().accepted([old, recent, ancient]);
    await recorder().vendorAnswers([
      { ...answer(old, { kind: 'sent' }), at: now - 8 * DAY },
      { ...answer(recent, { kind: 'sent' }), at: now - 6 * DAY },
    ]);
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

  it('records no answer for a push it never recorded as accepted', async () => {
    const known = Array.from({ length: 10 }, () =>
      pushRecord(appId(), { kind: 'group', groupId: '@TGS#3', vendor: 'vivo', taskId: 'task-known' }),
    );
    await recorder().accepted(known);
    const stranger = pushRecord(appId(), { vendor: 'vivo', taskId: 'task-known' });
    const recorded = await recorder().vendorAnswers(
      [...known, stranger].map((p) => answer(p, { kind: 'sent', vendorId: 't-1' })),
    );
    expect(recorded.map((a) => a.task.pushId).sort()).toEqual(known.map((p) => p.pushId).sort());
    expect((await counters('sent')).filter((c) => c.task_id === 'task-known')).toEqual([
      { kind: 'group', task_id: 'task-known', vendor: 'vivo', code: '', count: 10 },
    ]);
    expect(await events(stranger.pushId)).toEqual([]);
  });

  it('leaves nothing half-written when a write fails, and records it in full once the database is back', async () => {
    const r = pushRecord(appId(), { vendor: 'honor', taskId: 'task-fail', kind: 'batch' });
    await recorder().accepted([r]);
    const a = answer(r, { kind: 'sent', vendorId: 'h-1' });
    await sql`alter table push_stats_hourly rename to push_stats_away`.execute(db());
    try {
      await expect(recorder().vendorAnswers([a])).rejects.toThrow();
    } finally {
      await sql`alter table push_stats_away rename to push_stats_hourly`.execute(db());
    }
    // The event was inserted before the counters failed: it went with the rollback.
    expect(await events(r.pushId)).toEqual([]);
    expect(await recorder().vendorAnswers([a])).toHaveLength(1);
    expect(await events(r.pushId)).toEqual([{ stage: 'sent', attempt: 1, code: null, vendor_msg_id: 'h-1' }]);
    expect((await counters('sent')).filter((c) => c.task_id === 'task-fail')).toEqual([
      { kind: 'batch', task_id: 'task-fail', vendor: 'honor', code: '', count: 1 },
    ]);
  });

  it("removes the binding of a token the vendor declared gone, with the answer's record", async () => {
    const r = pushRecord(appId(), { vendor: 'apns', certificateId: 3, toUser: 'dana' });
    await s.pushline.bindings.set(appId(), 'dana', 'inst-dana', {
      certificateId: 3,
      token: r.token!,
      tokenType: 0,
    });
    await recorder().accepted([r]);
    await recorder().vendorAnswers([answer(r, { kind: 'invalid-token', code: 'Unregistered' })]);
    expect(await s.pushline.bindings.ofUser(appId(), 'dana')).toEqual([]);
    expect((await events(r.pushId)).map((e) => e.stage)).toEqual(['invalid-token']);
  });
});
