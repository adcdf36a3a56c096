// End to end, C2C: an SDK client logs in, reports a token and goes to the background; REST sendmsg and
// SDK sends reach the vendor simulator with exactly the expected payload. Foreground, logged-out, kicked
// and muted receivers get nothing, and the engine records why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn, waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { backgroundPhone, type PushWorld, random, startPushWorld, text } from '../helpers/push-e2e.js';

const backends = await testBackends();

describe.each(backends)('C2C offline push end to end on %s', (backend) => {
  let w: PushWorld;

  beforeAll(async () => {
    w = await startPushWorld(backend);
    const imported = await w.s.v4('im_open_login_svc/multiaccount_import', {
      AccountList: [
        { UserID: 'alice', Nick: 'Alice' },
        { UserID: 'bob' },
        { UserID: 'carl' },
        { UserID: 'dora' },
        { UserID: 'emil' },
        { UserID: 'fay' },
      ],
    });
    expect(imported).toMatchObject({ ErrorCode: 0 });
  });
  afterAll(async () => {
    await w?.close();
  });

  const sendmsg = (to: string, body: unknown, extra: Record<string, unknown> = {}) =>
    w.s.v4('openim/sendmsg', {
      From_Account: 'alice',
      To_Account: to,
      MsgRandom: random(),
      MsgBody: body,
      ...extra,
    });

  const skipsOf = (msgKey: unknown) => w.recorder.skippedRecords.filter((r) => r.msgKey === msgKey);
  const acceptedOf = (msgKey: unknown) => w.recorder.acceptedRecords.filter((r) => r.msgKey === msgKey);

  it('REST sendmsg to a background iPhone: the APNs payload with nick, badge and ext', async () => {
    const phone = await backgroundPhone(w, 'bob', 'apns', 3);
    const r = await sendmsg('bob', text('hello'), { OfflinePushInfo: { Ext: '{"room":7}' } });
    expect(r).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0 });
    const shown = await w.sim.waitFor({ token: phone.token });
    expect(shown).toMatchObject({ vendor: 'apns', app: 'com.example.chat', body: 'Alice: hello', badge: 4 });
    expect(shown.data).toMatchObject({ ext: '{"room":7}' });
    expect(acceptedOf(r.MsgKey)).toMatchObject([{ toUser: 'bob', vendor: 'apns', kind: 'c2c' }]);

    // The next push counts on from there.
    await sendmsg('bob', text('again'));
    const second = await waitFor(
      () => w.sim.received({ token: phone.token }).find((p) => p.body === 'Alice: again'),
      'second push',
    );
    expect(second.badge).toBe(5);
    await phone.client.chat.logout();
  });

  it('an SDK send to a background Android phone arrives through FCM', async () => {
    const phone = await backgroundPhone(w, 'carl', 'fcm');
    const alice = await loggedIn(w.s, 'alice', { instanceID: 'alice-web', platform: 'Web' });
    await alice.chat.sendMessage({ receiver: 'carl', body: text('from the app') });
    const shown = await w.sim.waitFor({ token: phone.token });
    expect(shown).toMatchObject({
      vendor: 'fcm',
      // Android: the title names the sender, so the text does not repeat it (docs/push-payloads.md).
      title: 'Alice',
      body: 'from the app',
      channel: 'im_messages',
    });
    await alice.chat.logout();
    await phone.client.chat.logout();
  });

  it('foreground, logged-out and kicked devices get nothing, with the reason recorded', async () => {
    const phone = await backgroundPhone(w, 'dora', 'apns');
    await phone.client.chat.doForeground();
    const fg = await sendmsg('dora', text('while open'));
    expect(skipsOf(fg.MsgKey)).toMatchObject([{ toUser: 'dora', reason: 'instance-foreground' }]);
    expect(acceptedOf(fg.MsgKey)).toEqual([]);

    await phone.client.chat.logout();
    const out = await sendmsg('dora', text('after logout'));
    expect(skipsOf(out.MsgKey)).toMatchObject([{ toUser: 'dora', reason: 'instance-offline' }]);

    const kicked = await backgroundPhone(w, 'emil', 'fcm');
    expect(await w.s.v4('im_open_login_svc/kick', { UserID: 'emil' })).toMatchObject({ ErrorCode: 0 });
    const k = await sendmsg('emil', text('after kick'));
    expect(skipsOf(k.MsgKey)).toMatchObject([{ toUser: 'emil', reason: 'instance-offline' }]);
    expect(acceptedOf(k.MsgKey)).toEqual([]);

    // A later push to someone else arrives; nothing ever reached the foreground, logged-out or kicked phones.
    const sentinel = await backgroundPhone(w, 'fay', 'apns');
    await sendmsg('fay', text('sentinel'));
    await w.sim.waitFor({ token: sentinel.token });
    expect(w.sim.received({ token: phone.token })).toEqual([]);
    expect(w.sim.received({ token: kicked.token })).toEqual([]);
    await sentinel.client.chat.logout();
  });

  it('a receive option (SDK send) and a REST send without WithMuteNotifications', async () => {
    const phone = await backgroundPhone(w, 'bob', 'fcm', 0, 'bob-tablet');
    // bob mutes alice: ReceiveNotNotify.
    const bobFg = await loggedIn(w.s, 'bob', { instanceID: 'bob-desk', platform: 'PC' });
    await bobFg.chat.setC2CReceiveMessageOpt(['alice'], 2);
    const alice = await loggedIn(w.s, 'alice', { instanceID: 'alice-web2', platform: 'Web' });
    const sent = await alice.chat.sendMessage({ receiver: 'bob', body: text('muted') });
    await waitFor(() => w.recorder.skippedRecords.some((r) => r.msgKey === sent.msgKey), 'skip recorded');
    expect(skipsOf(sent.msgKey)).toMatchObject([{ toUser: 'bob', reason: 'receiver-muted-c2c' }]);
    // REST ignores receive options unless asked to honour them.
    const rest = await sendmsg('bob', text('admin notice'));
    expect(acceptedOf(rest.MsgKey)).toMatchObject([{ toUser: 'bob' }]);
    const honoured = await sendmsg('bob', text('polite'), { SendMsgControl: ['WithMuteNotifications'] });
    expect(skipsOf(honoured.MsgKey)).toMatchObject([{ toUser: 'bob', reason: 'receiver-muted-c2c' }]);
    await w.sim.waitFor({ token: phone.token });
    expect(w.sim.received({ token: phone.token }).map((p) => [p.title, p.body])).toEqual([
      ['Alice', 'admin notice'],
    ]);
    await alice.chat.logout();
    await bobFg.chat.logout();
  });

  it('traces: a delivered push and a skipped one, by PushID through timpush/normal_push_trace', async () => {
    const phone = await backgroundPhone(w, 'carl', 'apns', 0, 'carl-ipad');
    const sent = await sendmsg('carl', text('traced'));
    await w.sim.waitFor({ token: phone.token });
    const pushId = acceptedOf(sent.MsgKey).find((r) => r.instanceId === 'carl-ipad')?.pushId;
    expect(pushId).toBeTruthy();
    await waitFor(() => w.recorder.answers.some((a) => a.task.pushId === pushId), 'vendor answer');
    const r = await w.s.v4('timpush/normal_push_trace', { PushID: pushId });
    expect(r).toMatchObject({ ErrorCode: 0 });
    expect(r.InstanceTrace).toMatchObject([{ PushID: pushId, InstanceId: 'carl-ipad', System: 'APNS' }]);

    await phone.client.chat.doForeground();
    const fg = await sendmsg('carl', text('not pushed'));
    const skipped = skipsOf(fg.MsgKey).find((r) => r.instanceId === 'carl-ipad');
    expect(skipped).toMatchObject({ reason: 'instance-foreground' });
    const t = await w.s.v4('timpush/normal_push_trace', { PushID: skipped?.pushId });
    const stat = (t.InstanceTrace as { IMCommitStat: { IMStat: { ErrorInfo: string } } }[])[0]?.IMCommitStat;
    expect(stat?.IMStat.ErrorInfo).toMatch(/^instance-foreground/);
    await phone.client.chat.logout();
  });
});
