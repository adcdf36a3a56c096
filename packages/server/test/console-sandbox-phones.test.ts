// The console's sandbox phones API with the simulators in-process (`startSandbox`, what `npm start` runs), on
// SQLite and PostgreSQL: each app sees only the virtual phones its devices reported, and its event stream
// relays only those phones' notifications, live and in order. The phone controls bring an app to the
// foreground, send it to the background, log it out, and tap a notification (reported as a device's click).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { phoneId } from '../src/http/console/sandbox-phone-book.js';
import type { AppWithSecret } from '../src/index.js';
import { DEMO_SDKAPPID, DEMO_SENDER } from '../src/sandbox/demo.js';
import { DEMO_FCM_PROJECT } from '../src/sandbox/simulators.js';
import { type Sandbox, startSandbox } from '../src/sandbox/start.js';
import { loggedIn, waitFor } from './helpers/clients.js';
import { ConsoleClient } from './helpers/console.js';
import { createPostgresDatabase, testBackends } from './helpers/databases.js';
import type { TestServer } from './helpers/server.js';

const backends = await testBackends();
const PASSWORD = 'phones-password-1';

interface StreamedNotification {
  phoneId: string;
  body: string | null;
  title: string | null;
}

/** Reads a console event stream in the background; `close()` ends it. */
async function openStream(client: ConsoleClient, path: string) {
  const controller = new AbortController();
  const res = await fetch(`${client.baseUrl}${path}`, {
    headers: { cookie: client.cookie ?? '', accept: 'text/event-stream' },
    signal: controller.signal,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const events: StreamedNotification[] = [];
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  /** Resolves when the server ends the stream. */
  const ended = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return true;
        buffer += value;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (block.includes('event: notification') && data) events.push(JSON.parse(data.slice(6)));
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted by close()
      return false;
    }
  })();
  return { events, ended, close: () => controller.abort() };
}

