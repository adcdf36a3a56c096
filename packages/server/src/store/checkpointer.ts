// WAL checkpoints on their own thread (docs/deployment.md "SQLite files and checkpoints").
//
// In WAL mode SQLite appends each commit to the -wal file and, by default, the commit that takes the WAL past
// 1,000 pages copies them into the database file and fsyncs it — on the committing thread, which for Pushline
// is the main thread: a 5–10 ms stall every few hundred commits, in which no request, socket or push moves
// (bench/README.md "What limits it": commits at the 99th percentile took 8 ms instead of 0.4 ms). Here a
// worker thread with its own connection runs the checkpoints instead, and the main connection never does.
//
// - Every `intervalMs` the worker runs a PASSIVE checkpoint: it copies what is committed and never makes a
//   writer wait. The WAL starts again from its beginning at the first commit after a checkpoint that caught up.
// - Under a write load with no pause the WAL can keep growing (each checkpoint ends behind the next commits);
//   past `restartFrames` the worker runs a RESTART checkpoint, which makes the next writer wait for the copy
//   of what is left and starts the WAL again: a short stall that bounds the file.
// - Nothing about durability changes: which commits survive a crash is decided when they are written to the
//   WAL (`synchronous = NORMAL`); the checkpoint only moves them into the database file, with the same fsyncs.
// - If the worker stops (it should not), the main connection checkpoints by itself again, as SQLite does by
//   default, so the WAL never grows without bound.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SqliteDatabase from 'better-sqlite3';

export interface CheckpointerOptions {
  /** Pause between two checkpoints (default 100 ms). */
  intervalMs?: number;
  /** WAL length, in pages, past which a checkpoint makes writers wait to start the WAL again (default 4,000). */
  restartFrames?: number;
  /** Told when the worker stops on its own (the main connection then checkpoints again by itself). */
  onStopped?: (err: Error | undefined) => void;
}

/** SQLite's own default: checkpoint at the commit that takes the WAL past this many pages. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

// CommonJS, evaluated as the worker's source: the package's build has no separate file for it, and the test
// suite (which runs the TypeScript sources) needs none either.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
const checkpoint = () => {
  // Another connection checkpointing at the same moment (a CLI command on the same file) makes this one
  // return busy: the next turn tries again.
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {}
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
parentPort.postMessage('ready');
`;

export interface Checkpointer {
  /** Runs a last checkpoint and stops the worker; the main connection then checkpoints by itself again. */
  stop(): Promise<void>;
}

/** Moves the checkpoints of `sqlite` (a WAL database file) to a worker thread. */
export function startCheckpointer(
  sqlite: SqliteDatabase.Database,
  file: string,
  opts: CheckpointerOptions = {},
): Checkpointer {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      file,
      intervalMs: opts.intervalMs ?? 100,
      restartFrames: opts.restartFrames ?? 4000,
    },
  });
  // The process may end without stop() (a CLI command, a test): the worker does not keep it alive.
  worker.unref();
  let stopping = false;
  let running = true;
  const backToMainThread = () => {
    if (!running) return;
    running = false;
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
  };
  // The main connection stops checkpointing only once the worker's connection is open.
  worker.once('message', () => {
    if (running && sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${opts.restartFrames ?? 4000}`);
  });
  let failure: Error | undefined;
  worker.on('error', (err) => {
    failure = err;
  });
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      backToMainThread();
      if (!stopping) opts.onStopped?.(failure ?? new Error('the checkpoint thread exited'));
      resolve();
    }),
  );
  return {
    async stop() {
      if (stopping) return exited;
      stopping = true;
      backToMainThread();
      // Stopping keeps the process alive until the worker is gone: the caller awaits it, and an unref'd
      // worker would let a process with nothing else to do end there, its pending work (an exit code) lost.
      worker.ref();
      worker.postMessage('stop');
      return exited;
    },
  };
}
