// End to end, call invitations: SDK clients invite, cancel, accept and reject through a real server; a
// killed callee rings through the vendor simulators (APNs VoIP first, else an APNs alert, high-priority
// Android pushes) and every follow-up (cancel, timeout) replaces that notification; the server's timeout
// reaches both sides; an invitation expired in the queue is never sent.
import type { PushlineError } from '@pushline/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Vendor } from '../../src/certificates/types.js';
import {
  BUNDLE,
  type CallWorld,
  callClient,
  callEvent,
  killedPhone,
  listen,
  startCallWorld,
} from '../helpers/calls.js';
import { sdkClient, userSigFor, waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';

const backends = await testBackends();
const CALL_DATA = JSON.stringify({ businessID: 'av_call', call_type: 2, room_id: 4242, version: 4 });

describe.each(backends)('call invitations end to end on %s', (backend) => {
  let w: CallWorld;

  beforeAll(async () => {
    w = await startCallWorld(backend);
    const users = ['alice', 'bob', 'carl', 'dora', 'emil', 'fay', 'gus', 'hana', 'ivan'];
    const imported = await w.s.v4('im_open_login_svc/multiaccount_import', {
      AccountList: users.map((UserID) => ({ UserID, ...(UserID === 'alice' ? { Nick: 'Alice' } : {}) })),
    });
    expect(imported).toMatchObject({ ErrorCode: 0 });
  });
  afterAll(async () => {
    await w?.close();
  });

  const pushesTo = (token: string | undefined) => w.sim.received({ token: token as string });
  const signalingOf = (data: unknown) => (data as { signaling: Record<string, unknown> }).signaling;

  it('rings an online callee and tells the caller who accepted; answers are checked', async () => {
    const alice = await callClient(w.s, 'alice');
    const bob = await callClient(w.s, 'bob');
    const bobTablet = await callClient(w.s, 'bob');
    const sm = alice.chat.getSignalingManager();
    const inviteID = await sm.invite({ invitee: 'bob', data: CALL_DATA, timeout: 30 });
    expect(inviteID).toMatch(/^[0-9a-f]{32}$/);
    const invited = await callEvent(bob, 'invited', inviteID);
    expect(invited.args).toEqual(['alice', '', ['bob'], CALL_DATA]);
    // The invitation is a C2C custom message like any other.
    const message = await waitFor(() => bob.messages.find((m) => m.body[0]?.MsgType === 'TIMCustomElem'));
    expect(JSON.parse(String(message.body[0]?.MsgContent.Data))).toEqual({
      businessID: 1,
      inviteID,
      groupID: '',
      inviter: 'alice',
      inviteeList: ['bob'],
      data: CALL_DATA,
      timeout: 30,
      actionType: 1,
    });

    // Only the invitee may answer, only the inviter may cancel, and only once.
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 0,
        (e: PushlineError) => e.code,
      );
    expect(await code(sm.accept(inviteID))).toBe(8011);
    expect(await code(bob.chat.getSignalingManager().cancel(inviteID))).toBe(8011);
    await bob.chat.getSignalingManager().accept(inviteID, '{"accepted":true}');
    expect((await callEvent(alice, 'accepted', inviteID)).args).toEqual(['bob', '{"accepted":true}']);
    // Bob's other device rang too; it learns that Bob answered elsewhere.
    await callEvent(bobTablet, 'invited', inviteID);
    expect((await callEvent(bobTablet, 'accepted', inviteID)).args).toEqual(['bob', '{"accepted":true}']);
    expect(bob.calls.filter((c) => c.event === 'accepted')).toEqual([]);
    expect(await code(bob.chat.getSignalingManager().reject(inviteID))).toBe(8010);
    expect(await code(sm.cancel(inviteID))).toBe(8010);
    expect(await code(sm.accept('0'.repeat(32)))).toBe(8010);
    expect(await code(sm.invite({ invitee: 'alice', data: '' }))).toBe(6017);
    expect(await code(sm.invite({ invitee: 'nobody', data: '' }))).toBe(90012);
    expect(await code(sm.invite({ invitee: 'bob', data: 'x'.repeat(3000) }))).toBe(6017);

    // A foreground callee is reached live: no push, and the trace says why.
    const skipped = w.recorder.skippedRecords.filter((r) => r.toUser === 'bob' && r.kind === 'call');
    expect(skipped.map((r) => r.reason)).toContain('instance-foreground');
    await alice.chat.logout();
    await bob.chat.logout();
    await bobTablet.chat.logout();
  });

  it('rings a killed iPhone through APNs VoIP; the cancel follows on the same collapse ID', async () => {
    const phone = await killedPhone(w, 'carl', 'apns', { voip: true });
    const alice = await callClient(w.s, 'alice');
    const invitedAt = w.s.pushline.now();
    const inviteID = await alice.chat
      .getSignalingManager()
      .invite({ invitee: 'carl', data: CALL_DATA, timeout: 45 });

    const ring = await w.sim.waitFor({ token: phone.tokens.voip as string });
    expect(ring).toMatchObject({ vendor: 'apns', pushType: 'voip', priority: '10', app: BUNDLE });
    expect(ring.raw.headers['apns-topic']).toBe(`${BUNDLE}.voip`);
    expect(ring.collapseId).toBe(`call_${inviteID}`);
    const expiration = Number(ring.raw.headers['apns-expiration']);
    // apns-expiration is invite time + timeout, in seconds (the message time is whole seconds).
    expect(expiration).toBeGreaterThanOrEqual(Math.floor(invitedAt / 1000) + 45);
    expect(expiration).toBeLessThanOrEqual(Math.ceil(invitedAt / 1000) + 45);
    expect(signalingOf(ring.data)).toEqual({
      businessID: 1,
      inviteID,
      groupID: '',
      inviter: 'alice',
      inviteeList: ['carl'],
      data: CALL_DATA,
      timeout: 45,
      actionType: 1,
    });
    // The alert token of the same phone is left alone, and traces mark the push as a call.
    expect(pushesTo(phone.tokens.alert)).toEqual([]);
    expect(w.recorder.skippedRecords).toContainEqual(
      expect.objectContaining({ toUser: 'carl', kind: 'call', reason: 'call-via-voip' }),
    );
    expect(w.recorder.acceptedRecords).toContainEqual(
      expect.objectContaining({ toUser: 'carl', kind: 'call', vendor: 'apns', token: phone.tokens.voip }),
    );
    await waitFor(() =>
      w.recorder.answers.find((a) => a.task.token === phone.tokens.voip && a.outcome.kind === 'sent'),
    );

    // The stored trace and the hourly statistics count it as a call.
    const accepted = w.recorder.acceptedRecords.find((r) => r.token === phone.tokens.voip);
    const db = w.s.pushline.db;
    const trace = await db
      .selectFrom('push_traces')
      .selectAll()
      .where('push_id', '=', accepted?.pushId as string)
      .executeTakeFirst();
    expect(trace).toMatchObject({ kind: 'call', to_user: 'carl', from_user: 'alice', skip_reason: null });
    const stats = await db
      .selectFrom('push_stats_hourly')
      .select(['outcome', 'count'])
      .where('sdkappid', '=', w.s.app.sdkAppId)
      .where('kind', '=', 'call')
      .where('vendor', '=', 'apns')
      .execute();
    expect(stats.some((r) => r.outcome === 'sent' && Number(r.count) >= 1)).toBe(true);

    await alice.chat.getSignalingManager().cancel(inviteID);
    const follow = await waitFor(() => pushesTo(phone.tokens.voip)[1], 'the cancel push');
    expect(follow).toMatchObject({ pushType: 'voip', priority: '10', collapseId: `call_${inviteID}` });
    expect(signalingOf(follow.data)).toMatchObject({ inviteID, actionType: 2, inviteeList: ['carl'] });
    await alice.chat.logout();
  });

  it('rings an alert-only iPhone; the timeout reaches both sides and replaces the ringing alert', async () => {
    const phone = await killedPhone(w, 'dora', 'apns');
    const alice = await callClient(w.s, 'alice');
    const inviteID = await alice.chat.getSignalingManager().invite({ invitee: 'dora', data: CALL_DATA });

    const ring = await w.sim.waitFor({ token: phone.tokens.alert as string });
    expect(ring).toMatchObject({
      pushType: 'alert',
      priority: '10',
      body: 'Alice: You have a new call invitation',
      sound: 'phone_ringing.mp3',
      collapseId: `call_${inviteID}`,
    });
    expect(signalingOf(ring.data)).toMatchObject({ inviteID, actionType: 1, timeout: 30 });

    // The default timeout is 30 s; the server enforces it with nobody online on the callee's side.
    w.advance(29_000);
    expect(await w.s.pushline.signaling.sweep()).toBe(0);
    w.advance(2_000);
    expect(await w.s.pushline.signaling.sweep()).toBe(1);
    expect((await callEvent(alice, 'timeout', inviteID)).args).toEqual([['dora']]);
    const missed = await waitFor(() => pushesTo(phone.tokens.alert)[1], 'the timeout push');
    expect(missed).toMatchObject({ body: 'Alice: Missed call', collapseId: `call_${inviteID}` });
    expect(missed.sound).toBeUndefined();
    expect(signalingOf(missed.data)).toMatchObject({ inviteID, actionType: 5 });
    // Swept once: a second sweep has nothing to do.
    expect(await w.s.pushline.signaling.sweep()).toBe(0);

    // Dora opens the app later: the expired invitation does not ring, the timeout is reported.
    const dora = listen(sdkClient(w.s));
    await dora.chat.login({
      userID: 'dora',
      userSig: userSigFor(w.s, 'dora'),
      platform: 'iPhone',
      instanceID: phone.instanceID,
    });
    await callEvent(dora, 'timeout', inviteID);
    expect(dora.calls.filter((c) => c.event === 'invited')).toEqual([]);
    await expect(dora.chat.getSignalingManager().addInvitedSignaling({ inviteID })).rejects.toMatchObject({
      code: 8010,
    });
    await dora.chat.logout();
    await alice.chat.logout();
  });

  it.each<[Vendor, Record<string, unknown>]>([
    ['fcm', { priority: 'high', sound: 'phone_ringing' }],
    ['huawei', { priority: 'HIGH', category: 'IM', sound: '/raw/phone_ringing' }],
    ['honor', {}],
    ['xiaomi', { sound: expect.stringContaining('/raw/phone_ringing') }],
    ['oppo', { priority: '16', category: 'IM' }],
    ['vivo', { category: 'IM' }],
    ['meizu', {}],
    ['webpush', { priority: 'high' }],
  ])(
    'rings a killed %s phone with a high-priority call push; the cancel replaces it',
    async (vendor, fields) => {
      const user = {
        fcm: 'emil',
        huawei: 'emil',
        honor: 'gus',
        xiaomi: 'gus',
        oppo: 'hana',
        vivo: 'hana',
        meizu: 'ivan',
        webpush: 'ivan',
      }[vendor as string] as string;
      const phone = await killedPhone(w, user, vendor);
      const alice = await callClient(w.s, 'alice');
      const sm = alice.chat.getSignalingManager();
      const inviteID = await sm.invite({ invitee: user, data: CALL_DATA, timeout: 60 });
      const ring = await w.sim.waitFor({ token: phone.tokens.alert as string });
      // Android and Web Push: the caller is the title, so the text does not repeat it (docs/push-payloads.md).
      expect(ring).toMatchObject({
        vendor,
        title: 'Alice',
        body: 'You have a new call invitation',
        ...fields,
      });
      await sm.cancel(inviteID);
      const follow = await waitFor(() => pushesTo(phone.tokens.alert)[1], 'the cancel push');
      expect(follow).toMatchObject({ title: 'Alice', body: 'Call cancelled' });
      // The follow-up carries the ringing notification's replace key where the vendor has one.
      const replaceKey = {
        fcm: (r: typeof ring) => r.collapseId,
        huawei: (r: typeof ring) => JSON.parse(r.raw.body).message.android.notification.notify_id,
        honor: (r: typeof ring) => JSON.parse(r.raw.body).android.notification.notifyId,
        xiaomi: (r: typeof ring) => r.collapseId,
        oppo: (r: typeof ring) =>
          JSON.parse(new URLSearchParams(r.raw.body).get('message') ?? '{}').notification?.notify_id,
        vivo: () => 'none',
        meizu: (r: typeof ring) => r.collapseId,
        webpush: (r: typeof ring) => `${r.collapseId} ${r.category}`,
      }[vendor as Exclude<Vendor, 'apns'>];
      expect(replaceKey(ring)).toBeDefined();
      expect(replaceKey(follow)).toEqual(replaceKey(ring));
      // Only the invitation rings.
      if (ring.sound?.includes('phone_ringing')) expect(follow.sound ?? '').not.toContain('phone_ringing');
      await alice.chat.logout();
    },
  );

  it('accepts an invitation recovered after the app was opened from the notification', async () => {
    const phone = await killedPhone(w, 'fay', 'apns');
    const alice = await callClient(w.s, 'alice');
    const inviteID = await alice.chat.getSignalingManager().invite({ invitee: 'fay', data: CALL_DATA });
    const ring = await w.sim.waitFor({ token: phone.tokens.alert as string });
    const fromPush = signalingOf(ring.data) as { inviteID: string };

    // The tap starts the app: it logs in on the same instance and hands the push's signaling to the SDK.
    const fay = listen(sdkClient(w.s));
    await fay.chat.login({
      userID: 'fay',
      userSig: userSigFor(w.s, 'fay'),
      platform: 'iPhone',
      instanceID: phone.instanceID,
    });
    await fay.chat.getSignalingManager().addInvitedSignaling(fromPush);
    expect((await callEvent(fay, 'invited', inviteID)).args).toEqual(['alice', '', ['fay'], CALL_DATA]);
    // Raised once, although the sync delivered the invitation message too.
    await waitFor(() => fay.messages.some((m) => m.body[0]?.MsgType === 'TIMCustomElem'));
    expect(fay.calls.filter((c) => c.event === 'invited')).toHaveLength(1);
    expect(await fay.chat.getSignalingManager().recoverInvitations()).toMatchObject([{ inviteID }]);

    await fay.chat.getSignalingManager().accept(inviteID);
    await callEvent(alice, 'accepted', inviteID);
    expect(await fay.chat.getSignalingManager().recoverInvitations()).toEqual([]);
    // Answered: the timeout never comes.
    w.advance(31_000);
    await w.s.pushline.signaling.sweep();
    expect(alice.calls.filter((c) => c.event === 'timeout' && c.inviteID === inviteID)).toEqual([]);
    await fay.chat.logout();
    await alice.chat.logout();
  });

  it('never sends an invitation whose timeout passed while it waited in the queue', async () => {
    const phone = await killedPhone(w, 'gus', 'apns', { voip: true, alert: false });
    const alice = await callClient(w.s, 'alice');
    const dispatcher = w.s.pushline.pushEngine.dispatcher;
    await dispatcher.stop();
    let inviteID = '';
    try {
      inviteID = await alice.chat
        .getSignalingManager()
        .invite({ invitee: 'gus', data: CALL_DATA, timeout: 10 });
      w.advance(11_000);
    } finally {
      dispatcher.start();
    }
    const dropped = await waitFor(
      () =>
        w.recorder.answers.find(
          (a) => a.task.token === phone.tokens.voip && a.outcome.kind === 'rejected' && a.final,
        ),
      'the expired job',
    );
    expect(dropped.outcome).toMatchObject({ kind: 'rejected', code: 'expired' });
    expect(pushesTo(phone.tokens.voip)).toEqual([]);
    expect(w.recorder.acceptedRecords).toContainEqual(
      expect.objectContaining({ pushId: dropped.task.pushId, kind: 'call', toUser: 'gus' }),
    );

    // The timeout itself still reaches both sides (and the phone, which never rang, learns it too).
    expect(await w.s.pushline.signaling.sweep()).toBeGreaterThanOrEqual(1);
    await callEvent(alice, 'timeout', inviteID);
    const follow = await w.sim.waitFor({ token: phone.tokens.voip as string });
    expect(signalingOf(follow.data)).toMatchObject({ inviteID, actionType: 5 });
    await alice.chat.logout();
  });

  it('never rings after the cancel: a ringing push still queued when the call was cancelled is dropped', async () => {
    const phone = await killedPhone(w, 'gus', 'apns', { voip: true, alert: false });
    const alice = await callClient(w.s, 'alice');
    const sm = alice.chat.getSignalingManager();
    const dispatcher = w.s.pushline.pushEngine.dispatcher;
    await dispatcher.stop();
    let inviteID = '';
    try {
      // Both the ring and the cancel wait in the queue, as when the vendor is slow or the queue is long.
      inviteID = await sm.invite({ invitee: 'gus', data: CALL_DATA, timeout: 60 });
      await sm.cancel(inviteID);
    } finally {
      dispatcher.start();
    }
    const dropped = await waitFor(
      () =>
        w.recorder.answers.find(
          (a) => a.task.token === phone.tokens.voip && a.outcome.kind === 'rejected' && a.final,
        ),
      'the dropped ring',
    );
    expect(dropped.outcome).toMatchObject({ kind: 'rejected', code: 'call-ended' });
    expect(dropped.task.ringsFor).toEqual({ inviteId: inviteID, userId: 'gus' });
    // Only the cancel reaches the phone.
    const follow = await w.sim.waitFor({ token: phone.tokens.voip as string });
    expect(signalingOf(follow.data)).toMatchObject({ inviteID, actionType: 2 });
    expect(pushesTo(phone.tokens.voip)).toHaveLength(1);
    await alice.chat.logout();
  });

  it('a group invitation reaches online members only and times out per invitee', async () => {
    const created = await w.s.v4('group_open_http_svc/create_group', {
      Owner_Account: 'alice',
      Type: 'Work',
      Name: 'Calls',
      MemberList: [{ Member_Account: 'bob' }, { Member_Account: 'hana' }],
    });
    expect(created).toMatchObject({ ErrorCode: 0 });
    const groupID = String(created.GroupId);
    const hanaPhone = await killedPhone(w, 'hana', 'fcm');
    const alice = await callClient(w.s, 'alice');
    const bob = await callClient(w.s, 'bob');
    const before = pushesTo(hanaPhone.tokens.alert).length;
    const inviteID = await alice.chat
      .getSignalingManager()
      .inviteInGroup({ groupID, inviteeList: ['bob', 'hana'], data: CALL_DATA, timeout: 20 });
    expect((await callEvent(bob, 'invited', inviteID)).args).toEqual([
      'alice',
      groupID,
      ['bob', 'hana'],
      CALL_DATA,
    ]);
    await bob.chat.getSignalingManager().reject(inviteID);
    expect((await callEvent(alice, 'rejected', inviteID)).args).toEqual(['bob', CALL_DATA]);
    w.advance(21_000);
    expect(await w.s.pushline.signaling.sweep()).toBeGreaterThanOrEqual(1);
    expect((await callEvent(alice, 'timeout', inviteID)).args).toEqual([['hana']]);
    // No offline push for group calls (as in Tencent IM).
    expect(pushesTo(hanaPhone.tokens.alert)).toHaveLength(before);
    await alice.chat.logout();
    await bob.chat.logout();
  });
});
