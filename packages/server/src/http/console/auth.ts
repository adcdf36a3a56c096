// Authentication of the console JSON API routes under /api/console/apps/:sdkappid/... that scripts also
// call. Two ways in: the console session (cookie + CSRF header, checked by the session guards, with the
// per-app access guard), or `Authorization: Bearer <UserSig of the app's administrator>`, verified like the
// v4 API (signature, expiry, kick invalidation) against the app named in the URL.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccountsService } from '../../apps/accounts.js';
import type { AppsService, AppWithSecret } from '../../apps/apps.js';
import { decodeUserSig, verifyUserSig } from '../../auth/usersig.js';
import { englishError, errorText } from './error-english.js';
import type { ConsoleErrorKey } from './error-messages.js';
import type { ConsoleGuards } from './session.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The app the console request is authenticated for (set by consoleAuth). */
    consoleApp?: AppWithSecret;
  }
}

export interface ConsoleAuthDeps {
  apps: AppsService;
  accounts: AccountsService;
  /** The console session guards: a request without `Authorization` is checked as a console session. */
  guards?: ConsoleGuards;
}

/** The JSON error body of the console API; `field` names the input at fault when there is one. */
export function consoleError(
  key: ConsoleErrorKey,
  params?: Record<string, string | number>,
  field?: string,
  code?: number,
) {
  const text = errorText(key, params);
  return {
    error: {
      message: englishError(text),
      ...(field ? { field } : {}),
      ...(code !== undefined ? { code } : {}),
    },
    text,
  };
}

/**
 * A preHandler hook for routes under /api/console/apps/:sdkappid/...: answers 401 without valid
 * credentials, 403 when they belong to another app or to a non-admin, 404 for an unknown app.
 */
export function consoleAuth(deps: ConsoleAuthDeps) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const raw = (request.params as { sdkappid?: string }).sdkappid ?? '';
    if (!/^\d{1,10}$/.test(raw)) {
      await reply.code(404).send(consoleError('appNameNotFound', { app: raw }));
      return;
    }
    const sdkAppId = Number(raw);
    const header = request.headers.authorization ?? '';
    if (!header && deps.guards) {
      await deps.guards.requireConsoleUser.call(request.server, request, reply);
      if (reply.sent) return;
      await deps.guards.requireAppAccess().call(request.server, request, reply);
      if (reply.sent) return;
      const app = await deps.apps.get(sdkAppId);
      if (!app) {
        await reply.code(404).send(consoleError('appNotFound', { sdkAppId }));
        return;
      }
      request.consoleApp = app;
      return;
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      await reply.code(401).header('www-authenticate', 'Bearer').send(consoleError('userSigRequired'));
      return;
    }
    const userSig = match[1] as string;
    const decoded = decodeUserSig(userSig);
    if (decoded && decoded.sdkAppId !== sdkAppId) {
      await reply.code(403).send(consoleError('userSigOtherApp', { userSigApp: decoded.sdkAppId, sdkAppId }));
      return;
    }
    const app = await deps.apps.get(sdkAppId);
    if (!app) {
      await reply.code(404).send(consoleError('appNotFound', { sdkAppId }));
      return;
    }
    const identifier = decoded?.identifier ?? '';
    const account = identifier ? await deps.accounts.get(sdkAppId, identifier) : undefined;
    const verified = verifyUserSig({
      userSig,
      sdkAppId,
      key: app.secretKey,
      identifier,
      invalidatedAt: account?.kickedAt ?? null,
    });
    if (!verified.ok) {
      await reply
        .code(401)
        .send(consoleError('userSigRefused', { detail: verified.message }, undefined, verified.code));
      return;
    }
    if (identifier !== app.adminIdentifier) {
      await reply.code(403).send(consoleError('notAppAdmin', { identifier, sdkAppId }));
      return;
    }
    request.consoleApp = app;
  };
}
