// The common server for vendors spoken over HTTPS request/response (all but APNs, which has its own
// HTTP/2 stream handler for speed). It applies injected faults, counts every answer, attaches the raw
// request to records and writes the vendor's reply.

import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import {
  createSecureServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type Http2Session,
  type Settings,
} from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { NewPushRecord, RawRequest } from './records.js';
import type { RunningServer, SimContext } from './types.js';
import type { SimulatorVendor } from './vendor-ids.js';

export interface VendorRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  raw: RawRequest;
}

export type VendorRecord = Omit<NewPushRecord, 'vendor' | 'raw'>;

export interface VendorReply {
  status: number;
  /** Objects are sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Counter key: "ok" or the vendor's code/reason. */
  reason: string;
  ok: boolean;
  records?: VendorRecord[];
}

export interface HttpVendorHandler {
  vendor: SimulatorVendor;
  handle(req: VendorRequest): VendorReply | Promise<VendorReply>;
  /** The vendor's error answer for an injected status (reason defaults per vendor). */
  fault(status: number, reason: string | undefined, retryAfter: number | undefined): VendorReply;
  /** The vendor's own rate-limit answer, used by the quota fault. */
  quota(): VendorReply;
}

const MAX_BODY = 4 * 1024 * 1024;

type AnyReq = IncomingMessage | Http2ServerRequest;
type AnyRes = ServerResponse | Http2ServerResponse;

export function json(
  status: number,
  body: unknown,
  reason: string,
  extra: Partial<VendorReply> = {},
): VendorReply {
  return { status, body, reason, ok: status >= 200 && status < 300, ...extra };
}

export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export async function startHttpVendor(
  ctx: SimContext,
  handler: HttpVendorHandler,
  opts: { host: string; port: number; http2?: boolean; settings?: Settings },
): Promise<RunningServer> {
  const tls = { key: ctx.tls.keyPem, cert: ctx.tls.certPem };
  const sessions = new Set<Http2Session>();
  const sockets = new Set<Socket>();
  const perConnection = new WeakMap<object, number>();

  const onRequest = (req: AnyReq, res: AnyRes): void => {
    serve(ctx, handler, req, res, perConnection).catch(() => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500);
        res.end();
      }
    });
  };

  const server = opts.http2
    ? createSecureServer({ ...tls, allowHTTP1: true, settings: opts.settings ?? {} }, onRequest)
    : createHttpsServer({ ...tls, keepAlive: true }, onRequest);
  if (opts.http2) {
    server.on('session', (s: Http2Session) => {
      sessions.add(s);
      s.on('close', () => sessions.delete(s));
      s.on('error', () => {});
    });
  }
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://${urlHost(opts.host)}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sessions) s.destroy();
        for (const s of sockets) s.destroy();
      }),
  };
}

export function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

async function readBody(req: AnyReq): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) break;
    chunks.push(chunk);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function serve(
  ctx: SimContext,
  handler: HttpVendorHandler,
  req: AnyReq,
  res: AnyRes,
  perConnection: WeakMap<object, number>,
): Promise<void> {
  const vendor = handler.vendor;
  const body = await readBody(req);
  const fault = ctx.faults.decide(vendor);
  if (fault?.latencyMs) await sleep(fault.latencyMs);
  const h2 = 'stream' in req && req.stream ? req.stream.session : undefined;
  if (fault?.reset) {
    ctx.records.countRequest(vendor, 'reset', false, true);
    if (h2) h2.destroy();
    else req.socket.destroy();
    return;
  }
  const url = new URL(req.url ?? '/', 'https://sim');
  const raw: RawRequest = {
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    headers: req.headers,
    body: body.toString('utf8'),
  };
  let reply: VendorReply;
  let injected = false;
  if (fault?.status) {
    reply = handler.fault(fault.status.status, fault.status.reason, fault.status.retryAfter);
    injected = true;
  } else if (fault?.quotaExceeded) {
    reply = handler.quota();
    injected = true;
  } else {
    reply = await handler.handle({
      method: raw.method,
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      raw,
    });
  }
  ctx.records.countRequest(vendor, reply.reason, reply.ok, injected);
  if (reply.records) for (const r of reply.records) ctx.records.add({ ...r, vendor, raw });

  const headers: Record<string, string> = { ...reply.headers };
  let payload: string | Buffer = '';
  if (reply.body !== undefined) {
    if (typeof reply.body === 'string' || Buffer.isBuffer(reply.body)) payload = reply.body;
    else {
      payload = JSON.stringify(reply.body);
      headers['content-type'] ??= 'application/json; charset=UTF-8';
    }
  }
  // GOAWAY / connection close after N requests on one connection.
  const goaway = ctx.faults.goaway(vendor);
  let closeAfter = false;
  if (goaway) {
    const conn: object = h2 ?? req.socket;
    const n = (perConnection.get(conn) ?? 0) + 1;
    perConnection.set(conn, n);
    if (n >= goaway.afterStreams) {
      closeAfter = true;
      if (!h2) headers.connection = 'close';
    }
  }
  if (res.destroyed) return;
  res.writeHead(reply.status, headers);
  res.end(payload);
  if (closeAfter && h2 && !h2.destroyed) {
    h2.goaway(0, undefined, Buffer.from(JSON.stringify({ reason: goaway?.reason ?? 'Shutdown' })));
    h2.close();
  }
}
