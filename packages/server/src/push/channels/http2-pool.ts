// HTTP/2 session pool for one vendor credential (APNs per credential and environment, FCM per service
// account; docs/internals/apns.md#connections, docs/internals/fcm.md#connections):
// - waits for the server's first SETTINGS before sending anything on a session (a request written
//   earlier is counted against Node's default limit of 100 and the surplus comes back REFUSED_STREAM);
// - keeps in-flight streams per session within the server's current MAX_CONCURRENT_STREAMS (APNs starts
//   token-auth connections at 1 and raises the limit after the first accepted push) and queues the rest
//   in its own bounded queue, never in nghttp2;
// - opens another session only when every open one is full, up to `maxSessions`;
// - on GOAWAY stops using the session, and streams the server never processed (REFUSED_STREAM, or above
//   GOAWAY's last stream ID) are sent again on a fresh session: nothing is lost;
// - PINGs sessions periodically and drops the ones that do not answer; closes sessions left idle;
// - optionally gives up on a request the server leaves unanswered too long.
import {
  type ClientHttp2Session,
  type ClientHttp2Stream,
  connect,
  constants,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
  type SecureClientSessionOptions,
} from 'node:http2';

/** One request in the pool. `headers()` is called when the request is written (fresh auth header). */
export interface PoolJob {
  headers(): OutgoingHttpHeaders;
  body: string | Buffer;
  /** The server answered. */
  answer(status: number, headers: IncomingHttpHeaders, body: string): void;
  /** No answer: the request may or may not have been processed (or the pool gave up). */
  fail(code: string, detail: string): void;
  /** Internal: how many times the request was refused unprocessed and requeued. */
  refusals?: number;
}

export interface PoolOptions {
  /** The vendor's name in failure details ("APNs", "FCM"). */
  label: string;
  origin: string;
  tls: SecureClientSessionOptions;
  maxSessions: number;
  maxQueue: number;
  pingIntervalMs: number;
  /** Sessions with nothing to do for this long are closed (reopened on the next push). */
  idleMs: number;
  connectTimeoutMs?: number;
  /** Collect the body of 200 answers too (FCM names the message there); APNs' success has none. */
  successBody?: boolean;
  /** Milliseconds from writing a request to its answer before the stream is cancelled (default: none). */
  requestTimeoutMs?: number;
}

/** A stream limit for servers that advertise none (nghttp2 reports 2^32-1); bounds our memory. */
const STREAM_CAP = 1000;
const MAX_REFUSALS = 5;
/** Requests started before the pool lets the event loop write them (see #pump). */
const PUMP_SLICE = 64;
const MAX_CONNECT_FAILURES = 3;

class Session {
  ready = false;
  draining = false;
  limit = 1;
  inflight = 0;
  lastStreamId = Number.MAX_SAFE_INTEGER;
  constructor(readonly h2: ClientHttp2Session) {}
}

export class Http2SessionPool {
  readonly #sessions: Session[] = [];
  /** FIFO of waiting jobs; `#head` avoids O(n) shifts. Requeued jobs go to `#again` and go first. */
  #queue: PoolJob[] = [];
  #head = 0;
  #again: PoolJob[] = [];
  #connectFailures = 0;
  #pumpLater: NodeJS.Immediate | undefined;
  #lastConnectError = '';
  #reconnectTimer: NodeJS.Timeout | undefined;
  #closed = false;
  #lastUse = Date.now();
  readonly #pingTimer: NodeJS.Timeout;
  /** Counters for metrics and tests: sessions opened, requests refused unprocessed (and sent again). */
  readonly stats = { sessionsOpened: 0, refused: 0 };

  constructor(private readonly opts: PoolOptions) {
    this.#pingTimer = setInterval(() => this.#ping(), opts.pingIntervalMs);
    this.#pingTimer.unref();
  }

  get queued(): number {
    return this.#queue.length - this.#head + this.#again.length;
  }

  /** Sessions currently open (for tests and metrics). */
  get sessionCount(): number {
    return this.#sessions.length;
  }

