// A message's MsgLifeTime counts from the moment the server accepted it, to the millisecond: its push can
// be sent, and expires on the vendor's side, that many seconds later — also when it was accepted in the last
// millisecond of a second (MsgTime is whole seconds; counted from it, a 1-second lifetime could end 1 ms
// after the message was accepted and the push be dropped as expired before it was tried).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { backgroundPhone, type PushWorld, random, startPushWorld, text } from '../helpers/push-e2e.js';

const backends = await testBackends();

describe.each(backends)('MsgLifeTime and the push on %s', (backend) => {
  let w: PushWorld;
  /** The server's clock: real time, or held still at a chosen instant. */
  let frozen: number | undefined;

  beforeAll(async () => {
    w = await startPushWorld(backend, { clock: () => frozen ?? Date.now() });
    const r = await w.s.v4('im_open_login_svc/multiaccount_import', {
      AccountList: [{ UserID: 'boss' }, { UserID: 'mia' }],
    });
    expect(r).toMatchObject({ ErrorCode: 0 });
  });
  afterAll(async () => {
    await w?.close();
  });

  it('a 1-second lifetime accepted at the end of a second is still sendable half a second later', async () => {
    const phone = await backgroundPhone(w, 'mia', 'apns');
    const { sdkAppId } = w.s.app;
    // The push waits while the certificate is paused, so the clock can move before it is tried.
    await w.s.pushline.certificateService.pause(sdkAppId, w.apns.id, 'test: hold the push', 'hold');
    const acceptedAt = (Math.floor(Date.now() / 1000) + 1) * 1000 - 1; // the 999th ms of a second
    frozen = acceptedAt;
    const r = await w.s.v4('openim/sendmsg', {
      From_Account: 'boss',
      To_Account: 'mia',
      MsgRandom: random(),
      MsgLifeTime: 1,
      MsgBody: text('quick'),
    });
    expect(r).toMatchObject({ ErrorCode: 0, MsgTime: Math.floor(acceptedAt / 1000) });
    expect(w.recorder.skippedRecords.filter((s) => s.msgKey === r.MsgKey)).toEqual([]);
    await waitFor(async () => (await w.s.pushline.pushQueue.stats()).held === 1, 'the push held');

    frozen = acceptedAt + 500; // within the lifetime, a whole second past MsgTime
    await w.s.pushline.certificateService.resume(sdkAppId, w.apns.id);
    const push = await w.sim.waitFor({ token: phone.token });
    expect(push.body).toBe('quick');
    // apns-expiration: the acceptance time plus the lifetime, in whole seconds rounded up.
    expect(Number(push.raw.headers['apns-expiration'])).toBe(Math.ceil((acceptedAt + 1000) / 1000));
    const answers = () => w.recorder.answers.filter((a) => a.task.token === phone.token);
    await waitFor(() => answers().length > 0, 'the answer recorded');
    expect(answers().map((a) => a.outcome.kind)).toEqual(['sent']);
    frozen = undefined;
  });
});
