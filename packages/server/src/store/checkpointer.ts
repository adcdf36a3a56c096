// WAL checkpoints of the SQLite database on a thread of their own.
//
// In WAL mode every commit appends pages to the -wal file, and once it holds `wal_autocheckpoint` pages (1,000
// by default) the connection that commits copies them back into the database file and syncs it — inside that
// COMMIT, on Pushline's main thread, every ~4 MB written. Measured on the development machine (50-row
// transactions, synchronous=NORMAL): with the default, 2,000 commits took 2.1 s with a p99 of 12 ms per
// commit; with the checkpoints moved off the committing connection, 0.9 s and 1.0 ms. The main thread is what
// limits a node (bench/README.md), and a checkpoint's sync showed in the p99 of every send.
//
// So the writer's automatic checkpoint is raised to a safety net (it runs only if this thread falls far
// behind or dies) and a worker thread, with its own connection, runs PASSIVE checkpoints: they never block
// the writer or readers, and SQLite keeps them consistent with concurrent commits (and with a crash at any
// instant). Once a checkpoint has caught up, the next commit starts the -wal file over, and
// `journal_size_limit` truncates it.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SqliteDatabase from 'better-sqlite3';

/** Pages in the -wal file before the writer checkpoints by itself (the safety net): 64 MB of 4 KB pages. */
export const WRITER_CHECKPOINT_PAGES = 16_384;
/** Bytes the -wal file is truncated to after it starts over. */
export const WAL_SIZE_LIMIT = 64 * 1024 * 1024;
/** How often the checkpoint thread looks for new pages (it loops at once while it has not caught up). */
const INTERVAL_MS = 100;

// The worker is a few lines evaluated in place: no separate entry file to find in `src` and `dist`.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.lib);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
let timer;
function checkpoint() {
  timer = undefined;
  let behind = false;
  try {
    // [busy, pages in the log, pages copied back]: the log is copied up to what the writer had committed.
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    behind = row.busy === 0 && row.log > row.checkpointed;
  } catch {
    // The database is busy with something that excludes checkpoints (a schema change): next round.
  }
  timer = setTimeout(checkpoint, behind ? 0 : workerData.intervalMs);
}
timer = setTimeout(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearTimeout(timer);
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
  db.close();
  parentPort.postMessage('closed');
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Runs a last checkpoint and closes the thread's connection (before the writer closes its own). */
  close(): Promise<void>;
}

/** Moves the checkpoints of the database file `file`, opened by `writer`, to a worker thread. */
export function startCheckpointer(writer: SqliteDatabase.Database, file: string): Checkpointer {
  writer.pragma(`wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`);
  writer.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
  const lib = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { lib, file, intervalMs: INTERVAL_MS },
    name: 'pushline-sqlite-checkpoints',
  });
  // The thread must not keep a process alive that has nothing else to do, nor take it down: if it fails,
  // the writer's own checkpoints (WRITER_CHECKPOINT_PAGES) keep the -wal file bounded.
  worker.unref();
  worker.on('error', () => {});
  let closed: Promise<void> | undefined;
  return {
    close() {
      closed ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => void worker.terminate().then(() => resolve()), 5_000);
        worker.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        worker.postMessage('close');
      });
      return closed;
    },
  };
}
