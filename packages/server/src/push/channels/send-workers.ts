// Send workers: the channels of a node run on N worker threads while the main thread keeps the HTTP API, the
// client gateway, the database and the dispatcher's lease and settlement (docs/delivery.md "Workers").
//
// A credential's channel lives on one worker, chosen by hashing the credential: its HTTP/2 sessions, APNs
// provider token and OAuth access tokens are never duplicated (APNs refuses provider tokens renewed too
// often). Certificates sharing an APNs key share a worker for the same reason. A vendor whose pushes cost the
// sender's own CPU and whose credential may exist twice (Web Push: VendorModule.spreadOverWorkers) has its
// large batches split over every worker instead. Batches go to the worker as
// structured clones; the worker rebuilds a channel when its certificate's version changes. The certificate,
// with its secrets, travels to a worker only when that worker has not got this version yet: cloning it with every batch of a chat message cost 4 % of
// the main thread at 500 sends/s (bench/README.md). A worker that dies fails its batches in flight (the
// dispatcher retries them) and is replaced, with an empty certificate cache.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { CertificateWithSecrets } from '../../certificates/store.js';
import type { PushOutcome, PushTask } from '../types.js';
import { vendorModule } from '../vendors/index.js';
import type { ChannelContext } from './context.js';
import type { ChannelSender, ReceiptUrls } from './sender.js';

/** What a worker needs to build a ChannelContext: everything but functions. */
export type WorkerContext = Pick<ChannelContext, 'urls' | 'ca' | 'apns' | 'fcm'>;

export type ToWorker =
  | {
      type: 'send';
      id: number;
      /** Present when the worker has not got this version of the certificate yet. */
      cert?: CertificateWithSecrets;
      certificateId: number;
      tasks: PushTask[];
      receiptUrls: ReceiptUrls;
    }
  | { type: 'invalidate'; certificateId: number }
  | { type: 'warm'; cert: CertificateWithSecrets }
  | { type: 'close' };

export type FromWorker =
  /** The worker has loaded its code and listens. */
  | { type: 'ready' }
  | { type: 'sent'; id: number; outcomes: PushOutcome[] }
  | { type: 'failed'; id: number; message: string }
  | { type: 'closed' };

/** The fewest pushes a part of a batch split over the workers holds (vendors with `spreadOverWorkers`). */
const MIN_SPREAD_PART = 16;

interface Pending {
  resolve(outcomes: PushOutcome[]): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  /** Resolved when the worker says it is ready, or has stopped. */
  ready: Promise<void>;
  pending: Map<number, Pending>;
  /** The certificate versions this worker holds (certificate ID -> updatedAt), as posted to it. */
  certificates: Map<number, number>;
}

/**
 * The worker's entry: next to this module in the build. Run from the TypeScript sources (the test suite), this
 * module's sibling is a .ts file Node cannot start as a worker; the build's copy is used then (`npm test`
 * builds first).
 */
const WORKER_FILE = [
  new URL('./send-worker.js', import.meta.url),
  new URL('../../../dist/push/channels/send-worker.js', import.meta.url),
]
  .map((u) => fileURLToPath(u))
  .find((path) => existsSync(path));

const SOURCE_CONDITION = 'pushline-source';

/**
 * The worker inherits the process's Node flags (undefined: Node's own inheritance, which leaves out flags a
 * worker cannot take, such as --expose-gc), except an export condition that resolves the workspace packages
 * (@pushline/contracts) to their TypeScript sources: the test runner adds `--conditions pushline-source` for
 * its own module loader, and the worker, which runs the built code, would then load .ts files Node cannot
 * run. Only then is the list given, without that condition.
 */
export function workerExecArgv(execArgv: readonly string[]): string[] | undefined {
  if (!execArgv.some((arg) => arg.endsWith(SOURCE_CONDITION))) return undefined;
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i] as string;
    if ((arg === '--conditions' || arg === '-C') && execArgv[i + 1] === SOURCE_CONDITION) {
      i++;
      continue;
    }
    if (arg === `--conditions=${SOURCE_CONDITION}` || arg === `-C=${SOURCE_CONDITION}`) continue;
    out.push(arg);
  }
  return out;
}

export class SendWorkers implements ChannelSender {
  readonly #slots: Slot[] = [];
  #nextId = 1;
  #closing = false;

  constructor(
    count: number,
    private readonly ctx: WorkerContext,
    private readonly log: Logger,
  ) {
    if (!WORKER_FILE)
      throw new Error('send-worker.js is missing: send workers run the built code (npm run build)');
    for (let i = 0; i < count; i++) this.#slots.push(this.#spawn(i));
  }

  get size(): number {
    return this.#slots.length;
  }

