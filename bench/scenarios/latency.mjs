// Scenario 3 — end-to-end latency: openim/sendmsg to distinct offline users (one background APNs device
// each) at a steady rate; from the REST request (and from its answer) to the APNs simulator's receipt,
// p50/p95/p99, and the rate actually sustained. Baseline in the same run: a raw node:http2 client posting
// one notification per message straight to the simulator at the same rate (the simulator's own latency).
import {
  BUNDLE,
  log,
  percentile,
  procStats,
  random32,
  sleep,
  startBaseline,
  steadyRate,
  textBody,
  wallNow,
} from '../lib/harness.mjs';
import { tokenFor, userFor } from '../lib/tokens.mjs';
import { startWorld } from '../lib/world.mjs';
import { APNS_PAYLOAD, allMemberPush, PUSH_INFO, TEXT } from './throughput.mjs';

const SENDER = 'sender';

/**
 * The first receipt time of each token (of `only`'s tokens, when given) while `fn` runs, then until `enough`
 * of them have one (30 s at most). Returns `fn`'s value with the times.
 */
async function receiptsWhile(sim, fn, { only, enough }) {
  const received = new Map();
  const listener = (items) => {
    for (const [token, t] of items)
      if ((!only || only.has(token)) && !received.has(token)) received.set(token, t);
  };
  sim.receiptListeners.add(listener);
  await sim.call('streamReceipts', { on: true });
  try {
    const value = await fn();
    const deadline = Date.now() + 30_000;
    while (received.size < enough && Date.now() < deadline) await sleep(20);
    return { value, received };
  } finally {
    await sim.call('streamReceipts', { on: false });
    sim.receiptListeners.delete(listener);
  }
}

/** Collects simulator receipts (token -> receive time) while `fn` runs, until `expected` tokens have one. */
async function withReceipts(sim, expected, fn) {
  const { value, received } = await receiptsWhile(sim, fn, { enough: expected });
  return { ...value, received };
}

/**
 * Chat messages sent during the fan-out of scenario 3, one every CHAT_EVERY_MS from its first notification on:
 * all within 0.4 s, while even the smallest run's fan-out (13,000 devices) still runs.
 */
const CHAT_DURING_FAN_OUT = 20;
const CHAT_EVERY_MS = 20;

function summarize(latencies) {
  const s = Float64Array.from(latencies).sort();
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), n: s.length };
}

/** The steps above the main rate: 10 s each (the main rate runs for `seconds`). */
const STEP_SECONDS = 10;

