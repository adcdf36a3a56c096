// The Tencent gateway answering with Pushline's own request handlers (gateway/ops.ts): one implementation of
// each fact, whichever front door reports it. Their refusals keep their code and message.
import type { GatewayContext } from '../context.js';
import type { Session } from '../handler.js';
import { sessionOps } from '../ops.js';
import { GatewayError, type Op, type OpData, requestSchemas } from '../protocol.js';
import { TencentCode } from './frames.js';

/** Makes the gateway's error (connection.ts TencentError), passed in to keep these modules free of it. */
export type ErrorOf = (code: number, message: string, extra?: Record<string, unknown>) => Error;

export async function viaPushline<T>(run: () => Promise<T>, fail: ErrorOf): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof GatewayError) throw fail(err.code, err.message);
    throw err;
  }
}

type SessionOp = Exclude<Op, 'login' | 'logout'>;

/**
 * Runs one `@pushline/sdk` request (`op` with its `data`, checked by the same schema as on /ws) for this
 * session: the Tencent body is translated to it by the caller, the answer back from its result.
 */
export async function runOp<O extends SessionOp>(
  ctx: GatewayContext,
  s: Session,
  op: O,
  data: OpData<O>,
  fail: ErrorOf,
): Promise<Record<string, unknown>> {
  const parsed = requestSchemas[op].safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw fail(
      TencentCode.InvalidParameters,
      `invalid ${issue?.path.join('.') || 'body'}: ${issue?.message}`,
    );
  }
  const handler = sessionOps[op] as (
    c: GatewayContext,
    s: Session,
    d: unknown,
  ) => Promise<Record<string, unknown>>;
  return viaPushline(() => handler(ctx, s, parsed.data), fail);
}