describe.each(backends)('console sandbox phones on %s', { timeout: 120_000 }, (backend) => {
  const dir = mkdtempSync(join(tmpdir(), 'pushline-console-phones-'));
  let dropDb: (() => Promise<void>) | undefined;
  let sandbox: Sandbox;
  let admin: ConsoleClient;
  let other: AppWithSecret;
  let otherToken: string;
  let otherCertificate: number;

  beforeAll(async () => {
    const pg = backend === 'postgres' ? await createPostgresDatabase() : undefined;
    dropDb = pg?.drop;
    const config = loadConfig({
      env: {},
      flags: { dataDir: dir, db: pg?.url, port: 0, host: '127.0.0.1', sandbox: true, logLevel: 'silent' },
    });
    // Open streams re-check their session every 100 ms, so that a sign-out ends them within the test.
    sandbox = await startSandbox(config, { consoleStreamCheckMs: 100 });
    await sandbox.pushline.consoleUsers.create({ username: 'watcher', password: PASSWORD, role: 'admin' });
    admin = new ConsoleClient(sandbox.url);
    expect((await admin.login('watcher', PASSWORD)).status).toBe(200);

    // A second app on the same simulators: one FCM phone, logged in as zed through the SDK.
    other = await sandbox.pushline.apps.create({ name: 'Other app' });
    await sandbox.pushline.accounts.import(other.sdkAppId, [{ userId: 'zed' }]);
    const serviceAccount = sandbox.simulators.state.serviceAccount!;
    otherCertificate = (
      await sandbox.pushline.certificateService.add(other.sdkAppId, {
        vendor: 'fcm',
        serviceAccount: JSON.stringify(serviceAccount),
      })
    ).id;
    otherToken = sandbox.simulators.sim.devices.install('fcm', { app: DEMO_FCM_PROJECT }).token;
    const zed = await loggedIn({ url: sandbox.url, app: other } as TestServer, 'zed', {
      instanceID: 'zed-phone',
    });
    await zed.chat.setOfflinePushConfig({ businessID: otherCertificate, token: otherToken });
    await zed.chat.doBackground(0);
  });
  afterAll(async () => {
    await sandbox?.close();
    await dropDb?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it("lists each app's own phones with their users", async () => {
    const demo = await admin.get(`/api/console/apps/${DEMO_SDKAPPID}/sandbox/phones`);
    expect(demo.status).toBe(200);
    expect(demo.body.running).toBe(true);
    const owners = demo.body.phones.map((p: { userId: string; vendor: string }) => `${p.userId}:${p.vendor}`);
    expect(owners.sort()).toEqual(sandbox.demo.devices.map((d) => `${d.userId}:${d.vendor}`).sort());
    expect(owners).not.toContain('zed:fcm');
    const alice = demo.body.phones.find((p: { userId: string }) => p.userId === 'alice');
    expect(alice).toMatchObject({ vendor: 'apns', platform: 'ios', environment: 'development' });
    expect(JSON.stringify(demo.body)).not.toContain(sandbox.demo.devices[0]!.token);

    const theirs = await admin.get(`/api/console/apps/${other.sdkAppId}/sandbox/phones`);
    expect(theirs.body.phones).toMatchObject([
      { userId: 'zed', vendor: 'fcm', platform: 'android', id: phoneId('fcm', otherToken) },
    ]);
  });

  it("streams each app only its own phones' notifications, in order", async () => {
    const demoStream = await openStream(admin, `/api/console/apps/${DEMO_SDKAPPID}/sandbox/events`);
    const otherStream = await openStream(admin, `/api/console/apps/${other.sdkAppId}/sandbox/events`);
    try {
      const alice = sandbox.demo.devices.find((d) => d.userId === 'alice')!;
      const send = async (text: string) => {
        const { outcome } = await sandbox.pushline.certificateService.test(
          DEMO_SDKAPPID,
          alice.certificateId,
          alice.pushToken,
          text,
        );
        expect(outcome.kind).toBe('sent');
      };
      await send('first for alice');
      await waitFor(() => demoStream.events.length === 1, 'the first notification on the demo stream');

      const { outcome } = await sandbox.pushline.certificateService.test(
        other.sdkAppId,
        otherCertificate,
        otherToken,
        'only for zed',
      );
      expect(outcome.kind).toBe('sent');
      await waitFor(() => otherStream.events.length === 1, "zed's notification on the other app's stream");
      await send('second for alice');
      await waitFor(() => demoStream.events.length === 2, 'the second notification on the demo stream');

      // Streams keep the simulators' order: a notification of the other app would have come before the second.
      expect(demoStream.events.map((e) => [e.phoneId, e.body])).toEqual([
        [phoneId('apns', alice.token), 'first for alice'],
        [phoneId('apns', alice.token), 'second for alice'],
      ]);
      expect(otherStream.events.map((e) => [e.phoneId, e.body])).toEqual([
        [phoneId('fcm', otherToken), 'only for zed'],
      ]);
      // Neither the device token nor the vendor request (with its credentials) leaves the server.
      expect(JSON.stringify(demoStream.events)).not.toContain(alice.token);
      expect(JSON.stringify(demoStream.events)).not.toContain('authorization');
    } finally {
      demoStream.close();
      otherStream.close();
    }
  });

  /** A REST sendmsg of the demo app from its sender (Sam) to `to`; answers the message's MsgKey. */
  async function sendmsg(to: string, text: string, path = 'openim/sendmsg') {
    const q = new URLSearchParams({
      sdkappid: String(DEMO_SDKAPPID),
      identifier: sandbox.demo.app.adminIdentifier,
      usersig: sandbox.adminUserSig,
      random: String(Math.floor(Math.random() * 1e9)),
      contenttype: 'json',
    });
    const res = await fetch(`${sandbox.url}/v4/${path}?${q}`, {
      method: 'POST',
      body: JSON.stringify({
        From_Account: DEMO_SENDER.userId,
        To_Account: to,
        MsgRandom: Math.floor(Math.random() * 1e9),
        MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }],
      }),
    });
    const answer = (await res.json()) as Record<string, unknown>;
    expect(answer).toMatchObject({ ErrorCode: 0 });
    return answer;
  }
  const phonesPath = `/api/console/apps/${DEMO_SDKAPPID}/sandbox/phones`;
  type PhoneJson = {
    id: string;
    userId: string;
    vendor: string;
    appState: string;
    notifications: { seq: number; body: string | null }[];
  };
  const phoneOf = async (userId: string) =>
    ((await admin.get(phonesPath)).body.phones as PhoneJson[]).find((p) => p.userId === userId);

  it('brings a phone to the foreground (no pushes) and back to the background (pushes)', async () => {
    const bob = (await phoneOf('bob'))!;
    expect(bob.appState).toBe('background');
    const fore = await admin.request('POST', `${phonesPath}/${bob.id}/foreground`);
    expect(fore.status).toBe(200);
    expect(fore.body.phone).toMatchObject({ id: bob.id, appState: 'foreground' });
    // The user's state as the users page shows it: online, as with an app in front.
    const users = await admin.get(`/api/console/apps/${DEMO_SDKAPPID}/users?search=bob`);
    expect(users.body.users[0]).toMatchObject({ userId: 'bob', state: 'online' });
    // A message for a foreground app is not pushed: the engine records why.
    const r = await sendmsg('bob', 'while in front');
    const trace = await waitFor(async () => {
      const found = await admin.get(
        `/api/console/apps/${DEMO_SDKAPPID}/push-records?search=${encodeURIComponent(String(r.MsgKey))}`,
      );
      return found.body.records?.[0];
    }, 'the push record of the foreground message');
    expect(trace).toMatchObject({ toUser: 'bob', outcome: 'skipped' });

    const back = await admin.request('POST', `${phonesPath}/${bob.id}/background`);
    expect(back.body.phone).toMatchObject({ appState: 'background' });
    await sendmsg('bob', 'while behind');
    await waitFor(
      async () => (await phoneOf('bob'))?.notifications.some((n) => n.body?.includes('while behind')),
      'the notification on bob’s phone',
    );
    // Nothing was shown while the app was in front.
    expect((await phoneOf('bob'))?.notifications.some((n) => n.body?.includes('while in front'))).toBe(false);
  });

  it('taps a notification on every vendor: the click reaches the push trace as a device’s click', async () => {
    for (const device of sandbox.demo.devices) {
      const text = `tap me ${device.vendor}`;
      const r = await sendmsg(device.userId, text);
      const shown = await waitFor(async () => {
        const p = await phoneOf(device.userId);
        const n = p?.notifications.find((x) => x.body?.includes(text));
        return p && n ? { phone: p, n } : undefined;
      }, `the ${device.vendor} notification`);
      const tapped = await admin.request(
        'POST',
        `${phonesPath}/${shown.phone.id}/notifications/${shown.n.seq}/click`,
      );
      expect(tapped.status, `${device.vendor}: ${JSON.stringify(tapped.body)}`).toBe(200);
      expect(typeof tapped.body.pushId).toBe('string');
      const q = new URLSearchParams({
        sdkappid: String(DEMO_SDKAPPID),
        identifier: sandbox.demo.app.adminIdentifier,
        usersig: sandbox.adminUserSig,
        random: '7',
        contenttype: 'json',
      });
      const res = await fetch(`${sandbox.url}/v4/timpush/normal_push_trace?${q}`, {
        method: 'POST',
        body: JSON.stringify({ PushID: tapped.body.pushId }),
      });
      const trace = (await res.json()) as {
        InstanceTrace: {
          Stages: { Stage: string }[];
          OfflinePushStat: { ClickStat: { PushStatus: number } };
        }[];
      };
      expect(trace.InstanceTrace[0]?.OfflinePushStat.ClickStat.PushStatus, device.vendor).toBe(1);
      expect(r.MsgKey).toBeTruthy();
    }
  });

  it('says so when a notification’s push is no longer known (its trace expired)', async () => {
    const device = sandbox.demo.devices[0]!;
    const text = 'tap me later';
    await sendmsg(device.userId, text);
    const shown = await waitFor(async () => {
      const p = await phoneOf(device.userId);
      const n = p?.notifications.find((x) => x.body?.includes(text));
      return p && n ? { phone: p, n } : undefined;
    }, 'the notification');
    const click = `${phonesPath}/${shown.phone.id}/notifications/${shown.n.seq}/click`;
    const first = await admin.request('POST', click);
    expect(first.status).toBe(200);
    // As when the 7 days of a trace are over.
    await sandbox.pushline.db.deleteFrom('push_traces').where('push_id', '=', first.body.pushId).execute();
    const gone = await admin.request('POST', click);
    expect(gone.status).toBe(404);
    expect(gone.body.error).toMatch(/^the click report failed: no push with this PushID/);
    expect(gone.body.text).toEqual({ key: 'clickTraceGone' });
  });

  it('refuses what is not a notification of one of the app’s phones', async () => {
    const bob = (await phoneOf('bob'))!;
    expect(
      (await admin.request('POST', `${phonesPath}/${bob.id}/notifications/999999999/click`)).status,
    ).toBe(404);
    expect((await admin.request('POST', `${phonesPath}/${bob.id}/notifications/x/click`)).status).toBe(400);
    // Another app's phone is not this app's to control.
    const zed = phoneId('fcm', otherToken);
    expect((await admin.request('POST', `${phonesPath}/${zed}/foreground`)).status).toBe(404);
    // State changes need the session's CSRF token.
    expect((await admin.request('POST', `${phonesPath}/${bob.id}/logout`, {}, { csrf: null })).status).toBe(
      403,
    );
  });

  it('logs a phone out: Offline, its token unbound, gone from the list', async () => {
    const heidi = (await phoneOf('heidi'))!;
    const out = await admin.request('POST', `${phonesPath}/${heidi.id}/logout`);
    expect(out.status).toBe(200);
    expect(out.body.phone).toBeNull();
    expect(await phoneOf('heidi')).toBeUndefined();
    expect(await sandbox.pushline.bindings.of(DEMO_SDKAPPID, 'heidi')).toEqual([]);
    const users = await admin.get(`/api/console/apps/${DEMO_SDKAPPID}/users?search=heidi`);
    expect(users.body.users[0]).toMatchObject({ state: 'offline', vendors: [] });
    expect((await admin.request('POST', `${phonesPath}/${heidi.id}/foreground`)).status).toBe(404);
  });

  it('ends a stream when its session signs out', async () => {
    const viewer = new ConsoleClient(sandbox.url);
    expect((await viewer.login('watcher', PASSWORD)).status).toBe(200);
    const stream = await openStream(viewer, `/api/console/apps/${DEMO_SDKAPPID}/sandbox/events`);
    try {
      expect((await viewer.request('DELETE', '/api/console/session')).status).toBe(204);
      expect(await stream.ended).toBe(true);
    } finally {
      stream.close();
    }
  });
});
