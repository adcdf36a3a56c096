// Scenario 4 — scale growth: the all-member push at 10,000, 100,000 (and with --million 1,000,000)
// registered devices: throughput, Pushline's peak RSS and the first notification's delay after the REST answer,
// to show how cost grows with the audience.
// Baseline in the same run: the smallest audience's rate (growth ratio) and the raw HTTP/2 ceiling.
import { log } from '../lib/harness.mjs';
import { pushlineAllMember } from './throughput.mjs';

export async function run(ctx) {
  const results = [];
  for (const n of ctx.scaleSizes) {
    const reuse = ctx.shared.sqliteThroughput;
    if (reuse?.devices === n) {
      results.push(reuse);
      continue;
    }
    log(`scale: ${n} devices`);
    results.push(await pushlineAllMember(ctx.sim, { devices: n }));
  }
  const first = results[0];
  const last = results[results.length - 1];
  const rows = results.map((r) => ({
    name: `Pushline, ${r.devices.toLocaleString('en')} devices`,
    value: r.rate,
    unit: 'push/s',
    extra: `${r.seconds.toFixed(1)} s, peak RSS ${r.peakRssMB.toFixed(0)} MB, ${r.cpuUsPerPush.toFixed(0)} µs CPU/push, first push ${r.firstMs.toFixed(0)} ms after the answer, seeded in ${r.seedS.toFixed(1)} s`,
  }));
  return {
    id: 'scale',
    title: `Scale growth: all-member push at ${ctx.scaleSizes.map((n) => n.toLocaleString('en')).join(' / ')} devices (SQLite)`,
    rows,
    ratios: [
      {
        name: `rate at ${last.devices.toLocaleString('en')} / rate at ${first.devices.toLocaleString('en')}`,
        value: last.rate / first.rate,
        target: '>= 0.8 (no slowdown as the audience grows)',
        met: last.rate / first.rate >= 0.8,
      },
      ...(last.devices >= 1_000_000
        ? [
            {
              name: 'first notification after the REST answer at 1M (ms)',
              value: last.firstMs,
              target: '< 50',
              met: last.firstMs < 50,
            },
            {
              name: 'peak RSS at 1M (MB)',
              value: last.peakRssMB,
              target: '< 1024',
              met: last.peakRssMB < 1024,
            },
          ]
        : []),
    ],
    chart: results.map((r) => ({ x: r.devices, y: r.rate, rss: r.peakRssMB })),
  };
}