  /** Opens a session ahead of the first request, when none is open (a starting node warms its channels). */
  warm(): void {
    if (this.#closed || this.#sessions.length > 0) return;
    this.#lastUse = Date.now();
    this.#connect();
  }

  submit(job: PoolJob): void {
    if (this.#closed) {
      job.fail('ChannelClosed', 'the channel was closed');
      return;
    }
    if (this.queued >= this.opts.maxQueue) {
      job.fail('QueueFull', `the ${this.opts.label} queue of this credential is full`);
      return;
    }
    this.#lastUse = Date.now();
    this.#queue.push(job);
    this.#pump();
  }

  #take(): PoolJob | undefined {
    const again = this.#again.shift();
    if (again) return again;
    if (this.#head >= this.#queue.length) return undefined;
    const job = this.#queue[this.#head++] as PoolJob;
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    return job;
  }

  #pump(): void {
    if (this.#pumpLater) return;
    let started = 0;
    while (this.queued > 0) {
      const session = this.#available();
      if (!session) return;
      const job = this.#take() as PoolJob;
      this.#start(session, job);
      // Streams are written to the socket only once this loop returns to the event loop: without a break,
      // the first request of a batch of 1000 would wait for the 1000th to be built.
      if (++started === PUMP_SLICE && this.queued > 0) {
        this.#pumpLater = setImmediate(() => {
          this.#pumpLater = undefined;
          this.#pump();
        });
        return;
      }
    }
  }

  /** A ready session with a free stream, opening a new one when all are full. */
  #available(): Session | undefined {
    let connecting = false;
    let usable = 0;
    for (const s of this.#sessions) {
      if (s.draining) continue;
      usable++;
      if (!s.ready) connecting = true;
      else if (s.inflight < s.limit) return s;
    }
    if (!connecting && usable < this.opts.maxSessions && !this.#reconnectTimer) this.#connect();
    return undefined;
  }

  #connect(): void {
    const h2 = connect(this.opts.origin, this.opts.tls);
    this.stats.sessionsOpened++;
    const s = new Session(h2);
    this.#sessions.push(s);
    const timer = setTimeout(() => {
      if (!s.ready) h2.destroy(new Error('no SETTINGS from the server in time'));
    }, this.opts.connectTimeoutMs ?? 10_000);
    timer.unref();
    h2.on('remoteSettings', (settings) => {
      const max = settings.maxConcurrentStreams;
      s.limit = Math.max(1, Math.min(STREAM_CAP, max === undefined ? 100 : max));
      if (!s.ready) {
        s.ready = true;
        clearTimeout(timer);
        this.#connectFailures = 0;
      }
      this.#pump();
    });
    h2.on('goaway', (_code, lastStreamId) => {
      s.draining = true;
      s.lastStreamId = lastStreamId;
      this.#pump();
    });
    h2.on('error', (err: NodeJS.ErrnoException) => {
      this.#lastConnectError = `${err.code ?? 'Error'}: ${err.message}`;
    });
    h2.on('frameError', () => {});
    h2.on('close', () => {
      clearTimeout(timer);
      const i = this.#sessions.indexOf(s);
      if (i >= 0) this.#sessions.splice(i, 1);
      if (!s.ready) this.#connectFailed();
      else this.#pump();
    });
  }

  #connectFailed(): void {
    this.#connectFailures++;
    if (this.#closed || this.queued === 0) return;
    if (this.#connectFailures >= MAX_CONNECT_FAILURES && this.#sessions.length === 0) {
      // The vendor is unreachable: answer the waiting jobs instead of holding them forever.
      this.#connectFailures = 0;
      const detail = this.#lastConnectError || `could not connect to ${this.opts.label}`;
      for (let job = this.#take(); job; job = this.#take()) job.fail('ConnectFailed', detail);
      return;
    }
    const delay = 100 * 2 ** this.#connectFailures;
    // Not unref'd: requests are waiting for this retry, and a process with nothing else to do (a CLI test
    // push) must not end before they are answered.
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      this.#pump();
    }, delay);
  }

  #start(s: Session, job: PoolJob): void {
    let req: ClientHttp2Stream;
    try {
      req = s.h2.request(job.headers());
    } catch {
      // The session is going away (ERR_HTTP2_GOAWAY_SESSION / INVALID_SESSION): nothing was sent.
      s.draining = true;
      this.#requeue(job);
      return;
    }
    s.inflight++;
    let status = 0;
    let resHeaders: IncomingHttpHeaders = {};
    let body = '';
    let timedOut = false;
    const timer =
      this.opts.requestTimeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            req.close(constants.NGHTTP2_CANCEL);
          }, this.opts.requestTimeoutMs);
    timer?.unref();
    req.on('response', (h) => {
      status = Number(h[':status']);
      resHeaders = h;
      if (status === 200 && !this.opts.successBody) {
        req.resume(); // success has no body: nothing to collect on the hot path
        return;
      }
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
      });
    });
    req.on('error', () => {});
    req.on('close', () => {
      s.inflight--;
      if (timer) clearTimeout(timer);
      if (timedOut) job.fail('Timeout', `${this.opts.label} did not answer in time`);
      else if (status !== 0) job.answer(status, resHeaders, body);
      else if (
        req.rstCode === constants.NGHTTP2_REFUSED_STREAM ||
        (s.draining && (req.id === undefined || req.id > s.lastStreamId))
      ) {
        this.#requeue(job); // never processed by the server: safe to send again
      } else {
        job.fail(
          `StreamReset:${req.rstCode ?? 'unknown'}`,
          `the connection to ${this.opts.label} broke before an answer`,
        );
      }
      this.#pump();
    });
    req.end(job.body);
  }

  #requeue(job: PoolJob): void {
    if (this.#closed) {
      job.fail('ChannelClosed', 'the channel was closed');
      return;
    }
    this.stats.refused++;
    job.refusals = (job.refusals ?? 0) + 1;
    if (job.refusals > MAX_REFUSALS) {
      job.fail('RefusedStream', `${this.opts.label} refused the request repeatedly without processing it`);
      return;
    }
    this.#again.push(job);
    // A pump is always pending here (stream close) or follows (request() failure in #pump's loop).
    queueMicrotask(() => this.#pump());
  }

  #ping(): void {
    const idle = Date.now() - this.#lastUse >= this.opts.idleMs;
    for (const s of this.#sessions) {
      if (!s.ready || s.draining) continue;
      if (idle && s.inflight === 0 && this.queued === 0) {
        s.draining = true;
        s.h2.close();
        continue;
      }
      try {
        s.h2.ping((err) => {
          if (err) s.h2.destroy();
        });
      } catch {
        s.h2.destroy();
      }
    }
  }

  /** Stops taking work, answers queued jobs with a retry, lets in-flight streams finish. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#pingTimer);
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    if (this.#pumpLater) clearImmediate(this.#pumpLater);
    this.#pumpLater = undefined;
    for (let job = this.#take(); job; job = this.#take()) job.fail('ChannelClosed', 'the channel was closed');
    await Promise.all(
      this.#sessions.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s.h2.closed || s.h2.destroyed) return resolve();
            const t = setTimeout(() => s.h2.destroy(), 5_000);
            t.unref();
            s.h2.close(() => {
              clearTimeout(t);
              resolve();
            });
          }),
      ),
    );
  }
}
