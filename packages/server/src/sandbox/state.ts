// `<data>/sandbox.json`: what the sandbox generated on its first start (simulator CA, vendor keys, device
// tokens, ports) so that the next start re-registers the same credentials with the simulators and the
// demo certificates stored in the database keep working. It holds private keys: mode 0600.
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Vendor } from '../certificates/types.js';

export const SANDBOX_FILE = 'sandbox.json';

/** One virtual phone of a demo user. */
export interface SandboxDevice {
  vendor: Vendor;
  userId: string;
  /** Stable per device, like an SDK installation ID. */
  instanceId: string;
  /** The app the simulator issued the token for (bundle ID, FCM project, vendor app ID...). */
  app: string;
  token: string;
}

export interface SandboxState {
  version: 1;
  ca?: { certPem: string; keyPem: string };
  /** Simulator ports of the last start, reused when still free. */
  ports?: Record<string, number>;
  apnsKey?: { keyId: string; teamId: string; p8: string };
  serviceAccount?: Record<string, unknown> & { project_id: string };
  vendorApps?: Partial<Record<Vendor, Record<string, string>>>;
  vapid?: { publicKey: string; privateKey: string };
  devices?: SandboxDevice[];
  /** Written at every start, read by `pushline demo`. */
  server?: {
    url: string;
    sdkAppId: number;
    adminIdentifier: string;
    adminUserSig: string;
    simulatorControl: string;
    startedAt: string;
  };
}

export function sandboxFile(dataDir: string): string {
  return join(dataDir, SANDBOX_FILE);
}

export function readSandboxState(dataDir: string): SandboxState {
  const file = sandboxFile(dataDir);
  if (!existsSync(file)) return { version: 1 };
  const data = JSON.parse(readFileSync(file, 'utf8')) as SandboxState;
  if (data?.version !== 1) throw new Error(`${file}: unknown format; delete it to start a fresh sandbox`);
  return data;
}

export function writeSandboxState(dataDir: string, state: SandboxState): void {
  const file = sandboxFile(dataDir);
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}
