// Console sandbox phones: the virtual phones of an app while the vendor simulators run in-process
// (`pushline serve --sandbox`, what `npm start` runs), and their notifications live.
//   GET /api/console/apps/:sdkappid/sandbox/phones -> {running: true, phones: [...]} | {running: false}
//   GET /api/console/apps/:sdkappid/sandbox/events -> text/event-stream of `event: notification`
//       (409 when the simulators do not run)
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { canAccessApp } from '../../auth/console-users.js';
import type { SandboxPhones } from '../../sandbox/phones.js';
import { CONSOLE_API, type ConsoleGuards, sendError } from './session.js';
import { sdkAppIdOf } from './validate.js';

export interface ConsoleSandboxPhonesDeps {
  /** Undefined unless the simulators run inside this process. */
  phones: SandboxPhones | undefined;
  guards: ConsoleGuards;
  /**
   * How often an open stream checks that its session is still alive and may still see the app (a
   * sign-out, expiry or revoked access ends the stream), and sends a keep-alive. Default 15 s.
   */
  streamCheckMs?: number;
}

const NOT_RUNNING =
  'the vendor simulators are not running in this Pushline: start it in sandbox mode (npm start) to see virtual phones';
const STREAM_CHECK_MS = 15_000;

export function registerConsoleSandboxPhones(fastify: FastifyInstance, deps: ConsoleSandboxPhonesDeps): void {
  const withApp = { preHandler: [deps.guards.requireConsoleUser, deps.guards.requireAppAccess()] };
  const base = `${CONSOLE_API}/apps/:sdkappid/sandbox`;
  // Open streams never end by themselves: the server's close ends them, so that it need not wait for them.
  const streams = new Set<ServerResponse>();
  fastify.addHook('preClose', (done) => {
    for (const res of streams) res.end();
    done();
  });

  fastify.get(`${base}/phones`, withApp, async (request) => {
    if (!deps.phones) return { running: false, message: NOT_RUNNING };
    return { running: true, phones: await deps.phones.list(sdkAppIdOf(request.params)) };
  });

  fastify.get(`${base}/events`, withApp, async (request, reply) => {
    const phones = deps.phones;
    if (!phones) return sendError(reply, 409, NOT_RUNNING);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(': pushline sandbox phones\n\n');
    streams.add(res);
    const sdkAppId = sdkAppIdOf(request.params);
    const unsubscribe = phones.subscribe(
      sdkAppId,
      (n) => res.write(`id: ${n.seq}\nevent: notification\ndata: ${JSON.stringify(n)}\n\n`),
      (err) => request.log.warn({ err }, 'sandbox phones: looking up the phones of a notification failed'),
    );
    const check = setInterval(() => {
      deps.guards
        .consoleUserOf(request)
        .then((found) => {
          if (found && canAccessApp(found.user, sdkAppId)) res.write(': ping\n\n');
          else res.end();
        })
        .catch((err: unknown) => request.log.warn({ err }, 'sandbox phones: session check failed'));
    }, deps.streamCheckMs ?? STREAM_CHECK_MS);
    res.on('close', () => {
      streams.delete(res);
      clearInterval(check);
      unsubscribe();
    });
  });
}
