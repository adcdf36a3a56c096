// A send worker (send-workers.ts): runs the channels of the credentials assigned to it and answers each batch
// with its outcomes.
import { parentPort, workerData } from 'node:worker_threads';
import type { Vendor } from '../certificates/types.js';
import type { FromWorker, ToWorker, WorkerContext } from './send-workers.js';
import { LocalSender } from './sender.js';
import { trustContext } from './tls-context.js';

const port = parentPort;
if (!port) throw new Error('send-worker.js runs as a worker thread of the Pushline server');
const ctx = workerData as WorkerContext;
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
    case 'send':
      for (const [key, url] of m.receiptUrls) receiptUrls.set(key, url);
      sender.send(m.cert, m.tasks).then(
        (outcomes) => reply({ type: 'sent', id: m.id, outcomes }),
        (err: unknown) =>
          reply({ type: 'failed', id: m.id, message: err instanceof Error ? err.message : String(err) }),
      );
      break;
    case 'warm':
      sender.warm(m.cert);
      break;
    case 'invalidate':
      sender.invalidate(m.certificateId);
      break;
    case 'close':
      void sender.close().then(() => reply({ type: 'closed' }));
      break;
  }
});
