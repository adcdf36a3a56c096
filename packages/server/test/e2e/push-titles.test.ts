// Titles, end to end on every vendor: Xiaomi, OPPO, vivo and Meizu refuse a notification without a title
// (10017, 40, 10055, 1005), so a push that names no title and no sender still gets one (the certificate's
// display name, else the app's, else the app's name), and over-long titles are shortened to each vendor's
// limit instead of being refused. docs/push-payloads.md#title.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Vendor } from '../../src/certificates/types.js';
import { type CallWorld, type KilledPhone, killedPhone, startCallWorld } from '../helpers/calls.js';
import { waitFor } from '../helpers/clients.js';

const VENDORS: Vendor[] = ['apns', 'fcm', 'huawei', 'honor', 'xiaomi', 'oppo', 'vivo', 'meizu', 'webpush'];
/** What each vendor (or Pushline's fitting for it) allows in a title, in characters. */
const TITLE_LIMIT: Partial<Record<Vendor, number>> = { xiaomi: 49, oppo: 50, vivo: 40, meizu: 32 };

describe('notification titles on every vendor', { timeout: 120_000 }, () => {
  let w: CallWorld;
  const phones = new Map<Vendor, KilledPhone>();
  const user = (vendor: Vendor) => `title-${vendor}`;

  beforeAll(async () => {
    w = await startCallWorld('sqlite');
    const r = await w.s.v4('im_open_login_svc/multiaccount_import', {
      AccountList: [
        ...VENDORS.map((v) => ({ UserID: user(v) })),
        { UserID: 'ops' },
        { UserID: 'news', Nick: 'Daily News' },
      ],
    });
    expect(r).toMatchObject({ ErrorCode: 0 });
    for (const vendor of VENDORS) phones.set(vendor, await killedPhone(w, user(vendor), vendor));
  });
  afterAll(async () => {
    await w?.close();
  });

  /** Sends one push task to every phone and returns the notification each vendor delivered. */
  async function pushToAll(request: Record<string, unknown>) {
    // The newest record of each phone before this push; its notification is the first after that one that
    // shows this push's text. Position alone is not enough: a late duplicate of an earlier push (at-least-once
    // allows one, e.g. when a test's certificate edit closes a channel while its answer is on the way) can
    // arrive after the snapshot.
    const marker = String((request.OfflinePushInfo as { Desc: string }).Desc).slice(0, 8);
    const tokenOf = (vendor: Vendor) => phones.get(vendor)?.tokens.alert as string;
    const before = new Map(
      VENDORS.map((v) => [
        v,
        Math.max(0, ...w.sim.received({ vendor: v, token: tokenOf(v) }).map((x) => x.seq)),
      ]),
    );
    const r = await w.s.v4('timpush/batch', {
      To_Account: VENDORS.map(user),
      MsgRandom: Math.floor(Math.random() * 1e9),
      ...request,
    });
    expect(r).toMatchObject({ ErrorCode: 0 });
    const shown = new Map<Vendor, { title?: string; body?: string }>();
    for (const vendor of VENDORS) {
      const after = before.get(vendor) ?? 0;
      const record = await waitFor(async () => {
        const failed = w.recorder.answers.find(
          (a) =>
            a.task.taskId === r.TaskId &&
            a.task.certificateId === w.certs[vendor].id &&
            a.outcome.kind !== 'sent',
        );
        if (failed) throw new Error(`${vendor} refused: ${JSON.stringify(failed.outcome)}`);
        return w.sim
          .received({ vendor, token: tokenOf(vendor) })
          .find((x) => x.seq > after && (x.body ?? '').includes(marker));
      }, `${vendor} notification`);
      shown.set(vendor, record);
    }
    return shown;
  }

  it('a push with no title and no sender reaches all nine vendors, titled with the app name', async () => {
    const shown = await pushToAll({ OfflinePushInfo: { Desc: 'big sale' } });
    for (const vendor of VENDORS) {
      const n = shown.get(vendor);
      expect(n?.body, vendor).toBe('big sale');
      // APNs shows the app's own name above the text: a title there would repeat it.
      if (vendor === 'apns') expect(n?.title, vendor).toBeUndefined();
      else expect(n?.title, vendor).toBe(w.s.app.name);
    }
  });

  it("the app's display name, and a certificate's own, replace the app name", async () => {
    await w.s.pushline.apps.updateSettings(w.s.app.sdkAppId, { displayName: 'Chat Plus' });
    const xiaomi = w.certs.xiaomi;
    await w.s.pushline.certificateService.update(w.s.app.sdkAppId, xiaomi.id, {
      defaults: { ...xiaomi.defaults, displayName: '聊天 Mi' },
    });
    try {
      const shown = await pushToAll({
        From_Account: 'ops',
        OfflinePushInfo: { Desc: 'maintenance at 22:00' },
      });
      for (const vendor of VENDORS) {
        if (vendor === 'apns') continue;
        // A sender without a nickname is not a title: user IDs are not for people.
        expect(shown.get(vendor)?.title, vendor).toBe(vendor === 'xiaomi' ? '聊天 Mi' : 'Chat Plus');
      }
    } finally {
      await w.s.pushline.certificateService.update(w.s.app.sdkAppId, xiaomi.id, {
        defaults: xiaomi.defaults,
      });
      await w.s.pushline.apps.updateSettings(w.s.app.sdkAppId, { displayName: undefined });
    }
  });

  it("a sender's nickname is the title when the push names one", async () => {
    const shown = await pushToAll({ From_Account: 'news', OfflinePushInfo: { Desc: 'headlines' } });
    for (const vendor of VENDORS) {
      if (vendor === 'apns') expect(shown.get(vendor)?.body).toBe('Daily News: headlines');
      else expect(shown.get(vendor), vendor).toMatchObject({ title: 'Daily News', body: 'headlines' });
    }
  });

  it("over-long titles and texts are shortened to each vendor's limits, never refused", async () => {
    const title = `Announcement ${'标题'.repeat(60)}`;
    const desc = `Body ${'正文'.repeat(400)}`;
    const shown = await pushToAll({ OfflinePushInfo: { Title: title, Desc: desc } });
    for (const vendor of VENDORS) {
      const n = shown.get(vendor);
      expect(n?.title, vendor).toMatch(/^Announcement 标题/);
      expect(n?.body, vendor).toMatch(/^Body 正文/);
      const limit = TITLE_LIMIT[vendor];
      if (limit !== undefined) expect([...(n?.title ?? '')].length, vendor).toBeLessThanOrEqual(limit);
    }
  });
});
