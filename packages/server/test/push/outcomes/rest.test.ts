// timpush trace, loss and statistics commands over real HTTP, on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushRecord } from '../../../src/push/outcomes/types.js';
import { testBackends } from '../../helpers/databases.js';
import { answer, pushRecord } from '../../helpers/outcomes.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

const backends = await testBackends();
const HOUR = 3_600_000;

describe.each(backends)('timpush statistics and traces on %s', (backend) => {
  let s: TestServer;
  const base = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR; // an hour three hours ago
  const at = base + 10 * 60_000;
  const startTime = base / 1000;
  const endTime = startTime + 3599;
  let funnel: PushRecord;
  let noToken: PushRecord;
  let otherAppPush: PushRecord;

  beforeAll(async () => {
    s = await startTestServer({ backend });
    const rec = s.pushline.outcomes.recorder;
    const id = s.app.sdkAppId;
    funnel = pushRecord(id, { vendor: 'apns', certificateId: 11, at });
    const groupPush = pushRecord(id, { kind: 'group', groupId: '@TGS#2', vendor: 'huawei', at });
    const gone = pushRecord(id, { vendor: 'apns', at });
    const tooBig = pushRecord(id, { vendor: 'fcm', at });
    noToken = pushRecord(id, { vendor: undefined, token: undefined, at });
    const noCert = pushRecord(id, { vendor: undefined, at });
    const paused = pushRecord(id, { vendor: 'xiaomi', at });
    const foreground = pushRecord(id, { vendor: 'fcm', at });
    const tasks = ['t1', 't2', 't3'].map((taskId) =>
      pushRecord(id, { kind: 'all-member', taskId, toUser: 'dave', vendor: 'vivo', at }),
    );
    await rec.accepted([funnel, groupPush, gone, tooBig, ...tasks]);
    await rec.skipped([
      { ...noToken, reason: 'no-binding' },
      { ...noCert, reason: 'certificate-missing' },
      { ...paused, reason: 'certificate-paused' },
      { ...foreground, reason: 'instance-foreground' },
    ]);
    await rec.vendorAnswers([
      { ...answer(funnel, { kind: 'retry', code: '429' }), at: at + 1000, latencyMs: 40 },
      { ...answer(funnel, { kind: 'sent', vendorId: 'apns-id-1' }, { attempt: 2 }), at: at + 3000 },
      { ...answer(groupPush, { kind: 'sent' }), at },
      { ...answer(gone, { kind: 'invalid-token', code: '410' }), at },
      { ...answer(tooBig, { kind: 'rejected', code: 'message-too-big' }), at },
      ...tasks.map((t) => ({ ...answer(t, { kind: 'sent' as const }), at })),
    ]);
    await rec.receipt({
      sdkAppId: id,
      vendor: 'apns',
      status: 'delivered',
      pushId: funnel.pushId,
      at: at + 4000,
    });
    await rec.clicked(id, 'bob', funnel.pushId, at + 9000);
    await rec.receipt({ sdkAppId: id, vendor: 'vivo', status: 'delivered', pushId: tasks[0]!.pushId, at });
    const other = await s.pushline.apps.create({ name: 'Other' });
    otherAppPush = pushRecord(other.sdkAppId, { at });
    await rec.accepted([otherAppPush]);
    await rec.skipped([{ ...pushRecord(other.sdkAppId, { at }), reason: 'no-binding' }]);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('normal_push_trace shows the four-stage funnel of a push', async () => {
    const r = await s.v4('timpush/normal_push_trace', { PushID: funnel.pushId });
    expect(r).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0 });
    const traces = r.InstanceTrace as Record<string, unknown>[];
    expect(traces).toHaveLength(1);
    const sec = (ms: number) => Math.floor(ms / 1000);
    expect(traces[0]).toMatchObject({
      InstanceId: 'inst-1',
      PushID: funnel.pushId,
      PushTime: sec(at),
      System: 'APNS',
      PushPlatform: 1,
      Token: `…${funnel.token!.slice(-12)}`,
      CertId: 11,
      IMCommitStat: { IMStat: { PushStatus: 1, ErrorCode: 0, EventTime: sec(at) } },
      OfflinePushStat: {
        OfflineStat: { PushStatus: 1, EventTime: sec(at + 1000 - 40) },
        ChannelStat: { PushStatus: 1, ErrorCode: 0, EventTime: sec(at + 3000) },
        DeviceStat: { PushStatus: 1, EventTime: sec(at + 4000) },
        ClickStat: { PushStatus: 1, EventTime: sec(at + 9000) },
      },
    });
    expect((traces[0]!.Stages as { Stage: string }[]).map((x) => x.Stage)).toEqual([
      'accepted',
      'retry',
      'sent',
      'delivered',
      'clicked',
    ]);
  });

  it('normal_push_trace explains a push that was not sent, and finds nothing of another app', async () => {
    const r = await s.v4('timpush/normal_push_trace', { PushID: noToken.pushId });
    const trace = (r.InstanceTrace as Record<string, unknown>[])[0]!;
    expect(trace.IMCommitStat).toEqual({
      IMStat: {
        PushStatus: 2,
        ErrorCode: -2,
        ErrorInfo: expect.stringMatching(/^no-binding: The instance reported no push token/),
        EventTime: Math.floor(at / 1000),
      },
    });
    expect((trace.OfflinePushStat as Record<string, { PushStatus: number }>).ChannelStat.PushStatus).toBe(0);
    const foreign = await s.v4('timpush/normal_push_trace', { PushID: otherAppPush.pushId });
    expect(foreign).toMatchObject({ ErrorCode: 0, InstanceTrace: [] });
    const missing = await s.v4('timpush/normal_push_trace', {});
    expect(missing).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 70402 });
    expect(missing.ErrorInfo).toMatch(/PushID/);
  });

  it('all_member_push_trace finds a task push by TaskID and UserID', async () => {
    const r = await s.v4('timpush/all_member_push_trace', { TaskID: 't1', UserID: 'dave' });
    const traces = r.InstanceTrace as Record<string, unknown>[];
    expect(traces).toHaveLength(1);
    expect(traces[0]).toMatchObject({
      EventType: 1,
      TaskID: 't1',
      PushPlatform: 6,
      System: 'Android',
      OfflinePushStat: { ChannelStat: { PushStatus: 1 }, DeviceStat: { PushStatus: 1 } },
    });
    expect(
      (await s.v4('timpush/all_member_push_trace', { TaskID: 't1', UserID: 'bob' })).InstanceTrace,
    ).toEqual([]);
  });

  it('normal_push_loss groups ready-to-send and post-send losses, Tencent codes first', async () => {
    const r = await s.v4('timpush/normal_push_loss', { StartTime: startTime, EndTime: endTime });
    expect(r.ErrorCode).toBe(0);
    expect(r.ReadyToSendLoss).toEqual(
      expect.arrayContaining([
        { ErrCode: '-1', ErrCount: 1, ErrInfo: 'certificate id not set' },
        { ErrCode: '-2', ErrCount: 1, ErrInfo: 'token not uploaded' },
        { ErrCode: 'certificate-paused', ErrCount: 1, ErrInfo: expect.stringMatching(/paused/) },
      ]),
    );
    // A foreground device is not a loss.
    expect((r.ReadyToSendLoss as unknown[]).length).toBe(3);
    expect(r.PostSendDeliveredLoss).toEqual(
      expect.arrayContaining([
        { ErrCode: '410', ErrCount: 1, ErrInfo: expect.stringMatching(/^invalid-token/) },
        { ErrCode: 'message-too-big', ErrCount: 1, ErrInfo: expect.stringMatching(/^rejected/) },
      ]),
    );
    expect((r.PostSendDeliveredLoss as unknown[]).length).toBe(2);
    expect(r.PlatformReadyToSendLoss).toContainEqual({
      PushPlatform: 0,
      ErrCode: '-2',
      ErrCount: 1,
      ErrInfo: 'token not uploaded',
    });
    expect(r.PlatformPostSendDeliveredLoss).toContainEqual(
      expect.objectContaining({ PushPlatform: 1, ErrCode: '410', ErrCount: 1 }),
    );
  });

  it('normal_push_statistics counts the funnel in the window, per platform', async () => {
    const r = await s.v4('timpush/normal_push_statistics', { StartTime: startTime, EndTime: endTime });
    // 4 accepted chat pushes + 3 ready-to-send losses; sent: funnel + group; 1 delivered; 1 click.
    expect(r).toMatchObject({ TotalCount: 7, SentCount: 2, DeliveredCount: 1, ClickCount: 1 });
    expect(r.PlatformStatistics).toEqual([
      { EventType: 1, PushPlatform: 0, TotalCount: 2, SentCount: 0, DeliveredCount: 0, ClickCount: 0 },
      { EventType: 1, PushPlatform: 1, TotalCount: 2, SentCount: 1, DeliveredCount: 1, ClickCount: 1 },
      { EventType: 1, PushPlatform: 2, TotalCount: 1, SentCount: 0, DeliveredCount: 0, ClickCount: 0 },
      { EventType: 1, PushPlatform: 4, TotalCount: 1, SentCount: 0, DeliveredCount: 0, ClickCount: 0 },
      { EventType: 2, PushPlatform: 3, TotalCount: 1, SentCount: 1, DeliveredCount: 0, ClickCount: 0 },
    ]);
    const earlier = await s.v4('timpush/normal_push_statistics', {
      StartTime: startTime - 7200,
      EndTime: startTime - 1,
    });
    expect(earlier).toMatchObject({ TotalCount: 0, SentCount: 0, PlatformStatistics: [] });
  });

  it('refuses a bad window with 70402', async () => {
    for (const body of [
      { StartTime: endTime, EndTime: startTime },
      { StartTime: 0, EndTime: 40 * 86_400 },
      { StartTime: 'yesterday', EndTime: endTime },
      { EndTime: endTime },
    ]) {
      const r = await s.v4('timpush/normal_push_statistics', body);
      expect(r).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 70402 });
      expect((await s.v4('timpush/normal_push_loss', body)).ErrorCode).toBe(70402);
    }
  });

  it('all_member_push_statistics sums up to 5 tasks and shows each', async () => {
    const r = await s.v4('timpush/all_member_push_statistics', { TaskID: ['t1', 't2', 'nope'] });
    expect(r).toMatchObject({ ErrorCode: 0, TotalCount: 2, SentCount: 2, DeliveredCount: 1, ClickCount: 0 });
    expect(r.PlatformStatistics).toEqual([
      { EventType: 1, PushPlatform: 6, TotalCount: 2, SentCount: 2, DeliveredCount: 1, ClickCount: 0 },
    ]);
    expect(
      (r.TaskStatistics as { TaskID: string; TotalCount: number }[]).map((t) => [t.TaskID, t.TotalCount]),
    ).toEqual([
      ['t1', 1],
      ['t2', 1],
      ['nope', 0],
    ]);
    expect(await s.v4('timpush/all_member_push_statistics', { TaskID: 't3' })).toMatchObject({
      TotalCount: 1,
    });
    const six = await s.v4('timpush/all_member_push_statistics', { TaskID: ['a', 'b', 'c', 'd', 'e', 'f'] });
    expect(six).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 70402 });
    expect(six.ErrorInfo).toMatch(/give 1 to 5/);
  });
});
