// POST /v4/<service>/<command>?sdkappid=&identifier=&usersig=&random=&contenttype=json
// Always answers HTTP 200 with Tencent's {ActionStatus, ErrorCode, ErrorInfo} envelope.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { AccountsService } from '../../apps/accounts.js';
import type { AppsService } from '../../apps/apps.js';
import { userIdProblem } from '../../apps/user-id.js';
import { verifyUserSig } from '../../auth/usersig.js';
import { findBadText } from '../../text.js';
import { clientIp } from '../../webhooks/sign.js';
import { RestError, refusal, type V4Command, type V4Context, V4Error } from './command.js';

export interface V4RouterDeps {
  apps: AppsService;
  accounts: AccountsService;
  commands: V4Command[];
  bodyLimit: number;
  onRequest?: (command: string, errorCode: number) => void;
}

type Query = Record<string, string | undefined>;

/** The URL parameters the API reads, each at most once (a repeated one is refused, not turned into a list). */
const PARAMETERS = ['sdkappid', 'identifier', 'usersig', 'random', 'contenttype'] as const;

const UINT32_MAX = 4_294_967_295;

/** Registers the v4 routes; answers the registry of commands it serves (what /openapi.json documents). */
export async function registerV4(
  fastify: FastifyInstance,
  deps: V4RouterDeps,
): Promise<{ commands: readonly V4Command[] }> {
  const commands = new Map(deps.commands.map((c) => [c.name, c]));

  await fastify.register(async (v4) => {
    // Tencent clients send JSON with assorted content types (or none, or unparsable ones such as `json`);
    // the docs promise any. Every body is read as text and parsed here, so that a bad body gets a Tencent
    // error code rather than a framework 400 or 415.
    v4.removeAllContentTypeParsers();
    v4.addContentTypeParser('*', { parseAs: 'string', bodyLimit: deps.bodyLimit }, (_req, body, done) =>
      done(null, body),
    );
    v4.addHook('onRequest', async (request, reply) => {
      // Not a POST: answered before any body is read.
      if (request.method !== 'POST') {
        return send(reply, request, fail(RestError.HttpParse, 'the REST API accepts POST only'));
      }
      if (request.headers['content-type'] !== undefined) request.headers['content-type'] = 'text/plain';
    });

    v4.setErrorHandler((error: { code?: string; message: string; statusCode?: number }, request, reply) => {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return send(
          reply,
          request,
          fail(RestError.BodyTooLarge, `request body exceeds ${deps.bodyLimit} bytes`),
        );
      }
      // The framework's own refusals of the HTTP request (content length, encoding...): the client's doing.
      if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
        return send(reply, request, fail(RestError.HttpParse, httpProblem(error)));
      }
      request.log.error({ err: error }, 'v4 request failed');
      return send(reply, request, fail(RestError.Internal, 'internal error'));
    });

    v4.all('/v4/*', async (request, reply) => {
      const path = (request.params as { '*': string })['*'];
      const result = await handle(request, path);
      return send(reply, request, result, path);
    });
  });

  const registry = { commands: [...commands.values()] };

  function send(reply: FastifyReply, request: FastifyRequest, body: Record<string, unknown>, path = '') {
    deps.onRequest?.(commands.has(path) ? path : 'unknown', Number(body.ErrorCode));
    if (body.ErrorCode !== 0) request.log.info({ errorCode: body.ErrorCode, command: path }, 'v4 error');
    return reply.code(200).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  return registry;

  async function handle(request: FastifyRequest, path: string): Promise<Record<string, unknown>> {
    try {
      const ctx = await authenticate(request);
      const command = commands.get(path);
      if (!command) throw new V4Error(RestError.ResourceNotFound, `unknown service or command: v4/${path}`);
      const body = parseBody(request.body);
      // Text that could be neither stored nor found again (apps/user-id.ts, text.ts), in any field.
      const bad = findBadText(body);
      if (bad) throw fieldError(command, bad.path, bad.problem);
      const parsed = command.body.safeParse(body);
      if (!parsed.success) throw validationError(command, parsed.error);
      const refused = refusal(command, parsed.data);
      if (refused) throw refused;
      const extra = await command.handle(
        { ...ctx, log: request.log, clientIp: clientIp(request.ip) },
        parsed.data,
      );
      return { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0, ...extra };
    } catch (err) {
      if (err instanceof V4Error) return fail(err.code, err.message, err.extra);
      throw err;
    }
  }

  async function authenticate(request: FastifyRequest): Promise<Omit<V4Context, 'log' | 'clientIp'>> {
    const q = urlParameters(request.query);
    if (q.sdkappid === undefined || q.sdkappid === '') {
      throw new V4Error(RestError.SdkAppIdMissing, 'sdkappid is required in the URL');
    }
    if (!/^\d{1,10}$/.test(q.sdkappid)) throw new V4Error(RestError.SdkAppIdInvalid, 'sdkappid is not valid');
    if (!q.identifier) throw new V4Error(RestError.IdentifierMissing, 'identifier is required in the URL');
    // Never an administrator (whose identifier follows the rule), and not to be looked up as is.
    const problem = userIdProblem(q.identifier);
    if (problem)
      throw new V4Error(RestError.IdentifierMissing, `identifier is not a valid UserID: it ${problem}`);
    if (q.random === undefined || !/^\d{1,10}$/.test(q.random) || Number(q.random) > UINT32_MAX) {
      throw new V4Error(RestError.HttpParse, 'random must be a 32-bit unsigned integer in the URL');
    }
    if (q.contenttype !== undefined && q.contenttype !== 'json') {
      throw new V4Error(RestError.HttpParse, 'contenttype must be json');
    }
    const sdkAppId = Number(q.sdkappid);
    const app = await deps.apps.get(sdkAppId);
    if (!app) throw new V4Error(RestError.SdkAppIdNotFound, `SDKAppID ${sdkAppId} does not exist`);
    const admin = await deps.accounts.get(sdkAppId, q.identifier);
    const verified = verifyUserSig({
      userSig: q.usersig,
      sdkAppId,
      key: app.secretKey,
      identifier: q.identifier,
      invalidatedAt: admin?.kickedAt ?? null,
    });
    if (!verified.ok) throw new V4Error(verified.code, verified.message);
    if (q.identifier !== app.adminIdentifier) {
      throw new V4Error(RestError.NotAdmin, `identifier "${q.identifier}" is not the app administrator`);
    }
    return { app, identifier: q.identifier };
  }
}

