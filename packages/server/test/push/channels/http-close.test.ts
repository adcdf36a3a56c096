// The vendors' HTTP/1.1 client (push/channels/http.ts) closed while a request is in flight — a certificate
// edited, paused or resumed during a send drops its channel — lets that request be answered: resetting it
// turned a push the vendor had accepted into a network error, and its retry into a duplicate on the phone.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../src/push/channels/http.js';

describe('HttpClient.close', () => {
  let server: Server;
  let url = '';
  let received = 0;

  beforeAll(async () => {
    // Answers 150 ms after the request: long enough for close() to come first.
    server = createServer((req, res) => {
      received++;
      req.resume();
      setTimeout(() => res.end('accepted'), 150);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('lets the requests in flight be answered, then closes its connections', async () => {
    const client = new HttpClient(undefined);
    const answer = client.request(url, { body: 'push' });
    await new Promise((r) => setTimeout(r, 30));
    expect(received).toBe(1);
    client.close();
    expect(await answer).toMatchObject({ status: 200, body: 'accepted' });
  });

  it('closes at once when nothing is in flight', async () => {
    const client = new HttpClient(undefined);
    expect(await client.request(url, { body: 'push' })).toMatchObject({ status: 200 });
    client.close();
    // The keep-alive socket is gone: the server sees no open connection from this client.
    await new Promise((r) => setTimeout(r, 50));
    const open = await new Promise<number>((resolve) => server.getConnections((_, n) => resolve(n)));
    expect(open).toBe(0);
  });
});
