// Message recall end to end (docs/rest-api.md#message-recall, docs/push-payloads.md#7-recall): by REST
// (openim/admin_msgwithdraw, group_open_http_svc/group_msg_recall) and by the SDK's sender, on SQLite and
// PostgreSQL. The message leaves history, sync and the conversation list; online devices get
// onRecvMessageRevoked; a push still queued is not sent; a notification a phone already shows is retracted
// on every vendor that has a way to (Huawei and Xiaomi revoke APIs, Honor replacement, APNs background push,
// FCM data message, Web Push message), and stays where the vendor has none (OPPO, vivo, Meizu).

import type { RevokedMessageInfo } from '@pushline/sdk';
import type { PushRecord } from '@pushline/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Vendor } from '../../src/certificates/types.js';
import { type PhoneNotification, SandboxPhones } from '../../src/http/console/sandbox-phone-book.js';
import { RECALLED_TITLE } from '../../src/push/render/message-ref.js';
import { type CallWorld, type KilledPhone, killedPhone, startCallWorld } from '../helpers/calls.js';
import { loggedIn, type TestClient, userSigFor, waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';

const VENDORS: Vendor[] = ['apns', 'fcm', 'huawei', 'honor', 'xiaomi', 'oppo', 'vivo', 'meizu', 'webpush'];
/** How each vendor's phone loses the notification; undefined: the vendor has no way to retract it. */
const RETRACTED_BY: Record<Vendor, PushRecord['retractedBy']> = {
  apns: 'app',
  fcm: 'app',
  webpush: 'app',
  huawei: 'revoke',
  xiaomi: 'revoke',
  honor: 'replaced',
  oppo: undefined,
  vivo: undefined,
  meizu: undefined,
};

const text = (t: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }];
const random = () => Math.floor(Math.random() * 4_000_000_000);

const backends = await testBackends();

