// Control HTTP API (plain HTTP on loopback): lets tests, benchmarks and the console in another
// process register credentials, install virtual devices, read records/counters, stream pushes
// (Server-Sent Events) and inject faults. Routes are listed in docs/simulator.md.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { OemVendor } from './credentials.js';
import type { InstallOptions } from './devices.js';
import type { FaultRule } from './faults.js';
import { urlHost } from './http-vendor.js';
import type { RecordFilter } from './records.js';
import type { RunningServer, Simulators } from './types.js';
import { isVendor, type SimulatorVendor } from './vendor-ids.js';

const OEM = new Set(['huawei', 'honor', 'xiaomi', 'oppo', 'vivo', 'meizu']);

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startControlApi(sim: Simulators, host: string, port: number): Promise<RunningServer> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    route(sim, req, res).catch((e: unknown) => {
      const status = e instanceof HttpError ? e.status : 400;
      send(res, status, { error: e instanceof Error ? e.message : String(e) });
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${urlHost(host)}:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
  if (chunks.length === 0) return {};
  const v = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new HttpError(400, 'body must be a JSON object');
  return v;
}

function vendorOf(v: unknown): SimulatorVendor {
  if (!isVendor(v)) throw new HttpError(400, `unknown vendor ${String(v)}`);
  return v;
}

function filterOf(q: URLSearchParams): RecordFilter {
  const f: RecordFilter = {};
  const vendor = q.get('vendor');
  if (vendor) f.vendor = vendorOf(vendor);
  const token = q.get('token');
  if (token) f.token = token;
  const app = q.get('app');
  if (app) f.app = app;
  const since = q.get('since');
  if (since) f.since = Number(since);
  const limit = q.get('limit');
  if (limit) f.limit = Number(limit);
  return f;
}

async function route(sim: Simulators, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://control');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const m = req.method ?? 'GET';
  const [a, b, c, d] = parts;

  if (m === 'GET' && a === 'health') return send(res, 200, { ok: true });
  if (m === 'GET' && (a === undefined || a === 'urls')) {
    return send(res, 200, { urls: sim.urls, caFile: sim.caFile, control: sim.control, env: sim.env });
  }
  if (m === 'GET' && a === 'ca.pem') {
    res.writeHead(200, { 'content-type': 'application/x-pem-file' });
    res.end(sim.caCertPem);
    return;
  }
  if (a === 'credentials' && m === 'POST') {
    const body = await readJson(req);
    if (b === 'apns') return send(res, 201, redact(sim.registerApnsKey(body as never)));
    if (b === 'fcm') return send(res, 201, redact(sim.registerServiceAccount(body as never)));
    if (b && OEM.has(b)) return send(res, 201, sim.registerVendorApp(b as OemVendor, body as never));
    throw new HttpError(404, `no credentials for ${b}`);
  }
  if (a === 'devices') {
    if (m === 'POST' && !b) {
      const body = await readJson(req);
      const vendor = vendorOf(body.vendor);
      return send(res, 201, sim.devices.install(vendor, body as unknown as InstallOptions));
    }
    if (m === 'GET' && !b) {
      const v = url.searchParams.get('vendor');
      return send(res, 200, sim.devices.list(v ? vendorOf(v) : undefined));
    }
    if (b && c) {
      const vendor = vendorOf(b);
      if (m === 'GET' && !d) {
        const dev = sim.devices.get(vendor, c);
        return dev ? send(res, 200, dev) : send(res, 404, { error: 'no such device' });
      }
      if (m === 'POST' && d === 'uninstall') {
        const dev = sim.devices.uninstall(vendor, c);
        return dev ? send(res, 200, dev) : send(res, 404, { error: 'no such device' });
      }
      if (m === 'DELETE' && !d) return send(res, sim.devices.remove(vendor, c) ? 204 : 404, {});
    }
  }
  if (a === 'received') {
    if (m === 'GET') return send(res, 200, sim.received(filterOf(url.searchParams)));
    if (m === 'DELETE') {
      sim.clear({ keepCounters: url.searchParams.get('keepCounters') === 'true' });
      return send(res, 200, { ok: true });
    }
  }
  if (a === 'counters' && m === 'GET') return send(res, 200, sim.counters());
  if (a === 'events' && m === 'GET') return streamEvents(sim, url.searchParams, req, res);
  if (a === 'faults') {
    if (m === 'POST') {
      const body = await readJson(req);
      const { vendor, ...rule } = body;
      return send(res, 201, sim.faults.add(vendorOf(vendor), rule as unknown as FaultRule));
    }
    if (m === 'GET') return send(res, 200, sim.faults.list());
    if (m === 'DELETE' && b) return send(res, sim.faults.remove(Number(b)) ? 200 : 404, {});
    if (m === 'DELETE') {
      const v = url.searchParams.get('vendor');
      sim.faults.clear(v ? vendorOf(v) : undefined);
      return send(res, 200, { ok: true });
    }
  }
  if (a === 'access-tokens' && b === 'expire' && m === 'POST') {
    const body = await readJson(req);
    const expired = sim.expireAccessTokens(body.vendor === undefined ? undefined : vendorOf(body.vendor));
    return send(res, 200, { expired });
  }
  throw new HttpError(404, `no route ${m} ${url.pathname}`);
}

function redact(v: object): object {
  const { publicKey: _k, ...rest } = v as Record<string, unknown>;
  if (rest.topics instanceof Set) rest.topics = [...rest.topics];
  return rest;
}

function streamEvents(sim: Simulators, q: URLSearchParams, req: IncomingMessage, res: ServerResponse): void {
  const filter = filterOf(q);
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.write(': pushline simulator events\n\n');
  const unsubscribe = sim.subscribe((r) => {
    if (filter.vendor && r.vendor !== filter.vendor) return;
    if (filter.token && r.token !== filter.token) return;
    if (filter.app && r.app !== filter.app) return;
    res.write(`id: ${r.seq}\nevent: push\ndata: ${JSON.stringify(r)}\n\n`);
  });
  const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
  req.on('close', () => {
    clearInterval(ping);
    unsubscribe();
  });
}
