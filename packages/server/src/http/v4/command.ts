// The shape every Tencent-compatible `v4` command implements. A module contributes its commands as a
// list (see accounts.ts); the router (router.ts) authenticates, parses and validates before `handle`.
import type { FastifyBaseLogger } from 'fastify';
import type { z } from 'zod';
import type { AppWithSecret } from '../../apps/apps.js';

/**
 * The schema a handler applies to a field its command's `body` takes loosely (MsgBody is read as any array
 * first, then checked element by element, for Tencent's two codes): /openapi.json publishes this one for it.
 */
export function checkedInHandler<Loose extends z.ZodType>(loose: Loose, schema: z.ZodType): Loose {
  handlerSchemas.set(loose, schema);
  return loose;
}

const handlerSchemas = new WeakMap<object, z.ZodType>();

/** The schema registered with checkedInHandler for `loose`, if any. */
export function handlerSchemaOf(loose: object): z.ZodType | undefined {
  return handlerSchemas.get(loose);
}

/** A Tencent error: answered as `{ActionStatus:"FAIL", ErrorCode, ErrorInfo}` with HTTP 200. */
export class V4Error extends Error {
  constructor(
    readonly code: number,
    message: string,
    /** Extra response fields that accompany the error (e.g. ErrorList). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface V4Context {
  app: AppWithSecret;
  /** The admin identifier that signed the request. */
  identifier: string;
  log: FastifyBaseLogger;
  /** The caller's IP address (ClientIP of the callbacks its request causes). */
  clientIp: string;
}

export interface V4Command<Schema extends z.ZodType = z.ZodType> {
  /** `<service>/<command>`, e.g. `im_open_login_svc/account_import`. */
  name: string;
  body: Schema;
  /**
   * The Tencent error code for a body that fails `body` validation: per top-level field where Tencent
   * documents one, else `default`; `refused` for a field in `refused` (else `default`).
   */
  invalid: { default: number; fields?: Record<string, number>; refused?: number };
  /**
   * Fields Tencent defines that Pushline does not implement. Each is refused (checked after `body`, before
   * `handle`) when the request sets it to anything but what Pushline does anyway, so that a request is never
   * answered OK with part of it silently dropped. docs/rest-api.md "Fields Pushline refuses" lists them.
   */
  refused?: RefusedField<z.output<Schema>>[];
  /**
   * Example bodies (taken from the docs or tests), published in /openapi.json; typed by `body`, and the
   * OpenAPI test checks each against the published schema.
   */
  examples?: z.input<Schema>[];
  /**
   * The success answer's own fields (besides ActionStatus, ErrorCode, ErrorInfo), published in /openapi.json;
   * answers.ts holds them by command name.
   */
  answer?: z.ZodType;
  handle(ctx: V4Context, body: z.output<Schema>): Promise<Record<string, unknown>> | Record<string, unknown>;
}

/** A Tencent field Pushline refuses: see V4Command.refused. */
export interface RefusedField<Body> {
  /** Tencent's name; a field inside a list as `MemberList[].AppMemberDefinedData`. */
  field: string;
  /** True when the request asks for what Pushline does not do. */
  refuses(body: Body): boolean;
  /** Why, shown in ErrorInfo after the field's name: what Pushline lacks and what to send instead. */
  why: string;
}

/** The first refused field the body sets, as the error to answer. */
export function refusal<Body>(command: V4Command, body: Body): V4Error | undefined {
  const found = (command.refused as RefusedField<Body>[] | undefined)?.find((r) => r.refuses(body));
  if (!found) return undefined;
  return new V4Error(command.invalid.refused ?? command.invalid.default, `${found.field}: ${found.why}`);
}

/** Keeps the schema's type attached to `handle` at definition sites. */
export function defineCommand<Schema extends z.ZodType>(command: V4Command<Schema>): V4Command<Schema> {
  return command;
}

/** Shared Tencent codes of the REST layer (docs/internals/tencent-im.md#common-rest-error-codes). */
export const RestError = {
  HttpParse: 60002,
  JsonParse: 60003,
  IdentifierMissing: 60004,
  SdkAppIdInvalid: 60006,
  ResourceNotFound: 60009,
  NotAdmin: 60010,
  SdkAppIdMissing: 60012,
  SdkAppIdNotFound: 70020,
  AccountNotFound: 70107,
  BatchCount: 70206,
  InvalidParameters: 70402,
  Internal: 70500,
  BodyTooLarge: 93000,
} as const;
