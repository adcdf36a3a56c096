// Read state and badges end to end: openim/admin_set_msg_read, openim/get_c2c_unread_msg_num and
// group_open_http_svc/set_unread_msg_num with Tencent's shapes and codes; reading a conversation on one
// device sends a badge-only push to the user's other background devices (APNs: aps.badge alone; Huawei and
// Honor: a data message with their badge object), recorded as kind `badge` and not counted as message
// notifications; the next message push counts on from the new total. docs/push-payloads.md#badge-updates.
import type { PushRecord } from '@pushline/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CallWorld, type KilledPhone, killedPhone, startCallWorld } from '../helpers/calls.js';
import { loggedIn, type TestClient, waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { backgroundPhone, random, startPushWorld, text } from '../helpers/push-e2e.js';
import { dropPrefix, REDIS_URL, testPrefix } from '../helpers/redis.js';

const backends = await testBackends();
const BADGE_CLASS = 'com.example.chat.MainActivity';

describe.each(backends)('read state and badges on %s', (backend) => {
  let w: CallWorld;
  let iphone: KilledPhone;
  let huawei: KilledPhone;
  let honor: KilledPhone;
  let xiaomi: KilledPhone;
  let reader: TestClient;
  const v4 = (command: string, body: unknown) => w.s.v4(command, body);
  const send = (from: string, to: string, t: string) =>
    v4('openim/sendmsg', { From_Account: from, To_Account: to, MsgRandom: random(), MsgBody: text(t) });
  const got = (vendor: 'apns' | 'huawei' | 'honor' | 'xiaomi', phone: KilledPhone) =>
    w.sim.received({ vendor, token: phone.tokens.alert as string });
  const badgeRecords = () => w.recorder.acceptedRecords.filter((r) => r.kind === 'badge');

  /** Waits for `phone` to have received `n` records in all and returns the last. */
  async function nth(
    vendor: 'apns' | 'huawei' | 'honor',
    phone: KilledPhone,
    n: number,
  ): Promise<PushRecord> {
    await waitFor(() => got(vendor, phone).length >= n, `${vendor} push #${n}`);
    return got(vendor, phone)[n - 1] as PushRecord;
  }

  beforeAll(async () => {
    w = await startCallWorld(backend);
    for (const vendor of ['huawei', 'honor'] as const) {
      const cert = w.certs[vendor];
      w.certs[vendor] = await w.s.pushline.certificateService.update(w.s.app.sdkAppId, cert.id, {
        defaults: { ...cert.defaults, badgeClass: BADGE_CLASS },
      });
    }
    const r = await v4('im_open_login_svc/multiaccount_import', {
      AccountList: [{ UserID: 'amy', Nick: 'Amy' }, { UserID: 'bo' }, { UserID: 'cy' }],
    });
    expect(r).toMatchObject({ ErrorCode: 0 });
    iphone = await killedPhone(w, 'bo', 'apns');
    huawei = await killedPhone(w, 'bo', 'huawei');
    honor = await killedPhone(w, 'bo', 'honor');
    xiaomi = await killedPhone(w, 'bo', 'xiaomi');
    // An iPad: three Android phones are all the default login policy keeps on one platform.
    reader = await loggedIn(w.s, 'bo', { instanceID: 'bo-tablet', platform: 'iPad' });
  });
  afterAll(async () => {
    await w?.close();
  });

  it('messages count up; get_c2c_unread_msg_num answers totals and per-peer counts', async () => {
    for (const t of ['one', 'two', 'three'])
      expect(await send('amy', 'bo', t)).toMatchObject({ ErrorCode: 0 });
    expect(await send('cy', 'bo', 'from cy')).toMatchObject({ ErrorCode: 0 });
    // Each message's push carries the unread total after it, 1 to 4, and arrives in that order: a node sends
    // one device's pushes in the order they were queued (docs/delivery.md "Order per device"), so the badge
    // never goes back.
    for (const [vendor, phone] of [
      ['apns', iphone],
      ['huawei', huawei],
      ['honor', honor],
    ] as const) {
      await nth(vendor, phone, 4);
      expect(got(vendor, phone).map((r) => r.badge)).toEqual([1, 2, 3, 4]);
    }
    await waitFor(() => got('xiaomi', xiaomi).length === 4, 'four Xiaomi pushes');

    expect(await v4('openim/get_c2c_unread_msg_num', { To_Account: 'bo' })).toMatchObject({
      ActionStatus: 'OK',
      ErrorCode: 0,
      AllC2CUnreadMsgNum: 4,
    });
    const list = await v4('openim/get_c2c_unread_msg_num', {
      To_Account: 'bo',
      Peer_Account: ['amy', 'cy', 'ghost'],
    });
    expect(list).toMatchObject({
      ErrorCode: 0,
      C2CUnreadMsgNumList: [
        { Peer_Account: 'amy', C2CUnreadMsgNum: 3 },
        { Peer_Account: 'cy', C2CUnreadMsgNum: 1 },
      ],
      ErrorList: [{ Peer_Account: 'ghost', ErrorCode: 70107 }],
    });
  });

  /** The first push `phone` received after its `before`-th that is a notification, not a retraction. */
  const firstAfter = (vendor: 'apns' | 'huawei' | 'honor', phone: KilledPhone, before: number) =>
    waitFor(
      () =>
        got(vendor, phone)
          .slice(before)
          .find((r) => !r.retraction),
      `${vendor} push after #${before}`,
    );

  it('reading on one device sends a badge-only update to the other background devices', async () => {
    const apnsBefore = got('apns', iphone).length;
    const huaweiBefore = got('huawei', huawei).length;
    const honorBefore = got('honor', honor).length;
    const xiaomiBefore = got('xiaomi', xiaomi).length;
    const total = await reader.chat.markConversationRead('c2c_amy');
    expect(total).toBe(1);

    const apns = await firstAfter('apns', iphone, apnsBefore);
    expect(apns).toMatchObject({ badge: 1, pushType: 'alert', priority: '5' });
    expect(apns.body).toBeUndefined();
    expect(apns.title).toBeUndefined();
    expect(apns.sound).toBeUndefined();

    const hw = await firstAfter('huawei', huawei, huaweiBefore);
    expect(hw.pushType).toBe('data');
    expect(hw.title).toBeUndefined();
    expect(JSON.parse(hw.data as string)).toMatchObject({ badge: { set_num: 1, class: BADGE_CLASS } });

    const hn = await firstAfter('honor', honor, honorBefore);
    expect(hn.pushType).toBe('data');
    expect(JSON.parse(hn.data as string)).toMatchObject({ badge: { setNum: 1, badgeClass: BADGE_CLASS } });

    // Recorded like every push, as kind `badge`, one per device that has a badge update.
    await waitFor(() => badgeRecords().length >= 3, 'badge records');
    expect(
      badgeRecords()
        .map((r) => [r.toUser, r.vendor, r.instanceId])
        .sort(),
    ).toEqual(
      [
        ['bo', 'apns', iphone.instanceID],
        ['bo', 'honor', honor.instanceID],
        ['bo', 'huawei', huawei.instanceID],
      ].sort(),
    );
    const ids = new Set(badgeRecords().map((r) => r.pushId));
    await waitFor(
      () =>
        w.recorder.answers.filter((a) => ids.has(a.task.pushId) && a.outcome.kind === 'sent').length === 3,
      'badge pushes sent',
    );
    // Its trace is there like any push's.
    const apnsBadge = badgeRecords().find((r) => r.vendor === 'apns');
    const trace = await v4('timpush/normal_push_trace', { PushID: apnsBadge?.pushId });
    expect(trace.InstanceTrace).toMatchObject([
      { PushID: apnsBadge?.pushId, InstanceId: iphone.instanceID, System: 'APNS' },
    ]);
    // Xiaomi has no badge-only message (its launcher counts notifications): no notification was sent there.
    expect(got('xiaomi', xiaomi).filter((r) => !r.retraction).length).toBe(xiaomiBefore);

    // The read also took back what the other devices showed of the conversation (docs/push-payloads.md#7-recall):
    // Huawei and Xiaomi revoke, the iPhone's app removes them (a background push); Honor can only replace a
    // notification, which would show something new, so its stay. Amy's three, not Cy's.
    const fromAmy = (vendor: 'apns' | 'huawei' | 'honor' | 'xiaomi', phone: KilledPhone) =>
      got(vendor, phone).filter((r) => !r.retraction && /one|two|three/.test(r.body ?? ''));
    for (const [vendor, phone, by] of [
      ['huawei', huawei, 'revoke'],
      ['xiaomi', xiaomi, 'revoke'],
      ['apns', iphone, 'app'],
    ] as const) {
      await waitFor(
        () => fromAmy(vendor, phone).every((r) => r.retractedBy === by),
        `${vendor}: amy's notifications retracted`,
      );
      expect(fromAmy(vendor, phone)).toHaveLength(3);
      const fromCy = got(vendor, phone).find((r) => r.body?.includes('from cy'));
      expect(fromCy?.retractedAt, `${vendor}: cy's notification stays`).toBeUndefined();
    }
    expect(fromAmy('honor', honor).every((r) => r.retractedAt === undefined)).toBe(true);
    const retractions = w.recorder.acceptedRecords.filter((r) => r.kind === 'read');
    expect(retractions.map((r) => r.vendor).sort()).toEqual(
      ['apns', 'apns', 'apns', 'huawei', 'huawei', 'huawei', 'xiaomi', 'xiaomi', 'xiaomi'].sort(),
    );
    // The device that read is not sent any: it shows what it shows.
    expect(retractions.every((r) => r.instanceId !== 'bo-tablet')).toBe(true);

    // Reading the same conversation again changes nothing: no new badge push, nothing more retracted.
    expect(await reader.chat.markConversationRead('c2c_amy')).toBe(1);
    expect(badgeRecords().length).toBe(3);
    expect(w.recorder.acceptedRecords.filter((r) => r.kind === 'read')).toHaveLength(9);

    // The next message counts on from the new total.
    expect(await send('amy', 'bo', 'four')).toMatchObject({ ErrorCode: 0 });
    const next = await waitFor(
      () => got('apns', iphone).find((p) => p.body === 'Amy: four'),
      'message push after the read',
    );
    expect(next.badge).toBe(2);
  });

  it('badge updates are not message notifications in the push statistics', async () => {
    const now = Math.floor(Date.now() / 1000);
    const stats = await v4('timpush/normal_push_statistics', { StartTime: now - 3600, EndTime: now + 3600 });
    expect(stats).toMatchObject({ ErrorCode: 0 });
    // Five messages to bo, each to four background devices: 20 message pushes; the badge updates are not in.
    expect(stats.TotalCount).toBe(20);
  });

  it('admin_set_msg_read marks a conversation read, for get_c2c_unread_msg_num and the badges', async () => {
    const apnsBefore = got('apns', iphone).length;
    const r = await v4('openim/admin_set_msg_read', { Report_Account: 'bo', Peer_Account: 'amy' });
    expect(r).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0 });
    expect(
      await v4('openim/get_c2c_unread_msg_num', { To_Account: 'bo', Peer_Account: ['amy'] }),
    ).toMatchObject({ C2CUnreadMsgNumList: [{ Peer_Account: 'amy', C2CUnreadMsgNum: 0 }] });
    expect(await v4('openim/get_c2c_unread_msg_num', { To_Account: 'bo' })).toMatchObject({
      AllC2CUnreadMsgNum: 1,
    });
    // Read from the backend: every background device follows (none is the reader), the SDK client too.
    expect((await nth('apns', iphone, apnsBefore + 1)).badge).toBe(1);
    await waitFor(
      () => reader.changes.some((c) => c.conversationID === 'c2c_amy' && c.unreadCount === 0),
      'conversationChanged on the SDK client',
    );
    // A read time not before the newest message is a full read too.
    await send('amy', 'bo', 'five');
    const later = Math.floor(Date.now() / 1000) + 5;
    expect(
      await v4('openim/admin_set_msg_read', {
        Report_Account: 'bo',
        Peer_Account: 'amy',
        MsgReadTime: later,
      }),
    ).toMatchObject({ ErrorCode: 0 });
    expect(await v4('openim/get_c2c_unread_msg_num', { To_Account: 'bo' })).toMatchObject({
      AllC2CUnreadMsgNum: 1,
    });
  });

  it('set_unread_msg_num sets a member’s unread count of a group', async () => {
    const created = await v4('group_open_http_svc/create_group', {
      Type: 'Work',
      Name: 'Team',
      GroupId: 'team-badges',
      Owner_Account: 'amy',
      MemberList: [{ Member_Account: 'bo' }, { Member_Account: 'cy' }],
    });
    expect(created).toMatchObject({ ErrorCode: 0 });
    for (const t of ['g1', 'g2', 'g3'])
      expect(
        await v4('group_open_http_svc/send_group_msg', {
          GroupId: 'team-badges',
          From_Account: 'amy',
          Random: random(),
          MsgBody: text(t),
        }),
      ).toMatchObject({ ErrorCode: 0 });
    await waitFor(async () => {
      const { conversations } = await reader.chat.getConversationList();
      return conversations.find((c) => c.conversationID === 'group_team-badges')?.unreadCount === 3;
    }, 'three unread in the group');
    await waitFor(() => got('apns', iphone).find((p) => p.body?.endsWith('g3')), 'the last group push');
    const apnsBefore = got('apns', iphone).length;

    const r = await v4('group_open_http_svc/set_unread_msg_num', {
      GroupId: 'team-badges',
      Member_Account: 'bo',
      UnreadMsgNum: 1,
    });
    expect(r).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0 });
    const { conversations, totalUnread } = await reader.chat.getConversationList();
    expect(conversations.find((c) => c.conversationID === 'group_team-badges')?.unreadCount).toBe(1);
    expect(totalUnread).toBe(2);
    // bo's iPhone had 1 (C2C) + 3 (group) on its badge; it now shows the new total.
    expect((await nth('apns', iphone, apnsBefore + 1)).badge).toBe(2);
  });

  it('every error code', async () => {
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [
        await v4('openim/admin_set_msg_read', { Report_Account: 'ghost', Peer_Account: 'amy' }),
        70107,
        /ghost/,
      ],
      [
        await v4('openim/admin_set_msg_read', { Report_Account: 'bo', Peer_Account: 'ghost' }),
        70107,
        /ghost/,
      ],
      [await v4('openim/admin_set_msg_read', { Report_Account: 'bo' }), 90001, /Peer_Account/],
      [
        await v4('openim/admin_set_msg_read', { Report_Account: '', Peer_Account: 'amy' }),
        90001,
        /Report_Account/,
      ],
      [
        await v4('openim/admin_set_msg_read', { Report_Account: 'bo', Peer_Account: 'cy', MsgReadTime: 1 }),
        90001,
        /MsgReadTime/,
      ],
      [
        await v4('openim/admin_set_msg_read', { Report_Account: 'bo', Peer_Account: 'cy', MsgReadTime: -1 }),
        90001,
        /MsgReadTime/,
      ],
      [await v4('openim/get_c2c_unread_msg_num', {}), 90001, /To_Account/],
      [await v4('openim/get_c2c_unread_msg_num', { To_Account: 'ghost' }), 70107, /ghost/],
      [
        await v4('openim/get_c2c_unread_msg_num', { To_Account: 'bo', Peer_Account: [] }),
        90001,
        /Peer_Account/,
      ],
      [
        await v4('openim/get_c2c_unread_msg_num', {
          To_Account: 'bo',
          Peer_Account: Array.from({ length: 11 }, (_, i) => `p${i}`),
        }),
        90001,
        /at most 10/,
      ],
      [
        await v4('group_open_http_svc/set_unread_msg_num', {
          GroupId: 'no-such-group',
          Member_Account: 'bo',
          UnreadMsgNum: 0,
        }),
        10010,
        /does not exist/,
      ],
      [
        await v4('group_open_http_svc/set_unread_msg_num', {
          GroupId: 'team-badges',
          Member_Account: 'ghost',
          UnreadMsgNum: 0,
        }),
        10007,
        /not a member/,
      ],
      [
        await v4('group_open_http_svc/set_unread_msg_num', {
          GroupId: 'team-badges',
          Member_Account: 'bo',
          UnreadMsgNum: 4,
        }),
        10004,
        /more than the 3 messages/,
      ],
      [
        await v4('group_open_http_svc/set_unread_msg_num', {
          GroupId: 'team-badges',
          Member_Account: 'bo',
          UnreadMsgNum: -1,
        }),
        10004,
        /UnreadMsgNum/,
      ],
    ];
    for (const [answer, code, info] of cases) {
      expect(answer).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: code });
      expect(answer.ErrorInfo).toMatch(info);
    }
    // Nothing changed by the refusals.
    const { conversations } = await reader.chat.getConversationList();
    expect(conversations.find((c) => c.conversationID === 'group_team-badges')?.unreadCount).toBe(1);
  });
});

