// One Kysely instance over either SQLite (better-sqlite3, WAL) or PostgreSQL (pg), chosen by URL.
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  type BinaryOperationNode,
  Kysely,
  OperatorNode,
  PostgresDialect,
  PostgresQueryCompiler,
  PrimitiveValueListNode,
  type QueryCompiler,
  SqliteAdapter,
  SqliteDialect,
  ValueListNode,
} from 'kysely';
import pg from 'pg';
import { startCheckpointer } from './checkpointer.js';
import { ensurePrivateDir, ensurePrivateFile, makePrivate } from './files.js';
import { longReads } from './read-worker.js';
import type { Database } from './schema.js';
import { cachedStatements } from './sqlite-statements.js';

export type DbKind = 'sqlite' | 'postgres';

export interface OpenedDatabase {
  db: Kysely<Database>;
  /**
   * For long reads outside a transaction (statistics, counts over every device): on a SQLite file they run on
   * a worker thread's read-only connection (store/read-worker.ts); elsewhere this is `db`.
   */
  reads: Kysely<Database>;
  kind: DbKind;
  /** A printable location with any password removed. */
  location: string;
  close(): Promise<void>;
}

const PG_INT8_OID = 20;
const PG_NUMERIC_OID = 1700;

export function parseDatabaseUrl(url: string): { kind: DbKind; target: string } {
  if (url.startsWith('sqlite:')) return { kind: 'sqlite', target: url.slice('sqlite:'.length) };
  if (url.startsWith('postgres://') || url.startsWith('postgresql://'))
    return { kind: 'postgres', target: url };
  throw new Error(`unsupported database URL "${redactUrl(url)}": use sqlite:<file> or postgres://...`);
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}

export interface OpenOptions {
  /** SQLite: the checkpoint thread stopped by itself (checkpoints are back on the main thread). */
  onCheckpointerStopped?: (err: Error | undefined) => void;
  /** SQLite: the thread of long reads failed (they run on the main thread again). */
  onReadWorkerStopped?: (err: Error) => void;
}

export function openDatabase(url: string, opts: OpenOptions = {}): OpenedDatabase {
  const { kind, target } = parseDatabaseUrl(url);
  if (kind === 'sqlite') {
    if (target !== ':memory:') {
      // SQLite creates the -wal and -shm files with the database file's mode: make that 0600 first.
      ensurePrivateDir(dirname(target));
      ensurePrivateFile(target);
      for (const suffix of ['-wal', '-shm']) makePrivate(`${target}${suffix}`);
    }
    const sqlite = new SqliteDatabase(target);
    sqlite.pragma('journal_mode = WAL');
    // NORMAL keeps every committed transaction across a process crash (SIGKILL); only an OS crash or
    // power loss can drop the last commits. See docs/configuration.md.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    // A group commit runs each send in a SAVEPOINT (store/group-commit.ts), whose undo copies go to a
    // sub-journal: by default a temporary file, created, written with pwrite and closed in every transaction
    // past 64 KiB — about a tenth of SQLite's time at 1,000 sends/s (bench/README.md). Kept in memory instead
    // (as are SQLite's other temporary structures: Pushline's sorts are small and index-ordered).
    sqlite.pragma('temp_store = MEMORY');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachedStatements(sqlite) }) });
    // Checkpoints on their own thread (store/checkpointer.ts); an in-memory database has no WAL.
    const checkpointer =
      target === ':memory:'
        ? undefined
        : startCheckpointer(sqlite, target, { onStopped: opts.onCheckpointerStopped });
    const reads = target === ':memory:' ? undefined : longReads(target, db, opts.onReadWorkerStopped);
    const close = async () => {
      await reads?.stop();
      await checkpointer?.stop();
      await db.destroy();
    };
    return { db, reads: reads?.db ?? db, kind, location: target, close };
  }
  const pool = new pg.Pool({
    connectionString: target,
    max: 10,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        // int8 and numeric come back as strings by default; our values fit in a double.
        if (oid === PG_INT8_OID || oid === PG_NUMERIC_OID) return (v: string) => Number(v);
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection (server restart, database dropped) is replaced on next use; without
  // a listener the pool would re-emit the error as an uncaught exception and stop the process.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new SafePostgresDialect({ pool }) });
  return { db, reads: db, kind, location: redactUrl(target), close: () => db.destroy() };
}

/**
 * `x in ()` with an empty list is valid SQLite (never true) but a syntax error in PostgreSQL: a request that
 * ends up with no IDs to look up (none of its accounts exist...) must not fail there. Compiled as a constant.
 */
class SafePostgresQueryCompiler extends PostgresQueryCompiler {
  protected override visitBinaryOperation(node: BinaryOperationNode): void {
    const op = OperatorNode.is(node.operator) ? node.operator.operator : undefined;
    const right = node.rightOperand;
    const empty = (PrimitiveValueListNode.is(right) || ValueListNode.is(right)) && right.values.length === 0;
    if (empty && (op === 'in' || op === 'not in')) {
      this.append(op === 'in' ? '(1 = 0)' : '(1 = 1)');
      return;
    }
    super.visitBinaryOperation(node);
  }
}

class SafePostgresDialect extends PostgresDialect {
  override createQueryCompiler(): QueryCompiler {
    return new SafePostgresQueryCompiler();
  }
}

// biome-ignore lint/suspicious/noExplicitAny: migrations and helpers work on any schema
export function isSqlite(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}
