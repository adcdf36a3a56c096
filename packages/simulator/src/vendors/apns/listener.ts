// APNs provider API transport: HTTP/2 over TLS, POST /3/device/<token>, one listener per environment.
// Token auth (ES256 provider JWT) and certificate auth (mutual TLS) on the same listener, like Apple.
// This file is the plumbing only — TLS sessions, stream limits, reading a push, injected latency and
// resets, writing the answer, GOAWAY — and answer.ts decides what the answer is, the way Pushy's
// MockApnsServer keeps its server apart from its push-notification handler.
// Rules and reasons: docs/internals/apns.md. Guessed [U] choices are marked where they are made.
import { randomUUID } from 'node:crypto';
import {
  createSecureServer,
  constants as h2c,
  type IncomingHttpHeaders,
  type ServerHttp2Session,
  type ServerHttp2Stream,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { urlHost } from '../../core/http-vendor.js';
import type { RunningServer, SimContext } from '../../core/types.js';
import { type ApnsAnswer, decideAnswer, errorAnswer } from './answer.js';
import { type ApnsConnectionAuth, type ApnsEnvironment, certificateAuth } from './connection.js';
import { ProviderTokens } from './provider-token.js';
import { deliver } from './record.js';
import type { ApnsRequest } from './request.js';

/** Per connection: its auth (which answers depend on) and its stream-limit bookkeeping. */
interface SessionState {
  auth: ApnsConnectionAuth;
  /** Streams answered, counted only while a GOAWAY fault is set. */
  streams: number;
  /** MAX_CONCURRENT_STREAMS has been raised from 1 to the configured limit. */
  raised: boolean;
}

export interface ApnsServers {
  production: RunningServer;
  development: RunningServer;
}

export async function startApns(
  ctx: SimContext,
  opts: { host: string; productionPort?: number; developmentPort?: number },
): Promise<ApnsServers> {
  // Shared by both listeners: verified JWT strings, and distinct tokens seen per key.
  const tokens = new ProviderTokens(ctx);
  const [production, development] = await Promise.all([
    startListener(ctx, 'production', opts.host, opts.productionPort ?? 0, tokens),
    startListener(ctx, 'development', opts.host, opts.developmentPort ?? 0, tokens),
  ]);
  return { production, development };
}

async function startListener(
  ctx: SimContext,
  environment: ApnsEnvironment,
  host: string,
  port: number,
  tokens: ProviderTokens,
): Promise<RunningServer> {
  const states = new WeakMap<ServerHttp2Session, SessionState>();
  const sessions = new Set<ServerHttp2Session>();
  const server = createSecureServer({
    key: ctx.tls.keyPem,
    cert: ctx.tls.certPem,
    ca: ctx.tls.caPem,
    allowHTTP1: false,
    requestCert: true,
    // Certificates of another CA still connect: Apple answers BadCertificate per request.
    rejectUnauthorized: false,
    // 1 until the first accepted push on a token-auth connection (docs/internals/apns.md#connections).
    settings: { maxConcurrentStreams: 1 },
    maxSessionMemory: 64,
  });
  server.on('tlsClientError', () => {});
  server.on('session', (session: ServerHttp2Session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
    session.on('error', () => {});
    const state: SessionState = { auth: {}, streams: 0, raised: false };
    const socket = session.socket as TLSSocket;
    const peer = socket.getPeerCertificate?.();
    if (peer && Object.keys(peer).length > 0) {
      const subject = peer.subject as unknown as Record<string, string>;
      state.auth.cert = certificateAuth(subject, socket.authorized, environment);
      // Certificate connections are authenticated by the handshake: full stream limit at once.
      if (state.auth.cert && !('bad' in state.auth.cert)) raise(session, state);
    }
    states.set(session, state);
  });
  server.on(
    'stream',
    (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, _flags: number, rawHeaders: unknown) => {
      stream.on('error', () => {});
      const session = stream.session as ServerHttp2Session | undefined;
      const state = session && states.get(session);
      if (!session || !state) {
        stream.close(h2c.NGHTTP2_INTERNAL_ERROR);
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
        const request: ApnsRequest = { headers, rawHeaders: rawHeaders as string[] | undefined, body };
        try {
          handle(stream, session, state, request);
        } catch {
          // A simulator bug must not take the listener down: answer like an APNs internal error.
          write(stream, errorAnswer(500, randomUUID(), 'InternalServerError'));
        }
      });
    },
  );

  const raise = (session: ServerHttp2Session, state: SessionState) => {
    if (state.raised || session.destroyed) return;
    state.raised = true;
    session.settings({ maxConcurrentStreams: ctx.options.apnsMaxConcurrentStreams });
  };
  const lower = (session: ServerHttp2Session, state: SessionState) => {
    if (!state.raised || session.destroyed) return;
    state.raised = false;
    session.settings({ maxConcurrentStreams: 1 });
  };

  // Timing faults act on the transport: the fault is drawn on arrival, the answer waits out its latency.
  const handle = (
    stream: ServerHttp2Stream,
    session: ServerHttp2Session,
    state: SessionState,
    request: ApnsRequest,
  ): void => {
    const fault = ctx.faults.decide('apns');
    if (fault?.latencyMs) {
      setTimeout(() => finish(stream, session, state, request, fault.reset, fault), fault.latencyMs);
    } else finish(stream, session, state, request, fault?.reset ?? false, fault);
  };

  const finish = (
    stream: ServerHttp2Stream,
    session: ServerHttp2Session,
    state: SessionState,
    request: ApnsRequest,
    reset: boolean,
    fault: ReturnType<typeof ctx.faults.decide>,
  ): void => {
    if (reset) {
      ctx.records.countRequest('apns', 'reset', false, true);
      session.destroy();
      return;
    }
    const answer = decideAnswer(ctx, tokens, { environment, auth: state.auth, request, fault });
    write(stream, answer);
    if (answer.acceptedByToken) raise(session, state);
    if (answer.record) deliver(ctx, answer.record);
    const { reason } = answer;
    ctx.records.countRequest('apns', reason ?? 'ok', reason === undefined, answer.injected);
    if (reason !== undefined && ctx.options.apnsDropStreamsOnError) lower(session, state);
    afterStream(session, state);
  };

  // GOAWAY fault: after N streams on a connection, GOAWAY with the reason as debug data, then close.
  const afterStream = (session: ServerHttp2Session, state: SessionState) => {
    const goaway = ctx.faults.goaway('apns');
    if (!goaway) return;
    state.streams++;
    if (state.streams === goaway.afterStreams && !session.destroyed) {
      session.goaway(
        h2c.NGHTTP2_NO_ERROR,
        undefined,
        Buffer.from(JSON.stringify({ reason: goaway.reason ?? 'Shutdown' })),
      );
      session.close();
    }
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `https://${urlHost(host)}:${actualPort}`,
    port: actualPort,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sessions) {
          if (!s.destroyed) s.goaway(h2c.NGHTTP2_NO_ERROR, undefined, Buffer.from('{"reason":"Shutdown"}'));
          s.destroy();
        }
      }),
  };
}

/** Sends an answer on its stream, unless the client has already gone. */
function write(stream: ServerHttp2Stream, answer: Pick<ApnsAnswer, 'headers' | 'body'>): void {
  if (stream.destroyed) return;
  if (answer.body === undefined) stream.respond(answer.headers, { endStream: true });
  else {
    stream.respond(answer.headers);
    stream.end(answer.body);
  }
}
