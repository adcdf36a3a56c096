// CertificateChannels: certificate ID -> its certificate and a running channel (what the dispatcher sends
// through, seen as DispatchChannels: push/engine/channel-adapter.ts). Certificates are read on first
// use and kept, with the channel a sender runs for them (sender.ts: on this thread, or on the send workers);
// channels are reused with their HTTP/2 sessions and OAuth tokens. Edits and deletes take effect without a
// restart: `invalidate(id)` (called by CertificateService on this node) drops a certificate at once, and
// every use re-checks its version when the cached one is older than `recheckMs` (other nodes' edits).
import type { CertificateStore, CertificateWithSecrets } from '../../certificates/store.js';
import type { CertificateInfo } from '../../certificates/types.js';
import type { Channel, PushOutcome, PushTask } from '../types.js';
import { vendorModule } from '../vendors/index.js';
import { outcome } from './answer-tables.js';
import type { ChannelContext } from './context.js';
import { type ChannelSender, LocalSender, type ReceiptUrls } from './sender.js';

export { type ChannelContext, channelContext } from './context.js';

interface Entry {
  cert: CertificateWithSecrets;
  checkedAt: number;
}

export interface CertificateChannelsOptions {
  /** How long a channel is used without re-reading its certificate's version (default 2 s). */
  recheckMs?: number;
  /** Where the channels run (default: this thread). */
  sender?: ChannelSender;
}

export class CertificateChannels {
  readonly #entries = new Map<number, Promise<Entry | undefined>>();
  readonly #sender: ChannelSender;
  readonly #recheckMs: number;
  #closed = false;

  constructor(
    private readonly store: CertificateStore,
    private readonly ctx: ChannelContext,
    opts: CertificateChannelsOptions = {},
  ) {
    this.#recheckMs = opts.recheckMs ?? 2_000;
    this.#sender = opts.sender ?? new LocalSender(ctx);
  }

  /**
   * Sends a batch of tasks of one certificate: one outcome per task, in order. A deleted certificate
   * answers `rejected` / CertificateNotFound. Pausing is the dispatcher's business: check `certificate()`.
   */
  async send(certificateId: number, tasks: PushTask[]): Promise<PushOutcome[]> {
    const entry = await this.#entry(certificateId);
    if (!entry) {
      return tasks.map(() =>
        outcome('rejected', 'CertificateNotFound', `certificate ${certificateId} does not exist (deleted?)`),
      );
    }
    const outcomes = await this.#sender.send(entry.cert, tasks, await this.#receiptUrls(entry.cert, tasks));
    if (entry.cert.info.verifiedAt === null && outcomes.some((o) => o.kind === 'sent')) {
      await this.#markVerified(entry.cert.info);
    }
    return outcomes;
  }

  /**
   * The first push a vendor accepted with this credential verifies the certificate (a test or a real push).
   * The cached view is marked first so that concurrent batches write once; a failed write unmarks it and the
   * next accepted push tries again (the push itself went either way).
   */
  async #markVerified(info: CertificateInfo): Promise<void> {
    const at = this.ctx.now();
    info.verifiedAt = at;
    try {
      await this.store.markVerified(info.id, info.updatedAt, at);
    } catch {
      info.verifiedAt = null;
    }
  }

  /** Where the channels run: this thread, or the send workers. */
  get sender(): ChannelSender {
    return this.#sender;
  }

  /** The certificate's public view (status, vendor, environment...), as cached with its channel. */
  async certificate(certificateId: number): Promise<CertificateInfo | undefined> {
    return (await this.#entry(certificateId))?.cert.info;
  }

  /** The channel of a certificate when it runs on this thread (undefined otherwise, or when it does not exist). */
  async channel(certificateId: number): Promise<Channel | undefined> {
    const entry = await this.#entry(certificateId);
    return entry && this.#sender instanceof LocalSender ? this.#sender.channel(entry.cert) : undefined;
  }

  /**
   * Builds the channels of these certificates and opens their vendor connections, without sending (a starting
   * node: `warmConnections`). A certificate that cannot be read is skipped: its first push reports why.
   */
  async warm(certificateIds: number[]): Promise<void> {
    for (const id of certificateIds) {
      const entry = await this.#entry(id).catch(() => undefined);
      if (entry && entry.cert.info.status === 'active') this.#sender.warm(entry.cert);
    }
  }

  /** Resolves once the sender can send (its worker threads have started). */
  ready(): Promise<void> {
    return this.#sender.ready();
  }

  /** Drops the cached certificate and its channel: the next use reads it again. In-flight sends finish. */
  invalidate(certificateId: number): void {
    this.#entries.delete(certificateId);
    this.#sender.invalidate(certificateId);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#entries.clear();
    await this.#sender.close();
  }

  /** vivo, Meizu and Xiaomi messages carry a receipt URL per app: resolved here, where the apps are. */
  async #receiptUrls(cert: CertificateWithSecrets, tasks: PushTask[]): Promise<ReceiptUrls> {
    const vendor = cert.info.vendor;
    if (!vendorModule(vendor).receiptUrlPerMessage || !this.ctx.receiptUrl) return [];
    const urls: ReceiptUrls = [];
    for (const sdkAppId of new Set(tasks.map((t) => t.sdkAppId))) {
      // Without the URL (no publicUrl, or the app could not be read) the push still goes, without a receipt.
      const url = await this.ctx.receiptUrl(sdkAppId, vendor).catch(() => undefined);
      urls.push([`${sdkAppId}:${vendor}`, url]);
    }
    return urls;
  }

  async #entry(id: number): Promise<Entry | undefined> {
    if (this.#closed) throw new Error('the channel registry is closed');
    const cached = this.#entries.get(id);
    if (cached) {
      const entry = await cached;
      if (entry) {
        if (this.ctx.now() - entry.checkedAt < this.#recheckMs) return entry;
        const version = await this.store.version(id);
        if (version === entry.cert.info.updatedAt) {
          entry.checkedAt = this.ctx.now();
          return entry;
        }
        if (this.#entries.get(id) === cached) this.invalidate(id);
      }
    }
    let pending = this.#entries.get(id);
    if (!pending) {
      pending = this.#load(id);
      this.#entries.set(id, pending);
      // A missing certificate is not cached: it may be created on another node any moment.
      void pending.then((e) => {
        if (!e && this.#entries.get(id) === pending) this.#entries.delete(id);
      });
    }
    return pending;
  }

  async #load(id: number): Promise<Entry | undefined> {
    let cert: CertificateWithSecrets | undefined;
    try {
      cert = await this.store.getWithSecrets(id);
    } catch (err) {
      this.#entries.delete(id);
      throw err;
    }
    if (!cert) return undefined;
    return { cert, checkedAt: this.ctx.now() };
  }
}
