// Input checks of the console's data pages (records, statistics, tasks, sandbox phones): a zod schema per
// query or body, and one 400 answer that names the field at fault.
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { sendError } from './session.js';

/** The parsed input, or undefined after answering 400 `{error: "field: message"}`. */
export function parseOr400<S extends z.ZodType>(
  schema: S,
  input: unknown,
  reply: FastifyReply,
): z.output<S> | undefined {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
  sendError(reply, 400, 'invalidInput', { detail });
  return undefined;
}

/** The app of a route under /api/console/apps/:sdkappid (the access guard has checked it). */
export function sdkAppIdOf(params: unknown): number {
  return Number((params as { sdkappid: string }).sdkappid);
}
