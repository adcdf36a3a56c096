// End to end, a large group: send_group_msg to 6,000 members commits the message with a durable fan-out task
// (answer only after it is committed); the fan-out pages through the members and every background member's
// phone gets exactly one notification, while foreground, muted and not-yet-joined members get none. On SQLite
// and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPushline, type Pushline } from '../../src/index.js';
import { waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import {
  backgroundPhone,
  FCM_PROJECT,
  type PushWorld,
  random,
  startPushWorld,
  text,
} from '../helpers/push-e2e.js';
import { seedDevices } from '../helpers/seed-devices.js';

const backends = await testBackends();
const MEMBERS = 6000;
const CHUNK = 500; // rows per insert: well under SQLite's bound-parameter limit

describe.each(backends)('large group fan-out end to end on %s', { timeout: 180_000 }, (backend) => {
  let w: PushWorld;
  const groupId = `big-${random()}`;
  const ids = Array.from({ length: MEMBERS }, (_, i) => `m${String(i).padStart(5, '0')}`);
  const tokens = new Map<string, string>();
  /** Members whose phone is in the foreground (gets the message live, no push) or who muted the group. */
  const foreground = new Set(ids.filter((_, i) => i % 1000 === 7));
  const notifyOff = new Set(ids.filter((_, i) => i % 1000 === 11));

  beforeAll(async () => {
    // Fan out in pages of 500: 6,000 members take 12 pages and transactions.
    w = await startPushWorld(backend, {
      push: { backoffBaseMs: 50, backoffMaxMs: 500, idleMs: 20, fanOutPageSize: 500 },
    });
    const { db } = w.s.pushline;
    const sdkappid = w.s.app.sdkAppId;
    const now = Date.now();
    const joined = Math.floor(now / 1000) - 60;
    await db
      .insertInto('accounts')
      .values({ sdkappid, user_id: 'boss', nick: 'Boss', face_url: '', created_at: now, kicked_at: null })
      .execute();
    await db
      .insertInto('groups')
      .values({
        sdkappid,
        group_id: groupId,
        type: 'Public',
        name: 'Everyone',
        owner: 'boss',
        next_msg_seq: 1,
        created_at: now,
      })
      .execute();
    for (const id of ids) tokens.set(id, w.sim.devices.install('fcm', { app: FCM_PROJECT }).token);
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      await db
        .insertInto('accounts')
        .values(
          chunk.map((user_id) => ({
            sdkappid,
            user_id,
            nick: '',
            face_url: '',
            created_at: now,
            kicked_at: null,
          })),
        )
        .execute();
      await db
        .insertInto('group_members')
        .values(
          chunk.map((user_id) => ({
            sdkappid,
            group_id: groupId,
            user_id,
            role: 'Member',
            msg_flag: notifyOff.has(user_id) ? 'AcceptNotNotify' : 'AcceptAndNotify',
            name_card: '',
            join_time: joined,
          })),
        )
        .execute();
      // Each member: one Android phone, logged in, app in the background (or foreground), FCM token reported.
      await seedDevices(
        db,
        sdkappid,
        w.fcm.id,
        chunk.map((userId) => ({
          userId,
          token: tokens.get(userId) as string,
          foreground: foreground.has(userId),
        })),
        now,
      );
    }
    await db
      .insertInto('group_members')
      .values({
        sdkappid,
        group_id: groupId,
        user_id: 'boss',
        role: 'Owner',
        msg_flag: 'AcceptAndNotify',
        name_card: '',
        join_time: joined,
      })
      .execute();
  });
  afterAll(async () => {
    await w?.close();
  });

  it('every background member gets exactly one notification, through a fan-out task', async () => {
    // Sent with WithMuteNotifications so that the AcceptNotNotify members' MsgFlag applies to this REST send.
    const r = await w.s.v4('group_open_http_svc/send_group_msg', {
      GroupId: groupId,
      From_Account: 'boss',
      Random: random(),
      MsgBody: text('all hands at 10'),
      SendMsgControl: ['WithMuteNotifications'],
    });
    expect(r).toMatchObject({ ErrorCode: 0 });

    // The answer came after the message and its fan-out task committed.
    const { tasks } = await w.s.pushline.pushTasks.list(w.s.app.sdkAppId, { limit: 10 });
    const task = tasks.find((t) => t.kind === 'group');
    expect(task).toMatchObject({ command: 'send_group_msg' });

    const expected = ids.filter((id) => !foreground.has(id) && !notifyOff.has(id));
    const expectedTokens = new Set(expected.map((id) => tokens.get(id)));
    const shownFor = () => w.sim.received({ vendor: 'fcm' }).filter((p) => expectedTokens.has(p.token));
    await waitFor(() => shownFor().length >= expected.length, 'every background member notified', 150_000);

    const shown = shownFor();
    expect(shown).toHaveLength(expected.length);
    expect(new Set(shown.map((p) => p.token)).size).toBe(expected.length); // exactly one each
    expect(shown[0]).toMatchObject({ title: 'Everyone', body: 'Boss: all hands at 10' });
    // Foreground and muted members got none.
    const silent = new Set([...foreground, ...notifyOff].map((id) => tokens.get(id)));
    expect(w.sim.received({ vendor: 'fcm' }).filter((p) => silent.has(p.token))).toEqual([]);

    // The task counted the pages: every member judged, the background ones enqueued.
    await waitFor(
      async () => (await w.s.pushline.pushTasks.get(w.s.app.sdkAppId, task!.taskId))?.status === 'done',
      'task done',
    );
    const done = await w.s.pushline.pushTasks.get(w.s.app.sdkAppId, task!.taskId);
    expect(done?.counts).toMatchObject({
      audienceTotal: MEMBERS,
      enqueued: expected.length,
      skipped: MEMBERS - expected.length,
    });
    expect(done?.cursor).toBe(ids[ids.length - 1]);
    // Traces say why the others got nothing.
    const skipped = w.recorder.skippedRecords.filter((s) => s.groupId === groupId);
    expect(skipped.filter((s) => s.reason === 'instance-foreground')).toHaveLength(foreground.size);
    expect(skipped.filter((s) => s.reason === 'group-msgflag-not-notify')).toHaveLength(notifyOff.size);
    expect(await w.s.pushline.pushQueue.stats()).toMatchObject({ ready: 0, dead: 0 });
  });
});

