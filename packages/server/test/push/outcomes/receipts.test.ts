// Vendor receipt endpoints (/v3/offline_push_report/<vendor>) and the SDK click report, over real HTTP on
// SQLite and PostgreSQL: each vendor's receipt format, URL tokens, and per-user click checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genUserSig } from '../../../src/auth/usersig.js';
import { withReceiptFields } from '../../../src/push/outcomes/receipt-fields.js';
import { receiptUrl } from '../../../src/push/outcomes/receipt-token.js';
import type { PushRecord } from '../../../src/push/outcomes/types.js';
import { testBackends } from '../../helpers/databases.js';
import { answer, pushRecord } from '../../helpers/outcomes.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

const backends = await testBackends();

describe.each(backends)('push receipts and clicks on %s', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ backend, config: { publicUrl: 'https://push.example.com' } });
  });
  afterAll(async () => {
    await s?.close();
  });

  const urlFor = (vendor: string) => receiptUrl(s.url, s.app.secretKey, s.app.sdkAppId, vendor);

  async function post(url: string, body: string, contentType = 'application/json') {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async function sent(overrides: Partial<PushRecord>, vendorId?: string): Promise<PushRecord> {
    const r = pushRecord(s.app.sdkAppId, overrides);
    await s.pushline.outcomes.recorder.accepted([r]);
    await s.pushline.outcomes.recorder.vendorAnswers([
      answer(r, { kind: 'sent', ...(vendorId ? { vendorId } : {}) }),
    ]);
    return r;
  }

  async function stages(pushId: string) {
    const rows = await s.pushline.db
      .selectFrom('push_trace_events')
      .select(['stage', 'code'])
      .where('push_id', '=', pushId)
      .orderBy('id')
      .execute();
    return rows.map((r) => (r.code ? `${r.stage}:${r.code}` : r.stage));
  }

  it('takes Huawei receipts by biTag and by requestId + token', async () => {
    const byTag = await sent({ vendor: 'huawei' });
    const byRequest = await sent({ vendor: 'huawei' }, '1545206237453123');
    const r = await post(
      urlFor('huawei'),
      JSON.stringify({
        statuses: [
          {
            biTag: byTag.pushId,
            appid: '101192915',
            token: byTag.token,
            status: 0,
            timestamp: 1545206237453,
            requestId: 'x',
          },
          {
            appid: '101192915',
            token: byRequest.token,
            status: 2,
            timestamp: Date.now(),
            requestId: '1545206237453123',
          },
        ],
      }),
    );
    expect(r).toEqual({ status: 200, body: { code: 0, message: 'success', receipts: 2, matched: 2 } });
    expect(await stages(byTag.pushId)).toEqual(['sent', 'delivered']);
    expect(await stages(byRequest.pushId)).toEqual(['sent', 'undelivered:2']);
  });

  it('takes Honor receipts', async () => {
    const p = await sent({ vendor: 'honor' });
    const r = await post(
      urlFor('honor'),
      JSON.stringify({
        statuses: [{ biTag: p.pushId, appId: '104', token: p.token, status: 0, timestamp: Date.now() }],
      }),
    );
    expect(r.body).toMatchObject({ matched: 1 });
    expect(await stages(p.pushId)).toEqual(['sent', 'delivered']);
  });

  it('takes vivo receipts keyed by taskId with callback.param and targets', async () => {
    const a = await sent({ vendor: 'vivo' }, '581920001');
    const b = await sent({ vendor: 'vivo' }, '581920001');
    const r = await post(
      urlFor('vivo'),
      JSON.stringify({ '581920001': { param: a.pushId, targets: `${a.token},${b.token}` } }),
    );
    expect(r.body).toMatchObject({ receipts: 1, matched: 2 });
    expect(await stages(a.pushId)).toEqual(['sent', 'delivered']);
    expect(await stages(b.pushId)).toEqual(['sent', 'delivered']);
  });

  it('takes Meizu (cb=) and Xiaomi (data=) form receipts: delivered, clicked, invalid target', async () => {
    const mz = await sent({ vendor: 'meizu' }, 'NS20160407170613001001');
    const form = new URLSearchParams({
      cb: JSON.stringify({ NS20160407170613001001: { param: mz.pushId, type: 2, targets: [mz.token] } }),
    });
    const r = await post(urlFor('meizu'), form.toString(), 'application/x-www-form-urlencoded');
    expect(r.body).toMatchObject({ matched: 1 });
    expect(await stages(mz.pushId)).toEqual(['sent', 'clicked']);

    const xm = await sent({ vendor: 'xiaomi' }, 'slm41b5c6b1642345271Pi');
    const data = new URLSearchParams({
      data: JSON.stringify({
        slm41b5c6b1642345271Pi: {
          param: xm.pushId,
          type: 16,
          targets: xm.token,
          jobkey: '',
          barStatus: 'Enable',
        },
      }),
    });
    await post(urlFor('xiaomi'), data.toString(), 'application/x-www-form-urlencoded');
    expect(await stages(xm.pushId)).toEqual(['sent', 'undelivered:16']);
  });

  it('closes the loop: the callback URL and PushID a channel puts in a vivo message bring its receipt back', async () => {
    const p = await sent({ vendor: 'vivo' }, 'task-77');
    const callback = await s.pushline.outcomes.receiptCallbackUrl(s.app.sdkAppId, 'vivo');
    expect(callback).toBe(receiptUrl('https://push.example.com', s.app.secretKey, s.app.sdkAppId, 'vivo'));
    expect(await s.pushline.outcomes.receiptCallbackUrl(123, 'vivo')).toBeUndefined();
    const request = withReceiptFields({ vendor: 'vivo', message: { title: 'hi' } }, p.pushId, callback);
    // What vivo does with it: POST its receipt to extra.callback, echoing extra["callback.param"].
    const extra = (request as { message: { extra: Record<string, string> } }).message.extra;
    const target = new URL(extra.callback!);
    const local = `${s.url}${target.pathname}${target.search}`; // the public address, reached locally
    const r = await post(
      local,
      JSON.stringify({ 'task-77': { param: extra['callback.param'], targets: p.token } }),
    );
    expect(r.body).toMatchObject({ matched: 1 });
    expect(await stages(p.pushId)).toEqual(['sent', 'delivered']);
  });

  it('refuses receipts without the right token, for unknown vendors and with bad bodies', async () => {
    const p = await sent({ vendor: 'huawei' });
    const body = JSON.stringify({ statuses: [{ biTag: p.pushId, status: 0 }] });
    const good = new URL(urlFor('huawei'));
    const wrongVendor = new URL(urlFor('honor'));
    wrongVendor.pathname = good.pathname; // the honor token on the huawei path
    const other = await s.pushline.apps.create({ name: 'Other' });
    for (const url of [
      `${s.url}/v3/offline_push_report/huawei`,
      `${s.url}/v3/offline_push_report/huawei?sdkappid=${s.app.sdkAppId}&token=${'0'.repeat(32)}`,
      wrongVendor.toString(),
      receiptUrl(s.url, other.secretKey, s.app.sdkAppId, 'huawei'),
      `${s.url}/v3/offline_push_report/huawei?sdkappid=abc&token=x`,
    ]) {
      const r = await post(url, body);
      expect(r.status, url).toBe(401);
      expect(r.body.error).toMatch(/receipt URL/);
    }
    expect((await post(urlFor('apns'), body)).status).toBe(404);
    const bad = await post(urlFor('huawei'), '{"status":0}');
    expect(bad).toEqual({
      status: 400,
      body: { error: 'not a huawei receipt: expected {"statuses":[...]}' },
    });
    expect((await post(urlFor('meizu'), 'x=1', 'application/x-www-form-urlencoded')).body.error).toMatch(
      /"cb"/,
    );
    expect(await stages(p.pushId)).toEqual(['sent']);
    // An app's receipt cannot touch another app's push, even with a valid URL of its own.
    const foreign = await post(receiptUrl(s.url, other.secretKey, other.sdkAppId, 'huawei'), body);
    expect(foreign.body).toMatchObject({ matched: 0 });
  });

  it('records a click reported by the receiver with a UserSig', async () => {
    const p = await sent({ vendor: 'apns', toUser: 'bob' });
    const click = (userSig: string | undefined, payload: unknown) =>
      fetch(`${s.url}/api/client/push-click`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(userSig ? { authorization: `Bearer ${userSig}` } : {}),
        },
        body: JSON.stringify(payload),
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as Record<string, unknown> }));
    const sig = (user: string, key = s.app.secretKey) =>
      genUserSig({ sdkAppId: s.app.sdkAppId, key, identifier: user, expire: 600 });

    expect(await click(undefined, { pushId: p.pushId })).toMatchObject({
      status: 401,
      body: { code: 70002 },
    });
    expect(await click('garbage', { pushId: p.pushId })).toMatchObject({
      status: 401,
      body: { code: 70003 },
    });
    expect(await click(sig('bob', 'f'.repeat(64)), { pushId: p.pushId })).toMatchObject({
      status: 401,
      body: { code: 70009 },
    });
    expect(await click(sig('bob'), {})).toMatchObject({ status: 400, body: { code: 70402 } });
    expect(await click(sig('mallory'), { pushId: p.pushId })).toMatchObject({ status: 404 });
    expect(await stages(p.pushId)).toEqual(['sent']);
    expect(await click(sig('bob'), { pushId: p.pushId })).toEqual({
      status: 200,
      body: { code: 0, message: 'ok' },
    });
    expect(await stages(p.pushId)).toEqual(['sent', 'clicked']);
    const trace = await s.v4('timpush/normal_push_trace', { PushID: p.pushId });
    expect(
      (trace.InstanceTrace as { OfflinePushStat: { ClickStat: { PushStatus: number } } }[])[0]!
        .OfflinePushStat.ClickStat.PushStatus,
    ).toBe(1);
  });
});
