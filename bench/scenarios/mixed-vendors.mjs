// Scenario 2 — mixed vendors: the all-member push of scenario 1 with the devices spread evenly over every
// vendor (APNs, FCM, Huawei, Honor, Xiaomi, OPPO, vivo, Meizu, Web Push); per-vendor delivery rates.
// Baseline in the same run: Pushline's APNs-only rate for the same number of devices (scenario 1).
import { log } from '../lib/harness.mjs';
import { pushlineAllMember } from './throughput.mjs';

export const ALL_VENDORS = ['apns', 'fcm', 'huawei', 'honor', 'xiaomi', 'oppo', 'vivo', 'meizu', 'webpush'];

export async function run(ctx) {
  const n = ctx.mixedDevices;
  log(`mixed vendors: ${n} devices over ${ALL_VENDORS.length} vendors`);
  const m = await pushlineAllMember(ctx.sim, { devices: n, vendors: ALL_VENDORS });
  let base = ctx.shared.sqliteThroughput;
  if (!base || base.devices !== n) {
    log(`mixed vendors: APNs-only baseline with ${n} devices`);
    base = await pushlineAllMember(ctx.sim, { devices: n });
  }
  return {
    id: 'mixed-vendors',
    title: `Mixed vendors, ${n.toLocaleString('en')} devices over ${ALL_VENDORS.length} vendors, one all-member push`,
    rows: [
      {
        name: 'Pushline, all vendors',
        value: m.rate,
        unit: 'push/s',
        extra: `${m.seconds.toFixed(1)} s, ${m.cpuUsPerPush.toFixed(0)} µs CPU/push, peak RSS ${m.peakRssMB.toFixed(0)} MB`,
      },
      ...ALL_VENDORS.map((v) => ({
        name: `  ${v}`,
        value: m.perVendor[v]?.rate ?? 0,
        unit: 'push/s',
        extra: `${m.perVendor[v]?.count ?? 0} delivered`,
      })),
      {
        name: 'baseline: Pushline, APNs only',
        value: base.rate,
        unit: 'push/s',
        extra: `${base.seconds.toFixed(1)} s`,
      },
    ],
    ratios: [{ name: 'all vendors / APNs only', value: m.rate / base.rate }],
  };
}
