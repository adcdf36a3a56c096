// End to end, push tasks: timpush/push (all members), all_member_push/im_push and timpush/batch answer a
// TaskId at once; the fan-out pages through the audience, every background device gets its push, and the
// task shows its progress until done.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AudienceQuery } from '../../src/audience/query.js';
import { LocalSender } from '../../src/push/channels/sender.js';
import { waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { backgroundPhone, type PushWorld, random, startPushWorld, text } from '../helpers/push-e2e.js';

const backends = await testBackends();
const USERS = Array.from({ length: 25 }, (_, i) => `t${String(i).padStart(2, '0')}`);

describe.each(backends)('push tasks end to end on %s', (backend) => {
  let w: PushWorld;

  beforeAll(async () => {
    // Pages of 4 recipients: the 25 accounts take several pages and cursor saves.
    w = await startPushWorld(backend, { push: { backoffBaseMs: 50, idleMs: 20, fanOutPageSize: 4 } });
    const r = await w.s.v4('im_open_login_svc/multiaccount_import', {
      AccountList: [{ UserID: 'news', Nick: 'News' }, ...USERS.map((UserID) => ({ UserID }))],
    });
    expect(r).toMatchObject({ ErrorCode: 0 });
  });
  afterAll(async () => {
    await w?.close();
  });

  const taskDone = (taskId: string) =>
    waitFor(async () => {
      const t = await w.s.pushline.pushTasks.get(w.s.app.sdkAppId, taskId);
      return t?.status === 'done' ? t : undefined;
    }, `task ${taskId} done`);

  it('timpush/push to all members and im_push: one push per background device, progress counted', async () => {
    const phones = [
      await backgroundPhone(w, 't03', 'apns', 1),
      await backgroundPhone(w, 't11', 'fcm'),
      await backgroundPhone(w, 't24', 'apns'),
    ];
    const fg = await backgroundPhone(w, 't07', 'fcm');
    await fg.client.chat.doForeground();

    const r = await w.s.v4('timpush/push', {
      From_Account: 'news',
      MsgRandom: random(),
      MsgBody: text('big sale today'),
    });
    expect(r).toMatchObject({ ErrorCode: 0 });
    const task = await taskDone(String(r.TaskId));
    const audienceTotal = task.counts.audienceTotal ?? 0;
    expect(audienceTotal).toBeGreaterThanOrEqual(26);
    expect(task.counts).toMatchObject({ enqueued: 3, skipped: audienceTotal - 3 });
    for (const [i, p] of phones.entries()) {
      const shown = await w.sim.waitFor({ token: p.token });
      // phones[1] is Android: the sender is the title, the text does not repeat it.
      if (i === 1) expect(shown).toMatchObject({ title: 'News', body: 'big sale today' });
      else expect(shown.body).toBe('News: big sale today');
    }
    expect((await w.sim.waitFor({ token: phones[0]!.token })).badge).toBe(2);
    expect(w.sim.received({ token: fg.token })).toEqual([]);
    const skips = w.recorder.skippedRecords.filter((s) => s.taskId === r.TaskId);
    expect(skips.find((s) => s.toUser === 't07')).toMatchObject({
      kind: 'all-member',
      reason: 'instance-foreground',
    });

    const again = await w.s.v4('all_member_push/im_push', {
      From_Account: 'news',
      MsgRandom: random(),
      MsgBody: text('second'),
    });
    expect(again).toMatchObject({ ErrorCode: 0 });
    expect((await taskDone(String(again.TaskId))).counts.enqueued).toBe(3);
    await waitFor(() => w.sim.received({ token: phones[2]!.token }).length === 2, 'second push');
    // Delivery counters: every vendor answer of the task is counted.
    await waitFor(async () => {
      const t = await w.s.pushline.pushTasks.get(w.s.app.sdkAppId, String(r.TaskId));
      return t?.counts.sent === 3 && t.counts.failed === 0;
    }, 'sent counted');
  });

  // On SQLite a COUNT of the audience holds the only thread while it runs (~50 ms over 1,000,000 accounts):
  // started before the dispatcher had sent the first jobs, it delayed the first notification by as much
  // (bench/README.md). On PostgreSQL the count waits on the server and holds nothing.
  it.runIf(backend === 'sqlite')(
    'an all-member push hands its first jobs to the sender before it counts the audience',
    async () => {
      await backgroundPhone(w, 't09', 'apns');
      const order: string[] = [];
      const send = LocalSender.prototype.send;
      const count = AudienceQuery.prototype.count;
      const sendSpy = vi.spyOn(LocalSender.prototype, 'send').mockImplementation(function (
        this: LocalSender,
        ...args
      ) {
        order.push('send');
        return send.apply(this, args);
      });
      const countSpy = vi.spyOn(AudienceQuery.prototype, 'count').mockImplementation(function (
        this: AudienceQuery,
        ...args
      ) {
        order.push('count');
        return count.apply(this, args);
      });
      try {
        const r = await w.s.v4('all_member_push/im_push', {
          From_Account: 'news',
          MsgRandom: random(),
          MsgBody: text('first things first'),
        });
        expect(r).toMatchObject({ ErrorCode: 0 });
        expect((await taskDone(String(r.TaskId))).counts.audienceTotal).toBeGreaterThanOrEqual(26);
      } finally {
        sendSpy.mockRestore();
        countSpy.mockRestore();
      }
      expect(order).toContain('count');
      expect(order.indexOf('send')).toBeGreaterThanOrEqual(0);
      expect(order.indexOf('send')).toBeLessThan(order.indexOf('count'));
    },
  );

  it('timpush/batch to a list: listed background devices only', async () => {
    const a = await backgroundPhone(w, 't01', 'fcm');
    const b = await backgroundPhone(w, 't02', 'apns');
    const notListed = await backgroundPhone(w, 't05', 'apns');
    const r = await w.s.v4('timpush/batch', {
      To_Account: ['t01', 't02', 'nobody'],
      MsgRandom: random(),
      OfflinePushInfo: { Title: 'Heads up', Desc: 'maintenance at 22:00' },
    });
    expect(r).toMatchObject({ ErrorCode: 0 });
    const task = await taskDone(String(r.TaskId));
    expect(task.counts).toMatchObject({ audienceTotal: 3, enqueued: 2, skipped: 1 });
    expect(await w.sim.waitFor({ token: a.token })).toMatchObject({
      title: 'Heads up',
      body: 'maintenance at 22:00',
    });
    expect(await w.sim.waitFor({ token: b.token })).toMatchObject({
      title: 'Heads up',
      body: 'maintenance at 22:00',
    });
    expect(w.sim.received({ token: notListed.token })).toEqual([]);
  });
});