function urlParameters(raw: unknown): Query {
  const query = (raw ?? {}) as Record<string, unknown>;
  const out: Query = {};
  for (const name of PARAMETERS) {
    const value = Object.hasOwn(query, name) ? query[name] : undefined;
    if (Array.isArray(value))
      throw new V4Error(RestError.HttpParse, `${name} is given more than once in the URL`);
    if (value !== undefined) out[name] = String(value);
  }
  return out;
}

/** What went wrong reading the HTTP request, without echoing any of it (the URL holds the UserSig). */
function httpProblem(error: { code?: string; statusCode?: number }): string {
  const known: Record<string, string> = {
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'the body does not match its Content-Length',
    FST_ERR_CTP_EMPTY_JSON_BODY: 'the body is empty',
    FST_ERR_BAD_URL: 'the URL is not valid (bad percent-encoding)',
    FST_ERR_MAX_PARAM_LENGTH: 'the URL path is too long',
  };
  const code = error.code ?? '';
  return `the HTTP request could not be read: ${Object.hasOwn(known, code) ? known[code] : code || `HTTP ${error.statusCode}`}`;
}

/**
 * Fastify's `frameworkErrors`: refusals before any route runs (a URL that does not decode). Under /v4 the
 * Tencent envelope (60002, HTTP 200); elsewhere a plain 400. Neither echoes the URL, which holds the UserSig.
 */
export function frameworkErrorAnswer(
  error: { code?: string; statusCode?: number },
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (isV4Url(request.raw.url)) {
    request.log.info({ errorCode: RestError.HttpParse, code: error.code }, 'v4 error');
    return reply
      .code(200)
      .header('content-type', 'application/json; charset=utf-8')
      .send(fail(RestError.HttpParse, httpProblem(error)));
  }
  return reply.code(400).send({ error: 'Bad Request', message: httpProblem(error) });
}

/** Not-found answers for the whole server: under /v4 the envelope (60009), elsewhere a 404 naming the path only. */
export function notFoundAnswer(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = (request.raw.url ?? '').split('?')[0] ?? '';
  if (isV4Url(request.raw.url)) {
    return reply
      .code(200)
      .header('content-type', 'application/json; charset=utf-8')
      .send(fail(RestError.ResourceNotFound, 'unknown service or command: use POST /v4/<service>/<command>'));
  }
  return reply
    .code(404)
    .send({ error: 'Not Found', message: `Route ${request.method}:${path.slice(0, 200)} not found` });
}

function isV4Url(url: string | undefined): boolean {
  return url !== undefined && /^\/v4(?:[/?#]|$)/.test(url);
}

function fail(code: number, info: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ActionStatus: 'FAIL', ErrorInfo: info, ErrorCode: code, ...extra };
}

function parseBody(raw: unknown): Record<string, unknown> {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new V4Error(RestError.JsonParse, 'request body is empty: send a JSON object, at least {}');
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (err) {
    throw new V4Error(RestError.JsonParse, `request body is not valid JSON: ${(err as Error).message}`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new V4Error(RestError.JsonParse, 'request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

function validationError(command: V4Command, error: z.ZodError): V4Error {
  const issue = error.issues[0];
  return fieldError(command, issue?.path ?? [], issue?.message ?? 'invalid request');
}

/** The command's Tencent code for a bad value at `path` (by its top-level field). */
function fieldError(command: V4Command, path: readonly PropertyKey[], message: string): V4Error {
  const field = String(path[0] ?? '');
  const fields = command.invalid.fields ?? {};
  // Own fields only: a body field named "constructor" must not pick up Object.prototype's.
  const code = Object.hasOwn(fields, field) ? fields[field]! : command.invalid.default;
  const where = path.length ? path.map(String).join('.') : 'body';
  return new V4Error(code, `invalid ${where}: ${message}`);
}
