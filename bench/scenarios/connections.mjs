// Scenario 5 — live connections: K concurrent SDK clients (real PushlineChat over WebSocket, logged in) on
// one Pushline: server memory per idle connection, then C2C live delivery latency (SDK send -> SDK
// receive) at a steady rate. Baseline in the same run: a bare `ws` relay server with K plain clients.
import { execSync } from 'node:child_process';
import { join } from 'node:path';
import { log, procStats, sleep } from '../lib/harness.mjs';
import { spawnChild } from '../lib/rpc.mjs';
import { startWorld } from '../lib/world.mjs';

const here = new URL('.', import.meta.url).pathname;
const clientsScript = join(here, '..', 'lib', 'clients-process.mjs');
const users = (k) => Array.from({ length: k }, (_, i) => `c${String(i).padStart(7, '0')}`);

/** Memory of a server process after a full GC: RSS from /proc, JS heap + buffers from the process. */
async function memory(server) {
  const m = await server.call('mem');
  return { rss: procStats(server.pid).rss, js: m.heapUsed + m.external + m.arrayBuffers };
}

async function measure(server, connectArgs, mode, k, c2c) {
  const before = await memory(server);
  const clients = await spawnChild(clientsScript, { args: [mode] });
  try {
    const c = await clients.call('connect', { ...connectArgs, users: users(k), concurrency: 100 });
    await sleep(2000); // let login bookkeeping settle before measuring idle memory
    const after = await memory(server);
    const lat = await clients.call('c2c', c2c);
    return {
      connectS: c.seconds,
      rssPerConn: (after.rss - before.rss) / k,
      jsPerConn: (after.js - before.js) / k,
      rssMB: after.rss / 2 ** 20,
      ...lat,
    };
  } finally {
    await clients.stop();
  }
}

/** Open files allowed per process (`npm run bench` raises the soft limit to the hard one first). */
function fileLimit() {
  try {
    return Number(execSync('ulimit -n', { encoding: 'utf8' }).trim()) || Number.POSITIVE_INFINITY;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

export async function run(ctx) {
  const { rate, seconds } = ctx.connections;
  // Each side of a connection holds one descriptor in its own process; keep some for everything else.
  const k = Math.min(ctx.connections.clients, fileLimit() - 500);
  if (k < ctx.connections.clients)
    log(`connections: ulimit -n allows ${k} clients, not ${ctx.connections.clients}`);
  log(`connections: ${k} SDK clients on Pushline`);
  const world = await startWorld({ sim: ctx.sim, devices: 0, accounts: users(k) });
  let p;
  try {
    const url = `${world.server.url.replace(/^http/, 'ws')}/ws`;
    p = await measure(
      world.server,
      { url, sdkAppId: world.app.sdkAppId, secretKey: world.app.secretKey },
      'sdk',
      k,
      { rate, seconds },
    );
  } finally {
    await world.stop();
  }
  log(`connections: ${k} plain clients on the bare ws relay`);
  const relay = await spawnChild(join(here, '..', 'baselines', 'ws-relay.mjs'), {
    execArgv: ['--expose-gc'],
  });
  let b;
  try {
    b = await measure(relay, { url: await relay.call('url') }, 'raw', k, { rate, seconds });
  } finally {
    await relay.stop();
  }
  const kb = (v) => v / 1024;
  const ms = (v) => `${v.toFixed(1)} ms`;
  return {
    id: 'connections',
    title: `Live connections: ${k.toLocaleString('en')} SDK WebSocket clients on one server, C2C at ${rate}/s for ${seconds} s`,
    rows: [
      {
        name: 'Pushline server memory per idle connection (RSS)',
        value: kb(p.rssPerConn),
        unit: 'KB',
        extra: `JS heap+buffers ${kb(p.jsPerConn).toFixed(1)} KB; ${k} logins in ${p.connectS.toFixed(1)} s`,
      },
      { name: 'Pushline C2C live latency p50', value: p.p50, unit: 'ms', extra: `p95 ${ms(p.p95)}` },
      {
        name: 'Pushline C2C live latency p99',
        value: p.p99,
        unit: 'ms',
        extra: `${p.received}/${p.sent} delivered`,
      },
      {
        name: 'baseline: bare ws relay memory per connection (RSS)',
        value: kb(b.rssPerConn),
        unit: 'KB',
        extra: `JS heap+buffers ${kb(b.jsPerConn).toFixed(1)} KB`,
      },
      { name: 'baseline: bare ws relay latency p50', value: b.p50, unit: 'ms', extra: `p95 ${ms(b.p95)}` },
      {
        name: 'baseline: bare ws relay latency p99',
        value: b.p99,
        unit: 'ms',
        extra: `${b.received}/${b.sent} delivered`,
      },
    ],
    ratios: [
      {
        name: 'Pushline KB per idle connection',
        value: kb(p.rssPerConn),
        target: '< 50',
        met: kb(p.rssPerConn) < 50,
      },
      { name: 'Pushline / bare ws memory per connection', value: p.rssPerConn / b.rssPerConn },
    ],
  };
}
