// Two runners of one push task (two nodes, one of which resumed it as orphaned): the page cursor check in
// saveProgress lets one commit each page; the other's transaction — with the page's push jobs — rolls back,
// and tasks nobody moved for a while are handed to the fan-out again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlPushQueue } from '../../src/push/queue/sql-queue.js';
import { resumeOrphaned } from '../../src/push/tasks/resume.js';
import { type PushTaskService, TaskStateError, TaskTakenOverError } from '../../src/push/tasks/store.js';
import type { PushTask } from '../../src/push/tasks/types.js';
import { testBackends } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { makeTask } from './queue-contract.js';

const backends = await testBackends();

describe.each(backends)('push task takeover on %s', (backend) => {
  let s: TestServer;
  let tasks: PushTaskService;
  let random = 5000;
  const batch = () =>
    tasks.create({
      sdkAppId: s.app.sdkAppId,
      kind: 'batch',
      command: 'timpush/batch',
      msgRandom: random++,
      dedup: false,
      userIds: ['a', 'b', 'c', 'd'],
      request: { MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }] },
    });

  beforeAll(async () => {
    s = await startTestServer({ backend });
    tasks = s.pushline.pushTasks;
    // Keep this node's dispatcher off the jobs the test counts.
    await s.pushline.pushEngine.dispatcher.stop();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('commits each page once; the second runner of the page rolls back', async () => {
    const { task } = await batch();
    await tasks.markRunning(task.taskId);
    const queue = s.pushline.pushQueue as SqlPushQueue;
    const page = (runner: string) =>
      s.pushline.db.transaction().execute(async (trx) => {
        await queue.enqueueWith(trx, [makeTask(1, { pushId: `${runner}-1` })]);
        await tasks.saveProgress(task.taskId, { cursor: 'b', enqueued: 2, from: null }, trx);
      });
    const before = (await queue.stats()).ready;
    await page('first');
    await expect(page('second')).rejects.toBeInstanceOf(TaskTakenOverError);
    expect((await queue.stats()).ready).toBe(before + 1);
    expect(await tasks.get(s.app.sdkAppId, task.taskId)).toMatchObject({
      cursor: 'b',
      counts: { enqueued: 2 },
    });
    // The next page from the right cursor goes on; a finished task is "not running", not "taken over".
    await tasks.saveProgress(task.taskId, { cursor: 'd', enqueued: 2, from: 'b' });
    await tasks.finish(task.taskId, { status: 'done' });
    const late = tasks.saveProgress(task.taskId, { cursor: 'd', enqueued: 2, from: 'b' });
    await expect(late).rejects.toThrow(TaskStateError);
    await expect(late).rejects.not.toBeInstanceOf(TaskTakenOverError);
  });

  it('hands tasks nobody moved for a while to the fan-out again', async () => {
    const { task } = await batch();
    const started: PushTask[] = [];
    const starter = { start: (t: PushTask) => void started.push(t) };
    expect(await resumeOrphaned(tasks, starter, 60_000, task.updatedAt + 59_999)).toBe(0);
    expect(await resumeOrphaned(tasks, starter, 60_000, task.updatedAt + 60_000)).toBeGreaterThan(0);
    expect(started.map((t) => t.taskId)).toContain(task.taskId);
  });
});
