// The setup of the call tests: a Pushline on a controllable clock wired to every vendor simulator, with
// an APNs alert key, an APNs VoIP certificate (certificate auth) and one certificate per Android vendor;
// phones whose app was killed (logged in, token reported, background, socket gone) and SDK clients that
// record every signaling callback.
import {
  generateServiceAccount,
  generateVendorApp,
  type OemVendor,
  type Simulators,
} from '@pushline/simulator';
import { expect } from 'vitest';
import type { CertificateInfo, Vendor } from '../../src/certificates/types.js';
import { MemoryPushRecorder } from '../../src/push/engine/index.js';
import { rawSocket, sdkClient, type TestClient, userSigFor, waitFor } from './clients.js';
import type { Backend } from './databases.js';
import { startTestServer, type TestServer } from './server.js';
import { registeredApnsKey, simConfig, startSims } from './simulators.js';

export const BUNDLE = 'com.example.calls';
const FCM_PROJECT = 'pushline-calls';
const OEM: OemVendor[] = ['huawei', 'honor', 'xiaomi', 'oppo', 'vivo', 'meizu'];

export interface CallWorld {
  sim: Simulators;
  s: TestServer;
  recorder: MemoryPushRecorder;
  /** Certificate per vendor; `voip` is the APNs VoIP certificate. */
  certs: Record<Vendor | 'voip', CertificateInfo>;
  /** The app identifier devices of each vendor are installed for. */
  apps: Record<Vendor, string>;
  /** Moves the server's clock forward. */
  advance(ms: number): void;
  close(): Promise<void>;
}

export async function startCallWorld(backend: Backend): Promise<CallWorld> {
  const sim = await startSims({ vendors: ['apns', 'fcm', 'webpush', ...OEM] });
  const recorder = new MemoryPushRecorder();
  let offset = 0;
  const s = await startTestServer({
    backend,
    config: simConfig(sim),
    create: {
      clock: () => Date.now() + offset,
      push: { backoffBaseMs: 50, backoffMaxMs: 500, idleMs: 20 },
      pushRecorder: recorder,
      // The tests sweep timeouts themselves, after moving the clock.
      signaling: { sweepIntervalMs: 0 },
    },
  });
  const add = (input: Parameters<typeof s.pushline.certificateService.add>[1]) =>
    s.pushline.certificateService.add(s.app.sdkAppId, input);

  const key = registeredApnsKey(sim, BUNDLE);
  // A "VoIP Services" certificate as Apple issues it (CN "VoIP Services: <bundle>"): PushKit only.
  const issued = sim.issueApnsClientCertificate({ bundleId: BUNDLE, voip: true });
  const sa = generateServiceAccount(FCM_PROJECT);
  sim.registerServiceAccount({ serviceAccount: sa });
  const certs = {
    apns: await add({
      vendor: 'apns',
      p8: key.p8,
      keyId: key.keyId,
      teamId: key.teamId,
      bundleId: BUNDLE,
      environment: 'development',
    }),
    voip: await add({
      vendor: 'apns',
      p12: issued.p12,
      password: issued.password,
      voip: true,
      environment: 'development',
    }),
    fcm: await add({ vendor: 'fcm', serviceAccount: JSON.stringify(sa) }),
    webpush: await add({ vendor: 'webpush', subject: 'mailto:ops@example.com' }),
  } as CallWorld['certs'];
  const apps = { apns: BUNDLE, fcm: FCM_PROJECT, webpush: 'https://chat.example.com' } as CallWorld['apps'];
  for (const vendor of OEM) {
    const app = sim.registerVendorApp(vendor, generateVendorApp(vendor));
    apps[vendor] = app.appId;
    certs[vendor] = await add(oemInput(vendor, app));
  }
  expect(certs.voip.kind).toBe('voip');
  return {
    sim,
    s,
    recorder,
    certs,
    apps,
    advance: (ms) => {
      offset += ms;
    },
    async close() {
      await s.close();
      await sim.stop();
    },
  };
}

function oemInput(vendor: OemVendor, app: ReturnType<typeof generateVendorApp>) {
  switch (vendor) {
    case 'huawei':
      return { vendor, appId: app.appId, clientSecret: app.appSecret };
    case 'honor':
      return { vendor, appId: app.appId, clientId: app.clientId, clientSecret: app.clientSecret };
    case 'xiaomi':
      return { vendor, packageName: app.appId, appSecret: app.appSecret };
    case 'oppo':
      return { vendor, appKey: app.appId, masterSecret: app.masterSecret };
    case 'vivo':
      return { vendor, appId: app.appId, appKey: app.appKey, appSecret: app.appSecret };
    case 'meizu':
      return { vendor, appId: app.appId, appSecret: app.appSecret };
  }
}

