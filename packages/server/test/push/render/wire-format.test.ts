// Every golden payload checked against the vendors' documented wire formats (docs/internals/apns.md#request,
// docs/internals/fcm.md#request, docs/internals/huawei.md#request, docs/internals/honor.md#request): only
// documented keys, in the vendor's spelling (snake_case for FCM/Huawei, camelCase for Honor), with the
// documented value types.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const goldenDir = fileURLToPath(new URL('./golden/', import.meta.url));
function goldens(vendor: string): [string, { ok: boolean; request?: Record<string, unknown> }][] {
  return readdirSync(`${goldenDir}${vendor}`)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f, JSON.parse(readFileSync(`${goldenDir}${vendor}/${f}`, 'utf8'))]);
}
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Fails with the path of the first key not in `allowed`. */
function onlyKeys(value: unknown, allowed: readonly string[], path: string) {
  expect(isObj(value), `${path} is an object`).toBe(true);
  for (const key of Object.keys(value as Obj)) expect(allowed, `${path}.${key} is documented`).toContain(key);
}

const APS_KEYS = [
  'alert',
  'badge',
  'sound',
  'thread-id',
  'category',
  'content-available',
  'mutable-content',
  'target-content-id',
  'interruption-level',
  'relevance-score',
  'filter-criteria',
];
const ALERT_KEYS = [
  'title',
  'subtitle',
  'body',
  'launch-image',
  'title-loc-key',
  'title-loc-args',
  'loc-key',
  'loc-args',
];

describe('APNs goldens follow the APNs provider API', () => {
  it.each(goldens('apns').filter(([, g]) => g.ok))('%s', (_name, golden) => {
    const r = golden.request as Obj;
    expect(['alert', 'background', 'voip']).toContain(r.pushType);
    expect([10, 5, 1]).toContain(r.priority);
    if (r.pushType === 'background') expect(r.priority).toBe(5);
    if (r.pushType === 'voip') expect(r.topic).toMatch(/\.voip$/);
    if (r.expiration !== undefined) expect(Number.isInteger(r.expiration)).toBe(true);
    if (r.collapseId !== undefined) expect(Buffer.byteLength(String(r.collapseId))).toBeLessThanOrEqual(64);
    const body = r.body as Obj;
    const limit = r.pushType === 'voip' ? 5120 : 4096;
    expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThanOrEqual(limit);
    const aps = body.aps as Obj;
    onlyKeys(aps, APS_KEYS, 'aps');
    if (typeof aps.alert !== 'string') onlyKeys(aps.alert, ALERT_KEYS, 'aps.alert');
    if (aps.badge !== undefined) expect(Number.isInteger(aps.badge) && (aps.badge as number) >= 0).toBe(true);
    if (aps.sound !== undefined) expect(typeof aps.sound).toBe('string');
    if (aps['mutable-content'] !== undefined) expect(aps['mutable-content']).toBe(1);
    if (aps['interruption-level'] !== undefined)
      expect(['passive', 'active', 'time-sensitive', 'critical']).toContain(aps['interruption-level']);
    if (body.ext !== undefined) expect(typeof body.ext).toBe('string');
  });
});

const FCM_NOTIFICATION = ['title', 'body', 'image'];
const FCM_ANDROID = [
  'collapse_key',
  'priority',
  'ttl',
  'restricted_package_name',
  'data',
  'notification',
  'direct_boot_ok',
];
const FCM_ANDROID_NOTIFICATION = [
  'title',
  'body',
  'icon',
  'color',
  'sound',
  'tag',
  'click_action',
  'body_loc_key',
  'body_loc_args',
  'title_loc_key',
  'title_loc_args',
  'channel_id',
  'ticker',
  'sticky',
  'event_time',
  'local_only',
  'notification_priority',
  'default_sound',
  'default_vibrate_timings',
  'default_light_settings',
  'vibrate_timings',
  'visibility',
  'notification_count',
  'light_settings',
  'image',
];

describe('FCM goldens follow HTTP v1 (snake_case)', () => {
  it.each(goldens('fcm').filter(([, g]) => g.ok))('%s', (_name, golden) => {
    const message = (golden.request as Obj).message as Obj;
    onlyKeys(message, ['data', 'notification', 'android', 'apns', 'webpush', 'fcm_options'], 'message');
    expect(message).not.toHaveProperty('token');
    if (message.notification) onlyKeys(message.notification, FCM_NOTIFICATION, 'message.notification');
    const android = message.android as Obj;
    onlyKeys(android, FCM_ANDROID, 'message.android');
    expect(['normal', 'high']).toContain(android.priority);
    if (android.ttl !== undefined) expect(android.ttl).toMatch(/^\d+(\.\d{1,9})?s$/);
    if (android.notification) {
      onlyKeys(android.notification, FCM_ANDROID_NOTIFICATION, 'message.android.notification');
      const count = (android.notification as Obj).notification_count;
      if (count !== undefined) expect(Number.isInteger(count)).toBe(true);
    }
    if (message.data) {
      for (const [key, value] of Object.entries(message.data as Obj)) {
        expect(typeof value, `data.${key} is a string`).toBe('string');
        expect(key).not.toMatch(/^(from|message_type|google\.|gcm\.)/);
      }
    }
  });
});

describe('Huawei goldens are snake_case Push Kit v1, Honor goldens camelCase', () => {
  const HUAWEI_ANDROID = ['collapse_key', 'urgency', 'category', 'ttl', 'bi_tag', 'data', 'notification'];
  const HUAWEI_NOTIFICATION = [
    'title',
    'body',
    'icon',
    'color',
    'sound',
    'default_sound',
    'tag',
    'click_action',
    'channel_id',
    'notify_summary',
    'image',
    'style',
    'big_title',
    'big_body',
    'notify_id',
    'group',
    'badge',
    'importance',
    'when',
    'visibility',
  ];
  it.each(goldens('huawei').filter(([, g]) => g.ok))('huawei %s', (_name, golden) => {
    const message = (golden.request as Obj).message as Obj;
    onlyKeys(message, ['data', 'notification', 'android'], 'message');
    if (message.data !== undefined) expect(typeof message.data).toBe('string');
    const android = message.android as Obj;
    onlyKeys(android, HUAWEI_ANDROID, 'android');
    const n = android.notification as Obj;
    onlyKeys(n, HUAWEI_NOTIFICATION, 'android.notification');
    expect([1, 2, 3]).toContain((n.click_action as Obj).type);
    if (n.style === 1) expect(n.big_title !== undefined && n.big_body !== undefined).toBe(true);
    if (n.badge) onlyKeys(n.badge, ['add_num', 'set_num', 'class'], 'badge');
  });

  const HONOR_NOTIFICATION = [
    'title',
    'body',
    'clickAction',
    'image',
    'style',
    'bigTitle',
    'bigBody',
    'importance',
    'when',
    'buttons',
    'badge',
    'notifyId',
    'tag',
    'group',
  ];
  it.each(goldens('honor').filter(([, g]) => g.ok))('honor %s', (_name, golden) => {
    const message = (golden.request as Obj).message as Obj;
    onlyKeys(message, ['data', 'notification', 'android'], 'message');
    const android = message.android as Obj;
    onlyKeys(android, ['ttl', 'biTag', 'data', 'notification', 'targetUserType'], 'android');
    onlyKeys(android.notification, HONOR_NOTIFICATION, 'android.notification');
    const badge = (android.notification as Obj).badge;
    if (badge) onlyKeys(badge, ['addNum', 'setNum', 'badgeClass'], 'badge');
  });
});
