// Huawei, Honor, Xiaomi, OPPO, vivo and Meizu simulators over real HTTPS sockets.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateVendorApp,
  meizuSign,
  type Simulators,
  startSimulators,
  type VendorApp,
} from '../src/index.js';
import { httpsCall } from './helpers.js';

let sim: Simulators;
const call = (base: string | undefined, path: string, opts: Parameters<typeof httpsCall>[2] = {}) =>
  httpsCall(`${base}${path}`, sim.caCertPem, opts);
const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

beforeAll(async () => {
  sim = await startSimulators({
    vendors: ['huawei', 'honor', 'xiaomi', 'oppo', 'vivo', 'meizu'],
    control: false,
  });
});
afterAll(async () => {
  await sim?.stop();
});

function installs(vendor: 'huawei' | 'honor' | 'xiaomi' | 'oppo' | 'vivo' | 'meizu', app: string) {
  const good = sim.devices.install(vendor, { app }).token;
  const gone = sim.devices.install(vendor, { app }).token;
  sim.devices.uninstall(vendor, gone);
  const foreign = sim.devices.install(vendor, { app: 'someone-else' }).token;
  return { good, gone, foreign };
}

describe('Huawei', () => {
  let app: VendorApp;
  let token: string;
  beforeAll(async () => {
    app = sim.registerVendorApp('huawei', generateVendorApp('huawei'));
    const res = await call(sim.urls.huaweiOAuth, '/oauth2/v3/token', {
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: app.appId,
        client_secret: app.appSecret!,
      }),
    });
    expect(res.json).toMatchObject({ expires_in: 3600, token_type: 'Bearer' });
    token = res.json.access_token;
  });
  const send = (message: object, bearer = token, appId = app.appId) =>
    call(sim.urls.huawei, `/v1/${appId}/messages:send`, {
      headers: { authorization: `Bearer ${bearer}` },
      body: { message },
    });
  const notification = {
    title: 'Frank',
    body: 'yo',
    click_action: { type: 3 },
    channel_id: 'im',
    badge: { add_num: 1 },
  };

  it('sends, reports partial success with illegal_tokens, and all-invalid as 80300007', async () => {
    const t = installs('huawei', app.appId);
    const ok = await send({ android: { urgency: 'HIGH', category: 'IM', notification }, token: [t.good] });
    expect([ok.status, ok.json.code, ok.json.msg]).toEqual([200, '80000000', 'Success']);
    expect(sim.received({ token: t.good })[0]).toMatchObject({
      title: 'Frank',
      body: 'yo',
      channel: 'im',
      category: 'IM',
      badge: 1,
      priority: 'HIGH',
    });
    const partial = await send({ android: { notification }, token: [t.good, t.gone, t.foreign] });
    expect(partial.json.code).toBe('80100000');
    expect(JSON.parse(partial.json.msg)).toEqual({
      success: 1,
      failure: 2,
      illegal_tokens: [t.gone, t.foreign],
    });
    const none = await send({ android: { notification }, token: [t.gone] });
    expect([none.status, none.json.code]).toEqual([400, '80300007']);
  });

  it('rejects bad OAuth, expired tokens, validator violations and too many tokens', async () => {
    const bad = await call(sim.urls.huaweiOAuth, '/oauth2/v3/token', {
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: app.appId,
        client_secret: 'nope',
      }),
    });
    expect(bad.status).toBe(400);
    const t = installs('huawei', app.appId);
    expect((await send({ token: [t.good] }, 'bogus')).json.code).toBe('80200001');
    const badge = await send({
      android: { notification: { ...notification, badge: { add_num: 100 } } },
      token: [t.good],
    });
    expect([badge.status, badge.json.code, badge.json.msg]).toEqual([
      400,
      '80100003',
      'Illegal payload, badge addNum value ranges from 1 to 99',
    ]);
    expect(
      (await send({ android: { notification: { title: 'x', click_action: { type: 2 } } }, token: [t.good] }))
        .json.code,
    ).toBe('80100003');
    expect(
      (await send({ android: { notification: { ...notification, style: 1 } }, token: [t.good] })).json.code,
    ).toBe('80100003');
    expect((await send({ token: Array.from({ length: 1001 }, () => t.good) })).json.code).toBe('80300010');
    expect((await send({ data: 'x'.repeat(5000), token: [t.good] })).json.code).toBe('80300008');
    const other = sim.registerVendorApp('huawei', generateVendorApp('huawei'));
    expect((await send({ token: [t.good] }, token, other.appId)).json.code).toBe('80200001');
    sim.expireAccessTokens('huawei');
    const expired = await send({ android: { notification }, token: [t.good] });
    expect([expired.status, expired.json.code]).toEqual([401, '80200003']);
  });
});

