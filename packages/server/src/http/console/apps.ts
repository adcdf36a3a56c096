// Console app pages' API: list, create, view (secret masked), reveal the secret, edit, delete.
import type { AppDetails, AppSummary } from '@pushline/contracts';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { type App, AppInputError, type AppsService } from '../../apps/apps.js';
import { type ConsoleUsersService, canAccessApp } from '../../auth/console-users.js';
import { beginAttempt, type LoginLimiter } from '../../auth/login-limiter.js';
import { CONSOLE_API, type ConsoleGuards, sendError, tooManyAttempts, usernameLimitKey } from './session.js';
import { sendIssues } from './validate.js';

export interface ConsoleAppsDeps {
  apps: AppsService;
  users: ConsoleUsersService;
  guards: ConsoleGuards;
  /** Failed password re-entries count against the same per-username budget as failed sign-ins. */
  passwordLimiter: LoginLimiter;
}

// Name and admin identifier are checked by AppsService, which answers with message keys (AppInputError).
const createBody = z.object({
  name: z.string().max(10_000),
  adminIdentifier: z.string().max(10_000).optional(),
  sdkAppId: z.number().int().min(1).max(4_294_967_295).optional(),
});

const patchBody = z
  .object({
    name: z.string().max(10_000).optional(),
    adminIdentifier: z.string().max(10_000).optional(),
    settings: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

const revealBody = z.object({ password: z.string().min(1).max(256) });
const deleteBody = z.object({ confirmSdkAppId: z.coerce.number() });

/** What the console shows of an app: everything but the secret key. */
function appView(app: App): AppSummary {
  return {
    sdkAppId: app.sdkAppId,
    name: app.name,
    adminIdentifier: app.adminIdentifier,
    settings: app.settings,
    createdAt: app.createdAt,
  };
}

/** Enough to tell two keys apart, never enough to use one. */
function maskSecret(secret: string): string {
  return `${'•'.repeat(12)}${secret.slice(-4)}`;
}

/** 400 for refused app input: zod's issues (on `input`) or AppsService's keyed refusals. */
function badRequest(reply: FastifyReply, err: unknown, input: unknown) {
  if (err instanceof z.ZodError) return sendIssues(reply, err.issues, input, 'body');
  if (err instanceof AppInputError) return sendError(reply, 400, err.text.key, err.text.params);
  return sendError(reply, 400, 'invalidInput', { detail: err instanceof Error ? err.message : String(err) });
}

export function registerConsoleApps(fastify: FastifyInstance, deps: ConsoleAppsDeps): void {
  const { requireConsoleUser, requireAdminRole } = deps.guards;
  const appAccess = deps.guards.requireAppAccess();
  const anyUser = { preHandler: [requireConsoleUser] };
  const adminOnly = { preHandler: [requireConsoleUser, requireAdminRole] };
  const withApp = { preHandler: [requireConsoleUser, appAccess] };
  const adminWithApp = { preHandler: [requireConsoleUser, appAccess, requireAdminRole] };
  const sdkAppIdOf = (params: unknown) => Number((params as { sdkappid: string }).sdkappid);

  /** The app when it exists; answers 404 otherwise (access was checked by the guard). */
  async function loadApp(params: unknown, reply: FastifyReply) {
    const app = await deps.apps.get(sdkAppIdOf(params));
    if (!app) sendError(reply, 404, 'appNotFound', { sdkAppId: sdkAppIdOf(params) });
    return app;
  }

  fastify.get(`${CONSOLE_API}/apps`, anyUser, async (request) => {
    const user = request.consoleUser!;
    const apps = await deps.apps.list();
    return { apps: apps.filter((a) => canAccessApp(user, a.sdkAppId)).map(appView) } satisfies {
      apps: AppSummary[];
    };
  });

  fastify.post(
    `${CONSOLE_API}/apps`,
    { ...adminOnly, config: { schemas: { body: createBody } } },
    async (request, reply) => {
      const body = createBody.safeParse(request.body);
      if (!body.success) return badRequest(reply, body.error, request.body);
      try {
        const app = await deps.apps.create(body.data);
        request.log.info(
          { audit: 'console.app.create', user: request.consoleUser!.username, sdkAppId: app.sdkAppId },
          'console: app created',
        );
        return reply.code(201).send(appView(app));
      } catch (err) {
        return badRequest(reply, err, request.body);
      }
    },
  );

  fastify.get(`${CONSOLE_API}/apps/:sdkappid`, withApp, async (request, reply) => {
    const app = await loadApp(request.params, reply);
    return app && ({ ...appView(app), secretKeyMasked: maskSecret(app.secretKey) } satisfies AppDetails);
  });

  fastify.post(
    `${CONSOLE_API}/apps/:sdkappid/secret/reveal`,
    { ...withApp, config: { schemas: { body: revealBody } } },
    async (request, reply) => {
      const body = revealBody.safeParse(request.body);
      if (!body.success) return sendError(reply, 400, 'revealPasswordRequired');
      const user = request.consoleUser!;
      // Counted before the check, like a sign-in, against the same per-username limit.
      const attempt = await beginAttempt([
        { limiter: deps.passwordLimiter, key: usernameLimitKey(user.username) },
      ]);
      if (!attempt.ok) return tooManyAttempts(reply, attempt.retryAfter, 'tooManyWrongPasswords');
      if (!(await deps.users.checkPassword(user.id, body.data.password))) {
        return sendError(reply, 403, 'passwordWrong');
      }
      await attempt.succeeded();
      const app = await loadApp(request.params, reply);
      if (!app) return;
      request.log.info(
        { audit: 'console.secret.reveal', user: user.username, sdkAppId: app.sdkAppId, ip: request.ip },
        'console: secret key revealed',
      );
      return { secretKey: app.secretKey };
    },
  );

  fastify.patch(
    `${CONSOLE_API}/apps/:sdkappid`,
    { ...withApp, config: { schemas: { body: patchBody } } },
    async (request, reply) => {
      const body = patchBody.safeParse(request.body ?? {});
      if (!body.success) return badRequest(reply, body.error, request.body);
      if (!(await loadApp(request.params, reply))) return;
      try {
        const app = await deps.apps.update(sdkAppIdOf(request.params), body.data);
        request.log.info(
          {
            audit: 'console.app.update',
            user: request.consoleUser!.username,
            sdkAppId: app.sdkAppId,
            fields: Object.keys(body.data),
          },
          'console: app updated',
        );
        return appView(app);
      } catch (err) {
        // The settings are checked merged with the stored ones; a path of their issues is inside `settings`.
        return badRequest(reply, err, body.data.settings);
      }
    },
  );

  fastify.delete(
    `${CONSOLE_API}/apps/:sdkappid`,
    { ...adminWithApp, config: { schemas: { body: deleteBody } } },
    async (request, reply) => {
      const sdkAppId = sdkAppIdOf(request.params);
      const body = deleteBody.safeParse(request.body ?? {});
      if (!body.success || body.data.confirmSdkAppId !== sdkAppId) {
        return sendError(reply, 400, 'deleteAppConfirm', { sdkAppId });
      }
      if (!(await deps.apps.delete(sdkAppId))) return sendError(reply, 404, 'appNotFound', { sdkAppId });
      request.log.info(
        { audit: 'console.app.delete', user: request.consoleUser!.username, sdkAppId },
        'console: app deleted',
      );
      return reply.code(204).send();
    },
  );
}
