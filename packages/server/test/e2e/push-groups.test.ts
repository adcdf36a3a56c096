// End to end, group and batch sends: every background member device gets its own push with its own
// badge; the sender, foreground members and AcceptNotNotify members get none (with the reason recorded).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { backgroundPhone, type PushWorld, random, startPushWorld, text } from '../helpers/push-e2e.js';

const backends = await testBackends();
const G = 'group_open_http_svc';

describe.each(backends)('group and batch pushes end to end on %s', (backend) => {
  let w: PushWorld;

  beforeAll(async () => {
    w = await startPushWorld(backend);
    const users = ['lead', 'g1', 'g2', 'g3', 'g4', 'b1', 'b2', 'b3'];
    const r = await w.s.v4('im_open_login_svc/multiaccount_import', {
      AccountList: users.map((UserID) => ({ UserID, ...(UserID === 'lead' ? { Nick: 'Lea' } : {}) })),
    });
    expect(r).toMatchObject({ ErrorCode: 0 });
  });
  afterAll(async () => {
    await w?.close();
  });

  it('send_group_msg: one push per background member device, badge per instance', async () => {
    const created = await w.s.v4(`${G}/create_group`, {
      Owner_Account: 'lead',
      Type: 'Work',
      GroupId: 'crew',
      Name: 'Crew',
      MemberList: ['g1', 'g2', 'g3', 'g4'].map((Member_Account) => ({ Member_Account })),
    });
    expect(created).toMatchObject({ ErrorCode: 0 });
    const quiet = await w.s.v4(`${G}/modify_group_member_info`, {
      GroupId: 'crew',
      Member_Account: 'g4',
      MsgFlag: 'AcceptNotNotify',
    });
    expect(quiet).toMatchObject({ ErrorCode: 0 });
    const g1Phone = await backgroundPhone(w, 'g1', 'apns', 2);
    const g1Tablet = await backgroundPhone(w, 'g1', 'apns', 7, 'g1-tablet');
    const g2Phone = await backgroundPhone(w, 'g2', 'fcm');
    const g3Phone = await backgroundPhone(w, 'g3', 'apns');
    await g3Phone.client.chat.doForeground();
    const g4Phone = await backgroundPhone(w, 'g4', 'apns');
    const leadPhone = await backgroundPhone(w, 'lead', 'apns');

    const r = await w.s.v4(`${G}/send_group_msg`, {
      GroupId: 'crew',
      From_Account: 'lead',
      Random: random(),
      MsgBody: text('stand-up in 5'),
      // REST sends honour receive options (MsgFlag included) only when asked
      // (docs/internals/tencent-im.md#receive-options-and-do-not-disturb).
      SendMsgControl: ['WithMuteNotifications'],
    });
    expect(r).toMatchObject({ ErrorCode: 0 });
    const a = await w.sim.waitFor({ token: g1Phone.token });
    const b = await w.sim.waitFor({ token: g1Tablet.token });
    const c = await w.sim.waitFor({ token: g2Phone.token });
    expect(a.badge).toBe(3);
    expect(b.badge).toBe(8);
    expect(a.body).toContain('stand-up in 5');
    expect(c.body).toContain('stand-up in 5');
    const skipped = Object.fromEntries(
      w.recorder.skippedRecords.filter((s) => s.groupId === 'crew').map((s) => [s.toUser, s.reason]),
    );
    expect(skipped).toEqual({ g3: 'instance-foreground', g4: 'group-msgflag-not-notify' });
    expect(w.recorder.acceptedRecords.filter((s) => s.groupId === 'crew')).toHaveLength(3);
    expect(w.sim.received({ token: g3Phone.token })).toEqual([]);
    expect(w.sim.received({ token: g4Phone.token })).toEqual([]);
    expect(w.sim.received({ token: leadPhone.token })).toEqual([]);
  });

  it('batchsendmsg: every background recipient gets the push', async () => {
    const phones = await Promise.all(
      ['b1', 'b2', 'b3'].map((u, i) => backgroundPhone(w, u, i % 2 ? 'fcm' : 'apns')),
    );
    const r = await w.s.v4('openim/batchsendmsg', {
      From_Account: 'lead',
      To_Account: ['b1', 'b2', 'b3'],
      MsgRandom: random(),
      MsgBody: text('release is out'),
    });
    expect(r).toMatchObject({ ErrorCode: 0 });
    for (const [i, p] of phones.entries()) {
      const shown = await w.sim.waitFor({ token: p.token });
      // APNs shows one text line; Android shows the sender as the title and the text under it.
      if (i % 2) expect(shown).toMatchObject({ title: 'Lea', body: 'release is out' });
      else expect(shown.body).toBe('Lea: release is out');
    }
    await waitFor(() => w.recorder.answers.filter((a) => a.outcome.kind === 'sent').length >= 6, 'answers');
  });
});
