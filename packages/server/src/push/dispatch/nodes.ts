// Which node holds which push-job leases, and whether it is still alive (docs/delivery.md "Recovery").
//
// Every lease names its node. A node that dies (kill -9, power loss) leaves its leases behind; without this
// they would come back only when their visibility timeout (60 s) ran out. Instead:
//   - a node keeps a stable ID on its data (config `nodeId`, else `<data>/node-id`): restarted on the same
//     data, it reclaims what its previous life still held before it leases anything. A second process started
//     on a data directory that a live process uses gets a one-off ID instead (`<data>/node-id.pid` tells);
//   - every node refreshes its row in `push_nodes` (alive until now + nodeTimeout) every third of the node
//     timeout and sweeps the table: the leases of a node whose row expired are reclaimed by whichever
//     survivor deletes that row first.
// Two processes started with the same node ID would reclaim each other's leases: duplicates, never losses.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { ensurePrivateDir } from '../../store/files.js';
import type { Database } from '../../store/schema.js';
import type { PushQueue } from '../queue/types.js';

/** Node IDs taken by servers of this process (tests run several nodes in one process on one data dir). */
const inUse = new Set<string>();

export interface NodeIdentity {
  id: string;
  /** Gives the ID back (the server closed): the next process on this data directory takes it. */
  release(): void;
}

/**
 * The node ID from configuration, else the one stored in `file` (created on first use) — unless a live
 * process, or another server of this one, already runs under it: then a one-off ID.
 */
export function loadNodeId(configured: string | undefined, file: string): NodeIdentity {
  if (configured) return { id: configured, release: () => {} };
  let id = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  if (!id) {
    ensurePrivateDir(dirname(file));
    id = randomUUID();
    writeFileSync(file, `${id}\n`, { mode: 0o600 });
  }
  const pidFile = `${file}.pid`;
  const holder = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : 0;
  if (inUse.has(id) || (holder !== process.pid && isAlive(holder)))
    return { id: `${id}~${randomUUID().slice(0, 8)}`, release: () => {} };
  writeFileSync(pidFile, `${process.pid}\n`, { mode: 0o600 });
  inUse.add(id);
  return {
    id,
    release() {
      if (!inUse.delete(id)) return;
      try {
        if (Number(readFileSync(pidFile, 'utf8').trim()) === process.pid) rmSync(pidFile);
      } catch {
        // Already gone.
      }
    },
  };
}

function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface NodeLivenessOptions {
  nodeId: string;
  /** How long a node may stay silent before the others take its leases back. */
  timeoutMs: number;
  log: Logger;
  now: () => number;
}

/**
 * The packed-row formats this version reads and writes (push/queue/sql-packs.ts), announced in `push_nodes`
 * `reads_packed_jobs`: 0 — none (a version before packed rows, which leaves the column at its default);
 * 1 — arrays of tasks; 2 — requests listed once.
 */
export const PACK_FORMAT = 2;

