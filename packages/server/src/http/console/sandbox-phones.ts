// Console sandbox phones: the virtual phones of an app while the vendor simulators run in-process
// (`pushline serve --sandbox`, what `npm start` runs), and their notifications live.
//   GET /api/console/apps/:sdkappid/sandbox/phones -> {running: true, phones: [...]} | {running: false}
//   GET /api/console/apps/:sdkappid/sandbox/events -> text/event-stream of `event: notification`
//       (409 when the simulators do not run)
//   POST /api/console/apps/:sdkappid/sandbox/phones/:phone/foreground | background | logout -> {phone}
//       what the phone's SDK does on doForeground, doBackground and logout (the same session-store calls)
//   POST /api/console/apps/:sdkappid/sandbox/phones/:phone/notifications/:seq/click -> {pushId}
//       the user taps the notification: reported through POST /api/client/push-click with a UserSig of the
//       phone's user, exactly as a real device's SDK reports it
import type { ServerResponse } from 'node:http';
import type { PhonesAnswer } from '@pushline/contracts';
import type { FastifyInstance } from 'fastify';
import type { AppsService } from '../../apps/apps.js';
import { canAccessApp } from '../../auth/console-users.js';
import { genUserSig } from '../../auth/usersig.js';
import type { SessionStore } from '../../devices/sessions.js';
import { englishError, errorText } from './error-english.js';
import type { SandboxPhones } from './sandbox-phone-book.js';
import { CONSOLE_API, type ConsoleGuards, sendError } from './session.js';
import { sdkAppIdOf } from './validate.js';

export interface ConsoleSandboxPhonesDeps {
  /** Undefined unless the simulators run inside this process. */
  phones: SandboxPhones | undefined;
  guards: ConsoleGuards;
  apps: AppsService;
  sessions: SessionStore;
  /**
   * How often an open stream checks that its session is still alive and may still see the app (a
   * sign-out, expiry or revoked access ends the stream), and sends a keep-alive. Default 15 s.
   */
  streamCheckMs?: number;
}

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
    if (!deps.phones) {
      const text = errorText('simulatorsNotRunning');
      return { running: false, message: englishError(text), text } satisfies PhonesAnswer;
    }
    return {
      running: true,
      phones: await deps.phones.list(sdkAppIdOf(request.params)),
    } satisfies PhonesAnswer;
  });

  const phoneParams = (request: { params: unknown }) => request.params as { phone: string; seq?: string };
  const ACTIONS = ['foreground', 'background', 'logout'] as const;
  for (const action of ACTIONS) {
    fastify.post(`${base}/phones/:phone/${action}`, withApp, async (request, reply) => {
      const phones = deps.phones;
      if (!phones) return sendError(reply, 409, 'simulatorsNotRunning');
      const sdkAppId = sdkAppIdOf(request.params);
      const found = await phones.find(sdkAppId, phoneParams(request).phone);
      if (!found) return sendError(reply, 404, 'phoneNotFound');
      const { userId, instanceId } = found.owner;
      if (action === 'foreground') await deps.sessions.foreground(sdkAppId, userId, instanceId);
      else if (action === 'background') {
        // As doBackground: the badge counts on from the unread count the phone had.
        const instance = await deps.sessions.get(sdkAppId, userId, instanceId);
        await deps.sessions.background(sdkAppId, userId, instanceId, instance?.badgeBase ?? 0);
      } else await deps.sessions.logout(sdkAppId, userId, instanceId);
      request.log.info(
        {
          audit: `console.sandbox.${action}`,
          user: request.consoleUser!.username,
          sdkAppId,
          userId,
          instanceId,
        },
        `console: sandbox phone ${action}`,
      );
      const phone = (await phones.list(sdkAppId)).find((p) => p.id === phoneParams(request).phone);
      return { phone: phone ?? null };
    });
  }

  fastify.post(`${base}/phones/:phone/notifications/:seq/click`, withApp, async (request, reply) => {
    const phones = deps.phones;
    if (!phones) return sendError(reply, 409, 'simulatorsNotRunning');
    const sdkAppId = sdkAppIdOf(request.params);
    const { phone, seq } = phoneParams(request);
    const found = await phones.find(sdkAppId, phone);
    if (!found) return sendError(reply, 404, 'phoneNotFound');
    if (!/^\d{1,15}$/.test(seq ?? '')) return sendError(reply, 400, 'notificationSeqInvalid');
    const pushId = phones.pushIdOf(found.device, Number(seq));
    if (!pushId) return sendError(reply, 404, 'notificationNotFound', { seq: String(seq) });
    const app = await deps.apps.get(sdkAppId);
    if (!app) return sendError(reply, 404, 'appNotFound', { sdkAppId });
    // The path a real device's click takes: its SDK posts the PushID with the user's UserSig.
    const userSig = genUserSig({ sdkAppId, key: app.secretKey, identifier: found.owner.userId, expire: 300 });
    const answer = await fastify.inject({
      method: 'POST',
      url: '/api/client/push-click',
      headers: { authorization: `Bearer ${userSig}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ pushId }),
    });
    if (answer.statusCode !== 200) {
      const error = (answer.json() as { error?: string }).error ?? `HTTP ${answer.statusCode}`;
      const english = englishError(errorText('clickReportFailed', { detail: String(error) }));
      // 404: the push's trace is gone (kept 7 days), the one answer a phone's own notification can get;
      // anything else keeps the click API's words inside clickReportFailed.
      const text =
        answer.statusCode === 404
          ? errorText('clickTraceGone')
          : errorText('clickReportFailed', { detail: String(error) });
      return reply.code(answer.statusCode === 404 ? 404 : 502).send({ error: english, text });
    }
    request.log.info(
      { audit: 'console.sandbox.click', user: request.consoleUser!.username, sdkAppId, pushId },
      'console: sandbox notification tapped',
    );
    return { pushId };
  });

  fastify.get(`${base}/events`, withApp, async (request, reply) => {
    const phones = deps.phones;
    if (!phones) return sendError(reply, 409, 'simulatorsNotRunning');
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
