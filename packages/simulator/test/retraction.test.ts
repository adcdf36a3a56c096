// Retracting shown notifications over real HTTPS sockets: Huawei's and Xiaomi's revoke APIs, Honor's
// replacement by notifyId, and the record listeners hearing of each retraction (the console's live phones).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateVendorApp, type PushRecord, type Simulators, startSimulators } from '../src/index.js';
import { httpsCall } from './helpers.js';

let sim: Simulators;
const call = (base: string | undefined, path: string, opts: Parameters<typeof httpsCall>[2] = {}) =>
  httpsCall(`${base}${path}`, sim.caCertPem, opts);

beforeAll(async () => {
  sim = await startSimulators({ vendors: ['huawei', 'honor', 'xiaomi'], control: false });
});
afterAll(async () => {
  await sim?.stop();
});

/** Records the listeners hear (again) as retracted. */
function retractions(): PushRecord[] {
  const heard: PushRecord[] = [];
  sim.subscribe((r) => {
    if (r.retractedAt !== undefined) heard.push(r);
  });
  return heard;
}

describe('Huawei messages:revoke', () => {
  it('removes the notification with that notifyId from the phones named, and checks push-type and body', async () => {
    const app = sim.registerVendorApp('huawei', generateVendorApp('huawei'));
    const auth = await call(sim.urls.huaweiOAuth, '/oauth2/v3/token', {
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: app.appId,
        client_secret: app.appSecret!,
      }),
    });
    const headers = { authorization: `Bearer ${auth.json.access_token}` };
    const phone = sim.devices.install('huawei', { app: app.appId }).token;
    const other = sim.devices.install('huawei', { app: app.appId }).token;
    const notification = (title: string, notify_id: number) => ({
      android: { notification: { title, body: 'hi', click_action: { type: 3 }, notify_id } },
      token: [phone, other],
    });
    for (const [title, id] of [
      ['keep', 1],
      ['recall', 2],
    ] as const) {
      const sent = await call(sim.urls.huawei, `/v1/${app.appId}/messages:send`, {
        headers,
        body: { message: notification(title, id) },
      });
      expect(sent.json.code).toBe('80000000');
    }
    expect(sim.received({ token: phone }).map((r) => r.notifyId)).toEqual(['1', '2']);
    const heard = retractions();
    const revoke = (body: object, extra: Record<string, string> = { 'push-type': '0' }) =>
      call(sim.urls.huawei, `/v1/${app.appId}/messages:revoke`, { headers: { ...headers, ...extra }, body });

    const noType = await revoke({ notifyId: 2, token: [phone] }, {});
    expect([noType.status, noType.json.code]).toEqual([400, '80100003']);
    expect((await revoke({ token: [phone] })).json.code).toBe('80100001');
    expect((await revoke({ notifyId: 2, token: [] })).json.code).toBe('80100001');
    const unauth = await revoke(
      { notifyId: 2, token: [phone] },
      { 'push-type': '0', authorization: 'Bearer x' },
    );
    expect([unauth.status, unauth.json.code]).toEqual([401, '80200001']);
    expect(sim.received({ token: phone }).every((r) => r.retractedAt === undefined)).toBe(true);

    const ok = await revoke({ notifyId: 2, token: [phone] });
    expect([ok.status, ok.json.code, ok.json.msg]).toEqual([200, '80000000', 'Success']);
    const [kept, recalled] = sim.received({ token: phone });
    expect(kept?.retractedAt).toBeUndefined();
    expect(recalled).toMatchObject({ title: 'recall', retractedBy: 'revoke' });
    expect(recalled?.retractedAt).toBeTypeOf('number');
    // Only the phones the request named.
    expect(sim.received({ token: other }).every((r) => r.retractedAt === undefined)).toBe(true);
    expect(heard.map((r) => r.title)).toEqual(['recall']);
  });
});

describe('Xiaomi regid/revoke', () => {
  it('removes the notification with that notify_id from the regIds named; auth and fields checked', async () => {
    const app = sim.registerVendorApp('xiaomi', generateVendorApp('xiaomi'));
    const phone = sim.devices.install('xiaomi', { app: app.appId }).token;
    const headers = { authorization: `key=${app.appSecret}` };
    const sent = await call(sim.urls.xiaomi, '/v3/message/regid', {
      headers,
      body: new URLSearchParams({
        registration_id: phone,
        restricted_package_name: app.appId,
        title: 'Ivy',
        description: 'oops',
        pass_through: '0',
        notify_id: '77',
      }),
    });
    expect(sent.json.result).toBe('ok');
    const revoke = (fields: Record<string, string>, auth = headers, path = '/v3/message/regid/revoke') =>
      call(sim.urls.xiaomi, path, {
        headers: auth,
        body: new URLSearchParams({ restricted_package_name: app.appId, ...fields }),
      });
    expect(
      (await revoke({ registration_id: phone, notify_id: '77' }, { authorization: 'key=x' })).json,
    ).toMatchObject({ result: 'error', code: 21301 });
    expect((await revoke({ registration_id: phone })).json).toMatchObject({ result: 'error', code: 10017 });
    expect((await revoke({ notify_id: '77' })).json).toMatchObject({ result: 'error', code: 10017 });
    expect(sim.received({ token: phone })[0]?.retractedAt).toBeUndefined();

    const ok = await revoke({ registration_id: phone, notify_id: '77' });
    expect(ok.json).toMatchObject({ result: 'ok', code: 0 });
    expect(sim.received({ token: phone })[0]).toMatchObject({
      title: 'Ivy',
      notifyId: '77',
      retractedBy: 'revoke',
    });
    // The older v1 path answers the same way.
    expect(
      (await revoke({ registration_id: phone, notify_id: '77' }, headers, '/v1/message/regid/revoke')).json,
    ).toMatchObject({
      result: 'ok',
    });
  });
});

describe('Honor', () => {
  it('a notification with the same notifyId replaces the shown one', async () => {
    const app = sim.registerVendorApp('honor', generateVendorApp('honor'));
    const auth = await call(sim.urls.honorOAuth, '/auth/token', {
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: app.clientId!,
        client_secret: app.clientSecret!,
      }),
    });
    const phone = sim.devices.install('honor', { app: app.appId }).token;
    const headers = { authorization: `Bearer ${auth.json.access_token}`, timestamp: String(Date.now()) };
    const send = (title: string, notifyId: number) =>
      call(sim.urls.honor, `/api/v1/${app.appId}/sendMessage`, {
        headers,
        body: {
          android: { notification: { title, body: 'text', clickAction: { type: 3 }, notifyId } },
          token: [phone],
        },
      });
    await send('first', 5);
    await send('other', 6);
    await send('Message recalled', 5);
    const [first, other, replacement] = sim.received({ token: phone });
    expect(first).toMatchObject({ title: 'first', retractedBy: 'replaced' });
    expect(other?.retractedAt).toBeUndefined();
    expect(replacement).toMatchObject({ title: 'Message recalled', notifyId: '5' });
    expect(replacement?.retractedAt).toBeUndefined();
  });
});
