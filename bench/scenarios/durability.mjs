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
  const sqlite = ctx.shared.sqliteThroughput ?? (await pushlineAllMember(ctx.sim, { devices: n }));
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
      { name: 'baseline: raw node:http2 ceiling', value: ceiling.rate, unit: 'push/s', extra: '' },
    ],
    ratios: [
      { name: 'PostgreSQL / SQLite', value: pg.rate / sqlite.rate },
      { name: 'PostgreSQL / ceiling', value: pg.rate / ceiling.rate },
    ],
  };
}