export async function run(ctx) {
  const { rate, seconds } = ctx.latency;
  const steps = [
    { rate, seconds },
    ...(ctx.latency.steps ?? []).map((r) => ({ rate: r, seconds: Math.min(seconds, STEP_SECONDS) })),
  ];
  // Warm-up first (not measured): 3 s at the main rate to other users, so the figures are the steady state
  // and not the first seconds of a cold process (JIT, statement cache, first APNs connection).
  const warmSeconds = Math.min(3, seconds);
  const warm = rate * warmSeconds;
  const measured = steps.reduce((n, st) => n + st.rate * st.seconds, 0);
  const world = await startWorld({ sim: ctx.sim, devices: measured + warm, accounts: [SENDER] });
  const send = (i) =>
    world.v4('openim/sendmsg', {
      SyncOtherMachine: 2,
      From_Account: SENDER,
      To_Account: userFor(i),
      MsgRandom: random32(),
      MsgBody: textBody(TEXT),
      OfflinePushInfo: PUSH_INFO,
    });
  const results = [];
  let fanOut = { devices: 0, firstMs: Number.NaN };
  try {
    await steadyRate(rate, warmSeconds, (i) => send(measured + i));
    await sleep(2000);
    let from = 0;
    for (const step of steps) {
      log(`latency: Pushline, openim/sendmsg at ${step.rate}/s for ${step.seconds} s`);
      const before = procStats(world.server.pid);
      const startedAt = performance.now();
      const measuredStep = await measureStep(ctx.sim, send, from, step.rate, step.seconds);
      const wallS = (performance.now() - startedAt) / 1000;
      // Pushline's CPU (all threads) per message, from the request to the vendor's answer: what sets the
      // highest rate one process can take, and less sensitive to a busy machine than the latencies.
      // The main thread's share: at 1,000/s on two cores it is the busiest thread, and its queue the latency.
      const after = procStats(world.server.pid);
      const sends = step.rate * step.seconds;
      const cpuUsPerSend = ((after.cpuS - before.cpuS) * 1e6) / sends;
      const mainCpuUsPerSend = ((after.mainCpuS - before.mainCpuS) * 1e6) / sends;
      // How full the main thread was over the step: the share of the wall time it ran, and the share it was
      // ready to run but waited for a core. Together near 100 %, it had no idle time left: a queue.
      const mainThread =
        before.mainSched && after.mainSched
          ? {
              onCpu: (after.mainSched.onCpuS - before.mainSched.onCpuS) / wallS,
              waiting: (after.mainSched.waitingS - before.mainSched.waitingS) / wallS,
            }
          : undefined;
      results.push({ ...step, ...measuredStep, cpuUsPerSend, mainCpuUsPerSend, mainThread });
      from += step.rate * step.seconds;
      await sleep(2000);
    }
    // A fan-out to every device of this world (connections warm): its first notification after the answer.
    // Then chat messages while it runs, to the users its pages reach last: how long a chat push waits
    // behind a broadcast of the same app (same certificate).
    const devices = measured + warm;
    log(`latency: all-member push to ${devices} devices, first notification; chat messages meanwhile`);
    const chatTokens = Array.from({ length: CHAT_DURING_FAN_OUT }, (_, k) =>
      tokenFor('apns', devices - 1 - k),
    );
    const chat = await receiptsWhile(
      ctx.sim,
      async () => {
        const first = ctx.sim.call('waitFor', { target: 1, timeoutMs: 60_000 });
        await allMemberPush(world);
        const answeredAt = wallNow();
        const got = await first;
        fanOut = { devices, firstMs: got.seen > 0 ? got.doneAt - answeredAt : Number.NaN };
        const sent = [];
        for (let k = 0; k < CHAT_DURING_FAN_OUT; k++) {
          await sleep(CHAT_EVERY_MS);
          const requestAt = wallNow();
          await send(devices - 1 - k);
          sent.push({ requestAt, answeredAt: wallNow() });
        }
        return sent;
      },
      { only: new Set(chatTokens), enough: chatTokens.length },
    );
    // A device whose first receipt came before the chat request got the fan-out's push first: not a chat
    // push's delay (the fan-out had reached it already), left out and counted.
    const delays = chat.value.map(
      ({ requestAt }, k) => (chat.received.get(chatTokens[k]) ?? Number.NaN) - requestAt,
    );
    const measuredDelays = delays.filter((d) => Number.isFinite(d) && d >= 0);
    // Where the delay is: in the REST request (the main thread, busy with the fan-out), or after the answer
    // (the queue, the send worker, the certificate's HTTP/2 connection).
    const answers = chat.value.filter((_, k) => delays[k] >= 0).map((c) => c.answeredAt - c.requestAt);
    fanOut.chat = {
      ...summarize(measuredDelays),
      answerP50: summarize(answers).p50,
      max: measuredDelays.length > 0 ? Math.max(...measuredDelays) : Number.NaN,
      sent: delays.length,
      reachedFirst: delays.filter((d) => d < 0).length,
    };
  } finally {
    await world.stop();
  }
  const pushline = results[0];
  const total = rate * seconds;

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
  // A rate counts as sustained when nearly every message went (95 % of the offered rate) with p99 < 100 ms.
  const held = results.filter((r) => r.sustained >= 0.95 * r.rate && r.fromRequest.p99 < 100);
  const highest = held.length > 0 ? Math.max(...held.map((r) => r.rate)) : 0;
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
        extra: `offered ${rate}/s, ${pushline.cpuUsPerSend.toFixed(0)} µs CPU per message (main thread ${pushline.mainCpuUsPerSend.toFixed(0)} µs)`,
      },
      ...(pushline.mainThread
        ? [
            {
              name: 'Pushline main thread on a CPU',
              value: 100 * pushline.mainThread.onCpu,
              unit: '%',
              extra: `of the ${seconds} s; waiting for a CPU another ${(100 * pushline.mainThread.waiting).toFixed(1)} %`,
            },
          ]
        : []),
      ...results.slice(1).map((r) => ({
        name: `Pushline at ${r.rate}/s (${r.seconds} s): p99`,
        value: r.fromRequest.p99,
        unit: 'ms',
        extra: `p50 ${ms(r.fromRequest.p50)}, sustained ${r.sustained.toFixed(0)} msg/s, ${r.fromRequest.n}/${r.rate * r.seconds} received${r.mainThread ? `, main thread on a CPU ${(100 * r.mainThread.onCpu).toFixed(0)} % (+${(100 * r.mainThread.waiting).toFixed(0)} % waiting)` : ''}`,
      })),
      {
        name: `all-member push to ${fanOut.devices.toLocaleString('en')}: first notification`,
        value: fanOut.firstMs,
        unit: 'ms',
        extra: 'after the REST answer, connections warm',
      },
      ...(fanOut.chat
        ? [
            {
              name: 'chat push during that fan-out: p50',
              value: fanOut.chat.p50,
              unit: 'ms',
              extra: `max ${ms(fanOut.chat.max)}, REST answer p50 ${ms(fanOut.chat.answerP50)}, ${fanOut.chat.n} of ${fanOut.chat.sent} (REST request -> receipt; to the users the fan-out reaches last${fanOut.chat.reachedFirst ? `, ${fanOut.chat.reachedFirst} reached by the fan-out first` : ''})`,
            },
          ]
        : []),
      { name: 'baseline: raw node:http2 p50', value: base.p50, unit: 'ms', extra: `p95 ${ms(base.p95)}` },
      {
        name: 'baseline: raw node:http2 p99',
        value: base.p99,
        unit: 'ms',
        extra: `sustained ${base.sustained.toFixed(0)}/s`,
      },
    ],
    ratios: [
      { name: `Pushline p99 at ${rate}/s (ms)`, value: p.p99, target: '< 25', met: p.p99 < 25 },
      { name: 'Pushline p99 - baseline p99 (ms)', value: p.p99 - base.p99 },
      {
        name: `highest rate of ${steps.map((st) => st.rate).join(', ')}/s sustained with p99 < 100 ms`,
        value: highest,
      },
      {
        name: 'fan-out: first notification after the REST answer (ms)',
        value: fanOut.firstMs,
        target: '< 50',
        met: fanOut.firstMs < 50,
      },
    ],
  };
}

/** One step: `rate` sends per second for `seconds` to users from+0.. ; latency from request and answer. */
async function measureStep(sim, send, from, rate, seconds) {
  const total = rate * seconds;
  const requestAt = new Float64Array(total);
  const answerAt = new Float64Array(total);
  const r = await withReceipts(sim, total, () =>
    steadyRate(rate, seconds, async (i) => {
      requestAt[i] = wallNow();
      await send(from + i);
      answerAt[i] = wallNow();
    }),
  );
  const fromRequest = [];
  const fromAnswer = [];
  const rest = [];
  let last = 0;
  for (let i = 0; i < total; i++) {
    const t = r.received.get(tokenFor('apns', from + i));
    rest.push(answerAt[i] - requestAt[i]);
    if (t === undefined) continue;
    fromRequest.push(t - requestAt[i]);
    fromAnswer.push(t - answerAt[i]);
    last = Math.max(last, t);
  }
  return {
    fromRequest: summarize(fromRequest),
    fromAnswer: summarize(fromAnswer),
    rest: summarize(rest),
    sustained: fromRequest.length / ((last - requestAt[0]) / 1000),
  };
}