  /**
   * Resolves once every worker has loaded its code: a starting node waits for it before it reports itself
   * listening, so that its first push does not wait for a thread still starting (~100 ms; bench/README.md).
   */
  ready(): Promise<void> {
    return Promise.all(this.#slots.map((s) => s.ready)).then(() => undefined);
  }

  /** The worker threads, in index order (metrics, tests). */
  get threads(): Worker[] {
    return this.#slots.map((s) => s.worker);
  }

  send(cert: CertificateWithSecrets, tasks: PushTask[], receiptUrls: ReceiptUrls): Promise<PushOutcome[]> {
    if (this.#closing) return Promise.reject(new Error('the send workers are closed'));
    const home = workerIndex(cert, this.#slots.length);
    const parts = vendorModule(cert.info.vendor).spreadOverWorkers
      ? Math.min(this.#slots.length, Math.floor(tasks.length / MIN_SPREAD_PART))
      : 1;
    if (parts <= 1) return this.#post(this.#slots[home] as Slot, cert, tasks, receiptUrls);
    // Split over the workers, starting with the certificate's own. A part whose worker fails is retried on
    // its own: the other parts' pushes were sent and must not be sent again.
    const size = Math.ceil(tasks.length / parts);
    return Promise.all(
      Array.from({ length: parts }, (_, i) => {
        const part = tasks.slice(i * size, (i + 1) * size);
        const slot = this.#slots[(home + i) % this.#slots.length] as Slot;
        return this.#post(slot, cert, part, receiptUrls).catch((err: unknown) => {
          this.log.warn({ err }, `a send worker failed ${part.length} pushes of certificate ${cert.info.id}`);
          return part.map((): PushOutcome => ({ kind: 'retry', code: 'send-failed' }));
        });
      }),
    ).then((answers) => answers.flat());
  }

  #post(
    slot: Slot,
    cert: CertificateWithSecrets,
    tasks: PushTask[],
    receiptUrls: ReceiptUrls,
  ): Promise<PushOutcome[]> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      // A worker with sends in flight keeps the process alive (a CLI awaiting a test push has nothing else).
      if (slot.pending.size === 1) slot.worker.ref();
      const certificateId = cert.info.id;
      const held = slot.certificates.get(certificateId) === cert.info.updatedAt;
      slot.certificates.set(certificateId, cert.info.updatedAt);
      slot.worker.postMessage({
        type: 'send',
        id,
        ...(held ? {} : { cert }),
        certificateId,
        tasks,
        receiptUrls,
      } satisfies ToWorker);
    });
  }

  warm(cert: CertificateWithSecrets): void {
    if (this.#closing) return;
    const slot = this.#slots[workerIndex(cert, this.#slots.length)] as Slot;
    slot.certificates.set(cert.info.id, cert.info.updatedAt);
    slot.worker.postMessage({ type: 'warm', cert } satisfies ToWorker);
  }

  invalidate(certificateId: number): void {
    for (const slot of this.#slots) {
      slot.certificates.delete(certificateId);
      slot.worker.postMessage({ type: 'invalidate', certificateId } satisfies ToWorker);
    }
  }

  /** Lets every worker finish its sends and close its connections, then stops it. */
  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all(
      this.#slots.map(
        (slot) =>
          new Promise<void>((resolve) => {
            const done = () => {
              void slot.worker.terminate().then(() => resolve());
            };
            const timer = setTimeout(done, 10_000);
            timer.unref();
            // Not `once`: a worker closed right after it started answers 'ready' first, then 'closed'.
            const onClosed = (m: FromWorker) => {
              if (m.type !== 'closed') return;
              slot.worker.off('message', onClosed);
              clearTimeout(timer);
              done();
            };
            slot.worker.on('message', onClosed);
            slot.worker.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            // Closing keeps the process alive until the worker is done (the caller awaits it).
            slot.worker.ref();
            slot.worker.postMessage({ type: 'close' } satisfies ToWorker);
          }),
      ),
    );
  }

  #spawn(index: number): Slot {
    const worker = new Worker(WORKER_FILE as string, {
      execArgv: workerExecArgv(process.execArgv),
      workerData: this.ctx,
      name: `pushline-send-${index}`,
    });
    let markReady = () => {};
    const ready = new Promise<void>((resolve) => {
      markReady = resolve;
    });
    const slot: Slot = { worker, ready, pending: new Map(), certificates: new Map() };
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'ready') return markReady();
      if (m.type === 'closed') return;
      const p = slot.pending.get(m.id);
      if (!p) return;
      slot.pending.delete(m.id);
      if (slot.pending.size === 0) slot.worker.unref();
      if (m.type === 'sent') p.resolve(m.outcomes);
      else p.reject(new Error(m.message));
    });
    worker.on('error', (err) => this.log.error({ err }, `send worker ${index} failed`));
    worker.on('exit', (code) => {
      markReady();
      for (const p of slot.pending.values())
        p.reject(new Error(`send worker ${index} stopped (exit ${code})`));
      slot.pending.clear();
      if (this.#closing) return;
      this.log.error({ code }, `send worker ${index} stopped; starting a new one`);
      this.#slots[index] = this.#spawn(index);
    });
    // An idle worker does not keep the process alive on its own.
    worker.unref();
    return slot;
  }
}

/** The worker of a credential: certificates that share one (an APNs signing key: VendorModule.sharedCredential) share it. */
export function workerIndex(cert: CertificateWithSecrets, count: number): number {
  const key = vendorModule(cert.info.vendor).sharedCredential?.(cert) ?? `certificate:${cert.info.id}`;
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (Math.imul(h, 31) + key.charCodeAt(i)) | 0;
  return Math.abs(h) % count;
}
