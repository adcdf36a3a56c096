// Scenario 3 — end-to-end latency: openim/sendmsg to distinct offline users (one background APNs device
// each) at a steady rate; from the REST request (and from its answer) to the APNs simulator's receipt,
// p50/p95/p99, and the rate actually sustained. Baseline in the same run: a raw node:http2 client posting
// one notification per message straight to the simulator at the same rate (the simulator's own latency).
import {
  BUNDLE,
  log,
  percentile,
  random32,
  sleep,
  startBaseline,
  steadyRate,
  textBody,
  wallNow,
} from '../lib/harness.mjs';
import { tokenFor, userFor } from '../lib/tokens.mjs';
import { startWorld } from '../lib/world.mjs';
import { APNS_PAYLOAD, PUSH_INFO, TEXT } from './throughput.mjs';

const SENDER = 'sender';

/** Collects simulator receipts (token -> receive time) while `fn` runs. */
async function withReceipts(sim, expected, fn) {
  const received = new Map();
  const listener = (items) => {
    for (const [token, t] of items) if (!received.has(token)) received.set(token, t);
  };
  sim.receiptListeners.add(listener);
  await sim.call('streamReceipts', { on: true });
  try {
    const r = await fn();
    const deadline = Date.now() + 30_000;
    while (received.size < expected && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
    return { ...r, received };
  } finally {
    await sim.call('streamReceipts', { on: false });
    sim.receiptListeners.delete(listener);
  }
}

function summarize(latencies) {
  const s = Float64Array.from(latencies).sort();
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), n: s.length };
}

export async function run(ctx) {
  const { rate, seconds } = ctx.latency;
  const total = rate * seconds;
  // Warm-up first (not measured): 3 s at the same rate to other users, so the figure is the steady state and
  // not the first seconds of a cold process (JIT, statement cache, first APNs connection).
  const warmSeconds = Math.min(3, seconds);
  const warm = rate * warmSeconds;
  const world = await startWorld({ sim: ctx.sim, devices: total + warm, accounts: [SENDER] });
  const send = (i) =>
    world.v4('openim/sendmsg', {
      SyncOtherMachine: 2,
      From_Account: SENDER,
      To_Account: userFor(i),
      MsgRandom: random32(),
      MsgBody: textBody(TEXT),
      OfflinePushInfo: PUSH_INFO,
    });
  let pushline;
  try {
    await steadyRate(rate, warmSeconds, (i) => send(total + i));
    await sleep(2000);
    log(`latency: Pushline, openim/sendmsg at ${rate}/s for ${seconds} s`);
    const requestAt = new Float64Array(total);
    const answerAt = new Float64Array(total);
    pushline = await withReceipts(ctx.sim, total, () =>
      steadyRate(rate, seconds, async (i) => {
        requestAt[i] = wallNow();
        await send(i);
        answerAt[i] = wallNow();
      }),
    );
    const fromRequest = [];
    const fromAnswer = [];
    const rest = [];
    let last = 0;
    for (let i = 0; i < total; i++) {
      const t = pushline.received.get(tokenFor('apns', i));
      rest.push(answerAt[i] - requestAt[i]);
      if (t === undefined) continue;
      fromRequest.push(t - requestAt[i]);
      fromAnswer.push(t - answerAt[i]);
      last = Math.max(last, t);
    }
    pushline.fromRequest = summarize(fromRequest);
    pushline.fromAnswer = summarize(fromAnswer);
    pushline.rest = summarize(rest);
    pushline.sustained = fromRequest.length / ((last - requestAt[0]) / 1000);
  } finally {
    await world.stop();
  }

  log('latency: raw node:http2 baseline at the same rate');
  const key = await ctx.sim.call('apnsKey', { topics: [BUNDLE] });
  // Device 0 takes the warm-up push, devices 1..total the measured ones.
  await ctx.sim.call('install', {
    vendor: 'apns',
    app: BUNDLE,
    environment: 'development',
    from: 0,
    count: total + 1,
  });
  const client = await startBaseline('h2-ceiling');
  let base;
  try {
    const origin = ctx.sim.urls.apnsDevelopment;
    const r = await withReceipts(ctx.sim, total, () =>
      client.call('paced', {
        origin,
        caPem: ctx.sim.caPem,
        key,
        topic: BUNDLE,
        from: 0,
        count: total,
        rate,
        payload: APNS_PAYLOAD,
      }),
    );
    const lat = [];
    let last = 0;
    for (let i = 0; i < total; i++) {
      const t = r.received.get(tokenFor('apns', i + 1));
      if (t === undefined) continue;
      lat.push(t - r.sentAt[i]);
      last = Math.max(last, t);
    }
    base = { ...summarize(lat), sustained: lat.length / ((last - r.sentAt[0]) / 1000) };
  } finally {
    await client.stop();
  }

  const ms = (v) => `${v.toFixed(1)} ms`;
  const p = pushline.fromRequest;
  return {
    id: 'latency',
    title: `End-to-end latency, openim/sendmsg to distinct offline users at ${rate}/s for ${seconds} s (SQLite)`,
    rows: [
      {
        name: 'Pushline p50, REST request -> APNs receipt',
        value: p.p50,
        unit: 'ms',
        extra: `${p.n}/${total} received`,
      },
      { name: 'Pushline p95', value: p.p95, unit: 'ms', extra: '' },
      {
        name: 'Pushline p99',
        value: p.p99,
        unit: 'ms',
        extra: `REST answer -> receipt p50/p99 ${ms(pushline.fromAnswer.p50)} / ${ms(pushline.fromAnswer.p99)}`,
      },
      {
        name: 'Pushline REST answer time p50/p99',
        value: pushline.rest.p50,
        unit: 'ms',
        extra: `p99 ${ms(pushline.rest.p99)}`,
      },
      {
        name: 'Pushline sustained rate',
        value: pushline.sustained,
        unit: 'msg/s',
        extra: `offered ${rate}/s`,
      },
      { name: 'baseline: raw node:http2 p50', value: base.p50, unit: 'ms', extra: `p95 ${ms(base.p95)}` },
      {
        name: 'baseline: raw node:http2 p99',
        value: base.p99,
        unit: 'ms',
        extra: `sustained ${base.sustained.toFixed(0)}/s`,
      },
    ],
    ratios: [
      { name: 'Pushline p99 (ms)', value: p.p99, target: '< 50', met: p.p99 < 50 },
      { name: 'Pushline p99 - baseline p99 (ms)', value: p.p99 - base.p99 },
    ],
  };
}