describe.each(backends)('a group fan-out task survives a restart on %s', (backend) => {
  let w: PushWorld;
  let restarted: Pushline | undefined;
  const users = ['ga', 'gb', 'gc', 'gd', 'ge'];

  beforeAll(async () => {
    // Pages of 2: a group of 6 is "large" and its fan-out takes three pages.
    w = await startPushWorld(backend, { push: { idleMs: 20, fanOutPageSize: 2 } });
    const r = await w.s.v4('im_open_login_svc/multiaccount_import', {
      AccountList: ['lead', ...users].map((UserID) => ({ UserID })),
    });
    expect(r).toMatchObject({ ErrorCode: 0 });
  });
  afterAll(async () => {
    await restarted?.close();
    await w?.close();
  });

  it('the send answers once the task is committed; a restart runs it, each phone notified once', async () => {
    const created = await w.s.v4('group_open_http_svc/create_group', {
      Owner_Account: 'lead',
      Type: 'Public',
      Name: 'Night shift',
      MemberList: users.map((Member_Account) => ({ Member_Account })),
    });
    expect(created).toMatchObject({ ErrorCode: 0 });
    const phones = await Promise.all(users.map((u) => backgroundPhone(w, u, 'fcm')));
    // The process "dies" before the fan-out runs: nothing but the committed task survives.
    await w.s.pushline.pushEngine.fanOut.stop();
    const sent = await w.s.v4('group_open_http_svc/send_group_msg', {
      GroupId: created.GroupId,
      From_Account: 'lead',
      Random: random(),
      MsgBody: text('handover at 6'),
    });
    expect(sent).toMatchObject({ ErrorCode: 0 });
    const { tasks } = await w.s.pushline.pushTasks.list(w.s.app.sdkAppId, { limit: 5 });
    expect(tasks.filter((t) => t.kind === 'group').map((t) => t.status)).toEqual(['queued']);
    expect(await w.s.pushline.pushQueue.stats()).toMatchObject({ ready: 0, delayed: 0, leased: 0 });

    const config = w.s.pushline.config;
    // The data stays: the test server removes its data directory and PostgreSQL database only in w.close().
    await w.s.pushline.close();
    restarted = await createPushline(config, { push: { idleMs: 20, fanOutPageSize: 2 } });
    await restarted.listen(); // resumes unfinished tasks
    for (const p of phones) await w.sim.waitFor({ token: p.token });
    const task = tasks.find((t) => t.kind === 'group')!;
    await waitFor(
      async () => (await restarted!.pushTasks.get(w.s.app.sdkAppId, task.taskId))?.status === 'done',
      'done',
    );
    const tokens = new Set(phones.map((p) => p.token));
    const shown = w.sim.received({ vendor: 'fcm' }).filter((p) => tokens.has(p.token));
    expect(shown.map((p) => p.token).sort()).toEqual([...tokens].sort()); // exactly one each
    expect(shown[0]).toMatchObject({ title: 'Night shift', body: 'handover at 6' });
    expect((await restarted.pushTasks.get(w.s.app.sdkAppId, task.taskId))?.counts).toMatchObject({
      audienceTotal: users.length,
      enqueued: users.length,
    });
  });
});
