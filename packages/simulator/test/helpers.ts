// Test helpers: raw HTTP/2 and HTTPS clients over real loopback sockets.
import { type ClientHttp2Session, connect, type OutgoingHttpHeaders } from 'node:http2';
import { request as httpsRequest } from 'node:https';

export interface H2Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: Record<string, unknown>;
}

export function h2connect(
  url: string,
  ca: string,
  extra: { cert?: string; key?: string } = {},
): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const s = connect(url, { ca, ...extra, peerMaxConcurrentStreams: 1 });
    s.once('error', reject);
    s.once('remoteSettings', () => resolve(s));
  });
}

export function h2request(
  session: ClientHttp2Session,
  headers: OutgoingHttpHeaders,
  body?: string | Buffer,
): Promise<H2Response> {
  return new Promise((resolve, reject) => {
    const req = session.request({ ':method': 'POST', ...headers });
    let status = 0;
    let resHeaders: Record<string, string | string[] | undefined> = {};
    const chunks: Buffer[] = [];
    req.on('response', (h) => {
      status = Number(h[':status']);
      resHeaders = h as Record<string, string | string[] | undefined>;
    });
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('close', () => {
      if (status === 0) reject(new Error(`stream closed without a response (rstCode ${req.rstCode})`));
    });
    req.on('end', () => {
      if (status === 0) return;
      const text = Buffer.concat(chunks).toString('utf8');
      let json: Record<string, unknown> = {};
      try {
        json = text ? JSON.parse(text) : {};
      } catch {}
      resolve({ status, headers: resHeaders, body: text, json });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
  json: any;
}

/** HTTPS (HTTP/1.1) request trusting the simulator CA. Body objects are sent as JSON, URLSearchParams as forms. */
export function httpsCall(
  url: string,
  ca: string,
  opts: {
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer | object | URLSearchParams;
  } = {},
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...opts.headers };
    let payload: string | Buffer | undefined;
    if (opts.body instanceof URLSearchParams) {
      payload = opts.body.toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8';
    } else if (typeof opts.body === 'string' || Buffer.isBuffer(opts.body)) payload = opts.body;
    else if (opts.body !== undefined) {
      payload = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const req = httpsRequest(url, { method: opts.method ?? 'POST', headers, ca, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {}
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export async function httpJson(
  url: string,
  opts: { method?: string; body?: unknown } = {},
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
): Promise<{ status: number; json: any }> {
  const res = await fetch(url, {
    method: opts.method ?? 'GET',
    headers: opts.body === undefined ? {} : { 'content-type': 'application/json' },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}
