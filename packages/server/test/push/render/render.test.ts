import { describe, expect, it } from 'vitest';
import { prepareRender, type RenderMessage, render } from '../../../src/push/render/index.js';
import { certificate, NOW } from '../../helpers/render-fixtures.js';

const text = (t: string): RenderMessage['body'] => [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }];
const base: RenderMessage = {
  kind: 'message',
  chatType: 'c2c',
  sender: { userId: 'alice', nick: 'Alice' },
  body: text('hi'),
  now: NOW,
};

describe('render', () => {
  it('prepareRender renders once and varies only the badge per device', () => {
    const device = prepareRender(base, certificate('apns'));
    for (const unread of [0, 7, 99_998]) {
      const badge = { unreadAtBackground: unread, countedSince: 1 };
      const prepared = device(badge);
      expect(prepared).toEqual(render({ message: base, certificate: certificate('apns'), badge }));
      expect(prepared.ok && prepared.request.vendor === 'apns' && prepared.request.body.aps).toMatchObject({
        badge: Math.min(unread + 2, 99_999),
      });
    }
    const noState = device();
    expect(noState.ok && noState.request.vendor === 'apns' && noState.request.body.aps).not.toHaveProperty(
      'badge',
    );
  });

  it('prepareRender gives devices with the same badge one result, request included', () => {
    const device = prepareRender(base, certificate('apns'));
    const a = device({ unreadAtBackground: 3, countedSince: 0 });
    const b = device({ unreadAtBackground: 2, countedSince: 1 }); // the same badge number, 4
    const c = device({ unreadAtBackground: 4, countedSince: 0 });
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(a.ok && b.ok && c.ok && [a.badge, c.badge]).toEqual([4, 5]);
    expect(a.ok && c.ok && c.request).not.toBe(a.ok && a.request);
    expect(device()).toBe(device());
  });

  it('APNs badge: reported unread + pushes since + this one; BadgeMode 1 leaves it out and does not count', () => {
    const badge = { unreadAtBackground: 4, countedSince: 2 };
    const counted = render({ message: base, certificate: certificate('apns'), badge });
    expect(counted).toMatchObject({ ok: true, badge: 7, countsTowardBadge: true });
    const ignored = render({
      message: { ...base, offlinePushInfo: { ApnsInfo: { BadgeMode: 1 } } },
      certificate: certificate('apns'),
      badge,
    });
    expect(ignored).toMatchObject({ ok: true, countsTowardBadge: false });
    expect(ignored.ok && ignored.request.vendor === 'apns' && ignored.request.body.aps).not.toHaveProperty(
      'badge',
    );
  });

  it('a broken badge state counts as zero instead of sending NaN', () => {
    const r = render({
      message: base,
      certificate: certificate('apns'),
      badge: { unreadAtBackground: Number.NaN, countedSince: -3 },
    });
    expect(r).toMatchObject({ ok: true, badge: 1, request: { body: { aps: { badge: 1 } } } });
  });

  it('Huawei badge needs the badge class from the certificate defaults', () => {
    const cert = certificate('huawei');
    const r = render({
      message: base,
      certificate: { ...cert, defaults: { ...cert.defaults, badgeClass: undefined } },
    });
    expect(r.ok && r.request.vendor === 'huawei' && r.request.message.android).not.toHaveProperty(
      'notification.badge',
    );
    const added = render({ message: base, certificate: cert });
    expect(added.ok && added.request.vendor === 'huawei' && added.request.message.android).toMatchObject({
      notification: { badge: { add_num: 1, class: 'com.example.chat.MainActivity' } },
    });
  });

  it('titles: OfflinePushInfo.Title, ApnsInfo.Title for APNs, else sender or group on Android', () => {
    const group: RenderMessage = { ...base, chatType: 'group', group: { id: 'g1', name: 'Team' } };
    const fcm = (m: RenderMessage) => {
      const r = render({ message: m, certificate: certificate('fcm') });
      return r.ok ? r.title : undefined;
    };
    expect(fcm(base)).toBe('Alice');
    expect(fcm({ ...base, sender: { userId: 'alice' } })).toBe('alice');
    expect(fcm(group)).toBe('Team');
    expect(fcm({ ...group, group: { id: 'g1' } })).toBe('g1');
    expect(fcm({ ...base, offlinePushInfo: { Title: 'T' } })).toBe('T');
    const apns = (m: RenderMessage) => {
      const r = render({ message: m, certificate: certificate('apns') });
      return r.ok && r.request.vendor === 'apns'
        ? (r.request.body.aps as { alert: unknown }).alert
        : undefined;
    };
    expect(apns(base)).toBe('Alice: hi');
    expect(apns({ ...base, offlinePushInfo: { Title: 'T', ApnsInfo: { Title: 'iOS T' } } })).toEqual({
      title: 'iOS T',
      body: 'Alice: hi',
    });
    expect(apns({ ...base, offlinePushInfo: { ApnsInfo: { SubTitle: 'sub' } } })).toEqual({
      subtitle: 'sub',
      body: 'Alice: hi',
    });
  });

  it('custom element push settings are ignored once OfflinePushInfo is filled in', () => {
    const body: RenderMessage['body'] = [
      { MsgType: 'TIMCustomElem', MsgContent: { Desc: 'd', Ext: 'elem-ext', Sound: 'elem.aiff' } },
    ];
    const own = render({ message: { ...base, body }, certificate: certificate('apns') });
    expect(own.ok && own.request.vendor === 'apns' && own.request.body).toMatchObject({
      ext: 'elem-ext',
      aps: { sound: 'elem.aiff' },
    });
    const overridden = render({
      message: { ...base, body, offlinePushInfo: { Title: 'x' } },
      certificate: certificate('apns'),
    });
    expect(overridden.ok && overridden.request.vendor === 'apns' && overridden.request.body).toMatchObject({
      aps: { sound: 'default' },
    });
    expect(
      overridden.ok && overridden.request.vendor === 'apns' && overridden.request.body,
    ).not.toHaveProperty('ext');
  });

  it('MsgLifeTime sets the APNs expiration, FCM/Huawei ttl and notAfter', () => {
    const m = { ...base, msgLifeTime: 3600 };
    const apns = render({ message: m, certificate: certificate('apns') });
    expect(apns).toMatchObject({
      ok: true,
      notAfter: NOW + 3_600_000,
      request: { expiration: NOW / 1000 + 3600 },
    });
    const fcm = render({ message: m, certificate: certificate('fcm') });
    expect(fcm).toMatchObject({ request: { message: { android: { ttl: '3600s' } } } });
    const none = render({ message: base, certificate: certificate('apns') });
    expect(none.ok && none.request).not.toHaveProperty('expiration');
  });

  it('an interruption level outside the four iOS values is ignored', () => {
    const r = render({
      message: { ...base, offlinePushInfo: { ApnsInfo: { InterruptionLevel: 'loud' } } },
      certificate: certificate('apns'),
    });
    expect(r.ok && r.request.vendor === 'apns' && r.request.body.aps).not.toHaveProperty(
      'interruption-level',
    );
  });
});
