import { describe, expect, it } from 'vitest';
import { VENDORS } from '../../../src/certificates/types.js';
import { type RenderMessage, render } from '../../../src/push/render/index.js';
import { ELLIPSIS, truncateText, utf16Length, wideCharLength } from '../../../src/push/render/truncate.js';
import type { VendorRequest } from '../../../src/push/types.js';
import { certificate, NOW } from '../../helpers/render-fixtures.js';

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');
/** No lone surrogate: UTF-8 round-trips it unchanged (a lone surrogate would become U+FFFD). */
const wellFormed = (s: string) => Buffer.from(s, 'utf8').toString('utf8') === s;

/** The bytes each vendor counts, measured here independently of the renderers. */
function vendorBytes(request: VendorRequest): number {
  switch (request.vendor) {
    case 'apns':
      return utf8(JSON.stringify(request.body));
    case 'fcm':
    case 'huawei':
    case 'honor':
    case 'vivo':
      return utf8(JSON.stringify(request.message));
    case 'xiaomi':
      return utf8(JSON.stringify(request.form));
    case 'oppo':
      return utf8(JSON.stringify(request.notification));
    case 'meizu':
      return utf8(JSON.stringify(request.messageJson));
    case 'webpush':
      return utf8(request.payload);
  }
}
/** Vendors that refuse a notification with an empty title. */
const TITLE_REQUIRED: string[] = ['huawei', 'honor', 'xiaomi', 'oppo', 'vivo', 'meizu'];
const LIMITS: Record<string, number> = { apns: 4096, webpush: 3993 };
const limitOf = (vendor: string) => LIMITS[vendor] ?? 4096;

/** Where the vendor carries Ext, to prove it is never dropped or cut. */
function extOf(request: VendorRequest): string | undefined {
  switch (request.vendor) {
    case 'apns':
      return request.body.ext as string | undefined;
    case 'fcm':
      return (request.message.data as Record<string, string> | undefined)?.ext;
    case 'huawei':
    case 'honor':
      return request.message.data ? JSON.parse(request.message.data as string).ext : undefined;
    case 'xiaomi':
      return request.form['extra.ext'];
    case 'oppo':
      return request.notification.action_parameters
        ? JSON.parse(request.notification.action_parameters as string).ext
        : undefined;
    case 'vivo':
      return (request.message.clientCustomMap as Record<string, string> | undefined)?.ext;
    case 'meizu':
      return (request.messageJson.clickTypeInfo as { parameters?: { ext?: string } }).parameters?.ext;
    case 'webpush':
      return JSON.parse(request.payload).ext;
  }
}

const message = (text: string, ext?: string, title?: string): RenderMessage => ({
  kind: 'message',
  chatType: 'c2c',
  sender: { userId: 'alice', nick: 'Alice' },
  body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }],
  offlinePushInfo: ext !== undefined || title ? { Ext: ext, Title: title } : undefined,
  now: NOW,
});

describe('truncateText', () => {
  it('returns short text unchanged', () => {
    expect(truncateText('hello', 5, utf16Length)).toBe('hello');
  });
  it('cuts with an ellipsis inside the limit', () => {
    expect(truncateText('hello world', 6, utf16Length)).toBe(`hello${ELLIPSIS}`);
  });
  it('never splits a surrogate pair or a grapheme cluster', () => {
    const text = 'ab👍🏽🇨🇳👨‍👩‍👧end';
    for (let max = 1; max <= text.length + 1; max++) {
      const cut = truncateText(text, max, utf16Length);
      expect(wellFormed(cut)).toBe(true);
      expect(cut.length).toBeLessThanOrEqual(max);
      const kept = cut.endsWith(ELLIPSIS) ? cut.slice(0, -1) : cut;
      expect(text.startsWith(kept)).toBe(true);
      // The kept part ends on a grapheme boundary: never half a flag or half a family.
      expect([
        '',
        'a',
        'ab',
        'ab👍🏽',
        'ab👍🏽🇨🇳',
        'ab👍🏽🇨🇳👨‍👩‍👧',
        'ab👍🏽🇨🇳👨‍👩‍👧e',
        'ab👍🏽🇨🇳👨‍👩‍👧en',
        text,
      ]).toContain(kept);
    }
  });
  it('counts CJK as two for vivo', () => {
    expect(wideCharLength('ab会议')).toBe(6);
    expect(truncateText('会议通知会议通知', 9, wideCharLength)).toBe(`会议通${ELLIPSIS}`);
  });
});

