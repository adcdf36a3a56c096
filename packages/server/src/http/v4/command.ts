// The shape every Tencent-compatible `v4` command implements. A module contributes its commands as a
// list (see accounts.ts); the router (router.ts) authenticates, parses and validates before `handle`.
import type { FastifyBaseLogger } from 'fastify';
import type { z } from 'zod';
import type { AppWithSecret } from '../../apps/apps.js';

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
}

export interface V4Command<Schema extends z.ZodType = z.ZodType> {
  /** `<service>/<command>`, e.g. `im_open_login_svc/account_import`. */
  name: string;
  body: Schema;
  /**
   * The Tencent error code for a body that fails `body` validation: per top-level field where Tencent
   * documents one, else `default`.
   */
  invalid: { default: number; fields?: Record<string, number> };
  handle(ctx: V4Context, body: z.output<Schema>): Promise<Record<string, unknown>> | Record<string, unknown>;
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
