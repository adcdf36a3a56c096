// Crash safety of the SQL queue: a separate process works on the queue and is killed with SIGKILL in the
// middle; whatever it reported committed must be there, and every job must still be sent, with duplicates
// bounded by the batch in flight at the kill. Uses the built dist/ (`npm test` builds first).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqlPushQueue } from '../../../src/push/queue/sql-queue.js';
import { testBackends } from '../../helpers/databases.js';
import { eventually } from '../../helpers/queue-contract.js';
import { sqlQueueStorage } from '../../helpers/queue-storage.js';

const backends = await testBackends();
const WORKER = resolve(import.meta.dirname, 'fixtures/queue-worker.mjs');
const DIST = resolve(import.meta.dirname, '../../../dist/push/queue/index.js');

/** Runs the worker until `killWhen` sees enough output, then SIGKILLs it; resolves to its output lines. */
function runAndKill(args: string[], killWhen: (lines: string[]) => boolean): Promise<string[]> {
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: run \`npm run build\` (npm test does it)`);
  return new Promise((resolveLines, reject) => {
    const child: ChildProcess = spawn(process.execPath, [WORKER, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let partial = '';
    let stderr = '';
    let killed = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
      if (!killed && killWhen(lines)) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL')
        reject(new Error(`worker ended before the kill (${signal ?? _code}): ${stderr}`));
      else resolveLines(lines);
    });
  });
}

describe.each(backends)('SQL push queue crash safety on %s', (backend) => {
  it('keeps every job whose enqueue was reported, when the process is killed mid-enqueue', async () => {
    const storage = await sqlQueueStorage(backend);
    try {
      await storage.open(); // migrates
      await storage.closeAll();
      const lines = await runAndKill(['enqueue', storage.url, '200000', '2000'], (l) =>
        l.some((x) => x === 'enqueued 10000'),
      );
      const reported = Math.max(
        ...lines.filter((l) => l.startsWith('enqueued ')).map((l) => Number(l.slice(9))),
      );
      expect(reported).toBeGreaterThanOrEqual(10_000);
      const queue = new SqlPushQueue((await storage.open()).db);
      const stats = await queue.stats();
      // Everything reported is there; at most the page being written when the kill landed may be there too.
      expect(stats.ready).toBeGreaterThanOrEqual(reported);
      expect(stats.ready).toBeLessThanOrEqual(reported + 2000);
      expect(stats.ready % 2000).toBe(0);
    } finally {
      await storage.drop();
    }
  });

  it('sends every job after a kill mid-drain, duplicating at most the batch in flight', async () => {
    const storage = await sqlQueueStorage(backend);
    try {
      const opened = await storage.open();
      const total = 5_000;
      const first = new SqlPushQueue(opened.db);
      await first.enqueue(
        Array.from({ length: total }, (_, n) => ({
          pushId: `push-${n}`,
          sdkAppId: 1400000001,
          certificateId: 7,
          token: `token-${n}`,
          request: { vendor: 'fcm' as const, message: {} },
        })),
      );
      await storage.closeAll();

      const batch = 100;
      const visibilityMs = 1_000;
      // Each batch is "sent" 10 ms before its ack, so the kill most likely lands with a batch in flight.
      const lines = await runAndKill(
        ['drain', storage.url, String(batch), String(visibilityMs), '10'],
        (l) => l.length > 2_000,
      );
      const sentByWorker = lines.filter((l) => l.startsWith('sent ')).map((l) => l.slice(5));

      const queue = new SqlPushQueue((await storage.open()).db);
      const sentAfter: string[] = [];
      await eventually(async () => {
        for (;;) {
          const jobs = await queue.lease(500, 60_000);
          if (jobs.length === 0) break;
          sentAfter.push(...jobs.map((j) => j.task.pushId));
          await queue.ack(jobs);
        }
        const s = await queue.stats();
        return s.ready + s.leased + s.delayed === 0 ? true : undefined;
      }, 20_000);

      const all = new Set([...sentByWorker, ...sentAfter]);
      expect(all.size).toBe(total);
      const duplicates = sentByWorker.length + sentAfter.length - total;
      expect(duplicates).toBeLessThanOrEqual(batch);
    } finally {
      await storage.drop();
    }
  });
});
