// K live WebSocket clients in their own process: real SDK clients (PushlineChat over `ws`) logged in to
// Pushline, or plain `ws` clients of the bare relay baseline. `c2c` sends messages from client i to client
// i+K/2 at a steady rate and measures send -> receive on the receiving client (one process, one clock).

import WebSocket from 'ws';
import { PushlineChat } from '../../packages/sdk/dist/index.js';
import { genUserSig } from '../../packages/server/dist/index.js';
import { percentile, serveLite, sleep } from './client-utils.mjs';

const mode = process.argv[2]; // 'sdk' | 'raw'
const clients = [];
const sentAt = new Map();
const latencies = [];

function received(i) {
  const t = sentAt.get(i);
  if (t === undefined) return;
  sentAt.delete(i);
  latencies.push(performance.now() - t);
}

async function connectSdk({ url, sdkAppId, secretKey, userId }) {
  const chat = new PushlineChat({ url, sdkAppId, WebSocket, requestTimeoutMs: 60_000 });
  chat.addListener({ onRecvNewMessage: (m) => received(Number(m.cloudCustomData)) });
  const userSig = genUserSig({ sdkAppId, key: secretKey, identifier: userId, expire: 86_400 });
  await chat.login({ userID: userId, userSig, platform: 'Android' });
  return {
    userId,
    send: (to, i) =>
      chat.sendMessage({
        receiver: to.userId,
        body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'live' } }],
        cloudCustomData: String(i),
      }),
  };
}

async function connectRaw({ url, userId }) {
  const ws = new WebSocket(`${url}?u=${userId}`);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  ws.on('message', (data) => received(JSON.parse(data).i));
  return { userId, send: async (to, i) => ws.send(JSON.stringify({ to: to.userId, i, text: 'live' })) };
}

serveLite({
  async connect({ url, sdkAppId, secretKey, users, concurrency }) {
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < users.length) {
          const userId = users[next++];
          clients.push(
            await (mode === 'sdk'
              ? connectSdk({ url, sdkAppId, secretKey, userId })
              : connectRaw({ url, userId })),
          );
        }
      }),
    );
    return { connected: clients.length, seconds: (performance.now() - t0) / 1000 };
  },
  async c2c({ rate, seconds }) {
    latencies.length = 0;
    const total = Math.round(rate * seconds);
    const half = Math.floor(clients.length / 2);
    const start = performance.now();
    let i = 0;
    const sends = [];
    while (i < total) {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
      while (i < due) {
        const from = clients[i % clients.length];
        const to = clients[(i + half) % clients.length];
        sentAt.set(i, performance.now());
        sends.push(from.send(to, i));
        i++;
      }
      await sleep(1);
    }
    await Promise.all(sends);
    const deadline = performance.now() + 15_000;
    while (latencies.length < total && performance.now() < deadline) await sleep(10);
    const elapsed = (performance.now() - start) / 1000;
    const s = Float64Array.from(latencies).sort();
    return {
      sent: total,
      received: s.length,
      elapsed,
      p50: percentile(s, 50),
      p95: percentile(s, 95),
      p99: percentile(s, 99),
    };
  },
});
process.on('disconnect', () => process.exit(0));
