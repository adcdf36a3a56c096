// Console push tasks that tell the truth, over real HTTP with real pushes through the APNs and FCM simulators:
// a task whose pushes partly or all failed says so with its main vendor reason, a task that reached nobody
// is not a plain "done", the list carries title and text; the composer's audiences (tags, attributes, a
// UserID list), Ext, image and sound; the audience estimate; a push scheduled for later is held — across a
// restart — and then sent; the statistics merge one vendor's code into one row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPushline, type Pushline } from '../../../src/server.js';
import { waitFor } from '../../helpers/clients.js';
import { ConsoleClient } from '../../helpers/console.js';
import { testBackends } from '../../helpers/databases.js';
import {
  backgroundPhone,
  type Phone,
  type PushWorld,
  random,
  startPushWorld,
  text,
} from '../../helpers/push-e2e.js';

const backends = await testBackends();
const PASSWORD = 'operator-password-1';

interface TaskView {
  taskId: string;
  kind: string;
  command: string;
  status: string;
  result: string;
  title: string | null;
  text: string | null;
  startAt: number | null;
  startedAt: number | null;
  counts: { audienceTotal: number | null; enqueued: number; sent: number; failed: number; skipped: number };
  mainFailure: { vendor: string; code: string; outcome: string; count: number } | null;
}

