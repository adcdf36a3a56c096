// One HTTP request exactly as written (headers, URL, body), on a connection of its own: for tests of what
// the server does with input no well-behaved client sends.
import { request as httpRequest } from 'node:http';

export interface RawAnswer {
  status: number;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: callers check it with expect()
  json: any;
}

export function rawRequest(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<RawAnswer> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    // A connection per request: a refusal that closes its connection cannot fail the next request.
    const req = httpRequest(
      { host: u.hostname, port: u.port, path, method, headers, agent: false, insecureHTTPParser: true },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () => {
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, text, json });
        });
      },
    );
    req.on('error', reject);
    // Node sends no length for a DELETE body of its own accord: the body would read as a next request.
    const lengthGiven = Object.keys(headers).some((h) => h.toLowerCase() === 'content-length');
    if (body !== undefined && !lengthGiven) req.setHeader('content-length', Buffer.byteLength(body));
    req.end(body);
  });
}
