// A Pushline world for one measurement: simulator credentials and devices, a scratch database seeded in
// bulk, and a Pushline process pointing at the simulators. Devices are spread evenly over `vendors`.

import {
  BUNDLE,
  FCM_PROJECT,
  log,
  newMasterKey,
  scratchDatabase,
  simFlags,
  startPushline,
  v4Client,
  WEB_APP,
  wallNow,
} from './harness.mjs';
import { seed } from './seed.mjs';

function certificateInput(vendor, creds) {
  const a = creds.apps?.[vendor] ?? {};
  switch (vendor) {
    case 'apns':
      return {
        vendor,
        p8: creds.apnsKey.p8,
        keyId: creds.apnsKey.keyId,
        teamId: creds.apnsKey.teamId,
        bundleId: BUNDLE,
        environment: 'development',
      };
    case 'fcm':
      return { vendor, serviceAccount: JSON.stringify(creds.serviceAccount) };
    case 'huawei':
      return { vendor, appId: a.appId, clientSecret: a.appSecret };
    case 'honor':
      return { vendor, appId: a.appId, clientId: a.clientId, clientSecret: a.clientSecret };
    case 'xiaomi':
      return { vendor, packageName: a.appId, appSecret: a.appSecret };
    case 'oppo':
      return { vendor, appKey: a.appId, masterSecret: a.masterSecret };
    case 'vivo':
      return { vendor, appId: a.appId, appKey: a.appKey, appSecret: a.appSecret };
    case 'meizu':
      return { vendor, appId: a.appId, appSecret: a.appSecret };
    case 'webpush':
      return {
        vendor,
        vapidPublicKey: creds.vapid.publicKey,
        vapidPrivateKey: creds.vapid.privateKey,
        subject: 'mailto:bench@pushline.invalid',
      };
  }
  throw new Error(`unknown vendor ${vendor}`);
}

function deviceApp(vendor, creds) {
  if (vendor === 'apns') return BUNDLE;
  if (vendor === 'fcm') return FCM_PROJECT;
  if (vendor === 'webpush') return WEB_APP;
  return creds.apps[vendor].appId;
}

/**
 * @param o.sim       the simulator process
 * @param o.devices   number of devices (users), spread over o.vendors (default ['apns'])
 * @param o.db        'sqlite' | 'postgres'
 * @param o.accounts  extra device-less accounts
 * @param o.flags     extra Pushline config flags
 */
export async function startWorld(o) {
  const vendors = o.vendors ?? ['apns'];
  const creds = { apnsKey: await o.sim.call('apnsKey', { topics: [BUNDLE] }) };
  if (vendors.some((v) => v !== 'apns'))
    Object.assign(creds, await o.sim.call('vendorCredentials', { fcmProject: FCM_PROJECT }));
  const blocks = [];
  let from = 0;
  const per = Math.floor(o.devices / vendors.length);
  for (const [k, vendor] of vendors.entries()) {
    const count = k === vendors.length - 1 ? o.devices - from : per;
    if (count === 0) continue;
    const r = await o.sim.call('install', {
      vendor,
      app: deviceApp(vendor, creds),
      environment: vendor === 'apns' ? 'development' : undefined,
      applicationServerKey: creds.vapid?.publicKey,
      from,
      count,
    });
    blocks.push({ vendor, from, count, subscriptions: r.subscriptions });
    from += count;
  }
  const database = await scratchDatabase(o.db ?? 'sqlite');
  const masterKey = newMasterKey();
  const t = wallNow();
  const app = await seed({
    dbUrl: database.url,
    masterKey,
    certificates: vendors.map((vendor) => ({ vendor, input: certificateInput(vendor, creds) })),
    blocks,
    accounts: o.accounts,
  });
  const seedS = (wallNow() - t) / 1000;
  log(`seeded ${o.devices} devices (${vendors.join(',')}) on ${o.db ?? 'sqlite'} in ${seedS.toFixed(1)} s`);
  const server = await startPushline({
    ...simFlags(o.sim),
    db: database.url,
    dataDir: database.dataDir,
    masterKey,
    ...o.flags,
  });
  return {
    app,
    creds,
    blocks,
    server,
    seedS,
    v4: v4Client(server.url, app),
    async stop() {
      await server.stop();
      await database.drop();
    },
  };
}
