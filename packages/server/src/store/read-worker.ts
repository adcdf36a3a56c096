// Long reads on SQLite run on a connection of their own in a worker thread (docs/deployment.md "Long reads
// on SQLite").
//
// better-sqlite3 answers on the thread that asks, and Pushline's connection lives on the main thread: a read
// that walks a million rows — the console overview's devices by vendor and state took 1.2–1.7 s over
// 1,000,000 devices, an all-member push's audience count ~50 ms — holds every request, socket and push of
// the node for as long. In WAL mode readers never wait for the writer nor make it wait, so such reads go to a
// read-only connection on a worker thread and the main thread goes on meanwhile. They see what was committed
// when they start, as any read outside a transaction does.
//
// Only whole reads go there: no transactions, no writes (the connection is read-only). The worker starts with
// the first read; if it fails to start or dies, reads run on the main connection again, as before.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import type { Database } from './schema.js';

// CommonJS, evaluated as the worker's source (as store/checkpointer.ts: no separate file in the build).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const statements = new Map();
parentPort.on('message', (m) => {
  if (m === 'stop') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    let statement = statements.get(m.sql);
    if (!statement) {
      statement = db.prepare(m.sql);
      if (!statement.reader) throw new Error('not a read: ' + m.sql.slice(0, 40));
      if (statements.size >= 100) statements.clear();
      statements.set(m.sql, statement);
    }
    parentPort.postMessage({ id: m.id, rows: statement.all(m.parameters) });
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: err instanceof Error ? err.message : String(err) });
  }
});
`;

interface Pending {
  query: CompiledQuery;
  resolve(rows: unknown[]): void;
  reject(err: Error): void;
}

/** The worker and its connection; `run` answers on the main connection once the worker is gone. */
class ReadWorker {
  #worker: Worker | undefined;
  #failed = false;
  #next = 0;
  readonly #pending = new Map<number, Pending>();
  /** Reads the worker answered (tests and metrics). */
  answered = 0;

  constructor(
    private readonly file: string,
    private readonly fallback: Kysely<Database>,
    private readonly onError: (err: Error) => void,
  ) {}

  async run<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const worker = this.#start();
    if (!worker) return this.fallback.executeQuery<R>(query);
    const id = this.#next++;
    const rows = await new Promise<unknown[]>((resolve, reject) => {
      this.#pending.set(id, { query, resolve, reject });
      if (this.#pending.size === 1) worker.ref();
      worker.postMessage({ id, sql: query.sql, parameters: query.parameters });
    });
    return { rows: rows as R[] };
  }

  #start(): Worker | undefined {
    if (this.#worker || this.#failed) return this.#worker;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file: this.file },
    });
    // Only a read in flight keeps the process alive (a CLI command ends without stop()).
    worker.unref();
    worker.on('message', (m: { id: number; rows?: unknown[]; error?: string }) => {
      const pending = this.#pending.get(m.id);
      if (!pending) return;
      this.#pending.delete(m.id);
      if (this.#pending.size === 0) worker.unref();
      if (m.error !== undefined) pending.reject(new Error(m.error));
      else {
        this.answered++;
        pending.resolve(m.rows ?? []);
      }
    });
    // The worker could not open the file, or died: the reads it had, and every later one, run on the main
    // connection.
    const gone = (err: Error) => {
      if (!this.#failed) this.onError(err);
      this.#failed = true;
      this.#worker = undefined;
      for (const p of this.#pending.values())
        this.fallback.executeQuery(p.query).then((r) => p.resolve(r.rows as unknown[]), p.reject);
      this.#pending.clear();
    };
    worker.on('error', gone);
    worker.on('exit', (code) => gone(new Error(`the read worker exited with code ${code}`)));
    this.#worker = worker;
    return worker;
  }

  async stop(): Promise<void> {
    const worker = this.#worker;
    this.#failed = true;
    this.#worker = undefined;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('stop');
    await exited;
  }
}

class ReadConnection implements DatabaseConnection {
  constructor(private readonly worker: ReadWorker) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.worker.run<R>(query);
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('the read worker does not stream');
  }
}

class ReadDriver implements Driver {
  readonly #connection: ReadConnection;

  constructor(private readonly worker: ReadWorker) {
    this.#connection = new ReadConnection(worker);
  }

  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.#connection;
  }
  async beginTransaction(): Promise<void> {
    throw new Error('the read worker runs no transactions');
  }
  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {
    await this.worker.stop();
  }
}

export interface LongReads {
  /** Queries on it run on the worker's read-only connection. */
  db: Kysely<Database>;
  /** Reads the worker answered so far. */
  readonly answered: number;
  stop(): Promise<void>;
}

/**
 * A read-only Kysely over `file` (a SQLite database in WAL mode) whose queries run on a worker thread;
 * `onError` hears why the worker stopped (its reads then run on `main`).
 */
export function longReads(
  file: string,
  main: Kysely<Database>,
  onError: (err: Error) => void = () => {},
): LongReads {
  const worker = new ReadWorker(file, main, onError);
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new ReadDriver(worker),
      createIntrospector: (k) => new SqliteIntrospector(k),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  });
  return {
    db,
    get answered() {
      return worker.answered;
    },
    stop: () => db.destroy(),
  };
}
