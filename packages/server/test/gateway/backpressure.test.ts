// What one WebSocket may make the server hold (docs/protocol.md#limits): a client that stops reading while
// it floods requests gets its socket paused (not read) with a bounded queue, requests beyond the in-flight
// cap get 7008 at once, and a client that does not read what the server pushes is closed with 4009.
// Measured with the server's own counters and gauges, not RSS.
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type RawSocket, rawSocket, userSigFor, waitFor } from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const LIMIT = 1024 * 1024;
const IN_FLIGHT = 32;
const KB_TEXT = 'x'.repeat(1000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tcpOf(sock: RawSocket): Socket {
  return (sock.ws as unknown as { _socket: Socket })._socket;
}

describe('gateway backpressure', () => {
  let s: TestServer;

  beforeAll(async () => {
    s = await startTestServer({
      config: { gatewayMaxBufferedBytes: LIMIT, gatewayMaxInFlight: IN_FLIGHT },
      create: { gateway: { sweepIntervalMs: 0 } },
    });
    const imp = await s.v4('im_open_login_svc/multiaccount_import', {
      Accounts: ['sam', 'reader', 'piper', 'deaf'],
    });
    expect(imp.ErrorCode).toBe(0);
    // The setup: 100 messages of 1 KB in the conversation c2c_sam.
    for (let i = 0; i < 100; i++) {
      const r = await s.v4('openim/sendmsg', {
        From_Account: 'sam',
        To_Account: 'reader',
        MsgRandom: i,
        MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: KB_TEXT } }],
      });
      expect(r.ErrorCode).toBe(0);
    }
  });
  afterAll(async () => {
    await s?.close();
  });

  async function login(userId: string): Promise<RawSocket> {
    const sock = await rawSocket(s);
    const r = await sock.request('login', {
      sdkAppId: s.app.sdkAppId,
      userId,
      userSig: userSigFor(s, userId),
      platform: 'Android',
      instanceId: 'phone',
    });
    expect(r.code).toBe(0);
    await waitFor(() => sock.frames.some((f) => f.event === 'syncFinished'), 'resume done');
    return sock;
  }

  const historyRequest = (id: number) =>
    JSON.stringify({
      type: 'req',
      id,
      op: 'getMessageList',
      data: { conversationId: 'c2c_sam', count: 100 },
    });

  async function metric(name: string): Promise<string> {
    return (await s.pushline.metrics.registry.metrics())
      .split('\n')
      .filter((l) => l.startsWith(name))
      .join('\n');
  }

  it('has configurable limits with sane defaults', () => {
    expect(loadConfig({ env: {} })).toMatchObject({
      gatewayMaxBufferedBytes: 4 * 1024 * 1024,
      gatewayMaxInFlight: 32,
    });
    expect(
      loadConfig({
        env: { PUSHLINE_GATEWAY_MAX_BUFFERED_BYTES: '1048576', PUSHLINE_GATEWAY_MAX_IN_FLIGHT: '8' },
      }),
    ).toMatchObject({ gatewayMaxBufferedBytes: 1048576, gatewayMaxInFlight: 8 });
    expect(() => loadConfig({ env: { PUSHLINE_GATEWAY_MAX_IN_FLIGHT: '0' } })).toThrow(
      /PUSHLINE_GATEWAY_MAX_IN_FLIGHT/,
    );
  });

  it('a client flooding history requests without reading: socket paused, queue bounded, answers later', async () => {
    const sock = await login('reader');
    const tcp = tcpOf(sock);
    const before = sock.frames.length;
    tcp.pause();
    // 1,000 requests for 100 messages of 1 KB (~110 KB each): ~35 MB of answers if all were queued.
    const TOTAL = 1000;
    for (let wave = 0; wave < TOTAL / 100; wave++) {
      for (let i = 0; i < 100; i++) sock.ws.send(historyRequest(wave * 100 + i));
      await sleep(30);
    }
    await waitFor(() => s.pushline.gateway.stats.paused > 0, 'the server stops reading', 20_000);
    // Stopped: the queue no longer grows, and stays within the limit plus one answer and some refusals.
    const bound = LIMIT + 512 * 1024;
    const samples: number[] = [];
    for (let i = 0; i < 20; i++) {
      samples.push(s.pushline.gateway.bufferedBytes());
      await sleep(50);
    }
    expect(Math.max(...samples)).toBeLessThanOrEqual(bound);
    expect(s.pushline.gateway.stats.maxBuffered).toBeLessThanOrEqual(bound);
    expect(s.pushline.gateway.stats.closedNotReading).toBe(0);
    expect(await metric('pushline_gateway_backpressure_total{action="paused"}')).toMatch(/ [1-9]\d*$/);
    const max = Number((await metric('pushline_gateway_buffered_bytes_max')).split(' ').pop());
    expect(max).toBeGreaterThan(0);
    expect(max).toBeLessThanOrEqual(bound);
    // The client reads again: every request gets exactly one answer, its history or 7008.
    tcp.resume();
    await waitFor(
      () => sock.frames.filter((f) => f.type === 'res').length - 1 >= TOTAL,
      'every request answered',
      30_000,
    );
    const answers = sock.frames.slice(before).filter((f) => f.type === 'res');
    expect(new Set(answers.map((a) => a.id)).size).toBe(TOTAL);
    const ok = answers.filter((a) => a.code === 0);
    expect(ok.length).toBeGreaterThan(0);
    for (const a of ok) expect((a.data as { messages: unknown[] }).messages).toHaveLength(100);
    expect(answers.every((a) => a.code === 0 || a.code === 7008)).toBe(true);
    expect(sock.ws.readyState).toBe(sock.ws.OPEN);
    const again = await sock.request('heartbeat');
    expect(again.code).toBe(0);
    sock.ws.close();
  });

  it('requests beyond the in-flight cap get 7008 at once, and the cap frees as answers go out', async () => {
    const sock = await login('piper');
    const tcp = tcpOf(sock);
    const refusedBefore = s.pushline.gateway.stats.refused;
    // One write holding 200 requests: the server reads them all before answering any.
    tcp.cork();
    for (let i = 0; i < 200; i++) sock.ws.send(historyRequest(10_000 + i));
    tcp.uncork();
    await waitFor(
      () => sock.frames.filter((f) => f.type === 'res' && Number(f.id) >= 10_000).length === 200,
      '200 answers',
    );
    const answers = sock.frames.filter((f) => f.type === 'res' && Number(f.id) >= 10_000);
    const refused = answers.filter((a) => a.code === 7008);
    const served = answers.filter((a) => a.code === 0);
    expect(served.length).toBeGreaterThanOrEqual(IN_FLIGHT);
    expect(served.length).toBeLessThanOrEqual(2 * IN_FLIGHT);
    expect(refused.length).toBe(200 - served.length);
    expect(refused[0]!.message).toMatch(/more than 32 requests in flight/);
    expect(s.pushline.gateway.stats.refused - refusedBefore).toBe(refused.length);
    expect((await sock.request('getTotalUnreadMessageCount')).code).toBe(0);
    sock.ws.close();
  });

  it('the SDK holds back requests beyond the announced maxInFlight: 200 at once all succeed', async () => {
    const { loggedIn } = await import('../helpers/clients.js');
    const refusedBefore = s.pushline.gateway.stats.refused;
    const c = await loggedIn(s, 'sam');
    const results = await Promise.all(
      Array.from({ length: 200 }, () => c.chat.getMessageList({ conversationID: 'c2c_reader', count: 5 })),
    );
    expect(results).toHaveLength(200);
    expect(s.pushline.gateway.stats.refused).toBe(refusedBefore);
    await c.chat.logout();
  });

  it('a client that does not read live events is closed with 4009 and its queue freed', async () => {
    const sock = await login('deaf');
    const tcp = tcpOf(sock);
    tcp.pause();
    const text = 'y'.repeat(10_000);
    let sent = 0;
    const sender = async () => {
      while (s.pushline.gateway.stats.closedNotReading === 0 && sent < 5000) {
        sent++;
        // MsgLifeTime 0: online devices only, pushed as an event (not paced by the resume).
        await s.v4('openim/sendmsg', {
          From_Account: 'sam',
          To_Account: 'deaf',
          MsgRandom: 100_000 + sent,
          MsgLifeTime: 0,
          MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }],
        });
      }
    };
    await Promise.all(Array.from({ length: 16 }, sender));
    expect(s.pushline.gateway.stats.closedNotReading).toBe(1);
    // Never more than twice the limit and one event queued.
    expect(s.pushline.gateway.stats.maxBuffered).toBeLessThanOrEqual(2 * LIMIT + 64 * 1024);
    await waitFor(() => s.pushline.gateway.connectionCount === 0, 'socket gone', 5000);
    expect(s.pushline.gateway.bufferedBytes()).toBe(0);
    tcp.resume();
    await sock.closed;
    expect(await metric('pushline_gateway_backpressure_total{action="closed"}')).toMatch(/ 1$/);
  });
});
