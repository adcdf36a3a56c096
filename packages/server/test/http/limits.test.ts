// HTTP timeouts and the connection cap (docs/configuration.md#connection-limits-and-timeouts): slow or
// silent clients cannot hold connections open. Raw TCP clients against real servers with short timeouts.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpServerOptions, loadConfig } from '../../src/config.js';
import { waitFor } from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

interface Held {
  socket: Socket;
  /** Everything the server sent. */
  received: () => string;
  /** Resolves with the milliseconds from opening to the server closing the connection. */
  closed: Promise<number>;
  isClosed: () => boolean;
}

function open(url: string): Promise<Held> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let text = '';
    let done = false;
    const socket = connect(Number(u.port), u.hostname);
    const closed = new Promise<number>((r) => {
      socket.on('close', () => {
        done = true;
        r(Date.now() - started);
      });
    });
    socket.on('data', (d) => {
      text += d;
    });
    socket.on('error', () => {});
    socket.once('connect', () => resolve({ socket, received: () => text, closed, isClosed: () => done }));
    socket.once('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('configuration of the HTTP limits', () => {
  it('has sane defaults and checks the timeouts often enough', () => {
    const c = loadConfig({ env: {} });
    expect(c).toMatchObject({
      httpHeadersTimeout: 15,
      httpRequestTimeout: 30,
      httpKeepAliveTimeout: 72,
      httpIdleTimeout: 120,
      httpMaxConnections: 100_000,
    });
    const o = httpServerOptions(c);
    expect(o.http).toMatchObject({ headersTimeout: 15_000, requestTimeout: 30_000 });
    expect(o.http.connectionsCheckingInterval).toBeLessThanOrEqual(5000);
    const env = loadConfig({
      env: { PUSHLINE_HTTP_REQUEST_TIMEOUT: '40', PUSHLINE_HTTP_MAX_CONNECTIONS: '10' },
    });
    expect(env).toMatchObject({ httpRequestTimeout: 40, httpMaxConnections: 10 });
    expect(() => loadConfig({ env: { PUSHLINE_HTTP_HEADERS_TIMEOUT: '60' } })).toThrow(
      /httpHeadersTimeout \(PUSHLINE_HTTP_HEADERS_TIMEOUT\): at most httpRequestTimeout/,
    );
    expect(() => loadConfig({ env: { PUSHLINE_HTTP_IDLE_TIMEOUT: '0' } })).toThrow(
      /PUSHLINE_HTTP_IDLE_TIMEOUT/,
    );
  });
});

describe('HTTP timeouts', () => {
  let s: TestServer;
  let v4Path: string;
  beforeAll(async () => {
    s = await startTestServer({
      config: { httpHeadersTimeout: 1, httpRequestTimeout: 4, httpIdleTimeout: 3, httpKeepAliveTimeout: 1 },
    });
    v4Path = `/v4/openim/sendmsg?sdkappid=${s.app.sdkAppId}&identifier=${s.app.adminIdentifier}&usersig=${s.adminSig}&random=1`;
  });
  afterAll(async () => {
    await s?.close();
  });

  it('headers that never end: 408 and closed after httpHeadersTimeout', async () => {
    const c = await open(s.url);
    c.socket.write(`POST ${v4Path} HTTP/1.1\r\nHost: x\r\n`);
    const ms = await c.closed;
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(1900);
    expect(c.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('a body trickling in: 408 and closed after httpRequestTimeout, though never idle', async () => {
    const c = await open(s.url);
    c.socket.write(
      `POST ${v4Path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`,
    );
    const trickle = setInterval(() => c.socket.write(' '), 300);
    const ms = await c.closed;
    clearInterval(trickle);
    expect(ms).toBeGreaterThanOrEqual(3900);
    expect(ms).toBeLessThan(5500);
    expect(c.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('the issue: 50 sendmsg with Content-Length 1000 and a 5-byte body are all closed', async () => {
    const held = await Promise.all(Array.from({ length: 50 }, () => open(s.url)));
    for (const c of held) {
      c.socket.write(
        `POST ${v4Path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"To_`,
      );
    }
    const times = await Promise.all(held.map((c) => c.closed));
    // Silent after the 5 bytes: the idle timeout (3 s) ends them, before the request timeout (4 s).
    expect(Math.max(...times)).toBeLessThan(3900);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(2900);
  });

  it('an idle keep-alive connection is closed after httpKeepAliveTimeout', async () => {
    const c = await open(s.url);
    c.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    await waitFor(() => c.received().includes('"status":"ok"'), 'health answer');
    const answeredAt = Date.now();
    expect(c.received()).toMatch(/\r\nKeep-Alive: timeout=1\r\n/i);
    await c.closed;
    // Node keeps the socket one second longer than it advertises (against races with the client).
    const idle = Date.now() - answeredAt;
    expect(idle).toBeGreaterThanOrEqual(1900);
    expect(idle).toBeLessThan(2900);
  });

  it('a connection that never sends anything is closed by the headers timeout', async () => {
    const c = await open(s.url);
    const ms = await c.closed;
    expect(ms).toBeLessThan(2000);
  });

  it('a WebSocket stays open past every HTTP timeout (the gateway has its own heartbeat)', async () => {
    const { rawSocket } = await import('../helpers/clients.js');
    const sock = await rawSocket(s);
    await sleep(2500);
    expect(sock.ws.readyState).toBe(sock.ws.OPEN);
    sock.ws.close();
  });
});

describe('HTTP connection cap', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ config: { httpMaxConnections: 5 } });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('connection N+1 is closed at once; a slot freed is usable again', async () => {
    const held = await Promise.all(Array.from({ length: 5 }, () => open(s.url)));
    await waitFor(
      () => new Promise<boolean>((r) => s.pushline.http.server.getConnections((_e, n) => r(n === 5))),
      '5 connections',
    );
    const extra = await open(s.url);
    extra.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    const ms = await extra.closed;
    expect(ms).toBeLessThan(1000);
    expect(extra.received()).toBe('');
    // The held ones still work.
    held[0]!.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitFor(() => held[0]!.received().includes('"status":"ok"'), 'held connection answers');
    held[1]!.socket.destroy();
    await held[1]!.closed;
    await waitFor(
      () => new Promise<boolean>((r) => s.pushline.http.server.getConnections((_e, n) => r(n === 4))),
      '4 connections',
    );
    const again = await open(s.url);
    again.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitFor(() => again.received().includes('"status":"ok"'), 'a freed slot answers');
    for (const c of [...held, again]) c.socket.destroy();
  });
});
