// Where channels run. The registry (index.ts) knows the certificates; a sender runs their channels — the
// vendor connections, tokens and request building — either on this thread (LocalSender) or on worker
// threads (SendWorkers, send-workers.ts), so that one node uses every core (docs/delivery.md "Workers").
import type { CertificateWithSecrets } from '../../certificates/store.js';
import type { Channel, PushOutcome, PushTask } from '../types.js';
import { outcome } from './answer-tables.js';
import type { ChannelContext } from './context.js';
import { createChannel, SharedChannelState } from './factory.js';

/** The receipt URLs of a batch's apps, keyed `<sdkAppId>:<vendor>` (vivo, Meizu and Xiaomi take them). */
export type ReceiptUrls = [key: string, url: string | undefined][];

export interface ChannelSender {
  /** One outcome per task, in order. `cert` is the certificate as stored now (its version decides reuse). */
  send(cert: CertificateWithSecrets, tasks: PushTask[], receiptUrls: ReceiptUrls): Promise<PushOutcome[]>;
  /** Drops the running channel of a certificate; the next send builds it again. */
  invalidate(certificateId: number): void;
  /** Builds the certificate's channel and opens its connections ahead of the first push (Channel.warm). */
  warm(cert: CertificateWithSecrets): void;
  /** Resolves once the sender can send: its worker threads, if any, have started and loaded their code. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** Runs the channels on this thread; also what each send worker runs inside. */
export class LocalSender implements ChannelSender {
  readonly #channels = new Map<number, { version: number; channel: Channel }>();
  readonly #shared = new SharedChannelState();

  constructor(private readonly ctx: ChannelContext) {}

  send(cert: CertificateWithSecrets, tasks: PushTask[]): Promise<PushOutcome[]> {
    return this.channel(cert).send(tasks);
  }

  ready(): Promise<void> {
    return Promise.resolve();
  }

  warm(cert: CertificateWithSecrets): void {
    this.channel(cert).warm?.();
  }

  /** The channel of this version of the certificate, built on first use. */
  channel(cert: CertificateWithSecrets): Channel {
    const id = cert.info.id;
    const running = this.#channels.get(id);
    if (running?.version === cert.info.updatedAt) return running.channel;
    if (running) this.invalidate(id);
    let channel: Channel;
    try {
      channel = createChannel(cert, this.ctx, this.#shared);
    } catch (err) {
      // Stored credentials that no longer load (a key the runtime refuses...): hold this certificate.
      channel = unusableChannel(cert, err instanceof Error ? err.message : String(err));
    }
    this.#channels.set(id, { version: cert.info.updatedAt, channel });
    return channel;
  }

  /** The running channel of a certificate, if any (tests look at its connections). */
  running(certificateId: number): Channel | undefined {
    return this.#channels.get(certificateId)?.channel;
  }

  invalidate(certificateId: number): void {
    const running = this.#channels.get(certificateId);
    this.#channels.delete(certificateId);
    // In-flight sends finish on the old channel.
    void running?.channel.close().catch(() => {});
  }

  async close(): Promise<void> {
    const all = [...this.#channels.values()];
    this.#channels.clear();
    await Promise.all(all.map((r) => r.channel.close().catch(() => {})));
  }
}

function unusableChannel(cert: CertificateWithSecrets, why: string): Channel {
  return {
    vendor: cert.info.vendor,
    send: async (batch) => batch.map(() => outcome('credential-error', 'CertificateUnusable', why)),
    close: async () => {},
  };
}
