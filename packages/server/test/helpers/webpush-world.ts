// A test server with the Web Push simulator and one Web Push certificate (VAPID key) of the test app.
import type { Simulators } from '@pushline/simulator';
import type { CertificateInfo } from '../../src/certificates/types.js';
import { type StartOptions, startTestServer, type TestServer } from './server.js';
import { simConfig, startSims } from './simulators.js';

export interface WebPushWorld {
  sim: Simulators;
  s: TestServer;
  cert: CertificateInfo;
  close(): Promise<void>;
}

export async function startWebPushWorld(config: StartOptions['config'] = {}): Promise<WebPushWorld> {
  const sim = await startSims({ vendors: ['webpush'] });
  const s = await startTestServer({ config: { ...simConfig(sim), ...config } });
  const cert = await s.pushline.certificateService.add(s.app.sdkAppId, {
    vendor: 'webpush',
    subject: 'mailto:ops@example.com',
  });
  return {
    sim,
    s,
    cert,
    async close() {
      await s.close();
      await sim.stop();
    },
  };
}
