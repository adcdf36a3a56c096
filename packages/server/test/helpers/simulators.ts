// Vendor simulators in-process, and the Pushline configuration that points at them.
import {
  type ApnsSigningKey,
  generateApnsSigningKey,
  generateServiceAccount,
  type Simulators,
  type StartSimulatorsOptions,
  startSimulators,
} from '@pushline/simulator';
import { simulatorConfig } from '../../src/sandbox/simulators.js';
import type { Backend } from './databases.js';
import { startTestServer, type TestServer } from './server.js';

export async function startSims(opts: StartSimulatorsOptions = {}): Promise<Simulators> {
  return startSimulators({ host: '127.0.0.1', control: false, ...opts });
}

/** Config overrides for startTestServer({config}): every vendor URL plus the simulator CA (as the sandbox sets them). */
export function simConfig(sim: Simulators): Record<string, unknown> {
  return Object.fromEntries(Object.entries(simulatorConfig(sim)).filter(([, v]) => v !== undefined));
}

/** A fresh APNs signing key (.p8) that the APNs simulator trusts for `bundleId`. */
export function registeredApnsKey(sim: Simulators, bundleId: string): ApnsSigningKey {
  const key = generateApnsSigningKey();
  sim.registerApnsKey({ keyId: key.keyId, teamId: key.teamId, privateKeyPem: key.p8, topics: [bundleId] });
  return key;
}

/** Polls until `cond` holds (no fixed sleeps in tests). */
export async function waitUntil(
  cond: () => boolean | Promise<boolean>,
  what = 'condition',
  ms = 10_000,
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A test server whose app has an FCM certificate for `project`, against the FCM simulator. */
export async function startFcmWorld(
  backend: Backend,
  project: string,
): Promise<{ sim: Simulators; s: TestServer; fcmCert: number }> {
  const sim = await startSims({ vendors: ['fcm'] });
  const s = await startTestServer({ backend, config: simConfig(sim) });
  const sa = generateServiceAccount(project);
  sim.registerServiceAccount({ serviceAccount: sa });
  const cert = await s.pushline.certificateService.add(s.app.sdkAppId, {
    vendor: 'fcm',
    serviceAccount: JSON.stringify(sa),
  });
  return { sim, s, fcmCert: cert.id };
}
