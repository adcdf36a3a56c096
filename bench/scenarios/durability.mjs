// Scenario 6 — durability cost: scenario 1 on PostgreSQL next to SQLite (the embedded default), each with
// its own raw HTTP/2 ceiling from the same run.
import { log, postgresReachable } from '../lib/harness.mjs';
import { baselineApns, pushlineAllMember } from './throughput.mjs';

export async function run(ctx) {
  const n = ctx.devices;
  if (!(await postgresReachable())) {
    log('durability: PostgreSQL unreachable, skipped');
    return {
      id: 'durability',
      title: 'Durability cost: PostgreSQL unreachable (PUSHLINE_BENCH_POSTGRES), skipped',
      rows: [],
      ratios: [],
    };
  }
  // SQLite is measured again right before PostgreSQL, even in a full run where scenario 1 measured it minutes
  // earlier: the host's speed drifts over a run (bench/README.md), and the ratio compares the two databases,
  // not two moments. Scenario 1's figure is shown beside it.
  const earlier = ctx.shared.sqliteThroughput;
  log(`durability: Pushline on SQLite, ${n} devices`);
  const sqlite = await pushlineAllMember(ctx.sim, { devices: n });
  log(`durability: Pushline on PostgreSQL, ${n} devices`);
  const pg = await pushlineAllMember(ctx.sim, { devices: n, db: 'postgres' });
  const ceiling =
    ctx.shared.ceiling ?? (await baselineApns(ctx.sim, 'h2-ceiling', { count: n, inflight: 1000 }));
  const fmt = (r) =>
    `${r.seconds.toFixed(1)} s, ${r.cpuUsPerPush.toFixed(0)} µs CPU/push in Pushline, peak RSS ${r.peakRssMB.toFixed(0)} MB`;
  return {
    id: 'durability',
    title: `Durability cost, ${n.toLocaleString('en')} APNs devices, one all-member push`,
    rows: [
      { name: 'Pushline on SQLite', value: sqlite.rate, unit: 'push/s', extra: fmt(sqlite) },
      { name: 'Pushline on PostgreSQL', value: pg.rate, unit: 'push/s', extra: fmt(pg) },
      ...(earlier
        ? [
            {
              name: 'Pushline on SQLite in scenario 1',
              value: earlier.rate,
              unit: 'push/s',
              extra: `PostgreSQL / this: ${(pg.rate / earlier.rate).toFixed(2)}`,
            },
          ]
        : []),
      { name: 'baseline: raw node:http2 ceiling', value: ceiling.rate, unit: 'push/s', extra: '' },
    ],
    ratios: [
      {
        name: 'PostgreSQL / SQLite (back to back)',
        value: pg.rate / sqlite.rate,
        target: '>= 0.8',
        met: pg.rate / sqlite.rate >= 0.8,
      },
      { name: 'PostgreSQL / ceiling', value: pg.rate / ceiling.rate },
    ],
  };
}
