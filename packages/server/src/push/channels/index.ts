// ChannelRegistry: certificate ID -> a live channel. Channels are created on first use and reused (their
// HTTP/2 sessions and OAuth tokens with them). Edits and deletes take effect without a restart:
// `invalidate(id)` (called by CertificateService on this node) drops a channel at once, and every use
// re-checks the certificate's version when the cached one is older than `recheckMs` (other nodes' edits).
import type { CertificateStore, CertificateWithSecrets } from '../certificates/store.js';
import type { CertificateInfo } from '../certificates/types.js';
import type { Channel, PushOutcome, PushTask } from '../types.js';
import type { ChannelContext } from './context.js';
import { createChannel, SharedChannelState } from './factory.js';
import { outcome } from './outcomes.js';

export { type ChannelContext, channelContext } from './context.js';

interface Entry {
  info: CertificateInfo;
  channel: Channel;
  checkedAt: number;
}

export interface ChannelRegistryOptions {
  /** How long a channel is used without re-reading its certificate's version (default 2 s). */
  recheckMs?: number;
}

export class ChannelRegistry {
  readonly #entries = new Map<number, Promise<Entry | undefined>>();
  readonly #shared = new SharedChannelState();
  readonly #recheckMs: number;
  #closed = false;

  constructor(
    private readonly store: CertificateStore,
    private readonly ctx: ChannelContext,
    opts: ChannelRegistryOptions = {},
  ) {
    this.#recheckMs = opts.recheckMs ?? 2_000;
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
    return entry.channel.send(tasks);
  }

  /** The certificate's public view (status, vendor, environment...), as cached with its channel. */
  async certificate(certificateId: number): Promise<CertificateInfo | undefined> {
    return (await this.#entry(certificateId))?.info;
  }

  /** The live channel of a certificate (undefined when it does not exist). */
  async channel(certificateId: number): Promise<Channel | undefined> {
    return (await this.#entry(certificateId))?.channel;
  }

  /** Drops the cached channel of a certificate: the next use reads it again. In-flight sends finish. */
  invalidate(certificateId: number): void {
    const cached = this.#entries.get(certificateId);
    this.#entries.delete(certificateId);
    void cached?.then((e) => e?.channel.close()).catch(() => {});
  }

  async close(): Promise<void> {
    this.#closed = true;
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.all(entries.map((p) => p.then((e) => e?.channel.close()).catch(() => {})));
  }

  async #entry(id: number): Promise<Entry | undefined> {
    if (this.#closed) throw new Error('the channel registry is closed');
    const cached = this.#entries.get(id);
    if (cached) {
      const entry = await cached;
      if (entry) {
        if (this.ctx.now() - entry.checkedAt < this.#recheckMs) return entry;
        const version = await this.store.version(id);
        if (version === entry.info.updatedAt) {
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
    let channel: Channel;
    try {
      channel = createChannel(cert, this.ctx, this.#shared);
    } catch (err) {
      // Stored credentials that no longer load (a key the runtime refuses...): hold this certificate.
      channel = unusableChannel(cert, err instanceof Error ? err.message : String(err));
    }
    return { info: cert.info, channel, checkedAt: this.ctx.now() };
  }
}

function unusableChannel(cert: CertificateWithSecrets, why: string): Channel {
  return {
    vendor: cert.info.vendor,
    send: async (batch) => batch.map(() => outcome('credential-error', 'CertificateUnusable', why)),
    close: async () => {},
  };
}
