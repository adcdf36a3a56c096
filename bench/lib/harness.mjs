// Shared harness: child processes (simulators, Pushline, baselines), scratch databases, the v4 REST
// client, process memory/CPU from /proc, percentiles and wall-clock time comparable across processes.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { genUserSig } from '../../packages/server/dist/index.js';
import { simulatorConfig } from '../../packages/server/dist/sandbox/simulators.js';
import { percentile, sleep } from './client-utils.mjs';
import { spawnChild } from './rpc.mjs';

export { percentile, sleep };

const here = new URL('.', import.meta.url).pathname;
export const BUNDLE = 'com.pushline.bench';
export const FCM_PROJECT = 'pushline-bench';
export const WEB_APP = 'pushline-bench-web';
export const PG_ADMIN = process.env.PUSHLINE_BENCH_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

/** UNIX ms with sub-millisecond resolution; the simulator process stamps receipts with the same clock. */
export const wallNow = () => performance.timeOrigin + performance.now();

export const log = (...a) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${a.join(' ')}\n`);

export function startSim() {
  const receiptListeners = new Set();
  return spawnChild(join(here, 'sim-process.mjs'), {
    // BENCH_SIM_PROFILE: a V8 CPU profile of the simulators' process too (bench/results/prof/sim).
    ...(process.env.BENCH_SIM_PROFILE
      ? { execArgv: ['--cpu-prof', `--cpu-prof-dir=${join(here, '..', 'results', 'prof', 'sim')}`] }
      : {}),
    onMessage: (m) => {
      if (m?.type === 'receipts') for (const l of receiptListeners) l(m.items);
    },
  }).then(async (c) => ({ ...c, ...(await c.call('urls')), receiptListeners }));
}

/** Config flags pointing Pushline's vendor channels at the simulators (the sandbox's own mapping). */
export const simFlags = simulatorConfig;

/** A scratch database: SQLite in a temp directory, or a new PostgreSQL database (dropped by `drop`). */
export async function scratchDatabase(kind) {
  const dir = mkdtempSync(join(tmpdir(), 'pushline-bench-'));
  if (kind === 'sqlite') {
    return {
      url: `sqlite:${join(dir, 'pushline.db')}`,
      dataDir: dir,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `pushline_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  // As docs/deployment.md ("PostgreSQL") says to create Pushline's database: text compared in byte order.
  await admin.query(`create database ${name} template template0 lc_collate 'C'`);
  await admin.end();
  const url = new URL(PG_ADMIN);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dataDir: dir,
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function postgresReachable() {
  const c = new pg.Client({ connectionString: PG_ADMIN, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

export const newMasterKey = () => randomBytes(32).toString('hex');

/** Pushline (createPushline from dist) in its own process; `flags` are config keys. */
export async function startPushline(flags) {
  // BENCH_PUSHLINE_FLAGS (JSON config keys) tunes every Pushline of the run, for experiments (bench/README.md).
  const extra = process.env.BENCH_PUSHLINE_FLAGS ? JSON.parse(process.env.BENCH_PUSHLINE_FLAGS) : {};
  const child = await spawnChild(join(here, 'server-process.mjs'), {
    args: [JSON.stringify({ host: '127.0.0.1', port: 0, logLevel: 'warn', ...flags, ...extra })],
    execArgv: [
      '--expose-gc',
      // Profiling (bench/README.md): V8 CPU profiles and per-statement SQLite timings of the server.
      ...(process.env.BENCH_CPU_PROFILE
        ? ['--cpu-prof', `--cpu-prof-dir=${join(here, '..', 'results', 'prof')}`]
        : []),
      ...(process.env.BENCH_SQL_PROFILE ? ['--require', join(here, 'sql-profile.cjs')] : []),
      // BENCH_NODE_FLAGS (space-separated) adds Node options to every Pushline of the run, e.g. --trace-gc.
      ...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ').filter(Boolean) : []),
    ],
  });
  return { ...child, url: await child.call('url') };
}

/**
 * VmRSS / VmHWM (peak RSS) in bytes and CPU seconds (user + system) of a process, from /proc: all its threads
 * (cpuS) and its main thread alone (mainCpuS: the event loop, where the HTTP handling and the SQL run). With
 * the main thread's scheduler times (mainSched, seconds): on a CPU, and runnable but waiting for one (the
 * other threads and processes on the same cores); undefined where the kernel keeps no schedstat.
 */
export function procStats(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  return {
    rss: kb('VmRSS'),
    peakRss: kb('VmHWM'),
    cpuS: cpuSeconds(`/proc/${pid}/stat`),
    mainCpuS: cpuSeconds(`/proc/${pid}/task/${pid}/stat`),
    mainSched: schedSeconds(`/proc/${pid}/task/${pid}/schedstat`),
  };
}

/** `/proc/.../schedstat`: nanoseconds on a CPU, nanoseconds waiting in the run queue, time slices. */
function schedSeconds(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const [onCpu, waiting] = text.trim().split(' ').map(Number);
  return { onCpuS: onCpu / 1e9, waitingS: waiting / 1e9 };
}

function cpuSeconds(statFile) {
  const stat = readFileSync(statFile, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks (100/s on Linux)
}

export function startBaseline(name) {
  // BENCH_CPU_PROFILE profiles the baseline clients too (bench/README.md "Profiling"), to compare per push.
  const profile = process.env.BENCH_CPU_PROFILE
    ? { execArgv: ['--cpu-prof', `--cpu-prof-dir=${join(here, '..', 'results', 'prof', 'base')}`] }
    : {};
  return spawnChild(join(here, '..', 'baselines', `${name}.mjs`), profile);
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** POSTs JSON, resolves to the parsed answer. */
export function postJson(url, body) {
  return new Promise((resolve, reject) => {
    const data = Buffer.from(JSON.stringify(body));
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': data.length },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch (e) {
            reject(e);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** A v4 REST client for one app, signed as its admin. */
export function v4Client(baseUrl, app) {
  const sig = genUserSig({
    sdkAppId: app.sdkAppId,
    key: app.secretKey,
    identifier: app.adminId,
    expire: 86_400,
  });
  return async (command, body) => {
    const q = `sdkappid=${app.sdkAppId}&identifier=${app.adminId}&usersig=${encodeURIComponent(sig)}&random=${Math.floor(Math.random() * 4294967295)}&contenttype=json`;
    const answer = await postJson(`${baseUrl}/v4/${command}?${q}`, body);
    if (answer.ErrorCode !== 0) throw new Error(`${command}: ${answer.ErrorCode} ${answer.ErrorInfo}`);
    return answer;
  };
}

export const random32 = () => Math.floor(Math.random() * 4_294_967_295);
export const textBody = (Text) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];

export async function steadyRate(rate, seconds, fn) {
  const total = Math.round(rate * seconds);
  const start = performance.now();
  const inflight = [];
  let i = 0;
  while (i < total) {
    const due = Math.floor(((performance.now() - start) / 1000) * rate) + 1;
    while (i < Math.min(due, total)) inflight.push(fn(i++));
    await sleep(1);
  }
  await Promise.all(inflight);
  return { sent: total, issueSeconds: (performance.now() - start) / 1000 };
}
