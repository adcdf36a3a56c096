// Baseline for live connections: a bare `ws` server (own process) that keeps a map user -> socket and
// relays {to, ...} frames, with no authentication, storage or protocol. Its memory per idle connection and
// relay latency are the floor any WebSocket IM gateway on Node starts from.
import { WebSocketServer } from 'ws';
import { serve } from '../lib/rpc.mjs';

const sockets = new Map();
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
await new Promise((r) => wss.once('listening', r));
wss.on('connection', (ws, req) => {
  const user = new URL(req.url, 'http://x').searchParams.get('u');
  sockets.set(user, ws);
  ws.on('message', (data) => {
    const m = JSON.parse(data);
    sockets.get(m.to)?.send(JSON.stringify({ from: user, i: m.i, text: m.text }));
  });
  ws.on('close', () => sockets.delete(user));
});

serve({
  url: () => `ws://127.0.0.1:${wss.address().port}/`,
  mem: () => {
    globalThis.gc?.();
    globalThis.gc?.();
    return process.memoryUsage();
  },
});
process.on('disconnect', () => process.exit(0));
