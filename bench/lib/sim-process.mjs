// The vendor simulators in their own process (forked by the harness). Besides the library's control
// HTTP API it answers IPC requests the benchmark needs at scale: installing a range of deterministic
// device tokens at once, waiting until a number of notifications has arrived, and streaming receipt
// times for latency measurements.
import {
  generateApnsSigningKey,
  generateServiceAccount,
  generateVapidKeys,
  generateVendorApp,
  startSimulators,
} from '../../packages/simulator/dist/index.js';
import { serve } from './rpc.mjs';
import { tokenFor } from './tokens.mjs';

const OEM = ['huawei', 'honor', 'xiaomi', 'oppo', 'vivo', 'meizu'];
// High-resolution wall clock, comparable across processes on one machine.
const wallNow = () => performance.timeOrigin + performance.now();

const sim = await startSimulators({
  host: '127.0.0.1',
  recordLimit: 0, // counters only: records would cost memory and time at these volumes
  apnsMaxConcurrentStreams: 1000,
});

let waiter; // { target, seen, perVendor, resolve, timer }
let receiptBuffer; // [token, receivedAt][] while streaming
sim.subscribe((r) => {
  const t = wallNow();
  if (receiptBuffer) receiptBuffer.push([r.token, t]);
  if (!waiter) return;
  waiter.seen++;
  if (!waiter.perVendor[r.vendor]) waiter.perVendor[r.vendor] = { count: 0, firstAt: t, lastAt: t };
  const v = waiter.perVendor[r.vendor];
  v.count++;
  v.lastAt = t;
  if (waiter.seen >= waiter.target) finishWait();
});

function finishWait() {
  const w = waiter;
  waiter = undefined;
  clearTimeout(w.timer);
  w.resolve({ seen: w.seen, doneAt: wallNow(), perVendor: w.perVendor });
}

setInterval(() => {
  if (!receiptBuffer || receiptBuffer.length === 0) return;
  process.send({ type: 'receipts', items: receiptBuffer });
  receiptBuffer = [];
}, 10).unref();

serve({
  urls: () => ({ urls: sim.urls, caFile: sim.caFile, caPem: sim.caCertPem, control: sim.control }),
  /** A fresh APNs key per client run: APNs limits provider-token changes per key. */
  apnsKey: ({ topics }) => {
    const k = generateApnsSigningKey();
    sim.registerApnsKey({ keyId: k.keyId, teamId: k.teamId, privateKeyPem: k.p8, topics });
    return { keyId: k.keyId, teamId: k.teamId, p8: k.p8 };
  },
  /** Credentials of every other vendor, registered with the simulators. */
  vendorCredentials: ({ fcmProject }) => {
    const serviceAccount = generateServiceAccount(fcmProject);
    sim.registerServiceAccount({ serviceAccount });
    const apps = {};
    for (const v of OEM) {
      apps[v] = generateVendorApp(v);
      sim.registerVendorApp(v, apps[v]);
    }
    return { serviceAccount, apps, vapid: generateVapidKeys() };
  },
  /** Installs devices from..from+count-1; Web Push subscriptions carry keys, so they are returned. */
  install: ({ vendor, app, environment, from, count, applicationServerKey }) => {
    const subscriptions = [];
    for (let i = from; i < from + count; i++) {
      if (vendor === 'webpush') {
        const d = sim.devices.install('webpush', { app, applicationServerKey });
        subscriptions.push(JSON.stringify(d.subscription));
      } else {
        // Tokens are deterministic, so devices installed by an earlier scenario are reused.
        const token = tokenFor(vendor, i);
        const d = sim.devices.get(vendor, token);
        if (!d || d.app !== app || d.environment !== environment)
          sim.devices.install(vendor, { app, environment, token });
      }
    }
    return { installed: count, subscriptions };
  },
  /** Resolves once `target` more notifications (any vendor) have arrived, with per-vendor timings. */
  waitFor: ({ target, timeoutMs }) =>
    new Promise((resolve) => {
      if (waiter) finishWait();
      waiter = { target, seen: 0, perVendor: {}, resolve, timer: undefined };
      waiter.timer = setTimeout(finishWait, timeoutMs);
      if (target <= 0) finishWait();
    }),
  streamReceipts: ({ on }) => {
    receiptBuffer = on ? [] : undefined;
    return { on };
  },
  counters: () => sim.counters(),
  clear: () => {
    sim.clear();
    return { ok: true };
  },
  uninstallAll: () => {
    let n = 0;
    for (const d of sim.devices.list()) n += sim.devices.remove(d.vendor, d.token) ? 1 : 0;
    return { removed: n };
  },
});

process.on('disconnect', () => sim.stop().finally(() => process.exit(0)));