describe('Honor', () => {
  it('authenticates, sends and lists failTokens / expireTokens', async () => {
    const app = sim.registerVendorApp('honor', generateVendorApp('honor'));
    const auth = await call(sim.urls.honorOAuth, '/auth/token', {
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: app.clientId!,
        client_secret: app.clientSecret!,
      }),
    });
    expect(auth.status).toBe(200);
    const t = installs('honor', app.appId);
    const headers = { authorization: `Bearer ${auth.json.access_token}`, timestamp: String(Date.now()) };
    const body = {
      android: {
        notification: { title: 'Gina', body: 'hello', clickAction: { type: 3 }, badge: { addNum: 1 } },
      },
      token: [t.good, t.gone, t.foreign],
    };
    const res = await call(sim.urls.honor, `/api/v1/${app.appId}/sendMessage`, { headers, body });
    expect(res.json).toMatchObject({
      code: 200,
      message: 'success',
      data: { sendResult: true, failTokens: [t.foreign], expireTokens: [t.gone] },
    });
    expect(sim.received({ token: t.good })[0]).toMatchObject({ title: 'Gina', body: 'hello', badge: 1 });
    const wrong = await call(sim.urls.honorOAuth, '/auth/token', {
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: app.clientId!,
        client_secret: 'x',
      }),
    });
    expect(wrong.status).toBe(401);
    const unauth = await call(sim.urls.honor, `/api/v1/${app.appId}/sendMessage`, {
      headers: { ...headers, authorization: 'Bearer x' },
      body,
    });
    expect([unauth.status, unauth.json.code]).toEqual([401, 80200001]);
  });
});

describe('Xiaomi', () => {
  it('accepts form posts with key=AppSecret, reports 21301 for a bad secret', async () => {
    const app = sim.registerVendorApp('xiaomi', generateVendorApp('xiaomi'));
    const t = installs('xiaomi', app.appId);
    const f = (ids: string[], extra: Record<string, string> = {}) =>
      new URLSearchParams({
        registration_id: ids.join(','),
        restricted_package_name: app.appId,
        title: 'Hank',
        description: 'are you there',
        pass_through: '0',
        notify_type: '-1',
        payload: '{"conv":"1"}',
        'extra.channel_id': 'im_channel',
        ...extra,
      });
    const res = await call(sim.urls.xiaomi, '/v3/message/regid', {
      headers: { authorization: `key=${app.appSecret}` },
      body: f([t.good, t.gone]),
    });
    expect(res.json).toMatchObject({
      result: 'ok',
      code: 0,
      info: 'Received push messages for 1 REGID',
      data: { bad_regids: t.gone },
    });
    expect(sim.received({ token: t.good })[0]).toMatchObject({
      title: 'Hank',
      body: 'are you there',
      channel: 'im_channel',
      data: '{"conv":"1"}',
    });
    const bad = await call(sim.urls.xiaomi, '/v3/message/regid', {
      headers: { authorization: 'key=wrong' },
      body: f([t.good]),
    });
    expect(bad.json).toMatchObject({ result: 'error', code: 21301, reason: 'Invalid application secret.' });
    const noTitle = await call(sim.urls.xiaomi, '/v3/message/regid', {
      headers: { authorization: `key=${app.appSecret}` },
      body: f([t.good], { title: '' }),
    });
    expect(noTitle.json.result).toBe('error');
    const none = await call(sim.urls.xiaomi, '/v3/message/regid', {
      headers: { authorization: `key=${app.appSecret}` },
      body: f([t.foreign]),
    });
    expect(none.json.result).toBe('error');
  });
});

describe('OPPO', () => {
  it('signs in with sha256, sends unicast and broadcast, rejects a bad sign and auth token', async () => {
    const app = sim.registerVendorApp('oppo', generateVendorApp('oppo'));
    const ts = String(Date.now());
    const auth = await call(sim.urls.oppo, '/server/v1/auth', {
      body: new URLSearchParams({
        app_key: app.appId,
        timestamp: ts,
        sign: sha256(app.appId + ts + app.masterSecret),
      }),
    });
    expect(auth.json).toMatchObject({ code: 0, message: 'Success' });
    const authToken = auth.json.data.auth_token;
    const badSign = await call(sim.urls.oppo, '/server/v1/auth', {
      body: new URLSearchParams({ app_key: app.appId, timestamp: ts, sign: 'x' }),
    });
    expect(badSign.json.code).toBe(16);
    const t = installs('oppo', app.appId);
    const notification = {
      title: 'Ivy',
      sub_title: 'DM',
      content: 'call me',
      channel_id: 'im',
      click_action_type: 0,
    };
    const unicast = (target: string, token = authToken) =>
      call(sim.urls.oppo, '/server/v1/message/notification/unicast', {
        body: new URLSearchParams({
          auth_token: token,
          message: JSON.stringify({ target_type: 2, target_value: target, notification }),
        }),
      });
    const ok = await unicast(t.good);
    expect(ok.json).toMatchObject({ code: 0, data: { status: 'call_success' } });
    expect(sim.received({ token: t.good })[0]).toMatchObject({
      title: 'Ivy',
      subtitle: 'DM',
      body: 'call me',
      channel: 'im',
    });
    expect((await unicast(t.gone)).json.code).toBe(10000);
    expect((await unicast(t.good, 'bogus')).json.code).toBe(11);
    const saved = await call(sim.urls.oppo, '/server/v1/message/notification/save_message_content', {
      body: new URLSearchParams({ auth_token: authToken, ...notification, click_action_type: '0' }),
    });
    const broadcast = await call(sim.urls.oppo, '/server/v1/message/notification/broadcast', {
      body: new URLSearchParams({
        auth_token: authToken,
        message_id: saved.json.data.message_id,
        target_type: '2',
        target_value: `${t.good},${t.foreign}`,
      }),
    });
    expect(broadcast.json).toMatchObject({
      code: 0,
      data: { message_id: saved.json.data.message_id, 10000: [t.foreign] },
    });
    expect(sim.received({ token: t.good }).length).toBe(2);
  });
});

