// GET /openapi.json: an OpenAPI 3.1 document of the v4 REST API and the console API, generated at start-up
// from what the server registers (docs/rest-api.md#openapi-document). Nothing here is a copy of a schema:
// each v4 command's request body is its zod `body` (the one the router validates with), its error codes are
// the command's `invalid` map, and the console routes are those Fastify registered, with the zod schema a
// route declares in its `config.schemas` (http/console/*.ts) and without one when it declares none.
import { createRequire } from 'node:module';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { z } from 'zod';
import { CONSOLE_API, CSRF_HEADER, SESSION_COOKIE } from './console/session.js';
import { handlerSchemaOf, RestError, type V4Command } from './v4/command.js';

export const OPENAPI_PATH = '/openapi.json';

/** The zod schemas of a console route's input, given as its Fastify `config.schemas`. */
export interface RouteSchemas {
  body?: z.ZodType;
  query?: z.ZodType;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Input schemas of a console route, published in /openapi.json (http/openapi.ts). */
    schemas?: RouteSchemas;
  }
}

export interface RegisteredRoute {
  method: string;
  url: string;
  schemas?: RouteSchemas;
}

/**
 * Records every route registered after this call (Fastify's onRoute hook): the console routes of the
 * document come from here, not from a list kept by hand.
 */
export function collectRoutes(fastify: FastifyInstance): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  fastify.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const schemas = (route.config as { schemas?: RouteSchemas } | undefined)?.schemas;
    for (const method of methods) {
      if (method === 'HEAD') continue; // Fastify's automatic HEAD twin of a GET
      routes.push({ method, url: route.url, ...(schemas ? { schemas } : {}) });
    }
  });
  return routes;
}

type Json = Record<string, unknown>;

/** A zod schema as JSON Schema 2020-12 (the dialect of OpenAPI 3.1), describing what a client sends. */
export function jsonSchemaOf(schema: z.ZodType): Json {
  const out = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
    reused: 'inline',
    cycles: 'ref',
    // A field the handler checks with a schema of its own: that schema, not the loose one of `body`.
    override: (ctx) => {
      const checked = handlerSchemaOf(ctx.zodSchema);
      if (!checked) return;
      for (const key of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as Json)[key];
      Object.assign(ctx.jsonSchema, jsonSchemaOf(checked));
    },
  }) as Json;
  delete out.$schema;
  return out;
}

const COMMON_CODES: Record<number, string> = {
  [RestError.HttpParse]: 'the HTTP request or a URL parameter is not valid (not a POST, bad `random`...)',
  [RestError.JsonParse]: 'body empty, not JSON, or not a JSON object',
  [RestError.IdentifierMissing]: '`identifier` missing or not a valid UserID',
  [RestError.SdkAppIdInvalid]: '`sdkappid` not a number',
  [RestError.NotAdmin]: '`identifier` is not the app administrator',
  [RestError.SdkAppIdMissing]: '`sdkappid` missing',
  70001: 'UserSig expired',
  70002: 'UserSig empty',
  70003: 'UserSig malformed',
  70009: "UserSig not signed with this app's secret key",
  70013: 'UserSig issued for another identifier',
  70014: 'UserSig issued for another SDKAppID',
  [RestError.SdkAppIdNotFound]: 'no app with this SDKAppID',
  70052: 'UserSig issued before the account was kicked',
  [RestError.Internal]: 'a fault of the server, never a problem of the request',
  [RestError.BodyTooLarge]: 'body larger than `bodyLimit`',
};

