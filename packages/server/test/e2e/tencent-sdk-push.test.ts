// A message sent from Tencent's own SDK (`@tencentcloud/chat`, unmodified) to a `@pushline/sdk` user whose
// app is in the background reaches that user's phone through the push engine — a vendor simulator
// receives the notification, with the text and the offline push settings the Tencent SDK sent.
import type { Simulators } from '@pushline/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn, waitFor } from '../helpers/clients.js';
import { testBackends } from '../helpers/databases.js';
import type { TestServer } from '../helpers/server.js';
import { startFcmWorld } from '../helpers/simulators.js';
import { type TencentClient, tencentLoggedIn } from '../helpers/tencent-sdk.js';

const backends = await testBackends();

describe.each(backends)('@tencentcloud/chat sends, the push engine delivers, on %s', (backend) => {
  let s: TestServer;
  let sim: Simulators;
  let fcmCert: number;
  const clients: TencentClient[] = [];

  beforeAll(async () => {
    ({ sim, s, fcmCert } = await startFcmWorld(backend, 'pushline-tencent-sdk'));
  });
  afterAll(async () => {
    for (const c of clients) await c.destroy();
    await s?.close();
    await sim?.stop();
  });

  it('to a backgrounded @pushline/sdk user: a notification on the phone', async () => {
    const olga = await tencentLoggedIn(s, 't-olga');
    clients.push(olga);
    const pete = await loggedIn(s, 'p-pete', { instanceID: 'pete-phone', platform: 'Android' });
    const token = sim.devices.install('fcm', { app: 'pushline-tencent-sdk' }).token;
    await pete.chat.setOfflinePushConfig({ businessID: fcmCert, token });
    await pete.chat.doBackground(0);
    await waitFor(() => olga.ready, 'olga ready');
    const T = olga.TencentCloudChat;

    await olga.chat.sendMessage(
      olga.chat.createTextMessage({
        to: 'p-pete',
        conversationType: T.TYPES.CONV_C2C,
        payload: { text: 'are you up?' },
      }),
    );
    await waitFor(() => sim.received({ token }).length === 1, 'the phone gets a notification');
    expect(sim.received({ token })[0]).toMatchObject({ body: 'are you up?' });

    // The Tencent SDK's own offline push settings travel with the message.
    await olga.chat.sendMessage(
      olga.chat.createCustomMessage({
        to: 'p-pete',
        conversationType: T.TYPES.CONV_C2C,
        payload: { data: '{"call":1}', description: '', extension: '' },
      }),
      { offlinePushInfo: { title: 'Olga', description: 'is calling you' } },
    );
    await waitFor(() => sim.received({ token }).length === 2, 'the second notification');
    expect(sim.received({ token })[1]).toMatchObject({ title: 'Olga', body: 'is calling you' });
    await pete.chat.logout();
  });
});
