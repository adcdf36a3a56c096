// End to end, PushID round trip: every vendor request carries the PushID (a hidden `pushId` for the app, the
// Huawei `bi_tag`, the vivo callback); the vendor's delivery receipt (built from what the simulator received,
// posted where the vendor would post it) marks the push delivered; the SDK's click report marks it clicked;
// the trace and the statistics funnel show both. On SQLite and PostgreSQL.
import { generateVendorApp, type Simulators } from '@pushline/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateInfo } from '../../src/certificates/types.js';
import { MemoryPushRecorder } from '../../src/push/engine/index.js';
import { receiptUrl } from '../../src/push/outcomes/receipt-token.js';
import { loggedIn, type TestClient, waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import { random, text } from '../helpers/push-e2e.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { simConfig, startSims } from '../helpers/simulators.js';

const backends = await testBackends();
const PUBLIC_URL = 'https://push.example.com';

describe.each(backends)('PushID, receipts and clicks end to end on %s', (backend) => {
  let sim: Simulators;
  let s: TestServer;
  const recorder = new MemoryPushRecorder();
  const certs: Record<'huawei' | 'vivo', CertificateInfo> = {} as never;
  const apps: Record<'huawei' | 'vivo', string> = {} as never;

  beforeAll(async () => {
    sim = await startSims({ vendors: ['huawei', 'vivo'] });
    s = await startTestServer({
      backend,
      config: { ...simConfig(sim), publicUrl: PUBLIC_URL },
      create: { pushRecorder: recorder },
    });
    for (const vendor of ['huawei', 'vivo'] as const) {
      const app = sim.registerVendorApp(vendor, generateVendorApp(vendor));
      apps[vendor] = app.appId;
      certs[vendor] = await s.pushline.certificateService.add(s.app.sdkAppId, {
        vendor,
        appId: app.appId,
        ...(vendor === 'huawei'
          ? { clientSecret: app.appSecret }
          : { appKey: app.appKey as string, appSecret: app.appSecret }),
      });
    }
    const r = await s.v4('im_open_login_svc/multiaccount_import', {
      AccountList: ['boss', 'hua', 'hub', 'viv'].map((UserID) => ({ UserID })),
    });
    expect(r).toMatchObject({ ErrorCode: 0 });
  });
  afterAll(async () => {
    await s?.close();
    await sim?.stop();
  });

  async function phone(
    userID: string,
    vendor: 'huawei' | 'vivo',
  ): Promise<{ client: TestClient; token: string }> {
    const { token } = sim.devices.install(vendor, { app: apps[vendor] });
    const client = await loggedIn(s, userID, { instanceID: `${userID}-phone`, platform: 'Android' });
    await client.chat.setOfflinePushConfig({ businessID: certs[vendor].id, token });
    await client.chat.doBackground(0);
    return { client, token };
  }
  const pushIdOf = (token: string) =>
    recorder.acceptedRecords.find((r) => r.token === token)?.pushId as string;
  const stagesOf = async (pushId: string) => {
    const t = await s.v4('timpush/normal_push_trace', { PushID: pushId });
    type Stat = { PushStatus: number };
    type Trace = {
      Stages: { Stage: string }[];
      OfflinePushStat: { ChannelStat: Stat; DeviceStat: Stat; ClickStat: Stat };
    };
    const [trace] = (t.InstanceTrace as Trace[] | undefined) ?? [];
    return trace;
  };
  const post = async (url: string, body: string) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('push -> payload with PushID -> vendor receipt -> SDK click -> trace and funnel', async () => {
    const startTime = Math.floor(Date.now() / 1000) - 1;
    const hua = await phone('hua', 'huawei');
    const hub = await phone('hub', 'huawei');
    const viv = await phone('viv', 'vivo');
    const r = await s.v4('openim/batchsendmsg', {
      From_Account: 'boss',
      To_Account: ['hua', 'hub', 'viv'],
      MsgRandom: random(),
      MsgBody: text('quarterly numbers are in'),
    });
    expect(r).toMatchObject({ ErrorCode: 0 });

    // 1. What the vendors received carries the PushID.
    const huaShown = await sim.waitFor({ token: hua.token });
    const hubShown = await sim.waitFor({ token: hub.token });
    const vivShown = await sim.waitFor({ token: viv.token });
    // Huawei: one request for both devices (identical message), tagged with its first push.
    const huaMessage = JSON.parse(huaShown.raw.body).message;
    const tag = huaMessage.android.bi_tag as string;
    expect([pushIdOf(hua.token), pushIdOf(hub.token)]).toContain(tag);
    expect(JSON.parse(huaMessage.data)).toMatchObject({ pushId: tag });
    expect(JSON.parse(hubShown.raw.body).message.android.bi_tag).toBe(tag);
    const vivMessage = JSON.parse(vivShown.raw.body);
    const vivPushId = pushIdOf(viv.token);
    expect(vivMessage.clientCustomMap).toMatchObject({ pushId: vivPushId });
    expect(vivMessage.extra['callback.param']).toBe(vivPushId);
    const callback = new URL(vivMessage.extra.callback as string);
    expect(callback.origin).toBe(PUBLIC_URL);
    expect(callback.pathname).toBe('/v3/offline_push_report/vivo');

    // The vendor message IDs were kept from the send answers.
    await waitFor(() => recorder.answers.length >= 3, 'vendor answers');
    const vendorId = (token: string) => {
      const o = recorder.answers.find((a) => a.task.token === token)?.outcome;
      return o?.kind === 'sent' ? o.vendorId : undefined;
    };
    expect(vendorId(hua.token)).toBeTruthy();
    expect(vendorId(hub.token)).toBe(vendorId(hua.token));
    expect(vendorId(viv.token)).toBeTruthy();

    // 2. Receipts, shaped as the vendors send them, to the receipt URLs.
    const huaweiUrl = receiptUrl(s.url, s.app.secretKey, s.app.sdkAppId, 'huawei');
    const huaweiReceipt = {
      statuses: [hua.token, hub.token].map((token) => ({
        biTag: tag,
        appid: apps.huawei,
        token,
        status: 0,
        timestamp: Date.now(),
        requestId: vendorId(hua.token),
      })),
    };
    expect(await post(huaweiUrl, JSON.stringify(huaweiReceipt))).toMatchObject({
      status: 200,
      body: { code: 0, matched: 2 },
    });
    const vivoUrl = `${s.url}${callback.pathname}${callback.search}`;
    const vivoReceipt = { [vendorId(viv.token) as string]: { param: vivPushId, targets: viv.token } };
    expect(await post(vivoUrl, JSON.stringify(vivoReceipt))).toMatchObject({
      status: 200,
      body: { code: 0, matched: 1 },
    });
    await waitFor(
      async () => (await stagesOf(pushIdOf(hub.token)))?.OfflinePushStat.DeviceStat.PushStatus === 1,
      'hub delivered',
    );

    // 3. Clicks from the SDK, with the PushID the notification carried. The Huawei device whose push was not
    // the first of the request got the request's tag (another push's PushID): it counts as its own click.
    const [tagOwner, other] = pushIdOf(hua.token) === tag ? [hua, hub] : [hub, hua];
    expect(pushIdOf(other.token)).not.toBe(tag);
    await other.client.chat.reportNotificationClick(tag);
    await viv.client.chat.reportNotificationClick(vivPushId);
    // Someone else's PushID is refused.
    await expect(viv.client.chat.reportNotificationClick(pushIdOf(tagOwner.token))).rejects.toMatchObject({
      code: 404,
    });

    for (const token of [other.token, viv.token]) {
      const trace = await stagesOf(pushIdOf(token));
      expect((trace.Stages as { Stage: string }[]).map((x) => x.Stage)).toEqual([
        'accepted',
        'sent',
        'delivered',
        'clicked',
      ]);
      expect(trace.OfflinePushStat).toMatchObject({
        ChannelStat: { PushStatus: 1 },
        DeviceStat: { PushStatus: 1 },
        ClickStat: { PushStatus: 1 },
      });
    }
    const ownerTrace = await stagesOf(pushIdOf(tagOwner.token));
    expect((ownerTrace.Stages as { Stage: string }[]).map((x) => x.Stage)).toEqual([
      'accepted',
      'sent',
      'delivered',
    ]);

    // 4. The statistics funnel: 3 sent, 3 delivered, 2 clicked.
    await waitFor(async () => {
      const st = await s.v4('timpush/normal_push_statistics', {
        StartTime: startTime,
        EndTime: Math.floor(Date.now() / 1000) + 1,
      });
      return st.ClickCount === 2;
    }, 'click counted');
    const stats = await s.v4('timpush/normal_push_statistics', {
      StartTime: startTime,
      EndTime: Math.floor(Date.now() / 1000) + 1,
    });
    expect(stats).toMatchObject({ TotalCount: 3, SentCount: 3, DeliveredCount: 3, ClickCount: 2 });
  });

  it('the click endpoint answers CORS preflights for web pages', async () => {
    const pre = await fetch(`${s.url}/api/client/push-click`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')).toContain('authorization');
    const post = await fetch(`${s.url}/api/client/push-click`, {
      method: 'POST',
      headers: { origin: 'https://app.example.com', 'content-type': 'application/json' },
      body: '{"pushId":"x"}',
    });
    expect(post.status).toBe(401); // no UserSig: still refused, with CORS headers the page can read
    expect(post.headers.get('access-control-allow-origin')).toBe('*');
  });
});
