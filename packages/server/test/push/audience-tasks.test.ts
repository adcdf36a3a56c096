// Push task records on SQLite and PostgreSQL: creation and 7-day MsgRandom dedup, state changes, progress,
// resuming a crashed fan-out from its saved cursor, outcome counters and paged listing.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveCondition } from '../../src/audience/condition.js';
import { batchPages, resumeUnfinished } from '../../src/push/tasks/resume.js';
import {
  DEDUP_WINDOW_MS,
  type NewPushTask,
  PushTaskService,
  TaskStateError,
} from '../../src/push/tasks/store.js';
import type { FanOutStarter, PushTask } from '../../src/push/tasks/types.js';
import { testBackends } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const backends = await testBackends();

describe.each(backends)('push tasks on %s', (backend) => {
  let s: TestServer;
  let tasks: PushTaskService;
  let app: number;
  let random = 1000;
  const allMember = (over: Partial<NewPushTask> = {}): NewPushTask => ({
    sdkAppId: app,
    kind: 'all-member',
    command: 'all_member_push/im_push',
    msgRandom: random++,
    dedup: true,
    request: { MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }] },
    ...over,
  });

  beforeAll(async () => {
    s = await startTestServer({ backend });
    tasks = s.pushline.pushTasks;
    app = s.app.sdkAppId;
    const ids = Array.from({ length: 230 }, (_, i) => ({ userId: `m${String(i).padStart(4, '0')}` }));
    await s.pushline.accounts.import(app, ids);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('creates a queued task with its request, audience and Tencent-like ID', async () => {
    const audience = resolveCondition({ TagsAnd: ['vip'] }, new Map());
    const { task, duplicate } = await tasks.create(allMember({ kind: 'tag', audience, msgRandom: 7 }));
    expect(duplicate).toBe(false);
    expect(task.taskId).toMatch(new RegExp(`^${app}_\\d+_7_[0-9a-f]{16}$`));
    expect(task).toMatchObject({ status: 'queued', kind: 'tag', cursor: null, audience, userIds: null });
    expect(await tasks.get(app, task.taskId)).toEqual(task);
    expect(await tasks.get(app + 1, task.taskId)).toBeUndefined();

    const batch = await tasks.create({
      sdkAppId: app,
      kind: 'batch',
      command: 'timpush/batch',
      msgRandom: 7,
      dedup: false,
      dataId: 'biz-1',
      userIds: ['b', 'a', 'b', 'c'],
      request: { OfflinePushInfo: { Desc: 'x' } },
    });
    expect(batch.task.taskId).toMatch(/^batch_[0-9a-f]+_[0-9a-f]{8}_[0-9a-f]{8}$/);
    expect(batch.task).toMatchObject({
      userIds: ['a', 'b', 'c'],
      dataId: 'biz-1',
      counts: { audienceTotal: 3 },
    });
  });

  it('deduplicates a repeated MsgRandom per command for 7 days, and only then', async () => {
    const now = Date.now();
    const first = await tasks.create(allMember({ msgRandom: 424242 }), now);
    const again = await tasks.create(allMember({ msgRandom: 424242, request: { other: true } }), now + 1000);
    expect(again).toEqual({ task: first.task, duplicate: true });
    const otherCommand = await tasks.create(allMember({ msgRandom: 424242, command: 'timpush/push' }), now);
    expect(otherCommand.duplicate).toBe(false);
    const later = await tasks.create(allMember({ msgRandom: 424242 }), now + DEDUP_WINDOW_MS + 1);
    expect(later.duplicate).toBe(false);
    expect(later.task.taskId).not.toBe(first.task.taskId);
    // The old task still exists; the new one now holds the key.
    expect(await tasks.get(app, first.task.taskId)).toBeDefined();
    expect(
      (await tasks.create(allMember({ msgRandom: 424242 }), now + DEDUP_WINDOW_MS + 2)).task.taskId,
    ).toBe(later.task.taskId);
    // Batch tasks never deduplicate.
    const b = { ...allMember({ msgRandom: 5 }), kind: 'batch' as const, dedup: false, userIds: ['m0001'] };
    expect((await tasks.create(b)).task.taskId).not.toBe((await tasks.create(b)).task.taskId);
  });

  it('creates one task for concurrent requests with the same MsgRandom', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () => tasks.create(allMember({ msgRandom: 99_000 }))),
    );
    expect(new Set(results.map((r) => r.task.taskId)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
  });

  it('moves queued -> running -> done and refuses other transitions', async () => {
    const { task } = await tasks.create(allMember());
    await expect(tasks.saveProgress(task.taskId, { cursor: 'x', enqueued: 1 })).rejects.toBeInstanceOf(
      TaskStateError,
    );
    const running = await tasks.markRunning(task.taskId, { audienceTotal: 230 });
    expect(running).toMatchObject({ status: 'running', counts: { audienceTotal: 230 } });
    expect(running.startedAt).not.toBeNull();
    await tasks.saveProgress(task.taskId, { cursor: 'm0099', enqueued: 95, skipped: 5 });
    await tasks.addOutcomes(task.taskId, { sent: 90, failed: 2 });
    await tasks.finish(task.taskId, { status: 'done' });
    await tasks.addOutcomes(task.taskId, { sent: 3 });
    const done = await tasks.get(app, task.taskId);
    expect(done).toMatchObject({
      status: 'done',
      cursor: 'm0099',
      error: null,
      counts: { audienceTotal: 230, enqueued: 95, skipped: 5, sent: 93, failed: 2 },
    });
    expect(done?.finishedAt).not.toBeNull();
    await expect(tasks.finish(task.taskId, { status: 'failed', error: 'x' })).rejects.toBeInstanceOf(
      TaskStateError,
    );
    await expect(tasks.markRunning(task.taskId)).rejects.toBeInstanceOf(TaskStateError);
    await expect(tasks.markRunning('no-such-task')).rejects.toBeInstanceOf(TaskStateError);

    const { task: bad } = await tasks.create(allMember());
    await tasks.markRunning(bad.taskId);
    await tasks.finish(bad.taskId, { status: 'failed', error: 'audience query failed' });
    expect(await tasks.get(app, bad.taskId)).toMatchObject({
      status: 'failed',
      error: 'audience query failed',
    });
  });

  it('resumes a crashed fan-out after its saved cursor: every user once, the in-flight page at least once', async () => {
    const { task } = await tasks.create(allMember());
    const enqueued: string[] = [];
    // First run: three pages committed, the fourth page's jobs enqueued, then a crash before its cursor is saved.
    await tasks.markRunning(task.taskId, { audienceTotal: await s.pushline.audience.count(app, undefined) });
    let pages = 0;
    for await (const page of s.pushline.audience.iterate(app, undefined, { pageSize: 40 })) {
      enqueued.push(...page);
      if (++pages === 4) break; // crash: jobs of page 4 are in the queue, its progress is not saved
      await tasks.saveProgress(task.taskId, { cursor: page[page.length - 1]!, enqueued: page.length });
    }

    // Restart: a new service over the same database finds the task and the engine resumes it.
    const restarted = new PushTaskService(s.pushline.db);
    const started: PushTask[] = [];
    const starter: FanOutStarter = { start: (t) => started.push(t) };
    expect(await resumeUnfinished(restarted, starter)).toBeGreaterThan(0);
    const resumed = started.find((t) => t.taskId === task.taskId)!;
    expect(resumed).toMatchObject({ status: 'running', cursor: 'm0119', counts: { enqueued: 120 } });
    await restarted.markRunning(task.taskId);
    for await (const page of s.pushline.audience.iterate(app, undefined, {
      pageSize: 40,
      after: resumed.cursor!,
    })) {
      enqueued.push(...page);
      await restarted.saveProgress(task.taskId, { cursor: page[page.length - 1]!, enqueued: page.length });
    }
    await restarted.finish(task.taskId, { status: 'done' });

    const all = (await s.pushline.audience.page(app, undefined, undefined, 1000)).filter((id) =>
      id.startsWith('m'),
    );
    expect(new Set(enqueued)).toEqual(new Set(all));
    const twice = enqueued.filter((id, i) => enqueued.indexOf(id) !== i);
    expect(twice).toEqual(all.slice(120, 160)); // exactly the in-flight page, again
    expect(await tasks.get(app, task.taskId)).toMatchObject({ status: 'done', counts: { enqueued: 230 } });
    expect((await restarted.unfinished()).map((t) => t.taskId)).not.toContain(task.taskId);
  });

  it('commits progress inside the caller transaction, so a rolled-back page leaves the cursor', async () => {
    const { task } = await tasks.create(allMember());
    await tasks.markRunning(task.taskId);
    await tasks.saveProgress(task.taskId, { cursor: 'm0009', enqueued: 10 });
    await expect(
      s.pushline.db.transaction().execute(async (trx) => {
        await tasks.saveProgress(task.taskId, { cursor: 'm0019', enqueued: 10 }, trx);
        await sql`select 1`.execute(trx);
        throw new Error('job insert failed');
      }),
    ).rejects.toThrow('job insert failed');
    expect(await tasks.get(app, task.taskId)).toMatchObject({ cursor: 'm0009', counts: { enqueued: 10 } });
  });

  it("adds outcome counters in the caller's transaction, so that they commit with their record", async () => {
    const { task } = await tasks.create(allMember());
    await expect(
      s.pushline.db.transaction().execute(async (trx) => {
        await new PushTaskService(trx).addOutcomes(task.taskId, { sent: 400, failed: 100 });
        throw new Error('settlement failed');
      }),
    ).rejects.toThrow('settlement failed');
    expect((await tasks.get(app, task.taskId))?.counts).toMatchObject({ sent: 0, failed: 0 });
    await s.pushline.db
      .transaction()
      .execute((trx) =>
        new PushTaskService(trx).addOutcomes(task.taskId, { sent: 400, failed: 100, skipped: 3 }),
      );
    expect((await tasks.get(app, task.taskId))?.counts).toMatchObject({ sent: 400, failed: 100, skipped: 3 });
  });

  it('lists an app’s tasks newest first in pages, by status, never another app’s', async () => {
    const other = await s.pushline.apps.create({ name: 'Other' });
    await tasks.create({ ...allMember(), sdkAppId: other.sdkAppId });
    const base = Date.now() + 10 * DEDUP_WINDOW_MS;
    const made: string[] = [];
    for (let i = 0; i < 25; i++) made.push((await tasks.create(allMember(), base + (i % 5))).task.taskId);
    const seen: PushTask[] = [];
    let before: string | undefined;
    do {
      const page = await tasks.list(app, { limit: 10, before });
      expect(page.tasks.length).toBeLessThanOrEqual(10);
      seen.push(...page.tasks);
      before = page.next;
    } while (before);
    expect(new Set(seen.map((t) => t.taskId)).size).toBe(seen.length);
    expect(
      seen
        .slice(0, 25)
        .map((t) => t.taskId)
        .sort(),
    ).toEqual([...made].sort());
    for (let i = 1; i < seen.length; i++)
      expect(seen[i - 1]!.createdAt).toBeGreaterThanOrEqual(seen[i]!.createdAt);
    expect(seen.every((t) => t.sdkAppId === app)).toBe(true);
    const done = await tasks.list(app, { status: 'done', limit: 100 });
    expect(done.tasks.length).toBeGreaterThan(0);
    expect(done.tasks.every((t) => t.status === 'done')).toBe(true);
    await expect(tasks.list(app, { before: 'not-a-cursor' })).rejects.toBeInstanceOf(TaskStateError);
  });

  it('pages a batch task’s recipients after its cursor', async () => {
    const { task } = await tasks.create({
      ...allMember(),
      kind: 'batch',
      command: 'timpush/batch',
      dedup: false,
      userIds: ['e', 'a', 'd', 'c', 'b'],
    });
    expect([...batchPages(task, 2)]).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect([...batchPages(task, 2, 'b')]).toEqual([['c', 'd'], ['e']]);
    expect([...batchPages(task, 2, 'e')]).toEqual([]);
  });
});
