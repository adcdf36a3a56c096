// Console sign-in: POST/GET/DELETE /api/console/session, POST /api/console/me/password (change one's own
// password), and the guards every console route uses.
//
// The session token travels in an HttpOnly, SameSite=Strict cookie. Every state-changing request must
// also carry the session's CSRF token in `x-csrf-token` (double submit, bound to the session).
import { timingSafeEqual } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import type { ConsoleUser as ContractConsoleUser, SessionInfo } from '@pushline/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { z } from 'zod';
import type { ConsoleSession, ConsoleSessions } from '../../auth/console-sessions.js';
import { SESSION_MAX_MS } from '../../auth/console-sessions.js';
import { type ConsoleUser, type ConsoleUsersService, canAccessApp } from '../../auth/console-users.js';
import { beginAttempt, type LoginLimiter } from '../../auth/login-limiter.js';
import { passwordProblemText } from '../../auth/passwords.js';
import { findBadText } from '../../text.js';
import { englishError, errorText } from './error-english.js';
import type { ConsoleErrorKey } from './error-messages.js';

export const SESSION_COOKIE = 'pushline_session';
export const CSRF_HEADER = 'x-csrf-token';
export const CONSOLE_API = '/api/console';

declare module 'fastify' {
  interface FastifyInstance {
    /** The console session guards, for routes registered anywhere (see ConsoleGuards). */
    consoleGuards: ConsoleGuards;
  }
  interface FastifyRequest {
    /** Set by requireConsoleUser. */
    consoleUser: ConsoleUser | null;
    consoleSession: ConsoleSession | null;
  }
}

export interface ConsoleSessionDeps {
  users: ConsoleUsersService;
  sessions: ConsoleSessions;
  limiters: { byUsername: LoginLimiter; byAddress: LoginLimiter };
}

export interface ConsoleGuards {
  /** 401 without a live session; 403 when a state-changing request lacks the session's CSRF token. */
  requireConsoleUser: preHandlerAsyncHookHandler;
  /** 403 unless the signed-in user has the 'admin' role. Use after requireConsoleUser. */
  requireAdminRole: preHandlerAsyncHookHandler;
  /**
   * 404 unless the signed-in user may see the app named by `sdkAppIdOf(request)` (default: the
   * `:sdkappid` route parameter). Same answer for "no such app" and "not yours". Use after
   * requireConsoleUser.
   */
  requireAppAccess(sdkAppIdOf?: (request: FastifyRequest) => unknown): preHandlerAsyncHookHandler;
  /** The signed-in user of a request without answering it (for combining with other credentials). */
  consoleUserOf(request: FastifyRequest): Promise<{ user: ConsoleUser; session: ConsoleSession } | undefined>;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** An error answer: `error` in English for scripts and the CLI, `text` for the console's languages. */
export function sendError(
  reply: FastifyReply,
  status: number,
  key: ConsoleErrorKey,
  params?: Record<string, string | number>,
): FastifyReply {
  const text = errorText(key, params);
  return reply.code(status).send({ error: englishError(text), text });
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function sdkAppIdParam(request: FastifyRequest): unknown {
  return (request.params as { sdkappid?: string }).sdkappid;
}

export function createConsoleGuards(deps: ConsoleSessionDeps): ConsoleGuards {
  async function consoleUserOf(request: FastifyRequest) {
    const session = await deps.sessions.find(request.cookies[SESSION_COOKIE] ?? '');
    if (!session) return undefined;
    const user = await deps.users.get(session.userId);
    return user ? { user, session } : undefined;
  }
  return {
    consoleUserOf,
    async requireConsoleUser(request, reply) {
      const found = await consoleUserOf(request);
      if (!found) return sendError(reply, 401, 'signInFirst');
      if (!SAFE_METHODS.has(request.method)) {
        const header = request.headers[CSRF_HEADER];
        if (typeof header !== 'string' || !sameToken(header, found.session.csrfToken)) {
          return sendError(reply, 403, 'csrfHeader', { header: CSRF_HEADER });
        }
      }
      request.consoleUser = found.user;
      request.consoleSession = found.session;
    },
    async requireAdminRole(request, reply) {
      if (request.consoleUser?.role !== 'admin') return sendError(reply, 403, 'adminOnly');
    },
    requireAppAccess(sdkAppIdOf = sdkAppIdParam) {
      return async (request, reply) => {
        const raw = sdkAppIdOf(request);
        const sdkAppId = typeof raw === 'number' ? raw : /^\d{1,15}$/.test(String(raw)) ? Number(raw) : NaN;
        const user = request.consoleUser;
        if (!user || !Number.isSafeInteger(sdkAppId) || !canAccessApp(user, sdkAppId)) {
          return sendError(reply, 404, 'appNotFound', { sdkAppId: String(raw) });
        }
      };
    },
  };
}

/** The sign-in limiters' key of a username (also used when a signed-in user re-enters their password). */
export function usernameLimitKey(username: string): string {
  return `user:${username.trim().toLowerCase()}`;
}

/** The sign-in limiters' key of the client address (`trustProxy` decides whether it is forwarded). */
export function addressLimitKey(request: FastifyRequest): string {
  return `ip:${request.ip}`;
}

/** 429 with Retry-After. */
export function tooManyAttempts(
  reply: FastifyReply,
  seconds: number,
  what: 'tooManyFailedSignIns' | 'tooManyWrongPasswords',
): FastifyReply {
  return sendError(reply.header('retry-after', String(seconds)), 429, what, { seconds });
}

export function publicUser(user: ConsoleUser): ContractConsoleUser {
  return { id: user.id, username: user.username, role: user.role, apps: user.apps };
}

const loginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });
const changePasswordBody = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().max(1024),
});

