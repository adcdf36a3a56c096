// Scenario 1 — push throughput: N background APNs devices (token auth), one all-member push to all of them;
// notifications per second until the APNs simulator has received every one. Baselines against the same
// simulator in the same run: the raw node:http2 ceiling and @parse/node-apn, both sending the same N.
import { availableParallelism } from 'node:os';
import { BUNDLE, log, procStats, random32, startBaseline, textBody, wallNow } from '../lib/harness.mjs';
import { startWorld } from '../lib/world.mjs';

export const TEXT = 'Benchmark: the quarterly numbers are in, see the dashboard';
/** Android vendors require a notification title: every push of the benchmark carries one. */
export const PUSH_INFO = { Title: 'Pushline bench' };
/** What Pushline's renderer makes of TEXT with PUSH_INFO for APNs: the baselines post the same. */
export const APNS_PAYLOAD = {
  aps: { alert: { title: PUSH_INFO.Title, body: TEXT }, badge: 1, sound: 'default' },
};

/** The benchmark's all-member push: TEXT with PUSH_INFO to every device of `world`'s app. */
export function allMemberPush(world) {
  return world.v4('all_member_push/im_push', {
    MsgRandom: random32(),
    MsgBody: textBody(TEXT),
    OfflinePushInfo: PUSH_INFO,
  });
}

/** One all-member push through a fresh Pushline; resolves when the simulator has every notification. */
export async function pushlineAllMember(sim, { devices, db = 'sqlite', vendors = ['apns'], flags }) {
  const world = await startWorld({ sim, devices, db, vendors, flags });
  try {
    const before = procStats(world.server.pid);
    // Fails instead of hanging when pushes stop arriving (at least 200/s expected).
    const arrived = sim.call('waitFor', { target: devices, timeoutMs: Math.max(60_000, devices * 5) });
    const t0 = wallNow();
    const timeline = process.env.BENCH_TIMELINE ? pushTimeline(world.server.url, t0) : undefined;
    await allMemberPush(world);
    const answeredAt = wallNow();
    const done = await arrived;
    timeline?.stop();
    const after = procStats(world.server.pid);
    if (done.seen < devices) throw new Error(`only ${done.seen} of ${devices} notifications arrived`);
    const seconds = (done.doneAt - t0) / 1000;
    const perVendor = Object.fromEntries(
      Object.entries(done.perVendor).map(([v, s]) => [
        v,
        { count: s.count, rate: s.count / ((s.lastAt - t0) / 1000) },
      ]),
    );
    return {
      devices,
      seconds,
      rate: devices / seconds,
      peakRssMB: after.peakRss / 2 ** 20,
      cpuUsPerPush: ((after.cpuS - before.cpuS) * 1e6) / devices,
      seedS: world.seedS,
      perVendor,
      // The fan-out's first notification, from the REST answer.
      firstMs: Math.min(...Object.values(done.perVendor).map((v) => v.firstAt)) - answeredAt,
    };
  } finally {
    await world.stop();
  }
}

/** A baseline client (baselines/<name>.mjs) sending `count` APNs notifications to the simulator. */
export async function baselineApns(sim, name, { count, inflight, sessions = 1 }) {
  const key = await sim.call('apnsKey', { topics: [BUNDLE] });
  await sim.call('install', { vendor: 'apns', app: BUNDLE, environment: 'development', from: 0, count });
  const client = await startBaseline(name);
  try {
    const arrived = sim.call('waitFor', { target: count, timeoutMs: Math.max(60_000, count * 5) });
    const t0 = wallNow();
    const r = await client.call('run', {
      origin: sim.urls.apnsDevelopment,
      port: Number(new URL(sim.urls.apnsDevelopment).port),
      caPem: sim.caPem,
      key,
      topic: BUNDLE,
      from: 0,
      count,
      sessions,
      inflight,
      payload: APNS_PAYLOAD,
    });
    const done = await arrived;
    if (done.seen < count)
      throw new Error(`${name}: only ${done.seen} of ${count} arrived (${JSON.stringify(r)})`);
    const seconds = (done.doneAt - t0) / 1000;
    return { seconds, rate: count / seconds, cpuUsPerPush: (r.cpu.user + r.cpu.system) / count };
  } finally {
    await client.stop();
  }
}

