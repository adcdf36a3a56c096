// A stream that keeps what a logger writes, so that tests can read the server's log lines.
import { Writable } from 'node:stream';

/** `lines` receives every chunk written to `stream` (pino writes one JSON line per chunk). */
export function capturedLog(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
}
