// Sandbox mode (`pushline serve --sandbox`, what `npm start` runs): the vendor simulators start first,
// the server is created with its vendor URLs pointing at them, then the demo data is put in place and
// `<data>/sandbox.json` records where everything is for `pushline demo`.
import { ADMIN_SIG_EXPIRE, genUserSig } from '../auth/usersig.js';
import type { PushlineConfig } from '../config.js';
import { type CreateOptions, createPushline, type Pushline } from '../server.js';
import { ensurePrivateDir } from '../store/files.js';
import { type DemoData, ensureDemoData } from './demo.js';
import { type SandboxSimulators, startSandboxSimulators } from './simulators.js';
import { readSandboxState, writeSandboxState } from './state.js';

export interface Sandbox {
  pushline: Pushline;
  simulators: SandboxSimulators;
  demo: DemoData;
  /** The server's base URL. */
  url: string;
  adminUserSig: string;
  /** Stops the server, then the simulators. */
  close(): Promise<void>;
}

export async function startSandbox(config: PushlineConfig, opts: CreateOptions = {}): Promise<Sandbox> {
  ensurePrivateDir(config.dataDir);
  const simulators = await startSandboxSimulators(config.dataDir, readSandboxState(config.dataDir));
  let pushline: Pushline | undefined;
  try {
    pushline = await createPushline({ ...config, ...simulators.config } as PushlineConfig, {
      ...opts,
      simulators: simulators.sim,
    });
    const url = await pushline.listen();
    const demo = await ensureDemoData(pushline, simulators);
    const adminUserSig = genUserSig({
      sdkAppId: demo.app.sdkAppId,
      key: demo.app.secretKey,
      identifier: demo.app.adminIdentifier,
      expire: ADMIN_SIG_EXPIRE,
    });
    simulators.state.server = {
      url,
      sdkAppId: demo.app.sdkAppId,
      adminIdentifier: demo.app.adminIdentifier,
      adminUserSig,
      simulatorControl: simulators.sim.control,
      startedAt: new Date().toISOString(),
    };
    writeSandboxState(config.dataDir, simulators.state);
    const p = pushline;
    return {
      pushline: p,
      simulators,
      demo,
      url,
      adminUserSig,
      close: async () => {
        try {
          await p.close();
        } finally {
          await simulators.sim.stop();
        }
      },
    };
  } catch (err) {
    await pushline?.close().catch(() => {});
    await simulators.sim.stop();
    throw err;
  }
}