export async function run(ctx) {
  const n = ctx.devices;
  // Pushline keeps at most batchSize x concurrency pushes in flight (500 x 2): the baselines get the same.
  const inflight = 1000;
  const threads = availableParallelism();
  log(`throughput: Pushline, ${n} APNs devices, ${threads} threads (workers auto)`);
  const p = await pushlineAllMember(ctx.sim, { devices: n });
  log(`throughput: Pushline ${p.rate.toFixed(0)}/s; 1 thread`);
  const one = await pushlineAllMember(ctx.sim, { devices: n, flags: { workers: 1 } });
  log(`throughput: Pushline, 1 thread ${one.rate.toFixed(0)}/s; ceiling`);
  const c = await baselineApns(ctx.sim, 'h2-ceiling', { count: n, inflight });
  log(`throughput: ceiling ${c.rate.toFixed(0)}/s; node-apn`);
  const a = await baselineApns(ctx.sim, 'node-apn', { count: n, inflight });
  log(`throughput: node-apn ${a.rate.toFixed(0)}/s`);
  ctx.shared.sqliteThroughput = p;
  ctx.shared.ceiling = c;
  return {
    id: 'throughput',
    title: `Push throughput, ${n.toLocaleString('en')} APNs devices, one all-member push (SQLite)`,
    rows: [
      {
        name: `Pushline, workers ${threads} (auto)`,
        value: p.rate,
        unit: 'push/s',
        extra: `${p.seconds.toFixed(1)} s, ${p.cpuUsPerPush.toFixed(0)} µs CPU/push, peak RSS ${p.peakRssMB.toFixed(0)} MB, first push ${p.firstMs.toFixed(0)} ms after the answer`,
      },
      {
        name: 'Pushline, workers 1',
        value: one.rate,
        unit: 'push/s',
        extra: `${one.seconds.toFixed(1)} s, ${one.cpuUsPerPush.toFixed(0)} µs CPU/push, peak RSS ${one.peakRssMB.toFixed(0)} MB`,
      },
      {
        name: 'baseline: raw node:http2 ceiling',
        value: c.rate,
        unit: 'push/s',
        extra: `${c.seconds.toFixed(1)} s, ${c.cpuUsPerPush.toFixed(0)} µs CPU/push`,
      },
      {
        name: 'baseline: @parse/node-apn',
        value: a.rate,
        unit: 'push/s',
        extra: `${a.seconds.toFixed(1)} s, ${a.cpuUsPerPush.toFixed(0)} µs CPU/push`,
      },
    ],
    ratios: [
      { name: 'Pushline / ceiling', value: p.rate / c.rate, target: '>= 0.8', met: p.rate / c.rate >= 0.8 },
      {
        name: 'Pushline / node-apn',
        value: p.rate / a.rate,
        target: '>= 1.2',
        met: p.rate / a.rate >= 1.2,
      },
      { name: `workers ${threads} / workers 1`, value: p.rate / one.rate },
      {
        name: 'first notification after the REST answer (ms)',
        value: p.firstMs,
        target: '< 50',
        met: p.firstMs < 50,
      },
    ],
  };
}

/**
 * BENCH_TIMELINE=1: prints, every 500 ms, how many pushes the server has accepted (fan-out) and settled as
 * sent (dispatch), from its /metrics: shows which stage sets the pace.
 */
function pushTimeline(url, t0) {
  const read = async () => {
    const text = await (await fetch(`${url}/metrics`)).text();
    const sum = (outcome) =>
      [
        ...text.matchAll(new RegExp(`^pushline_push_total\\{[^}]*outcome="${outcome}"[^}]*\\} (\\d+)`, 'gm')),
      ].reduce((n, m) => n + Number(m[1]), 0);
    return { accepted: sum('accepted'), sent: sum('sent') };
  };
  const timer = setInterval(async () => {
    const r = await read().catch(() => undefined);
    if (r) log(`timeline ${((wallNow() - t0) / 1000).toFixed(1)} s: accepted ${r.accepted}, sent ${r.sent}`);
  }, 500);
  return { stop: () => clearInterval(timer) };
}