// Several nodes: the push queue is Redis, fed from the database's outbox; a badge update is relayed as soon
// as the read commits, as a message's pushes are.
describe.runIf(backends.includes('postgres'))('badge updates through the Redis queue', () => {
  it('a read on one device reaches the iPhone through the outbox and Redis', async () => {
    const prefix = testPrefix();
    const w = await startPushWorld('postgres', {}, { redis: REDIS_URL, redisPrefix: prefix });
    try {
      expect(
        await w.s.v4('im_open_login_svc/multiaccount_import', {
          AccountList: [{ UserID: 'rae', Nick: 'Rae' }, { UserID: 'sol' }],
        }),
      ).toMatchObject({ ErrorCode: 0 });
      const phone = await backgroundPhone(w, 'sol', 'apns');
      const tablet = await loggedIn(w.s, 'sol', { instanceID: 'sol-ipad', platform: 'iPad' });
      for (const t of ['a', 'b'])
        expect(
          await w.s.v4('openim/sendmsg', {
            From_Account: 'rae',
            To_Account: 'sol',
            MsgRandom: random(),
            MsgBody: text(t),
          }),
        ).toMatchObject({ ErrorCode: 0 });
      await waitFor(() => w.sim.received({ token: phone.token }).length === 2, 'two message pushes');
      expect(await tablet.chat.markConversationRead('c2c_rae')).toBe(0);
      const update = await waitFor(() => w.sim.received({ token: phone.token })[2], 'the badge update');
      expect(update).toMatchObject({ badge: 0, pushType: 'alert', priority: '5' });
      expect(update.body).toBeUndefined();
      await tablet.chat.logout();
    } finally {
      await w.close();
      await dropPrefix(prefix);
    }
  });
});
