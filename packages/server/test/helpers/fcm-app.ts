// The app of the crash and cluster tests: an FCM certificate whose service account the simulator knows and
// one background Android phone per user, written straight into storage; and a REST (v4) caller for its
// administrator, to use against any `pushline serve` of the test.
import { generateServiceAccount, type Simulators } from '@pushline/simulator';
import { genUserSig, type Pushline } from '../../src/index.js';
import { seedDevices } from './seed-devices.js';

export interface SeededFcmApp {
  sdkAppId: number;
  admin: string;
  adminSig: string;
  certificateId: number;
}

export async function seedFcmApp(
  p: Pushline,
  sim: Simulators,
  opts: {
    name: string;
    /** The Firebase project of the certificate and of the phones' tokens. */
    project: string;
    /** Users with a background phone each. */
    users: string[];
    /** Accounts without devices (senders). */
    others?: string[];
  },
): Promise<SeededFcmApp> {
  const app = await p.apps.create({ name: opts.name });
  const sdkAppId = app.sdkAppId;
  const admin = app.adminIdentifier;
  const adminSig = genUserSig({ sdkAppId, key: app.secretKey, identifier: admin, expire: 86_400 });
  const sa = generateServiceAccount(opts.project);
  sim.registerServiceAccount({ serviceAccount: sa });
  const cert = await p.certificateService.add(sdkAppId, {
    vendor: 'fcm',
    serviceAccount: JSON.stringify(sa),
  });
  await p.accounts.import(
    sdkAppId,
    [...(opts.others ?? []), ...opts.users].map((userId) => ({ userId })),
  );
  await seedDevices(
    p.db,
    sdkAppId,
    cert.id,
    opts.users.map((userId) => ({ userId, token: sim.devices.install('fcm', { app: opts.project }).token })),
  );
  return { sdkAppId, admin, adminSig, certificateId: cert.id };
}

/** Calls `command` of the v4 REST API on the server at `url` as the app's administrator. */
export async function v4As(
  app: SeededFcmApp,
  url: string,
  command: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  const q = new URLSearchParams({
    sdkappid: String(app.sdkAppId),
    identifier: app.admin,
    usersig: app.adminSig,
    random: String(Math.floor(Math.random() * 2 ** 31)),
    contenttype: 'json',
  });
  const res = await fetch(`${url}/v4/${command}?${q}`, { method: 'POST', body: JSON.stringify(body) });
  return (await res.json()) as Record<string, unknown>;
}

/**
 * The environment of a `pushline serve` of these tests: FCM through the simulator, small batches, and a
 * visibility timeout (10 minutes) far beyond a test's time limit, so that only a reclaim — by the node's
 * successor or by the surviving nodes — can bring a dead process's leases back.
 */
export function fcmServeEnv(
  sim: Simulators,
  opts: { batch: number; concurrency: number },
): Record<string, string> {
  return {
    PUSHLINE_FCM_URL: sim.urls.fcm!,
    PUSHLINE_FCM_OAUTH_URL: sim.urls.fcmOAuth!,
    PUSHLINE_CA_FILE: sim.caFile,
    PUSHLINE_LOG_LEVEL: 'info',
    PUSHLINE_PUSH_BATCH_SIZE: String(opts.batch),
    PUSHLINE_PUSH_CONCURRENCY: String(opts.concurrency),
    PUSHLINE_PUSH_VISIBILITY_TIMEOUT: '600',
  };
}
