// Sandbox demo data: one demo app that `npm start` creates on first run and prints on every start, and
// (with the simulators running) a demo certificate per vendor, demo users each with a virtual phone in
// the background, and a demo group. Everything is created idempotently: a restart finds it in place.
import type { AppsService, AppWithSecret } from '../apps/apps.js';
import type { CertificateInput } from '../certificates/input.js';
import type { CertificateInfo, Vendor } from '../certificates/types.js';
import { loginPolicyOf, type Platform } from '../devices/login-policy.js';
import { validateOfflinePushConfig } from '../gateway/bindings.js';
import type { Pushline } from '../server.js';
import {
  DEMO_BUNDLE_ID,
  DEMO_DEVICE_OWNERS,
  type RunningDevice,
  type SandboxSimulators,
} from './simulators.js';
import type { SandboxState } from './state.js';

export const DEMO_SDKAPPID = 1_400_000_000;
export const DEMO_APP_NAME = 'Pushline Demo';
/** The demo user who sends the demo messages; she has no phone, so she is never pushed to. */
export const DEMO_SENDER = { userId: 'sam', nick: 'Sam' };
export const DEMO_GROUP = { groupId: 'demo-group', name: 'Demo Group' };

export async function ensureDemoApp(apps: AppsService): Promise<{ app: AppWithSecret; created: boolean }> {
  const existing = await apps.get(DEMO_SDKAPPID);
  if (existing) return { app: existing, created: false };
  const app = await apps.create({ name: DEMO_APP_NAME, sdkAppId: DEMO_SDKAPPID });
  return { app, created: true };
}

export function demoCertificateName(vendor: Vendor): string {
  return `Demo ${vendor} (simulator)`;
}

export interface DemoData {
  app: AppWithSecret;
  certificates: Record<Vendor, CertificateInfo>;
  devices: (RunningDevice & { certificateId: number })[];
}

/** Creates (or refreshes) the demo certificates, users, group and background devices. */
export async function ensureDemoData(pushline: Pushline, sims: SandboxSimulators): Promise<DemoData> {
  const { app } = await ensureDemoApp(pushline.apps);
  const sdkAppId = app.sdkAppId;
  const existing = await pushline.certificateService.list(sdkAppId);
  const certificates = {} as Record<Vendor, CertificateInfo>;
  for (const device of sims.devices) {
    const vendor = device.vendor;
    const input = certificateInput(vendor, sims.state);
    const found = existing.find((c) => c.vendor === vendor && c.name === demoCertificateName(vendor));
    if (!found) certificates[vendor] = await pushline.certificateService.add(sdkAppId, input);
    else if (sims.generated.has(vendor)) {
      // sandbox.json was deleted but the database kept: point the certificate at the new credentials.
      const { vendor: _, ...patch } = input;
      certificates[vendor] = await pushline.certificateService.update(sdkAppId, found.id, patch);
    } else certificates[vendor] = found;
  }

  await pushline.accounts.import(sdkAppId, [
    DEMO_SENDER,
    ...Object.values(DEMO_DEVICE_OWNERS).map((o) => ({ userId: o.userId, nick: o.nick })),
  ]);
  if (!(await pushline.groups.get(sdkAppId, DEMO_GROUP.groupId))) {
    await pushline.groups.create(sdkAppId, {
      groupId: DEMO_GROUP.groupId,
      type: 'Work',
      name: DEMO_GROUP.name,
      owner: DEMO_SENDER.userId,
      members: [
        { userId: DEMO_SENDER.userId },
        ...Object.values(DEMO_DEVICE_OWNERS).map((o) => ({ userId: o.userId })),
      ],
    });
  }

  const devices: DemoData['devices'] = [];
  for (const device of sims.devices) {
    const certificateId = certificates[device.vendor].id;
    await bindInBackground(pushline, app, device, certificateId);
    devices.push({ ...device, certificateId });
  }
  return { app, certificates, devices };
}

/**
 * Puts a virtual phone where a real one is after the SDK's login, setOfflinePushConfig, doBackground and
 * a dropped connection: logged in, token bound, app in the background, PushOnline. These are the same
 * store calls the gateway makes for those steps, minus the socket.
 */
async function bindInBackground(
  pushline: Pushline,
  app: AppWithSecret,
  device: RunningDevice,
  certificateId: number,
): Promise<void> {
  const platform: Platform =
    device.vendor === 'apns' ? 'iPhone' : device.vendor === 'webpush' ? 'Web' : 'Android';
  const { sdkAppId } = app;
  const { sessionId } = await pushline.sessions.login(
    sdkAppId,
    device.userId,
    device.instanceId,
    platform,
    loginPolicyOf(app.settings),
  );
  const binding = await validateOfflinePushConfig(pushline.certificates, sdkAppId, {
    businessID: certificateId,
    token: device.pushToken,
  });
  await pushline.bindings.set(sdkAppId, device.userId, device.instanceId, binding);
  await pushline.sessions.background(sdkAppId, device.userId, device.instanceId, 0);
  await pushline.sessions.disconnect(sdkAppId, device.userId, device.instanceId, sessionId);
}

function certificateInput(vendor: Vendor, state: SandboxState): CertificateInput {
  const name = demoCertificateName(vendor);
  const app = (v: Vendor) => state.vendorApps?.[v] ?? {};
  switch (vendor) {
    case 'apns': {
      const k = state.apnsKey as NonNullable<SandboxState['apnsKey']>;
      return {
        vendor,
        name,
        p8: k.p8,
        keyId: k.keyId,
        teamId: k.teamId,
        bundleId: DEMO_BUNDLE_ID,
        environment: 'development',
      };
    }
    case 'fcm':
      return { vendor, name, serviceAccount: JSON.stringify(state.serviceAccount) };
    case 'huawei':
      return { vendor, name, appId: app(vendor).appId, clientSecret: app(vendor).appSecret };
    case 'honor':
      return {
        vendor,
        name,
        appId: app(vendor).appId,
        clientId: app(vendor).clientId,
        clientSecret: app(vendor).clientSecret,
      };
    case 'xiaomi':
      return { vendor, name, packageName: app(vendor).appId, appSecret: app(vendor).appSecret };
    case 'oppo':
      return { vendor, name, appKey: app(vendor).appId, masterSecret: app(vendor).masterSecret };
    case 'vivo':
      return {
        vendor,
        name,
        appId: app(vendor).appId,
        appKey: app(vendor).appKey,
        appSecret: app(vendor).appSecret,
      };
    case 'meizu':
      return { vendor, name, appId: app(vendor).appId, appSecret: app(vendor).appSecret };
    case 'webpush': {
      const v = state.vapid as NonNullable<SandboxState['vapid']>;
      return {
        vendor,
        name,
        vapidPublicKey: v.publicKey,
        vapidPrivateKey: v.privateKey,
        subject: 'mailto:demo@pushline.invalid',
      };
    }
  }
}
