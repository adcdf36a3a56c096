// A local HTTP server standing in for an app's callback URL: records every request and answers with the
// statuses it is told to (200 once the script runs out).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  query: Record<string, string>;
  body: { Events: Record<string, unknown>[] };
  contentType: string | undefined;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Statuses for the next requests, in order. */
  script: number[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const receiver: WebhookReceiver = { url: '', received, script: [], close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = receiver.script.shift() ?? 200;
      if (status === 200) {
        const url = new URL(req.url ?? '/', 'http://localhost');
        received.push({
          query: Object.fromEntries(url.searchParams),
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
          contentType: req.headers['content-type'],
        });
      }
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ ActionStatus: status === 200 ? 'OK' : 'FAIL', ErrorCode: status === 200 ? 0 : 1 }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  receiver.url = `http://127.0.0.1:${port}/im-callback`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