/** Registers the cookie parser and the session routes; returns the guards for the other console routes. */
/** The message keys of text no console input may hold (text.ts): in a value, and in an object key. */
const BAD_TEXT_KEYS = {
  notUnicode: ['badTextNotUnicode', 'badKeyNotUnicode'],
  nul: ['badTextNul', 'badKeyNul'],
} as const;

export async function registerConsoleSession(
  fastify: FastifyInstance,
  deps: ConsoleSessionDeps,
): Promise<ConsoleGuards> {
  await fastify.register(fastifyCookie);
  fastify.decorateRequest('consoleUser', null);
  fastify.decorateRequest('consoleSession', null);
  const guards = createConsoleGuards(deps);
  fastify.decorate('consoleGuards', guards);
  // Text that could not be stored or found again (lone surrogates, NUL) is refused in any console input.
  fastify.addHook('preValidation', async (request, reply) => {
    if (!request.url.startsWith(`${CONSOLE_API}/`)) return;
    for (const [name, input] of [
      ['params', request.params],
      ['query', request.query],
      ['body', request.body],
    ] as const) {
      const bad = findBadText(input);
      if (bad)
        return sendError(reply, 400, BAD_TEXT_KEYS[bad.kind][bad.inKey ? 1 : 0], {
          field: [name, ...bad.path].join('.'),
        });
    }
  });

  fastify.post(
    `${CONSOLE_API}/session`,
    { config: { schemas: { body: loginBody } } },
    async (request, reply) => {
      const body = loginBody.safeParse(request.body);
      if (!body.success) return sendError(reply, 400, 'signInFieldsRequired');
      // Both counts go up before the password is checked (so parallel guesses cannot outrun the limit);
      // a right password takes its attempt back and clears the username's count.
      const attempt = await beginAttempt([
        {
          limiter: deps.limiters.byUsername,
          key: usernameLimitKey(body.data.username),
          resetOnSuccess: true,
        },
        { limiter: deps.limiters.byAddress, key: addressLimitKey(request) },
      ]);
      if (!attempt.ok) return tooManyAttempts(reply, attempt.retryAfter, 'tooManyFailedSignIns');
      const user = await deps.users.authenticate(body.data.username, body.data.password);
      if (!user) {
        request.log.info({ audit: 'console.login.failed', ip: request.ip }, 'console sign-in failed');
        return sendError(reply, 401, 'signInWrong');
      }
      await attempt.succeeded();
      // A fresh token on every sign-in (no session fixation); a session this browser had before ends.
      const previous = await deps.sessions.find(request.cookies[SESSION_COOKIE] ?? '');
      if (previous) await deps.sessions.destroy(previous.id);
      await deps.users.recordLogin(user.id);
      const { token, session } = await deps.sessions.create(user.id);
      request.log.info({ audit: 'console.login', user: user.username, ip: request.ip }, 'console sign-in');
      return reply
        .setCookie(SESSION_COOKIE, token, {
          httpOnly: true,
          sameSite: 'strict',
          secure: request.protocol === 'https',
          path: '/',
          maxAge: Math.floor(SESSION_MAX_MS / 1000),
        })
        .send({ user: publicUser(user), csrfToken: session.csrfToken });
    },
  );

  // The signed-in user changes their own password: the current one again (counted like a sign-in), a
  // strong new one; their other sessions end, this one stays.
  fastify.post(
    `${CONSOLE_API}/me/password`,
    { preHandler: guards.requireConsoleUser, config: { schemas: { body: changePasswordBody } } },
    async (request, reply) => {
      const body = changePasswordBody.safeParse(request.body);
      if (!body.success) return sendError(reply, 400, 'passwordFieldsRequired');
      const user = request.consoleUser!;
      const { currentPassword, newPassword } = body.data;
      // Checked first, so that fixing a weak choice does not cost sign-in attempts.
      const problem = passwordProblemText(newPassword, [user.username]);
      if (problem) return sendError(reply, 400, problem.key, problem.params);
      const attempt = await beginAttempt([
        { limiter: deps.limiters.byUsername, key: usernameLimitKey(user.username) },
        { limiter: deps.limiters.byAddress, key: addressLimitKey(request) },
      ]);
      if (!attempt.ok) return tooManyAttempts(reply, attempt.retryAfter, 'tooManyWrongPasswords');
      if (!(await deps.users.checkPassword(user.id, currentPassword))) {
        request.log.info(
          { audit: 'console.password.change.failed', user: user.username, ip: request.ip },
          'console: password change with a wrong current password',
        );
        return sendError(reply, 403, 'currentPasswordWrong');
      }
      await attempt.succeeded();
      if (newPassword === currentPassword) {
        return sendError(reply, 400, 'passwordUnchanged');
      }
      await deps.users.changePassword(user.id, newPassword, request.consoleSession!.id);
      request.log.info(
        { audit: 'console.password.change', user: user.username, ip: request.ip },
        'console: password changed; other sessions ended',
      );
      return reply.code(204).send();
    },
  );

  // `?optional=1` (the console's first look, before sign-in): signed out answers 200 {user: null} instead of
  // 401, so that the sign-in page loads without a failed request in the browser's console.
  fastify.get(`${CONSOLE_API}/session`, async (request, reply) => {
    const optional = (request.query as { optional?: unknown }).optional === '1';
    const found = await guards.consoleUserOf(request);
    if (!found) {
      if (optional) return { user: null };
      return sendError(reply, 401, 'signInFirst');
    }
    return { user: publicUser(found.user), csrfToken: found.session.csrfToken } satisfies SessionInfo;
  });

  fastify.delete(
    `${CONSOLE_API}/session`,
    { preHandler: guards.requireConsoleUser },
    async (request, reply) => {
      await deps.sessions.destroy(request.consoleSession!.id);
      request.log.info({ audit: 'console.logout', user: request.consoleUser!.username }, 'console sign-out');
      return reply.clearCookie(SESSION_COOKIE, { path: '/' }).code(204).send();
    },
  );

  return guards;
}
