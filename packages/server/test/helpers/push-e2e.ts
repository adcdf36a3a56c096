// A Pushline wired to the vendor simulators with one APNs and one FCM certificate, and SDK devices that
// log in, report a token and go to the background: the setup of the end-to-end push tests.
import { generateServiceAccount, type Simulators } from '@pushline/simulator';
import { expect } from 'vitest';
import type { CertificateInfo } from '../../src/certificates/types.js';
import { MemoryPushRecorder } from '../../src/push/engine/index.js';
import { loggedIn, type TestClient } from './clients.js';
import type { Backend } from './databases.js';
import { type StartOptions, startTestServer, type TestServer } from './server.js';
import { registeredApnsKey, simConfig, startSims } from './simulators.js';

export const BUNDLE = 'com.example.chat';
export const FCM_PROJECT = 'pushline-e2e';

export interface PushWorld {
  sim: Simulators;
  s: TestServer;
  apns: CertificateInfo;
  fcm: CertificateInfo;
  recorder: MemoryPushRecorder;
  close(): Promise<void>;
}

export async function startPushWorld(
  backend: Backend,
  create: StartOptions['create'] = {},
  config: StartOptions['config'] = {},
): Promise<PushWorld> {
  const sim = await startSims({ vendors: ['apns', 'fcm'] });
  const recorder = new MemoryPushRecorder();
  const s = await startTestServer({
    backend,
    config: { ...simConfig(sim), ...config },
    // Short backoff so that retries after a vendor fault happen within the test.
    create: { push: { backoffBaseMs: 50, backoffMaxMs: 500, idleMs: 20 }, pushRecorder: recorder, ...create },
  });
  const key = registeredApnsKey(sim, BUNDLE);
  const apns = await s.pushline.certificateService.add(s.app.sdkAppId, {
    vendor: 'apns',
    p8: key.p8,
    keyId: key.keyId,
    teamId: key.teamId,
    bundleId: BUNDLE,
    environment: 'development',
  });
  const sa = generateServiceAccount(FCM_PROJECT);
  sim.registerServiceAccount({ serviceAccount: sa });
  const fcm = await s.pushline.certificateService.add(s.app.sdkAppId, {
    vendor: 'fcm',
    serviceAccount: JSON.stringify(sa),
    defaults: { channelId: 'im_messages' },
  });
  return {
    sim,
    s,
    apns,
    fcm,
    recorder,
    async close() {
      await s.close();
      await sim.stop();
    },
  };
}

export interface Phone {
  client: TestClient;
  token: string;
}

/** Logs `userID` in on a new phone of `vendor`, reports its token and goes to the background. */
export async function backgroundPhone(
  w: PushWorld,
  userID: string,
  vendor: 'apns' | 'fcm',
  unread = 0,
  instanceID = `${userID}-${vendor}`,
): Promise<Phone> {
  const device =
    vendor === 'apns'
      ? w.sim.devices.install('apns', { app: BUNDLE, environment: 'development' })
      : w.sim.devices.install('fcm', { app: FCM_PROJECT });
  const client = await loggedIn(w.s, userID, {
    instanceID,
    platform: vendor === 'apns' ? 'iPhone' : 'Android',
  });
  await client.chat.setOfflinePushConfig({
    businessID: vendor === 'apns' ? w.apns.id : w.fcm.id,
    token: device.token,
  });
  await client.chat.doBackground(unread);
  return { client, token: device.token };
}

export const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];
export const random = () => Math.floor(Math.random() * 4_294_967_295);

/** A text message from `from` to `to` over v4 `openim/sendmsg`, which must accept it. */
export async function sendText(s: TestServer, from: string, to: string, body: string): Promise<void> {
  const answer = await s.v4('openim/sendmsg', {
    From_Account: from,
    To_Account: to,
    MsgRandom: random(),
    MsgBody: text(body),
  });
  expect(answer).toMatchObject({ ErrorCode: 0 });
}