describe('vivo', () => {
  it('signs in with md5, sends, and answers 10302 with invalidUser and 10094 for another appId', async () => {
    const app = sim.registerVendorApp('vivo', generateVendorApp('vivo'));
    const timestamp = Date.now();
    const auth = await call(sim.urls.vivo, '/message/auth', {
      body: {
        appId: app.appId,
        appKey: app.appKey,
        timestamp,
        sign: md5(`${app.appId}${app.appKey}${timestamp}${app.appSecret}`),
      },
    });
    expect(auth.json).toMatchObject({ result: 0, desc: '请求成功' });
    const headers = { authToken: auth.json.authToken };
    const t = installs('vivo', app.appId);
    let n = 0;
    const msg = (regId: string, extra = {}) => ({
      appId: Number(app.appId),
      regId,
      notifyType: 4,
      title: 'Jay',
      content: 'hey',
      skipType: 1,
      requestId: `r${n++}`,
      classification: 1,
      ...extra,
    });
    const ok = await call(sim.urls.vivo, '/message/send', { headers, body: msg(t.good) });
    expect(ok.json).toMatchObject({ result: 0 });
    expect(ok.json.taskId).toBeTruthy();
    expect(sim.received({ token: t.good })[0]).toMatchObject({ title: 'Jay', body: 'hey' });
    const invalid = await call(sim.urls.vivo, '/message/send', { headers, body: msg(t.gone) });
    expect(invalid.json).toMatchObject({ result: 10302, invalidUser: { userid: t.gone } });
    expect(
      (await call(sim.urls.vivo, '/message/send', { headers, body: msg(t.good, { appId: 1 }) })).json.result,
    ).toBe(10094);
    expect(
      (await call(sim.urls.vivo, '/message/send', { headers: { authToken: 'x' }, body: msg(t.good) })).json
        .result,
    ).not.toBe(0);
    const saved = await call(sim.urls.vivo, '/message/saveListPayload', { headers, body: msg('') });
    const list = await call(sim.urls.vivo, '/message/pushToList', {
      headers,
      body: { appId: app.appId, taskId: saved.json.taskId, regIds: [t.good, t.foreign], requestId: 'list-1' },
    });
    expect(list.json).toMatchObject({ result: 0, invalidUsers: [{ userid: t.foreign }] });
    const tooMany = await call(sim.urls.vivo, '/message/pushToList', {
      headers,
      body: { taskId: saved.json.taskId, regIds: Array(1001).fill(t.good), requestId: 'list-2' },
    });
    expect(tooMany.json.result).toBe(10252);
  });
});

describe('Meizu', () => {
  it('verifies the md5 sorted-param sign and maps bad pushIds by code in value', async () => {
    const app = sim.registerVendorApp('meizu', generateVendorApp('meizu'));
    const t = installs('meizu', app.appId);
    const params: Record<string, string> = {
      appId: app.appId,
      pushIds: [t.good, t.gone, t.foreign].join(','),
      messageJson: JSON.stringify({
        noticeBarInfo: { noticeMsgType: 1, title: 'Kim', content: 'ok?' },
        clickTypeInfo: { clickType: 0 },
      }),
    };
    // The doc's example: md5("appId=...messageJson=...pushIds=..." + appSecret).
    const sign = md5(
      `appId=${params.appId}messageJson=${params.messageJson}pushIds=${params.pushIds}${app.appSecret}`,
    );
    expect(meizuSign(params, app.appSecret!)).toBe(sign);
    const res = await call(sim.urls.meizu, '/garcia/api/server/push/varnished/pushByPushId', {
      body: new URLSearchParams({ ...params, sign }),
    });
    expect(res.json).toMatchObject({ code: '200', value: { 110002: [t.gone], 110003: [t.foreign] } });
    expect(sim.received({ token: t.good })[0]).toMatchObject({ title: 'Kim', body: 'ok?' });
    const bad = await call(sim.urls.meizu, '/garcia/api/server/push/varnished/pushByPushId', {
      body: new URLSearchParams({ ...params, sign: 'x' }),
    });
    expect(bad.json.code).toBe('1006');
    const many = { ...params, pushIds: Array(101).fill(t.good).join(',') };
    const tooMany = await call(sim.urls.meizu, '/garcia/api/server/push/varnished/pushByPushId', {
      body: new URLSearchParams({ ...many, sign: meizuSign(many, app.appSecret!) }),
    });
    expect(tooMany.json.code).toBe('1005');
  });
});
