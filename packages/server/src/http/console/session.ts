// Console sign-in: POST/GET/DELETE /api/console/session, and the guards every console route uses.
//
// The session token travels in an HttpOnly, SameSite=Strict cookie. Every state-changing request must
// also carry the session's CSRF token in `x-csrf-token` (double submit, bound to the session).
import { timingSafeEqual } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { z } from 'zod';
import type { ConsoleSession, ConsoleSessions } from '../../auth/console-sessions.js';
import { SESSION_MAX_MS } from '../../auth/console-sessions.js';
import { type ConsoleUser, type ConsoleUsersService, canAccessApp } from '../../auth/console-users.js';
import type { LoginLimiter } from '../../auth/login-limiter.js';
import { findBadText } from '../../text.js';

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

export function sendError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).send({ error: message });
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
      if (!found) return sendError(reply, 401, 'sign in to the console first');
      if (!SAFE_METHODS.has(request.method)) {
        const header = request.headers[CSRF_HEADER];
        if (typeof header !== 'string' || !sameToken(header, found.session.csrfToken)) {
          return sendError(reply, 403, `missing or wrong ${CSRF_HEADER} header`);
        }
      }
      request.consoleUser = found.user;
      request.consoleSession = found.session;
    },
    async requireAdminRole(request, reply) {
      if (request.consoleUser?.role !== 'admin')
        return sendError(reply, 403, 'only console admins may do this');
    },
    requireAppAccess(sdkAppIdOf = sdkAppIdParam) {
      return async (request, reply) => {
        const raw = sdkAppIdOf(request);
        const sdkAppId = typeof raw === 'number' ? raw : /^\d{1,15}$/.test(String(raw)) ? Number(raw) : NaN;
        const user = request.consoleUser;
        if (!user || !Number.isSafeInteger(sdkAppId) || !canAccessApp(user, sdkAppId)) {
          return sendError(reply, 404, `no app with SDKAppID ${String(raw)}`);
        }
      };
    },
  };
}

export function publicUser(user: ConsoleUser) {
  return { id: user.id, username: user.username, role: user.role, apps: user.apps };
}

const loginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });

/** Registers the cookie parser and the session routes; returns the guards for the other console routes. */
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
      if (bad) return sendError(reply, 400, `${[name, ...bad.path].join('.')}: ${bad.problem}`);
    }
  });

  fastify.post(`${CONSOLE_API}/session`, async (request, reply) => {
    const body = loginBody.safeParse(request.body);
    if (!body.success) return sendError(reply, 400, 'username and password are required');
    const userKey = `user:${body.data.username.trim().toLowerCase()}`;
    const addressKey = `ip:${request.ip}`;
    const wait = Math.max(
      await deps.limiters.byUsername.retryAfter(userKey),
      await deps.limiters.byAddress.retryAfter(addressKey),
    );
    if (wait > 0) {
      return reply
        .code(429)
        .header('retry-after', String(wait))
        .send({ error: `too many failed sign-ins: try again in ${wait} seconds` });
    }
    const user = await deps.users.authenticate(body.data.username, body.data.password);
    if (!user) {
      await deps.limiters.byUsername.recordFailure(userKey);
      await deps.limiters.byAddress.recordFailure(addressKey);
      request.log.info({ audit: 'console.login.failed', ip: request.ip }, 'console sign-in failed');
      return sendError(reply, 401, 'wrong username or password');
    }
    await deps.limiters.byUsername.reset(userKey);
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
  });

  fastify.get(`${CONSOLE_API}/session`, { preHandler: guards.requireConsoleUser }, async (request) => ({
    user: publicUser(request.consoleUser!),
    csrfToken: request.consoleSession!.csrfToken,
  }));

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