function commandCodes(command: V4Command): { code: number; when: string }[] {
  const out: { code: number; when: string }[] = [];
  for (const [field, code] of Object.entries(command.invalid.fields ?? {})) {
    out.push({ code, when: `\`${field}\` invalid` });
  }
  out.push({ code: command.invalid.default, when: 'any other invalid field of the body' });
  if (command.refused?.length) {
    out.push({
      code: command.invalid.refused ?? command.invalid.default,
      when: `a field Pushline refuses: ${command.refused.map((r) => `\`${r.field}\``).join(', ')}`,
    });
  }
  return out;
}

const V4_PARAMETERS = [
  {
    name: 'sdkappid',
    required: true,
    schema: { type: 'string', pattern: '^\\d{1,10}$' },
    what: "the app's SDKAppID",
  },
  { name: 'identifier', required: true, schema: { type: 'string' }, what: "the app administrator's UserID" },
  { name: 'usersig', required: true, schema: { type: 'string' }, what: "the administrator's UserSig" },
  {
    name: 'random',
    required: true,
    schema: { type: 'string', pattern: '^\\d{1,10}$' },
    what: 'a 32-bit unsigned integer',
  },
  {
    name: 'contenttype',
    required: false,
    schema: { type: 'string', enum: ['json'] },
    what: '`json` if given',
  },
];

export interface OpenApiSources {
  commands: readonly V4Command[];
  routes: readonly RegisteredRoute[];
  /** Default: the server package's version. */
  version?: string;
}

/** The OpenAPI 3.1 document of the v4 commands and the console API routes. */
export function buildOpenApi(sources: OpenApiSources): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const command of [...sources.commands].sort((a, b) => a.name.localeCompare(b.name))) {
    const codes = commandCodes(command);
    const service = command.name.split('/')[0] ?? command.name;
    paths[`/v4/${command.name}`] = {
      post: {
        operationId: `v4:${command.name}`,
        tags: [`v4 ${service}`],
        summary: `Tencent IM v4 ${command.name}`,
        description:
          'Errors are answered with HTTP 200 and `ActionStatus` FAIL; the codes of this command are in ' +
          '`x-error-codes`, the common ones in the `V4Envelope` schema description.\n\n' +
          codes.map((c) => `- ${c.code}: ${c.when}`).join('\n'),
        parameters: V4_PARAMETERS.map((p) => ({ $ref: `#/components/parameters/${p.name}` })),
        security: [{ UserSig: [] }],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: jsonSchemaOf(command.body),
              ...(command.examples?.length
                ? {
                    examples: Object.fromEntries(
                      command.examples.map((value, i) => [`example${i + 1}`, { value }]),
                    ),
                  }
                : {}),
            },
          },
        },
        responses: {
          '200': {
            description: command.answer
              ? "The Tencent envelope: on success with the command's own fields (the second schema of allOf), on failure with its error code"
              : "The Tencent envelope, on success with the command's own fields (not described here), on failure with its error code",
            content: {
              'application/json': {
                schema: command.answer
                  ? {
                      oneOf: [
                        {
                          allOf: [
                            { $ref: '#/components/schemas/V4Envelope' },
                            { properties: { ErrorCode: { const: 0 } } },
                            jsonSchemaOf(command.answer),
                          ],
                        },
                        {
                          allOf: [
                            { $ref: '#/components/schemas/V4Envelope' },
                            { properties: { ActionStatus: { const: 'FAIL' } } },
                          ],
                        },
                      ],
                    }
                  : { $ref: '#/components/schemas/V4Envelope' },
              },
            },
          },
        },
        'x-error-codes': codes,
        ...(command.refused?.length
          ? { 'x-refused-fields': command.refused.map((r) => ({ field: r.field, why: r.why })) }
          : {}),
      },
    };
  }

  for (const route of sources.routes) {
    if (!route.url.startsWith(`${CONSOLE_API}/`) && route.url !== CONSOLE_API) continue;
    const url = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const method = route.method.toLowerCase();
    const params = [...route.url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const query = route.schemas?.query ? queryParameters(jsonSchemaOf(route.schemas.query)) : [];
    const body = route.schemas?.body;
    const signIn = route.url === `${CONSOLE_API}/session` && method === 'post';
    const documented = Boolean(route.schemas);
    paths[url] ??= {};
    paths[url][method] = {
      operationId: `console:${method} ${route.url}`,
      tags: ['console'],
      ...(documented
        ? {}
        : {
            description:
              'This route declares no input schema: it reads at most path parameters, or checks its input in ' +
              'its handler; its request and answer are not described here.',
          }),
      ...(params.length || query.length ? { parameters: [...params, ...query] } : {}),
      ...(signIn ? { security: [] } : {}),
      ...(body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(body) } } } }
        : {}),
      responses: {
        '2XX': { description: 'JSON answer (not described)' },
        '4XX': {
          description: 'Refused',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ConsoleError' } } },
        },
      },
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Pushline API',
      version: sources.version ?? VERSION,
      description:
        "The Tencent Cloud IM compatible v4 REST API and the web console's JSON API, generated from the " +
        'schemas the server validates requests with. See docs/rest-api.md.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    tags: [
      { name: 'console', description: 'The JSON API of the web console (session cookie and CSRF token)' },
    ],
    paths,
    components: {
      parameters: Object.fromEntries(
        V4_PARAMETERS.map((p) => [
          p.name,
          { name: p.name, in: 'query', required: p.required, description: p.what, schema: p.schema },
        ]),
      ),
      securitySchemes: {
        UserSig: {
          type: 'apiKey',
          in: 'query',
          name: 'usersig',
          description:
            "A TLSSigAPIv2 UserSig of the app administrator (`identifier`), signed with the app's secret key.",
        },
        ConsoleSession: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description: `The console session cookie (POST ${CONSOLE_API}/session); state-changing requests also send the session's CSRF token in \`${CSRF_HEADER}\`.`,
        },
      },
      schemas: {
        V4Envelope: {
          type: 'object',
          description:
            'Every v4 answer. Common error codes:\n\n' +
            Object.entries(COMMON_CODES)
              .map(([code, when]) => `- ${code}: ${when}`)
              .join('\n'),
          required: ['ActionStatus', 'ErrorCode', 'ErrorInfo'],
          properties: {
            ActionStatus: { type: 'string', enum: ['OK', 'FAIL'] },
            ErrorCode: { type: 'integer' },
            ErrorInfo: { type: 'string' },
          },
          additionalProperties: true,
        },
        ConsoleError: {
          type: 'object',
          required: ['error'],
          properties: { error: { type: 'string' } },
        },
      },
    },
    security: [{ ConsoleSession: [] }],
  };
}

/** A query's object schema as OpenAPI query parameters. */
function queryParameters(schema: Json): Json[] {
  const properties = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, s]) => ({
    name,
    in: 'query',
    required: required.has(name),
    schema: s,
  }));
}

const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

/**
 * GET /openapi.json, without authentication: the document describes the API as the public docs do and holds
 * no secret, no app and no user (docs/security.md#unauthenticated-routes). Built once, on the first request
 * (every route is registered by then).
 */
export function registerOpenApi(fastify: FastifyInstance, document: () => Record<string, unknown>): void {
  let cached: string | undefined;
  fastify.get(OPENAPI_PATH, async (_request, reply) => {
    cached ??= JSON.stringify(document());
    return reply.header('content-type', 'application/json; charset=utf-8').send(cached);
  });
}
