// The console's data API over real HTTP on SQLite and PostgreSQL, with real pushes through the APNs and FCM
// simulators: push records (search, filters, keyset pages, one push's trace), statistics over a time range,
// push tasks started from the console (all-member and tag) with their progress, and the sandbox phones
// endpoints of a server whose simulators do not run in-process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/clients.js';
import { ConsoleClient } from '../../helpers/console.js';
import { testBackends } from '../../helpers/databases.js';
import { backgroundPhone, type PushWorld, random, startPushWorld, text } from '../../helpers/push-e2e.js';

const backends = await testBackends();
const PASSWORD = 'operator-password-1';

interface RecordRow {
  pushId: string;
  toUser: string;
  vendor: string | null;
  kind: string;
  msgKey: string | null;
  taskId: string | null;
  outcome: string;
  code: string | null;
  createdAt: number;
}

describe.each(backends)('console data API on %s', (backend) => {
  let w: PushWorld;
  let admin: ConsoleClient;
  let base: string;
  const msgKeys: string[] = [];

  const sendmsg = async (to: string, words: string) => {
    const r = await w.s.v4('openim/sendmsg', {
      From_Account: 'news',
      To_Account: to,
      MsgRandom: random(),
      MsgBody: text(words),
    });
    expect(r).toMatchObject({ ErrorCode: 0 });
    return String(r.MsgKey);
  };

  /** Every record page by page, `limit` a page, following `next`. */
  async function allPages(query: string, limit: number): Promise<{ rows: RecordRow[]; pages: number }> {
    const rows: RecordRow[] = [];
    let before: string | undefined;
    let pages = 0;
    do {
      const q = new URLSearchParams(query);
      q.set('limit', String(limit));
      if (before) q.set('before', before);
      const res = await admin.get(`${base}/push-records?${q}`);
      expect(res.status).toBe(200);
      expect(res.body.records.length).toBeLessThanOrEqual(limit);
      rows.push(...res.body.records);
      before = res.body.next;
      pages++;
    } while (before);
    return { rows, pages };
  }

  beforeAll(async () => {
    w = await startPushWorld(backend);
    base = `/api/console/apps/${w.s.app.sdkAppId}`;
    await w.s.pushline.accounts.import(w.s.app.sdkAppId, [
      { userId: 'news', nick: 'News' },
      { userId: 'dora' },
      { userId: 'eli' },
      { userId: 'fay' },
      { userId: 'gus' },
    ]);
    await w.s.pushline.consoleUsers.create({ username: 'operator', password: PASSWORD, role: 'admin' });
    admin = new ConsoleClient(w.s.url);
    expect((await admin.login('operator', PASSWORD)).status).toBe(200);

    await backgroundPhone(w, 'dora', 'apns');
    await backgroundPhone(w, 'eli', 'fcm');
    await backgroundPhone(w, 'fay', 'apns');
    const fg = await backgroundPhone(w, 'gus', 'fcm');
    await fg.client.chat.doForeground();
    await w.s.pushline.tags.add(w.s.app.sdkAppId, [
      { userId: 'dora', tags: ['beta'] },
      { userId: 'fay', tags: ['beta'] },
    ]);

    for (const [to, words] of [
      ['dora', 'one'],
      ['eli', 'two'],
      ['fay', 'three'],
      ['dora', 'four'],
      ['eli', 'five'],
      ['gus', 'six'],
    ] as const) {
      msgKeys.push(await sendmsg(to, words));
    }
    // Five vendor answers recorded (gus is in the foreground: his push is skipped).
    await waitFor(async () => {
      const sent = await admin.get(`${base}/push-records?outcome=sent&limit=100`);
      const all = await admin.get(`${base}/push-records?limit=100`);
      return sent.body.records?.length === 5 && all.body.records?.length === 6;
    }, 'six records, five of them sent');
  }, 60_000);
  afterAll(async () => {
    await w?.close();
  });

  it('pages through the records newest first, each exactly once', async () => {
    const { rows, pages } = await allPages('', 2);
    expect(rows.length).toBe(6);
    expect(pages).toBe(3);
    expect(new Set(rows.map((r) => r.pushId)).size).toBe(6);
    const times = rows.map((r) => r.createdAt);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(rows.map((r) => r.msgKey).sort()).toEqual([...msgKeys].sort());
  });

  it('searches by user, message key and PushID, and filters by vendor and outcome', async () => {
    const dora = (await allPages('search=dora', 10)).rows;
    expect(dora.map((r) => r.toUser)).toEqual(['dora', 'dora']);
    expect(dora.every((r) => r.vendor === 'apns' && r.outcome === 'sent' && r.kind === 'c2c')).toBe(true);

    const byKey = (await allPages(`search=${encodeURIComponent(msgKeys[1]!)}`, 10)).rows;
    expect(byKey).toMatchObject([{ toUser: 'eli', vendor: 'fcm', msgKey: msgKeys[1] }]);

    const byPushId = (await allPages(`search=${encodeURIComponent(dora[0]!.pushId)}`, 10)).rows;
    expect(byPushId.map((r) => r.pushId)).toEqual([dora[0]!.pushId]);

    const fcm = (await allPages('vendor=fcm', 10)).rows;
    expect(fcm.map((r) => r.toUser).sort()).toEqual(['eli', 'eli', 'gus']);

    const skipped = (await allPages('outcome=skipped', 10)).rows;
    expect(skipped).toMatchObject([{ toUser: 'gus', outcome: 'skipped', code: 'instance-foreground' }]);

    const none = (await allPages(`from=${Date.now() + 60_000}`, 10)).rows;
    expect(none).toEqual([]);
  });

  it('answers one push with its trace stages, and 404 for a PushID it does not know', async () => {
    const [record] = (await allPages('search=fay', 10)).rows;
    const res = await admin.get(`${base}/push-records/${record!.pushId}`);
    expect(res.status).toBe(200);
    expect(res.body.record).toMatchObject({ pushId: record!.pushId, toUser: 'fay', outcome: 'sent' });
    expect(res.body.trace.Stages.map((s: { Stage: string }) => s.Stage)).toEqual(['accepted', 'sent']);
    expect(res.body.trace.OfflinePushStat.ChannelStat.PushStatus).toBe(1);
    expect((await admin.get(`${base}/push-records/no-such-push`)).status).toBe(404);
  });

  it('refuses bad record queries with the field at fault', async () => {
    const badVendor = await admin.get(`${base}/push-records?vendor=nokia`);
    expect(badVendor.status).toBe(400);
    expect(badVendor.body.error).toContain('vendor');
    expect(badVendor.body.text).toMatchObject({ key: 'fieldNotOneOf', params: { field: 'vendor' } });
    expect(badVendor.body.text.params.values).toContain('"apns"');
    const badCursor = await admin.get(`${base}/push-records?before=garbage`);
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error).toContain('before');
    expect(badCursor.body.text).toEqual({ key: 'cursorInvalid' });
    const badTaskCursor = await admin.get(`${base}/push-tasks?before=garbage`);
    expect(badTaskCursor.status).toBe(400);
    expect(badTaskCursor.body.text).toEqual({ key: 'cursorInvalid' });
  });

  it('reports statistics for a range: funnel, vendors, hours; nothing for a range without pushes', async () => {
    const now = Date.now();
    const res = await admin.get(`${base}/statistics?from=${now - 3_600_000}&to=${now + 60_000}`);
    expect(res.status).toBe(200);
    // Six decisions, one of them an intended skip (foreground): five count in the total and were sent.
    expect(res.body.funnel).toMatchObject({ total: 5, sent: 5, failed: 0 });
    const vendors = Object.fromEntries(res.body.vendors.map((v: { vendor: string }) => [v.vendor, v]));
    expect(vendors.apns).toMatchObject({ sent: 3 });
    expect(vendors.fcm).toMatchObject({ sent: 2 });
    const hourSent = res.body.hours.reduce((n: number, h: { sent: number }) => n + h.sent, 0);
    expect(hourSent).toBe(5);
    expect(res.body.hours.length).toBeGreaterThanOrEqual(2);

    // A whole day of whole hours, ten days ago.
    const dayStart = Math.floor((now - 10 * 86_400_000) / 3_600_000) * 3_600_000;
    const past = await admin.get(`${base}/statistics?from=${dayStart}&to=${dayStart + 86_400_000}`);
    expect(past.body.funnel).toMatchObject({ total: 0, sent: 0 });
    expect(past.body.hours).toHaveLength(24);
    expect(past.body.hours.every((h: { sent: number }) => h.sent === 0)).toBe(true);

    expect((await admin.get(`${base}/statistics?from=${now}&to=${now - 1}`)).status).toBe(400);
    const tooLong = await admin.get(`${base}/statistics?from=${now - 40 * 86_400_000}&to=${now}`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error).toContain('31 days');
  });

  const taskDone = (taskId: string, sent: number) =>
    waitFor(async () => {
      const res = await admin.get(`${base}/push-tasks/${taskId}`);
      return res.body.task?.status === 'done' && res.body.task.counts.sent === sent
        ? res.body.task
        : undefined;
    }, `task ${taskId} done with ${sent} sent`);

  it('starts a tag push from the console; the tagged phones get it and the task shows its progress', async () => {
    const res = await admin.request('POST', `${base}/push-tasks`, {
      audience: 'tags',
      tags: ['beta'],
      tagMatch: 'any',
      title: 'Beta news',
      text: 'try the new build',
    });
    expect(res.status).toBe(201);
    expect(res.body.task).toMatchObject({ kind: 'tag', command: 'timpush/push' });
    expect(res.body.task.request).toBeUndefined();
    const task = await taskDone(res.body.task.taskId, 2);
    expect(task.counts).toMatchObject({ audienceTotal: 2, enqueued: 2, sent: 2, failed: 0 });

    const shown = w.sim.received().filter((r) => r.body === 'try the new build');
    expect(shown).toHaveLength(2);
    expect(shown.every((r) => r.title === 'Beta news' && r.vendor === 'apns')).toBe(true);

    // Its pushes are in the records under the task ID, and in the statistics' per-task figures.
    const records = (await allPages(`search=${encodeURIComponent(task.taskId)}`, 10)).rows;
    expect(records.map((r) => r.toUser).sort()).toEqual(['dora', 'fay']);
    await waitFor(async () => {
      const stats = await admin.get(`${base}/statistics`);
      return (
        stats.body.tasks?.find((t: { taskId: string; sent: number }) => t.taskId === task.taskId)?.sent === 2
      );
    }, 'per-task statistics');
  });

  it('starts an all-member push and lists the tasks newest first', async () => {
    const res = await admin.request('POST', `${base}/push-tasks`, {
      audience: 'all',
      text: 'hello everyone',
    });
    expect(res.status).toBe(201);
    expect(res.body.task.kind).toBe('all-member');
    const task = await taskDone(res.body.task.taskId, 3);
    expect(task.counts.audienceTotal).toBeGreaterThanOrEqual(5);

    const list = await admin.get(`${base}/push-tasks?limit=1`);
    expect(list.body.tasks.map((t: { taskId: string }) => t.taskId)).toEqual([task.taskId]);
    expect(list.body.next).toBeDefined();
    const older = await admin.get(`${base}/push-tasks?limit=1&before=${list.body.next}`);
    expect(older.body.tasks[0].kind).toBe('tag');
  });

  it('refuses a task without text, a tag push without tags and an unknown sender, creating nothing', async () => {
    const before = (await admin.get(`${base}/push-tasks?limit=100`)).body.tasks.length;
    const noText = await admin.request('POST', `${base}/push-tasks`, { audience: 'all', text: ' ' });
    expect(noText.status).toBe(400);
    expect(noText.body.error).toContain('text');
    const noTags = await admin.request('POST', `${base}/push-tasks`, { audience: 'tags', text: 'x' });
    expect(noTags.status).toBe(400);
    expect(noTags.body.error).toContain('tag');
    const sender = await admin.request('POST', `${base}/push-tasks`, {
      audience: 'all',
      text: 'x',
      fromAccount: 'nobody',
    });
    expect(sender.status).toBe(400);
    expect(sender.body.error).toContain('70107');
    // The command's English with Tencent's code; the console's key names the field.
    expect(sender.body.text).toEqual({ key: 'composerSenderNotFound', params: { userId: 'nobody' } });
    expect((await admin.get(`${base}/push-tasks?limit=100`)).body.tasks.length).toBe(before);
    expect((await admin.get(`${base}/push-tasks/nope`)).status).toBe(404);
  });

  it('says the sandbox phones are not running when the simulators are not in this process', async () => {
    const phones = await admin.get(`${base}/sandbox/phones`);
    expect(phones.status).toBe(200);
    expect(phones.body).toMatchObject({ running: false });
    expect(phones.body.message).toContain('sandbox mode');
    const events = await admin.get(`${base}/sandbox/events`);
    expect(events.status).toBe(409);
  });

  it('shows a vendor refusal as a failed record and in the failures by reason', async () => {
    w.sim.faults.add('apns', { kind: 'status', status: 413, reason: 'PayloadTooLarge', count: 1 });
    const msgKey = await sendmsg('fay', 'far too long');
    const failed = await waitFor(async () => {
      const res = await admin.get(`${base}/push-records?outcome=failed`);
      return res.body.records?.length === 1 ? res.body.records : undefined;
    }, 'the refused push under outcome=failed');
    expect(failed).toMatchObject([{ toUser: 'fay', msgKey, outcome: 'rejected', code: 'PayloadTooLarge' }]);
    const c2cFcm = (await allPages('kind=c2c&vendor=fcm', 10)).rows;
    expect(c2cFcm.map((r) => r.toUser).sort()).toEqual(['eli', 'eli', 'gus']);

    const trace = await admin.get(`${base}/push-records/${failed[0].pushId}`);
    expect(trace.body.trace.OfflinePushStat.ChannelStat).toMatchObject({
      PushStatus: 2,
      ErrorInfo: 'PayloadTooLarge',
    });

    const now = Date.now();
    const stats = await admin.get(`${base}/statistics?from=${now - 3_600_000}&to=${now + 60_000}`);
    expect(stats.body.funnel.failed).toBe(1);
    const apns = stats.body.vendors.find((v: { vendor: string }) => v.vendor === 'apns');
    expect(apns.failures).toMatchObject([{ outcome: 'rejected', code: 'PayloadTooLarge', count: 1 }]);
    expect(stats.body.hours.reduce((n: number, h: { failed: number }) => n + h.failed, 0)).toBe(1);
  });
});