export class NodeLiveness {
  #timer: NodeJS.Timeout | undefined;
  #beat: Promise<void> = Promise.resolve();
  #started = false;
  #packFormat = 0;
  /** The oldest format a live node of another version announced, when one was last seen (for the log). */
  #olderSeen: number | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly queue: PushQueue,
    private readonly o: NodeLivenessOptions,
  ) {}

  get nodeId(): string {
    return this.o.nodeId;
  }

  /**
   * Whether every live node reads packed push jobs (push/queue/sql-packs.ts): false until `start`, and while a
   * node of a version before them is alive — a rolling upgrade — so that fan-outs then write one row per job.
   * Looked at again with every heartbeat.
   */
  get packedJobsReadable(): boolean {
    return this.#packFormat >= 1;
  }

  /**
   * The newest packed-row format every live node reads (PACK_FORMAT at most; 0 until `start`, and while a node
   * of a version before packed rows is alive).
   */
  get packFormat(): number {
    return this.#packFormat;
  }

  /** Reads the formats the other live nodes announce; returns `packedJobsReadable`. */
  async checkVersions(): Promise<boolean> {
    // The live node that reads the oldest format.
    const row = await this.db
      .selectFrom('push_nodes')
      .select(['node_id', 'reads_packed_jobs'])
      .where('alive_until', '>=', this.o.now())
      .where('node_id', '!=', this.o.nodeId)
      .orderBy('reads_packed_jobs')
      .limit(1)
      .executeTakeFirst();
    const oldest = row ? Number(row.reads_packed_jobs) : PACK_FORMAT;
    const older = oldest < PACK_FORMAT ? oldest : undefined;
    if (older !== undefined && older !== this.#olderSeen)
      this.o.log.warn(
        { node: row?.node_id, packFormat: older },
        older === 0
          ? 'push dispatch: a node of an earlier version is running; fan-outs write one queue row per job until it is gone'
          : 'push dispatch: a node of an earlier version is running; fan-outs write queue rows it reads until it is gone',
      );
    this.#olderSeen = older;
    this.#packFormat = Math.min(oldest, PACK_FORMAT);
    return this.packedJobsReadable;
  }

  /**
   * Takes back what this node's previous life still held, announces the node and starts the heartbeat and the
   * sweep. Call before the dispatcher leases anything.
   */
  async start(): Promise<void> {
    const reclaimed = await this.queue.reclaimOwner(this.o.nodeId);
    if (reclaimed > 0)
      this.o.log.warn(
        { node: this.o.nodeId, jobs: reclaimed },
        'push dispatch: took back the jobs this node held when it stopped without settling them',
      );
    this.#started = true;
    await this.#heartbeat();
    await this.sweep();
    await this.checkVersions();
    this.#timer = setInterval(() => {
      this.#beat = this.#beat
        .then(() => this.#heartbeat())
        .then(() => this.sweep())
        .then(() => this.checkVersions())
        .then(
          () => {},
          (err: unknown) => this.o.log.error({ err }, 'push dispatch: node heartbeat or sweep failed'),
        );
    }, this.o.timeoutMs / 3);
    this.#timer.unref();
  }

  /** Reclaims the leases of nodes whose row expired; returns how many nodes it took over. */
  async sweep(): Promise<number> {
    const now = this.o.now();
    const dead = await this.db
      .selectFrom('push_nodes')
      .select('node_id')
      .where('alive_until', '<', now)
      .where('node_id', '!=', this.o.nodeId)
      .execute();
    let taken = 0;
    for (const { node_id } of dead) {
      // Whoever deletes the row takes the node over; the others find nothing to delete.
      const claimed = await this.db
        .deleteFrom('push_nodes')
        .where('node_id', '=', node_id)
        .where('alive_until', '<', now)
        .executeTakeFirst();
      if (Number(claimed.numDeletedRows) === 0) continue;
      const jobs = await this.queue.reclaimOwner(node_id);
      this.o.log.warn(
        { node: node_id, jobs },
        'push dispatch: a node stopped responding; took back its jobs',
      );
      taken++;
    }
    return taken;
  }

  /**
   * Graceful stop, after the dispatcher settled its batches: gives back anything still leased (a settlement
   * whose write failed) and leaves the table.
   */
  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    clearInterval(this.#timer);
    await this.#beat;
    await this.queue.reclaimOwner(this.o.nodeId);
    await this.db.deleteFrom('push_nodes').where('node_id', '=', this.o.nodeId).execute();
  }

  /** An upsert: a node the others took for dead after a long stall simply reappears. */
  async #heartbeat(): Promise<void> {
    const now = this.o.now();
    await this.db
      .insertInto('push_nodes')
      .values({
        node_id: this.o.nodeId,
        started_at: now,
        alive_until: now + this.o.timeoutMs,
        reads_packed_jobs: PACK_FORMAT,
      })
      .onConflict((oc) =>
        oc
          .column('node_id')
          .doUpdateSet({ alive_until: now + this.o.timeoutMs, reads_packed_jobs: PACK_FORMAT }),
      )
      .execute();
  }
}