export interface KilledPhone {
  instanceID: string;
  /** Token per binding kind: `alert` (vendor token) and, on iPhones, `voip`. */
  tokens: { alert?: string; voip?: string };
}

/**
 * A phone of `userID` whose app reported its token(s), went to the background and was then killed: the
 * instance stays logged in (PushOnline) with no socket.
 */
export async function killedPhone(
  w: CallWorld,
  userID: string,
  vendor: Vendor,
  opts: { voip?: boolean; alert?: boolean } = {},
): Promise<KilledPhone> {
  const instanceID = `${userID}-${vendor}-${Math.random().toString(36).slice(2, 8)}`;
  const ws = await rawSocket(w.s);
  const login = await ws.request('login', {
    sdkAppId: w.s.app.sdkAppId,
    userId: userID,
    userSig: userSigFor(w.s, userID),
    platform: vendor === 'apns' ? 'iPhone' : vendor === 'webpush' ? 'Web' : 'Android',
    instanceId: instanceID,
  });
  expect(login.code).toBe(0);
  const tokens: KilledPhone['tokens'] = {};
  const report = async (businessID: number, token: string, tokenType: 0 | 2) => {
    const r = await ws.request('setOfflinePushConfig', { config: { businessID, token, tokenType } });
    expect(r.code).toBe(0);
  };
  if (opts.alert !== false) {
    const device =
      vendor === 'apns'
        ? w.sim.devices.install('apns', { app: BUNDLE, environment: 'development' })
        : w.sim.devices.install(vendor, {
            app: w.apps[vendor],
            applicationServerKey: w.certs[vendor].publicFields.vapidPublicKey as string | undefined,
          });
    // The simulator records a browser by its subscription ID; the app reports the subscription JSON.
    tokens.alert = device.token;
    const reported = vendor === 'webpush' ? JSON.stringify(device.subscription) : device.token;
    await report(w.certs[vendor].id, reported, 0);
  }
  if (opts.voip) {
    const device = w.sim.devices.install('apns', { app: BUNDLE, environment: 'development', voip: true });
    tokens.voip = device.token;
    await report(w.certs.voip.id, device.token, 2);
  }
  expect((await ws.request('doBackground', { unreadCount: 0 })).code).toBe(0);
  ws.ws.terminate();
  await waitFor(async () => {
    const rows = await w.s.pushline.sessions.pushTargets(w.s.app.sdkAppId, [userID]);
    return rows.some((r) => r.instanceId === instanceID && r.state === 'PushOnline');
  }, `${instanceID} killed`);
  return { instanceID, tokens };
}

/** Everything a client's signaling listener reported, in order. */
export interface CallClient extends TestClient {
  calls: { event: string; inviteID: string; args: unknown[] }[];
}

export async function callClient(
  s: TestServer,
  userID: string,
  instanceID = `${userID}-app-${Math.random().toString(36).slice(2, 8)}`,
): Promise<CallClient> {
  // Listening before the login: the sync right after it may already carry invitations.
  const c = listen(sdkClient(s));
  await c.chat.login({ userID, userSig: userSigFor(s, userID), platform: 'iPhone', instanceID });
  return c;
}

/** Records the signaling callbacks of `c` (register before login to catch the sync). */
export function listen(c: TestClient): CallClient {
  const client = c as CallClient;
  client.calls ??= [];
  const record =
    (event: string) =>
    (inviteID: string, ...args: unknown[]) =>
      client.calls.push({ event, inviteID, args });
  client.chat.getSignalingManager().addSignalingListener({
    onReceiveNewInvitation: record('invited'),
    onInviteeAccepted: record('accepted'),
    onInviteeRejected: record('rejected'),
    onInvitationCancelled: record('cancelled'),
    onInvitationTimeout: record('timeout'),
  });
  return client;
}

export function callEvent(c: CallClient, event: string, inviteID: string) {
  return waitFor(
    () => c.calls.find((e) => e.event === event && e.inviteID === inviteID),
    `${event} of ${inviteID}`,
  );
}