describe.each(VENDORS)('%s payload size limits', (vendor) => {
  const cert = certificate(vendor);
  const badge = { unreadAtBackground: 12345, countedSince: 3 };

  it('truncates long multi-byte text to fit, keeps Ext whole, and stays well-formed', () => {
    const ext = JSON.stringify({ entity: { sender: 'alice', content: 'é'.repeat(300) } });
    for (const repeat of [10, 100, 400, 1000]) {
      const text = '会议改到下午三点😀👍🏽'.repeat(repeat);
      const result = render({ message: message(text, ext, '通知'.repeat(40)), certificate: cert, badge });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(vendorBytes(result.request)).toBeLessThanOrEqual(limitOf(vendor));
      expect(extOf(result.request)).toBe(ext);
      expect(wellFormed(result.text)).toBe(true);
      expect(`Alice: ${text}`.startsWith(result.truncated ? result.text.slice(0, -1) : result.text)).toBe(
        true,
      );
    }
  });

  it('shortens the text down to an ellipsis before giving up on a large Ext', () => {
    // Find the largest Ext that still fits: the text must be cut to make room, the Ext kept whole.
    let size = 3000;
    let last: ReturnType<typeof render> | undefined;
    for (;;) {
      const r = render({ message: message('x'.repeat(2000), 'e'.repeat(size)), certificate: cert });
      if (!r.ok) break;
      last = r;
      size += 16;
    }
    expect(last?.ok).toBe(true);
    if (!last?.ok) return;
    expect(last.truncated).toBe(true);
    expect(extOf(last.request)).toBe('e'.repeat(size - 16));
    // Vendors that refuse a notification without a title keep at least an ellipsis there.
    if (TITLE_REQUIRED.includes(vendor)) expect(last.title).toBeTruthy();
    const failed = render({ message: message('x'.repeat(2000), 'e'.repeat(size)), certificate: cert });
    expect(failed).toMatchObject({ ok: false, reason: 'ext-too-large' });
  });

  it('answers ext-too-large for an Ext over the limit, and payload-too-large without Ext', () => {
    const r = render({ message: message('hi', 'x'.repeat(5000)), certificate: cert });
    expect(r).toMatchObject({ ok: false, reason: 'ext-too-large' });
    const withImage: RenderMessage = {
      ...message('hi'),
      offlinePushInfo: {
        ApnsInfo: { Image: `https://x/${'i'.repeat(6000)}` },
        AndroidInfo: {
          GoogleImage: `https://x/${'i'.repeat(6000)}`,
          HuaWeiImage: `https://x/${'i'.repeat(6000)}`,
          HonorImage: `https://x/${'i'.repeat(6000)}`,
        },
      },
    };
    if (['apns', 'fcm', 'huawei', 'honor'].includes(vendor)) {
      expect(render({ message: withImage, certificate: cert })).toMatchObject({
        ok: false,
        reason: 'payload-too-large',
      });
      // A small Ext is not blamed for a payload that the image URL makes too large.
      const withSmallExt = {
        ...withImage,
        offlinePushInfo: { ...withImage.offlinePushInfo, Ext: '{"k":1}' },
      };
      expect(render({ message: withSmallExt, certificate: cert })).toMatchObject({
        ok: false,
        reason: 'payload-too-large',
      });
    }
  });
});

it('APNs VoIP payloads may use 5120 bytes', () => {
  const ext = 'v'.repeat(4500);
  const alert = render({ message: message('ring', ext), certificate: certificate('apns') });
  expect(alert).toMatchObject({ ok: false, reason: 'ext-too-large' });
  const voip = render({
    message: { ...message('ring', ext), kind: 'call' },
    certificate: certificate('apns', { kind: 'voip' }),
  });
  expect(voip.ok).toBe(true);
  if (voip.ok) expect(vendorBytes(voip.request)).toBeLessThanOrEqual(5120);
});

describe('titles when the message names none', () => {
  const task = (nick?: string): RenderMessage => ({
    kind: 'message',
    chatType: 'c2c',
    task: true,
    sender: { userId: 'ops', ...(nick ? { nick } : {}) },
    body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'sale' } }],
    appName: 'Chat',
    now: NOW,
  });
  it.each(VENDORS.filter((v) => v !== 'apns'))('%s: nick, else the certificate, else the app', (vendor) => {
    const plain = certificate(vendor);
    const named = { ...plain, defaults: { ...plain.defaults, displayName: 'Chat Pro' } };
    expect(render({ message: task('News'), certificate: named })).toMatchObject({ title: 'News' });
    expect(render({ message: task(), certificate: named })).toMatchObject({ title: 'Chat Pro' });
    expect(render({ message: task(), certificate: plain })).toMatchObject({ title: 'Chat' });
    // A chat message from a user without a nickname keeps the user ID (as before).
    const chat = { ...task(), task: false };
    expect(render({ message: chat, certificate: plain })).toMatchObject({ title: 'ops' });
  });
});
