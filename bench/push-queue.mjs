// Push queue throughput: bulk enqueue, then lease + ack in batches, on SQLite and (when reachable) PostgreSQL.
// Run after `npx tsc -b`:  node bench/push-queue.mjs [jobs=100000] [leaseBatch=1000]
// PostgreSQL: PUSHLINE_BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432/test (a scratch database is created).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { Dispatcher } from '../packages/server/dist/push/dispatch/index.js';
import { SqlPushQueue } from '../packages/server/dist/push/queue/index.js';
import { openDatabase } from '../packages/server/dist/store/db.js';
import { migrateToLatest } from '../packages/server/dist/store/migrate.js';

const JOBS = Number(process.argv[2] ?? 100_000);
const LEASE_BATCH = Number(process.argv[3] ?? 1_000);
const ENQUEUE_PAGE = 5_000; // a fan-out page
const PG_ADMIN = process.env.PUSHLINE_BENCH_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

function task(i) {
  return {
    pushId: `${i.toString(36)}-${randomBytes(6).toString('hex')}`,
    sdkAppId: 1400000001,
    certificateId: 1 + (i % 4),
    token: randomBytes(32).toString('hex'),
    request: {
      vendor: 'apns',
      pushType: 'alert',
      priority: 10,
      body: {
        aps: { alert: { title: 'Alice (Team)', body: `message number ${i}` }, badge: 3, sound: 'default' },
        ext: '{"k":"v"}',
      },
    },
  };
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function run(label, url) {
  const database = openDatabase(url);
  try {
    await measure(label, database);
  } finally {
    await database.close();
  }
}

async function measure(label, database) {
  await migrateToLatest(database.db);
  const queue = new SqlPushQueue(database.db);
  const tasks = Array.from({ length: JOBS }, (_, i) => task(i));

  let t = performance.now();
  let c = cpuMs();
  for (let i = 0; i < tasks.length; i += ENQUEUE_PAGE) await queue.enqueue(tasks.slice(i, i + ENQUEUE_PAGE));
  const enqueueS = (performance.now() - t) / 1000;
  const enqueueCpu = cpuMs() - c;

  t = performance.now();
  c = cpuMs();
  let n = 0;
  for (;;) {
    const jobs = await queue.lease(LEASE_BATCH, 60_000);
    if (jobs.length === 0) break;
    n += (await queue.ack(jobs)).settled;
  }
  const drainS = (performance.now() - t) / 1000;
  const drainCpu = cpuMs() - c;

  // Retry path: lease everything once more after re-enqueueing, retry with jitter, then ack.
  for (let i = 0; i < tasks.length; i += ENQUEUE_PAGE) await queue.enqueue(tasks.slice(i, i + ENQUEUE_PAGE));
  t = performance.now();
  c = cpuMs();
  let r = 0;
  for (;;) {
    const jobs = await queue.lease(LEASE_BATCH, 60_000);
    if (jobs.length === 0) break;
    r += (
      await queue.retry(jobs.map((job) => ({ job, delayMs: 3_600_000 + Math.random() * 1000, error: '503' })))
    ).settled;
  }
  const retryS = (performance.now() - t) / 1000;
  const retryCpu = cpuMs() - c;
  const us = (ms) => `${((ms * 1000) / JOBS).toFixed(1)} µs CPU/job in Node`;

  console.log(
    `${label} (${JOBS} jobs, lease batch ${LEASE_BATCH}, load average ${loadavg()[0].toFixed(1)}):\n` +
      `  enqueue      ${Math.round(JOBS / enqueueS)}/s (${us(enqueueCpu)})\n` +
      `  lease+ack    ${Math.round(n / drainS)}/s (${us(drainCpu)})\n` +
      `  lease+retry  ${Math.round(r / retryS)}/s (${us(retryCpu)})`,
  );
  if (n !== JOBS || r !== JOBS) throw new Error(`expected ${JOBS}, drained ${n}, retried ${r}`);

  await sql`delete from push_jobs`.execute(database.db);

  // The dispatcher over a channel that accepts everything at once: the queue's share of end-to-end cost.
  const fresh = new SqlPushQueue(database.db);
  for (let i = 0; i < tasks.length; i += ENQUEUE_PAGE) await fresh.enqueue(tasks.slice(i, i + ENQUEUE_PAGE));
  let sent = 0;
  const dispatcher = new Dispatcher({
    queue: fresh,
    channels: {
      send: async (_id, batch) => batch.map(() => ({ kind: 'sent' })),
      certificateStatus: async () => 'active',
    },
    batchSize: LEASE_BATCH,
    idleMs: 5,
    onOutcome: () => {
      sent++;
    },
  });
  t = performance.now();
  c = cpuMs();
  dispatcher.start();
  while (sent < JOBS) await new Promise((r) => setTimeout(r, 5));
  const dispatchS = (performance.now() - t) / 1000;
  const dispatchCpu = cpuMs() - c;
  await dispatcher.stop();
  console.log(
    `  dispatch     ${Math.round(JOBS / dispatchS)}/s (${us(dispatchCpu)}; no-op channel, ${JOBS} already queued)`,
  );
}

const dir = mkdtempSync(join(tmpdir(), 'pushline-bench-'));
try {
  await run('sqlite', `sqlite:${join(dir, 'bench.db')}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const name = `pushline_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: PG_ADMIN });
try {
  await admin.connect();
} catch {
  console.log(`postgres: skipped (${PG_ADMIN} unreachable)`);
  process.exit(0);
}
await admin.query(`create database ${name}`);
const url = new URL(PG_ADMIN);
url.pathname = `/${name}`;
try {
  await run('postgres', url.toString());
} finally {
  await new Promise((r) => setTimeout(r, 500)); // let the closed pool's sessions end
  await admin.query(`drop database if exists ${name}`);
  await admin.end();
}