describe.each(backends)('message recall (%s)', { timeout: 180_000 }, (backend) => {
  let w: CallWorld;
  const phones = new Map<Vendor, KilledPhone>();
  const receiver = (v: Vendor) => `r-${v}`;

  beforeAll(async () => {
    w = await startCallWorld(backend);
    const ids = ['sam', 'bob', 'carol', 'dave', ...VENDORS.map(receiver)];
    const r = await w.s.v4('im_open_login_svc/multiaccount_import', {
      AccountList: ids.map((UserID) => ({ UserID })),
    });
    expect(r.ErrorCode).toBe(0);
    for (const v of VENDORS) phones.set(v, await killedPhone(w, receiver(v), v));
  });
  afterAll(async () => {
    await w?.close();
  });

  async function sendmsg(from: string, to: string, body: string): Promise<string> {
    const r = await w.s.v4('openim/sendmsg', {
      From_Account: from,
      To_Account: to,
      MsgRandom: random(),
      MsgBody: text(body),
    });
    expect(r.ErrorCode, r.ErrorInfo).toBe(0);
    return r.MsgKey as string;
  }

  const withdraw = (From_Account: string, To_Account: string, MsgKey: unknown) =>
    w.s.v4('openim/admin_msgwithdraw', { From_Account, To_Account, MsgKey });

  /** The notification the phone of `v` showed with `body` in its text. */
  function shown(v: Vendor, body: string): PushRecord | undefined {
    const token = phones.get(v)?.tokens.alert as string;
    return w.sim.received({ vendor: v, token }).find((r) => r.body?.includes(body));
  }

  function revokedEvents(c: TestClient): RevokedMessageInfo[] {
    const list: RevokedMessageInfo[] = [];
    c.chat.addListener({ onRecvMessageRevoked: (info) => list.push(info) });
    return list;
  }

  it('admin_msgwithdraw retracts a delivered notification on every vendor that can, and says where none can', async () => {
    const keys = new Map<Vendor, string>();
    for (const v of VENDORS) keys.set(v, await sendmsg('sam', receiver(v), `secret for ${v}`));
    for (const v of VENDORS) await waitFor(() => shown(v, `secret for ${v}`), `${v} notification`);
    // The original pushes carry what a retraction addresses: a notify ID, a collapse ID, a tag.
    expect(shown('huawei', 'secret for huawei')?.notifyId).toMatch(/^\d+$/);
    expect(shown('honor', 'secret for honor')?.notifyId).toMatch(/^\d+$/);
    expect(shown('xiaomi', 'secret for xiaomi')?.notifyId).toMatch(/^\d+$/);
    expect(shown('apns', 'secret for apns')?.notifyId).toBe(keys.get('apns'));
    expect(shown('fcm', 'secret for fcm')?.notifyId).toBe('c2c_sam');
    expect(shown('webpush', 'secret for webpush')?.notifyId).toBe('c2c_sam');

    for (const v of VENDORS) {
      const r = await withdraw('sam', receiver(v), keys.get(v));
      expect(r, v).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0 });
    }
    for (const v of VENDORS) {
      const by = RETRACTED_BY[v];
      if (!by) continue;
      await waitFor(() => shown(v, `secret for ${v}`)?.retractedAt !== undefined, `${v} retracted`);
      expect(shown(v, `secret for ${v}`)?.retractedBy, v).toBe(by);
    }
    // The recalled message no longer counts as unread: the badge follows, as after a read (an APNs badge
    // update to 0).
    const apnsToken = phones.get('apns')?.tokens.alert as string;
    await waitFor(
      () => w.sim.received({ vendor: 'apns', token: apnsToken }).some((r) => r.badge === 0 && !r.body),
      'the APNs badge back to 0',
    );
    expect(w.recorder.acceptedRecords.some((r) => r.kind === 'badge' && r.toUser === receiver('apns'))).toBe(
      true,
    );
    // Honor has no revoke API: the same notifyId replaced the notification with one saying so.
    const honorToken = phones.get('honor')?.tokens.alert as string;
    const replacement = w.sim
      .received({ vendor: 'honor', token: honorToken })
      .find((r) => r.title === RECALLED_TITLE);
    expect(replacement).toMatchObject({
      title: RECALLED_TITLE,
      notifyId: shown('honor', 'secret')?.notifyId,
    });

    // Every retraction went through the push engine: recorded, and answered "sent" by its vendor.
    const retractions = () => w.recorder.answers.filter((a) => a.task.kind === 'recall');
    await waitFor(() => retractions().length >= 6, 'six retraction answers');
    const vendorsRetracted = retractions()
      .filter((a) => a.outcome.kind === 'sent')
      .map((a) => VENDORS.find((v) => w.certs[v].id === a.task.certificateId));
    expect(new Set(vendorsRetracted)).toEqual(
      new Set(['apns', 'fcm', 'webpush', 'huawei', 'xiaomi', 'honor']),
    );
    // OPPO, vivo and Meizu have no way to retract: no retraction push, the notification stays.
    for (const v of ['oppo', 'vivo', 'meizu'] as const) {
      expect(
        w.recorder.acceptedRecords.some((a) => a.kind === 'recall' && a.vendor === v),
        v,
      ).toBe(false);
      expect(shown(v, `secret for ${v}`)?.retractedAt, v).toBeUndefined();
    }
    // The sandbox phones (console) no longer show a retracted notification, nor the instructions.
    const sandbox = new SandboxPhones(w.s.pushline.db, w.sim);
    const list = await sandbox.list(w.s.app.sdkAppId);
    for (const v of VENDORS) {
      const phone = list.find((p) => p.userId === receiver(v));
      const bodies = phone?.notifications.map((n) => n.body ?? '') ?? [];
      expect(
        bodies.some((b) => b.includes(`secret for ${v}`)),
        v,
      ).toBe(RETRACTED_BY[v] === undefined);
      expect(phone?.notifications.every((n) => n.pushType !== 'background' && n.pushType !== 'data')).toBe(
        true,
      );
    }
  });

  it('the sender recalls from the SDK: gone from history, sync and the conversation; every device hears of it', async () => {
    const sam = await loggedIn(w.s, 'sam', { instanceID: 'sam-phone' });
    const samTablet = await loggedIn(w.s, 'sam', { instanceID: 'sam-tablet', platform: 'iPad' });
    const bob = await loggedIn(w.s, 'bob', { instanceID: 'bob-phone' });
    const bobEvents = revokedEvents(bob);
    const samEvents = revokedEvents(samTablet);
    try {
      const first = await sam.chat.sendMessage({ receiver: 'bob', body: text('hello bob') });
      const oops = await sam.chat.sendMessage({ receiver: 'bob', body: text('oops, wrong chat') });
      await waitFor(() => bob.messages.some((m) => m.msgKey === oops.msgKey), 'bob got both');
      const conversation = async () =>
        (await bob.chat.getConversationList()).conversations.find((c) => c.conversationID === 'c2c_sam');
      expect(await conversation()).toMatchObject({ unreadCount: 2, lastMessage: { msgKey: oops.msgKey } });

      await sam.chat.revokeMessage({ msgKey: oops.msgKey, type: 'c2c', to: 'bob' });
      await waitFor(() => bobEvents.length === 1, 'bob told');
      expect(bobEvents[0]).toMatchObject({
        conversationID: 'c2c_sam',
        msgKey: oops.msgKey,
        type: 'c2c',
        from: 'sam',
        to: 'bob',
        revoker: 'sam',
      });
      await waitFor(() => samEvents.some((e) => e.msgKey === oops.msgKey), "the sender's other device told");
      expect(samEvents[0]?.conversationID).toBe('c2c_bob');

      const keys = (list: { msgKey: string }[]) => list.map((m) => m.msgKey);
      expect(keys(await bob.chat.getMessageList({ conversationID: 'c2c_sam' }))).toEqual([first.msgKey]);
      expect(keys(await sam.chat.getMessageList({ conversationID: 'c2c_bob' }))).toEqual([first.msgKey]);
      // The conversation shows the message before it, and the recalled one no longer counts as unread.
      expect(await conversation()).toMatchObject({ unreadCount: 1, lastMessage: { msgKey: first.msgKey } });
      await waitFor(() => bob.totals.at(-1) === 1, 'total unread 1');

      // The administrator's view of the conversation has it no more, and an edit finds nothing.
      const roam = await w.s.v4('openim/admin_getroammsg', {
        Operator_Account: 'bob',
        Peer_Account: 'sam',
        MaxCnt: 100,
        MinTime: 0,
        MaxTime: 4_000_000_000,
      });
      expect((roam.MsgList as { MsgKey: string }[]).map((m) => m.MsgKey)).toEqual([first.msgKey]);
      const edit = await w.s.v4('openim/modify_c2c_msg', {
        From_Account: 'sam',
        To_Account: 'bob',
        MsgKey: oops.msgKey,
        MsgBody: text('edited'),
      });
      expect(edit.ErrorCode).toBe(20026);

      // A device that syncs everything from the start never sees it.
      const bobPc = await loggedIn(w.s, 'bob', { instanceID: 'bob-pc', platform: 'PC', lastSeq: 0 });
      try {
        await waitFor(() => bobPc.messages.some((m) => m.msgKey === first.msgKey), 'bob-pc synced');
        expect(bobPc.messages.some((m) => m.msgKey === oops.msgKey)).toBe(false);
      } finally {
        await bobPc.chat.logout();
      }

      // Recalling it again, or a message that is not one's own, is refused with Tencent's codes.
      await expect(
        sam.chat.revokeMessage({ msgKey: oops.msgKey, type: 'c2c', to: 'bob' }),
      ).rejects.toMatchObject({ code: 20023 });
      await expect(
        bob.chat.revokeMessage({ msgKey: first.msgKey, type: 'c2c', conversationID: 'c2c_sam' }),
      ).rejects.toMatchObject({ code: 20022 });
      await expect(sam.chat.revokeMessage({ msgKey: '1_2_3', type: 'c2c', to: 'bob' })).rejects.toMatchObject(
        { code: 20022 },
      );
      await expect(
        sam.chat.revokeMessage({ msgKey: first.msgKey, type: 'c2c', conversationID: 'bob' }),
      ).rejects.toMatchObject({ code: 6017 });
    } finally {
      await sam.chat.logout();
      await samTablet.chat.logout();
      await bob.chat.logout();
    }
  });

  it('a recall takes back an unread only while the message still counted as unread', async () => {
    const unread = async () => {
      const r = await w.s.v4('openim/get_c2c_unread_msg_num', {
        To_Account: 'dave',
        Peer_Account: ['carol'],
      });
      return (r.C2CUnreadMsgNumList as { C2CUnreadMsgNum: number }[])[0]?.C2CUnreadMsgNum;
    };
    const read = await sendmsg('carol', 'dave', 'read already');
    expect(
      (await w.s.v4('openim/admin_set_msg_read', { Report_Account: 'dave', Peer_Account: 'carol' }))
        .ErrorCode,
    ).toBe(0);
    const unreadOne = await sendmsg('carol', 'dave', 'not read yet');
    // Dave's own reply after it does not count as unread, and does not hide that carol's is.
    await sendmsg('dave', 'carol', 'a reply');
    expect(await unread()).toBe(1);
    expect((await withdraw('carol', 'dave', read)).ErrorCode).toBe(0);
    expect(await unread()).toBe(1);
    expect((await withdraw('carol', 'dave', unreadOne)).ErrorCode).toBe(0);
    expect(await unread()).toBe(0);
  });

  it('a push still waiting in the queue is not sent once its message is recalled', async () => {
    const fcm = w.certs.fcm;
    const before = (await w.s.pushline.pushQueue.stats()).held;
    await w.s.pushline.certificateService.pause(w.s.app.sdkAppId, fcm.id, 'key rotation', 'hold');
    let msgKey = '';
    try {
      msgKey = await sendmsg('sam', receiver('fcm'), 'queued then recalled');
      await waitFor(async () => (await w.s.pushline.pushQueue.stats()).held > before, 'the push held');
      expect((await withdraw('sam', receiver('fcm'), msgKey)).ErrorCode).toBe(0);
    } finally {
      await w.s.pushline.certificateService.resume(w.s.app.sdkAppId, fcm.id);
    }
    const answer = await waitFor(
      () => w.recorder.answers.find((a) => a.task.recallable?.msgKey === msgKey),
      'the queued push settled',
    );
    expect(answer.outcome).toMatchObject({ kind: 'rejected', code: 'recalled' });
    expect(shown('fcm', 'queued then recalled')).toBeUndefined();
    // Nothing was delivered, so there is nothing to retract either.
    expect(w.recorder.acceptedRecords.some((a) => a.kind === 'recall' && a.msgKey === msgKey)).toBe(false);
  });

  it('a push on its way to the vendor when the recall commits is retracted once the vendor accepts it', async () => {
    // Huawei holds the next request for a while: the recall commits while the push is in flight, so it
    // finds no delivered push to retract; the push's settlement queues the retraction instead. (Should the
    // recall ever commit after the settlement, the recall itself retracts it: the outcome is the same.)
    w.sim.faults.add('huawei', { kind: 'latency', ms: 3000, count: 1 });
    const msgKey = await sendmsg('sam', receiver('huawei'), 'in flight');
    await waitFor(() => w.sim.faults.list('huawei').length === 0, 'the push reached Huawei');
    expect((await withdraw('sam', receiver('huawei'), msgKey)).ErrorCode).toBe(0);
    await waitFor(
      () => shown('huawei', 'in flight')?.retractedBy === 'revoke',
      'retracted after delivery',
      15_000,
    );
    // The retraction went through the push engine and is recorded with its vendor's answer.
    const retraction = await waitFor(
      () =>
        w.recorder.answers.find(
          (a) =>
            a.task.kind === 'recall' &&
            a.task.token === phones.get('huawei')?.tokens.alert &&
            w.recorder.acceptedRecords.some((r) => r.pushId === a.task.pushId && r.msgKey === msgKey),
        ),
      'the retraction answered',
    );
    expect(retraction.outcome.kind).toBe('sent');
  });

  it('a retraction is traced but sends no Push.OfflinePush webhook event: it notifies of no message', async () => {
    const hook = await startWebhookReceiver();
    await w.s.pushline.apps.updateSettings(w.s.app.sdkAppId, { callbackUrl: hook.url });
    try {
      const pushIds = () =>
        hook.received
          .filter((r) => r.query.CallbackCommand === 'Push.OfflinePush')
          .flatMap((r) => r.body.Events.map((e) => e.PushID));
      const pushOf = (msgKey: string, kind: string) =>
        w.recorder.acceptedRecords.find((r) => r.msgKey === msgKey && r.kind === kind)?.pushId;
      const msgKey = await sendmsg('sam', receiver('xiaomi'), 'hooked');
      await waitFor(() => shown('xiaomi', 'hooked'), 'xiaomi notification');
      expect((await withdraw('sam', receiver('xiaomi'), msgKey)).ErrorCode).toBe(0);
      const retraction = await waitFor(() => pushOf(msgKey, 'recall'), 'the retraction queued');
      await waitFor(
        () => w.recorder.answers.some((a) => a.task.pushId === retraction),
        'the retraction answered',
      );
      // A message after it: once its event arrived, an event of the retraction would have too.
      const marker = await sendmsg('sam', receiver('xiaomi'), 'after the recall');
      const markerPush = await waitFor(() => pushOf(marker, 'c2c'), 'the marker queued');
      await waitFor(() => pushIds().includes(markerPush), 'the marker webhook event', 20_000);
      expect(pushIds()).toContain(pushOf(msgKey, 'c2c'));
      expect(pushIds()).not.toContain(retraction);
    } finally {
      await w.s.pushline.apps.updateSettings(w.s.app.sdkAppId, { callbackUrl: undefined });
      await hook.close();
    }
  });

  it('group_msg_recall by MsgSeq: gone for every member, the notification retracted, RetCode per message', async () => {
    const created = await w.s.v4('group_open_http_svc/create_group', {
      Owner_Account: 'sam',
      Type: 'Work',
      GroupId: 'recall-team',
      Name: 'Team',
      MemberList: ['bob', 'carol', receiver('huawei')].map((Member_Account) => ({ Member_Account })),
    });
    expect(created.ErrorCode, created.ErrorInfo).toBe(0);
    const bob = await loggedIn(w.s, 'bob', { instanceID: 'bob-group' });
    const events = revokedEvents(bob);
    // The console's live phones stream: the retracted notification comes again, marked retracted.
    const live: PhoneNotification[] = [];
    const stop = new SandboxPhones(w.s.pushline.db, w.sim).subscribe(
      w.s.app.sdkAppId,
      (n) => live.push(n),
      (err) => {
        throw err;
      },
    );
    try {
      const sent = await w.s.v4('group_open_http_svc/send_group_msg', {
        GroupId: 'recall-team',
        From_Account: 'carol',
        Random: random(),
        MsgBody: text('group secret'),
      });
      expect(sent.ErrorCode, sent.ErrorInfo).toBe(0);
      const seq = sent.MsgSeq as number;
      await waitFor(() => shown('huawei', 'group secret'), 'huawei group notification');
      await waitFor(() => bob.messages.some((m) => m.msgSeq === seq), 'bob got it');

      const r = await w.s.v4('group_open_http_svc/group_msg_recall', {
        GroupId: 'recall-team',
        MsgSeqList: [{ MsgSeq: seq }, { MsgSeq: 999_999 }],
      });
      expect(r).toMatchObject({
        ErrorCode: 0,
        RecallRetList: [
          { MsgSeq: seq, RetCode: 0 },
          { MsgSeq: 999_999, RetCode: 10030 },
        ],
      });
      await waitFor(() => events.length === 1, 'bob told');
      expect(events[0]).toMatchObject({
        conversationID: 'group_recall-team',
        msgSeq: seq,
        type: 'group',
        from: 'carol',
        groupId: 'recall-team',
        revoker: w.s.app.adminIdentifier,
      });
      const history = await bob.chat.getMessageList({ conversationID: 'group_recall-team' });
      expect(history.some((m) => m.msgSeq === seq)).toBe(false);
      await waitFor(() => shown('huawei', 'group secret')?.retractedBy === 'revoke', 'huawei revoked');
      await waitFor(
        () => live.some((n) => n.retracted === true && n.body?.includes('group secret')),
        'the live phone told',
      );
      // The administrator's group history shows its MsgSeq as recalled (IsPlaceMsg 2), the content only
      // with WithRecalledMsg 1; an edit finds nothing.
      const simple = async (extra: Record<string, unknown>) =>
        (
          await w.s.v4('group_open_http_svc/group_msg_get_simple', {
            GroupId: 'recall-team',
            ReqMsgNumber: 1,
            ReqMsgSeq: seq,
            ...extra,
          })
        ).RspMsgList;
      expect(await simple({})).toEqual([{ MsgSeq: seq, IsPlaceMsg: 2, MsgBody: [] }]);
      expect(await simple({ WithRecalledMsg: 1 })).toMatchObject([
        { MsgSeq: seq, IsPlaceMsg: 2, From_Account: 'carol', MsgBody: text('group secret') },
      ]);
      const edit = await w.s.v4('openim/modify_group_msg', {
        GroupId: 'recall-team',
        MsgSeq: seq,
        MsgBody: text('edited'),
      });
      expect(edit.ErrorCode).toBe(10030);
      // A recalled message is gone: recalling it again finds nothing.
      const again = await w.s.v4('group_open_http_svc/group_msg_recall', {
        GroupId: 'recall-team',
        MsgSeqList: [{ MsgSeq: seq }],
      });
      expect(again).toMatchObject({ ErrorCode: 0, RecallRetList: [{ MsgSeq: seq, RetCode: 10030 }] });
    } finally {
      stop();
      await bob.chat.logout();
    }
  });

  it('group recall from the SDK: the owner may recall a member message, another member may not (10007)', async () => {
    const sam = await loggedIn(w.s, 'sam', { instanceID: 'sam-group' });
    const bob = await loggedIn(w.s, 'bob', { instanceID: 'bob-group-2' });
    const carol = await loggedIn(w.s, 'carol', { instanceID: 'carol-group' });
    try {
      const m = await carol.chat.sendMessage({ groupID: 'recall-team', body: text('carol says') });
      const target = { msgKey: m.msgKey, type: 'group' as const, groupId: 'recall-team' };
      await expect(bob.chat.revokeMessage(target)).rejects.toMatchObject({ code: 10007 });
      await sam.chat.revokeMessage(target);
      const history = await carol.chat.getMessageList({ conversationID: 'group_recall-team' });
      expect(history.some((h) => h.msgKey === m.msgKey)).toBe(false);
      await expect(carol.chat.revokeMessage(target)).rejects.toMatchObject({ code: 10030 });
      await expect(carol.chat.revokeMessage({ ...target, groupId: 'no-such-group' })).rejects.toMatchObject({
        code: 10007,
      });
    } finally {
      await sam.chat.logout();
      await bob.chat.logout();
      await carol.chat.logout();
    }
  });

  it('every error code of admin_msgwithdraw and group_msg_recall', async () => {
    const key = await sendmsg('dave', 'bob', 'for the error cases');
    const cases: [string, Record<string, unknown>, number][] = [
      ['openim/admin_msgwithdraw', { From_Account: 'dave', To_Account: 'bob', MsgKey: 'not-a-key' }, 90054],
      ['openim/admin_msgwithdraw', { From_Account: 'dave', To_Account: 'bob' }, 90054],
      ['openim/admin_msgwithdraw', { To_Account: 'bob', MsgKey: key }, 90008],
      ['openim/admin_msgwithdraw', { From_Account: 'nobody', To_Account: 'bob', MsgKey: key }, 90008],
      ['openim/admin_msgwithdraw', { From_Account: 'dave', MsgKey: key }, 90003],
      ['openim/admin_msgwithdraw', { From_Account: 'dave', To_Account: 'nobody', MsgKey: key }, 90003],
      ['openim/admin_msgwithdraw', { From_Account: 'dave', To_Account: 'bob', MsgKey: '1_2_3' }, 20022],
      // The key of a message between other users: not found (nothing is recalled).
      ['openim/admin_msgwithdraw', { From_Account: 'bob', To_Account: 'dave', MsgKey: key }, 20022],
      ['group_open_http_svc/group_msg_recall', { GroupId: 'recall-team', MsgSeqList: [] }, 10004],
      [
        'group_open_http_svc/group_msg_recall',
        { GroupId: 'recall-team', MsgSeqList: Array.from({ length: 11 }, (_, i) => ({ MsgSeq: i + 1 })) },
        10004,
      ],
      [
        'group_open_http_svc/group_msg_recall',
        { GroupId: 'recall-team', MsgSeqList: [{ MsgSeq: -1 }] },
        10004,
      ],
      ['group_open_http_svc/group_msg_recall', { MsgSeqList: [{ MsgSeq: 1 }] }, 10015],
      ['group_open_http_svc/group_msg_recall', { GroupId: '', MsgSeqList: [{ MsgSeq: 1 }] }, 10015],
      [
        'group_open_http_svc/group_msg_recall',
        { GroupId: 'no-such-group', MsgSeqList: [{ MsgSeq: 1 }] },
        10010,
      ],
      [
        'group_open_http_svc/group_msg_recall',
        { GroupId: 'recall-team', MsgSeqList: [{ MsgSeq: 1 }], TopicId: 'news' },
        10004,
      ],
    ];
    for (const [command, body, code] of cases) {
      const r = await w.s.v4(command, body);
      expect(r, `${command} ${JSON.stringify(body)}`).toMatchObject({
        ActionStatus: 'FAIL',
        ErrorCode: code,
      });
    }
    // Only the app administrator may recall by REST.
    const notAdmin = await w.s.v4(
      'openim/admin_msgwithdraw',
      { From_Account: 'dave', To_Account: 'bob', MsgKey: key },
      { identifier: 'dave', usersig: userSigFor(w.s, 'dave') },
    );
    expect(notAdmin.ErrorCode).toBe(60010);
    // Nothing above recalled the message; now it goes, and a second recall is 20023.
    expect((await withdraw('dave', 'bob', key)).ErrorCode).toBe(0);
    expect((await withdraw('dave', 'bob', key)).ErrorCode).toBe(20023);
  });

  it("the SDK's recall limit: 20016 (C2C) and 10031 (group) after two minutes, while the administrator has none", async () => {
    const dave = await loggedIn(w.s, 'dave', { instanceID: 'dave-late' });
    const carol = await loggedIn(w.s, 'carol', { instanceID: 'carol-late' });
    try {
      const c2c = await dave.chat.sendMessage({ receiver: 'bob', body: text('late c2c') });
      const group = await carol.chat.sendMessage({ groupID: 'recall-team', body: text('late group') });
      w.advance(121_000);
      await expect(
        dave.chat.revokeMessage({ msgKey: c2c.msgKey, type: 'c2c', to: 'bob' }),
      ).rejects.toMatchObject({ code: 20016 });
      await expect(
        carol.chat.revokeMessage({ msgKey: group.msgKey, type: 'group', groupId: 'recall-team' }),
      ).rejects.toMatchObject({ code: 10031 });
      expect((await withdraw('dave', 'bob', c2c.msgKey)).ErrorCode).toBe(0);
    } finally {
      await dave.chat.logout();
      await carol.chat.logout();
    }
  });
});