describe.each(backends)('console push tasks on %s', (backend) => {
  let w: PushWorld;
  let admin: ConsoleClient;
  let base: string;
  let restarted: Pushline | undefined;
  const phones: Record<string, Phone> = {};

  const create = async (body: Record<string, unknown>) => {
    const res = await admin.request('POST', `${base}/push-tasks`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.task as TaskView;
  };
  /** The task once it is done and its pushes have all been answered (sent + failed reach `answers`). */
  const settled = (taskId: string, answers: number) =>
    waitFor(async () => {
      const res = await admin.get(`${base}/push-tasks/${taskId}`);
      const t = res.body.task as TaskView | undefined;
      return t?.status === 'done' && t.counts.sent + t.counts.failed === answers ? t : undefined;
    }, `task ${taskId} done with ${answers} answers`);

  beforeAll(async () => {
    w = await startPushWorld(backend);
    base = `/api/console/apps/${w.s.app.sdkAppId}`;
    await w.s.pushline.accounts.import(w.s.app.sdkAppId, [
      { userId: 'ann' },
      { userId: 'bob' },
      { userId: 'cyd' },
      { userId: 'dan' },
    ]);
    await w.s.pushline.consoleUsers.create({ username: 'operator', password: PASSWORD, role: 'admin' });
    admin = new ConsoleClient(w.s.url);
    expect((await admin.login('operator', PASSWORD)).status).toBe(200);
    phones.ann = await backgroundPhone(w, 'ann', 'apns');
    phones.bob = await backgroundPhone(w, 'bob', 'apns');
    phones.cyd = await backgroundPhone(w, 'cyd', 'fcm');
    // dan has no device.
    await w.s.pushline.tags.add(w.s.app.sdkAppId, [
      { userId: 'ann', tags: ['ios'] },
      { userId: 'bob', tags: ['ios'] },
      { userId: 'dan', tags: ['nodevice'] },
    ]);
    expect(await w.s.v4('all_member_push/im_set_attr_name', { AttrNames: { '0': 'city' } })).toMatchObject({
      ErrorCode: 0,
    });
    expect(
      await w.s.v4('all_member_push/im_set_attr', {
        UserAttrs: [
          { To_Account: 'cyd', Attrs: { city: 'lyon' } },
          { To_Account: 'bob', Attrs: { city: 'nice' } },
        ],
      }),
    ).toMatchObject({ ErrorCode: 0 });
  }, 60_000);
  afterAll(async () => {
    await restarted?.close();
    await w?.close();
  });

  it('estimates the audience of everyone, tags, attributes and a UserID list', async () => {
    const est = async (body: Record<string, unknown>) => {
      const res = await admin.request('POST', `${base}/push-tasks/estimate`, body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body as { count: number; unknown: string[] };
    };
    const everyone = await est({ audience: 'all' });
    expect(everyone.count).toBeGreaterThanOrEqual(4);
    expect((await est({ audience: 'tags', tags: ['ios'] })).count).toBe(2);
    expect((await est({ audience: 'tags', tags: ['ios', 'nodevice'], tagMatch: 'any' })).count).toBe(3);
    expect((await est({ audience: 'tags', tags: ['ios', 'nodevice'], tagMatch: 'all' })).count).toBe(0);
    expect((await est({ audience: 'attrs', attrs: { city: 'lyon' } })).count).toBe(1);
    expect(await est({ audience: 'users', userIds: ['ann', 'cyd', 'ghost', 'ann'] })).toEqual({
      count: 2,
      unknown: ['ghost'],
    });
    const badAttr = await admin.request('POST', `${base}/push-tasks/estimate`, {
      audience: 'attrs',
      attrs: { planet: 'mars' },
    });
    expect(badAttr.status).toBe(400);
    expect(badAttr.body).toEqual({
      error: 'Condition.AttrsOr: attribute "planet" is not defined (im_set_attr_name)',
      text: { key: 'audienceAttrUndefined', params: { field: 'AttrsOr', name: 'planet' } },
    });
    const empty = await admin.request('POST', `${base}/push-tasks/estimate`, {
      audience: 'users',
      userIds: [],
    });
    expect(empty.status).toBe(400);
    expect(empty.body).toEqual({
      error: 'userIds: list at least one UserID',
      text: { key: 'composerUsersRequired' },
    });
  });

  it('an all-member estimate is the audience the task then records', async () => {
    const { count } = (await admin.request('POST', `${base}/push-tasks/estimate`, { audience: 'all' })).body;
    const task = await create({ audience: 'all', title: 'Hello', text: 'to everyone' });
    const done = await settled(task.taskId, 3);
    expect(done.counts.audienceTotal).toBe(count);
    expect(done).toMatchObject({ result: 'ok', title: 'Hello', text: 'to everyone', mainFailure: null });
  });

  it('a task whose pushes partly failed is partial, with the failed count and the main vendor reason', async () => {
    w.sim.faults.add('apns', { kind: 'status', status: 413, reason: 'PayloadTooLarge', count: 1 });
    const task = await create({ audience: 'tags', tags: ['ios'], title: 'Sale', text: 'half of it fails' });
    const done = await settled(task.taskId, 2);
    expect(done.counts).toMatchObject({ sent: 1, failed: 1 });
    expect(done.result).toBe('partial');
    const reason = await waitFor(async () => {
      const t = (await admin.get(`${base}/push-tasks/${task.taskId}`)).body.task as TaskView;
      return t.mainFailure ?? undefined;
    }, 'the main failure from the counters');
    expect(reason).toEqual({ vendor: 'apns', code: 'PayloadTooLarge', outcome: 'rejected', count: 1 });
    // The list carries the same, with title and text.
    const list = (await admin.get(`${base}/push-tasks?limit=10`)).body.tasks as TaskView[];
    expect(list.find((t) => t.taskId === task.taskId)).toMatchObject({
      title: 'Sale',
      text: 'half of it fails',
      result: 'partial',
      mainFailure: { code: 'PayloadTooLarge' },
    });
  });

  it('a task whose pushes all failed is all-failed', async () => {
    w.sim.faults.add('apns', { kind: 'status', status: 400, reason: 'BadTopic', count: 2 });
    const task = await create({ audience: 'tags', tags: ['ios'], text: 'nobody gets this' });
    const done = await settled(task.taskId, 2);
    expect(done).toMatchObject({ result: 'all-failed', counts: { sent: 0, failed: 2 } });
    const reason = await waitFor(async () => {
      const t = (await admin.get(`${base}/push-tasks/${task.taskId}`)).body.task as TaskView;
      return t.mainFailure ?? undefined;
    }, 'the main failure');
    expect(reason).toMatchObject({ vendor: 'apns', code: 'BadTopic', count: 2 });
  });

  it('a task that reached nobody is no-recipients, not ok', async () => {
    const task = await create({ audience: 'tags', tags: ['nodevice'], text: 'dan has no phone' });
    const done = await waitFor(async () => {
      const t = (await admin.get(`${base}/push-tasks/${task.taskId}`)).body.task as TaskView;
      return t.status === 'done' ? t : undefined;
    }, 'done');
    expect(done.counts).toMatchObject({ sent: 0, failed: 0, enqueued: 0 });
    expect(done.result).toBe('no-recipients');
    const nobody = await create({ audience: 'tags', tags: ['no-such-tag'], text: 'empty audience' });
    const none = await waitFor(async () => {
      const t = (await admin.get(`${base}/push-tasks/${nobody.taskId}`)).body.task as TaskView;
      return t.status === 'done' ? t : undefined;
    }, 'done');
    expect(none).toMatchObject({ result: 'no-recipients', counts: { audienceTotal: 0 } });
  });

  it('pushes to attribute holders and to a UserID list, with Ext, image and sound', async () => {
    const attr = await create({ audience: 'attrs', attrs: { city: 'lyon' }, text: 'rain in lyon' });
    expect(attr.kind).toBe('attr');
    await settled(attr.taskId, 1);
    expect(w.sim.received({ token: phones.cyd!.token }).some((r) => r.body === 'rain in lyon')).toBe(true);

    const list = await create({
      audience: 'users',
      userIds: ['ann', 'cyd'],
      title: 'Listed',
      text: 'just you two',
      ext: '{"page":"news"}',
      image: 'https://example.com/a.png',
      sound: 'bell.caf',
    });
    expect(list).toMatchObject({ kind: 'batch', command: 'timpush/batch', title: 'Listed' });
    await settled(list.taskId, 2);
    const got = (token: string) =>
      waitFor(
        () => w.sim.received({ token }).find((r) => r.body === 'just you two'),
        'the listed push on the phone',
      );
    const apns = await got(phones.ann!.token);
    expect(apns).toMatchObject({ title: 'Listed', sound: 'bell.caf' });
    // APNs carries the image and Ext as custom keys for the app's notification service extension.
    expect(JSON.stringify(apns.raw)).toContain('https://example.com/a.png');
    expect(JSON.stringify(apns.raw)).toContain('news');
    const fcm = await got(phones.cyd!.token);
    expect(fcm).toMatchObject({ title: 'Listed', image: 'https://example.com/a.png' });
    expect(JSON.stringify(fcm.data ?? fcm.raw)).toContain('news');
    // Bob is not on the list.
    expect(w.sim.received({ token: phones.bob!.token }).some((r) => r.body === 'just you two')).toBe(false);
  });

  it('refuses bad composer input and creates nothing', async () => {
    const before = (await admin.get(`${base}/push-tasks?limit=100`)).body.tasks.length;
    // Each refusal carries its message key (text.key) for the console's other languages.
    const cases: [Record<string, unknown>, string, string][] = [
      [{ audience: 'attrs', text: 'x' }, 'attribute', 'composerAttrsRequired'],
      [{ audience: 'users', text: 'x' }, 'UserID', 'composerUsersRequired'],
      [{ audience: 'tags', text: 'x' }, 'tag', 'composerTagsRequired'],
      [{ audience: 'all', text: '  ' }, 'text: enter the notification text', 'composerTextRequired'],
      [{ audience: 'users', userIds: ['u'.repeat(40)], text: 'x' }, '40 bytes', 'userIdTooLong'],
      [{ audience: 'all', text: 'x', fromAccount: 'a\u0001' }, 'control characters', 'userIdControl'],
      [{ audience: 'all', text: 'x', ext: '{not json' }, 'JSON', 'extNotJson'],
      [{ audience: 'all', text: 'x', image: 'http://insecure.example/a.png' }, 'https', 'composerImageHttps'],
      [{ audience: 'all', text: 'x', startAt: Date.now() - 1000 }, 'future', 'startAtPast'],
      [{ audience: 'all', text: 'x', startAt: Date.now() + 40 * 86_400_000 }, '30 days', 'startAtTooFar'],
      [{ audience: 'attrs', attrs: { planet: 'mars' }, text: 'x' }, 'planet', 'audienceAttrUndefined'],
      [{ audience: 'tags', tags: ['t'.repeat(51)], text: 'x' }, '51 bytes', 'audienceTagTooLong'],
      // zod's generic issues: zod's English, a key of their own.
      [{ audience: 'all', text: 'x', title: 't'.repeat(201) }, 'title: ', 'fieldTooLong'],
      [{ audience: 'everyone', text: 'x' }, 'audience: ', 'fieldNotOneOf'],
      [{ audience: 'all' }, 'text: ', 'fieldRequired'],
      [{ audience: 'all', text: 'x', startAt: 'tomorrow' }, 'startAt: ', 'fieldWrongType'],
      [{ audience: 'all', text: 'x', colour: 'red' }, 'colour', 'unknownField'],
      [{ audience: 'tags', tags: 'vip', text: 'x' }, 'tags: ', 'fieldWrongType'],
      // More UserIDs than timpush/batch takes.
      [
        { audience: 'users', userIds: Array.from({ length: 501 }, (_, i) => `u${i}`), text: 'x' },
        'at most 500 UserIDs',
        'composerTooManyUsers',
      ],
    ];
    for (const [body, message, key] of cases) {
      const res = await admin.request('POST', `${base}/push-tasks`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error, JSON.stringify(body)).toContain(message);
      expect(res.body.text?.key, JSON.stringify(body)).toBe(key);
    }
    // The English of a refused audience stays the push command's answer, with Tencent's code.
    const planet = await admin.request('POST', `${base}/push-tasks`, {
      audience: 'attrs',
      attrs: { planet: 'mars' },
      text: 'x',
    });
    expect(planet.body).toEqual({
      error: 'Condition.AttrsOr: attribute "planet" is not defined (im_set_attr_name) (error 90033)',
      text: { key: 'audienceAttrUndefined', params: { field: 'AttrsOr', name: 'planet' } },
    });
    // The values of the generic keys: the field, and the limit or the type or the allowed values.
    const title = await admin.request('POST', `${base}/push-tasks`, {
      audience: 'all',
      text: 'x',
      title: 't'.repeat(201),
    });
    expect(title.body.text).toEqual({ key: 'fieldTooLong', params: { field: 'title', max: 200 } });
    const everyone = await admin.request('POST', `${base}/push-tasks/estimate`, { audience: 'everyone' });
    expect(everyone.body.text).toEqual({
      key: 'fieldNotOneOf',
      params: { field: 'audience', values: '"all", "tags", "attrs", "users"' },
    });
    const tooMany = await admin.request('POST', `${base}/push-tasks/estimate`, {
      audience: 'users',
      userIds: Array.from({ length: 600 }, (_, i) => `u${i % 501}`),
    });
    expect(tooMany.body.text).toEqual({ key: 'composerTooManyUsers', params: { max: 500, count: 501 } });
    // 500 different UserIDs (written twice) are a list timpush/batch takes.
    const enough = await admin.request('POST', `${base}/push-tasks/estimate`, {
      audience: 'users',
      userIds: Array.from({ length: 1000 }, (_, i) => `u${i % 500}`),
    });
    expect(enough.status).toBe(200);
    expect((await admin.get(`${base}/push-tasks?limit=100`)).body.tasks.length).toBe(before);
  });

  it('merges one vendor code into one statistics row, whatever kind of push it came from', async () => {
    // BadTopic came from a task above; one more from a chat message.
    w.sim.faults.add('apns', { kind: 'status', status: 400, reason: 'BadTopic', count: 1 });
    const r = await w.s.v4('openim/sendmsg', {
      From_Account: 'cyd',
      To_Account: 'ann',
      MsgRandom: random(),
      MsgBody: text('chat that fails'),
    });
    expect(r).toMatchObject({ ErrorCode: 0 });
    const now = Date.now();
    const failures = await waitFor(async () => {
      const stats = await admin.get(`${base}/statistics?from=${now - 3_600_000}&to=${now + 60_000}`);
      const apns = stats.body.vendors.find((v: { vendor: string }) => v.vendor === 'apns');
      const rows = apns?.failures.filter((f: { code: string }) => f.code === 'BadTopic') ?? [];
      return rows.length === 1 && rows[0].count === 3 ? apns.failures : undefined;
    }, 'BadTopic counted 3 times in one row');
    const codes = failures.map((f: { code: string }) => f.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(failures.find((f: { code: string }) => f.code === 'BadTopic')).toMatchObject({
      outcome: 'rejected',
      info: 'apns-topic not allowed for this push type or certificate',
    });
    // normal_push_loss says what the code means under its platform.
    const loss = await w.s.v4('timpush/normal_push_loss', {
      StartTime: Math.floor(now / 1000) - 3600,
      EndTime: Math.floor(now / 1000) + 60,
    });
    const platform = (loss.PlatformPostSendDeliveredLoss as { ErrCode: string; ErrInfo: string }[]).find(
      (e) => e.ErrCode === 'BadTopic',
    );
    expect(platform?.ErrInfo).toBe('rejected: apns-topic not allowed for this push type or certificate');
  });

  it('cancels a push scheduled for later; refuses one that started, an unknown one, another app’s', async () => {
    const startAt = Date.now() + 3_600_000;
    const task = await create({ audience: 'all', text: 'never mind', startAt });
    const cancelled = await admin.request('POST', `${base}/push-tasks/${task.taskId}/cancel`);
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body.task).toMatchObject({
      taskId: task.taskId,
      status: 'cancelled',
      result: 'cancelled',
    });
    expect(cancelled.body.task.finishedAt).toBeGreaterThan(0);
    const stored = await w.s.pushline.pushTasks.get(w.s.app.sdkAppId, task.taskId);
    expect(stored).toMatchObject({ status: 'cancelled', startedAt: null });
    expect((await w.s.pushline.pushTasks.unfinished()).map((t) => t.taskId)).not.toContain(task.taskId);
    const listed = await admin.get(`${base}/push-tasks?status=cancelled`);
    expect((listed.body.tasks as TaskView[]).map((t) => t.taskId)).toEqual([task.taskId]);

    const again = await admin.request('POST', `${base}/push-tasks/${task.taskId}/cancel`);
    expect(again).toMatchObject({
      status: 409,
      body: { error: `push task ${task.taskId} is already cancelled` },
    });

    // A task that already ran: 409 with the reason, and it stays done.
    const ran = await create({ audience: 'users', userIds: ['cyd'], text: 'too late to cancel' });
    await settled(ran.taskId, 1);
    const late = await admin.request('POST', `${base}/push-tasks/${ran.taskId}/cancel`);
    expect(late.status).toBe(409);
    expect(late.body.error).toContain('already started (it is done)');
    expect((await w.s.pushline.pushTasks.get(w.s.app.sdkAppId, ran.taskId))?.status).toBe('done');

    const unknown = await admin.request('POST', `${base}/push-tasks/no-such-task/cancel`);
    expect(unknown).toMatchObject({ status: 404, body: { error: 'no push task no-such-task' } });

    // Another app's scheduled task cannot be cancelled through this app's address.
    const other = await w.s.pushline.apps.create({ name: 'Other tenant' });
    const theirs = await admin.request('POST', `/api/console/apps/${other.sdkAppId}/push-tasks`, {
      audience: 'all',
      text: 'theirs',
      startAt,
    });
    expect(theirs.status).toBe(201);
    const theirId = theirs.body.task.taskId as string;
    const crossed = await admin.request('POST', `${base}/push-tasks/${theirId}/cancel`);
    expect(crossed.status).toBe(404);
    expect((await w.s.pushline.pushTasks.get(other.sdkAppId, theirId))?.status).toBe('queued');
    await w.s.pushline.apps.delete(other.sdkAppId);
  });

  it('holds a push scheduled for later, across a restart, and sends it then; a cancelled one stays cancelled', async () => {
    const startAt = Date.now() + 4000;
    const task = await create({
      audience: 'tags',
      tags: ['ios'],
      title: 'Later',
      text: 'scheduled news',
      startAt,
    });
    // Another push for the same time, cancelled before the restart: the restart must not bring it back.
    const dropped = await create({ audience: 'tags', tags: ['ios'], text: 'cancelled news', startAt });
    expect((await admin.request('POST', `${base}/push-tasks/${dropped.taskId}/cancel`)).status).toBe(200);
    expect(task).toMatchObject({ status: 'queued', startAt, startedAt: null });
    // Held: not started, nothing sent.
    const held = (await admin.get(`${base}/push-tasks/${task.taskId}`)).body.task as TaskView;
    expect(held).toMatchObject({ status: 'queued', startedAt: null, counts: { enqueued: 0 } });
    expect(w.sim.received().filter((r) => r.body === 'scheduled news')).toHaveLength(0);

    // The server stops before the time; the task is found again at startup and still waits for its time.
    const config = w.s.pushline.config;
    await w.s.pushline.close();
    restarted = await createPushline(config, { push: { backoffBaseMs: 50, backoffMaxMs: 500, idleMs: 20 } });
    await restarted.listen();
    const done = await waitFor(
      async () => {
        const t = await restarted!.pushTasks.get(w.s.app.sdkAppId, task.taskId);
        return t?.status === 'done' && t.counts.sent === 2 ? t : undefined;
      },
      'the scheduled task done after the restart',
      30_000,
    );
    expect(done.startAt).toBe(startAt);
    expect(done.startedAt).toBeGreaterThanOrEqual(startAt);
    const shown = w.sim.received().filter((r) => r.body === 'scheduled news');
    expect(shown.map((r) => r.token).sort()).toEqual([phones.ann!.token, phones.bob!.token].sort());
    expect(shown.every((r) => r.title === 'Later')).toBe(true);
    expect(w.sim.received().filter((r) => r.body === 'cancelled news')).toHaveLength(0);
    expect(await restarted.pushTasks.get(w.s.app.sdkAppId, dropped.taskId)).toMatchObject({
      status: 'cancelled',
      startedAt: null,
      counts: { enqueued: 0, sent: 0 },
    });
  }, 60_000);
});
