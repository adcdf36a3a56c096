// A send worker (send-workers.ts): runs the channels of the credentials assigned to it and answers each batch
// with its outcomes.
import { parentPort, workerData } from 'node:worker_threads';
import type { CertificateWithSecrets } from '../../certificates/store.js';
import type { Vendor } from '../../certificates/types.js';
import type { FromWorker, ToWorker, WorkerContext } from './send-workers.js';
import { LocalSender } from './sender.js';
import { trustContext } from './tls-context.js';

const port = parentPort;
if (!port) throw new Error('send-worker.js runs as a worker thread of the Pushline server');
const ctx = workerData as WorkerContext;
/** The certificates of this worker's channels, as last sent by the main thread. */
const certificates = new Map<number, CertificateWithSecrets>();
/** The receipt URLs the main thread sends with each batch, by `<sdkAppId>:<vendor>`. */
const receiptUrls = new Map<string, string | undefined>();
// The trust list's TLS context is built now, while the node starts, not by the first push (tls-context.ts).
trustContext(ctx.ca);
const sender = new LocalSender({
  ...ctx,
  now: Date.now,
  receiptUrl: async (sdkAppId: number, vendor: Vendor) => receiptUrls.get(`${sdkAppId}:${vendor}`),
});

port.on('message', (m: ToWorker) => {
  const reply = (r: FromWorker) => port.postMessage(r);
  switch (m.type) {
    case 'send': {
      for (const [key, url] of m.receiptUrls) receiptUrls.set(key, url);
      // The main thread sends a certificate once per version (send-workers.ts); later batches name it.
      if (m.cert) certificates.set(m.certificateId, m.cert);
      const cert = certificates.get(m.certificateId);
      if (!cert) {
        reply({ type: 'failed', id: m.id, message: `certificate ${m.certificateId} is not on this worker` });
        break;
      }
      sender.send(cert, m.tasks).then(
        (outcomes) => reply({ type: 'sent', id: m.id, outcomes }),
        (err: unknown) =>
          reply({ type: 'failed', id: m.id, message: err instanceof Error ? err.message : String(err) }),
      );
      break;
    }
    case 'warm':
      certificates.set(m.cert.info.id, m.cert);
      sender.warm(m.cert);
      break;
    case 'invalidate':
      certificates.delete(m.certificateId);
      sender.invalidate(m.certificateId);
      break;
    case 'close':
      void sender.close().then(() => reply({ type: 'closed' }));
      break;
  }
});

// Everything above is loaded: the main thread may count this worker as started (SendWorkers.ready).
port.postMessage({ type: 'ready' } satisfies FromWorker);
