// Input checks of the console's data pages (records, statistics, tasks, sandbox phones): a zod schema per
// query or body, and one 400 answer that names the field at fault.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { MAX_USER_ID_BYTES, userIdProblemKind } from '../../apps/user-id.js';
import { englishError, errorText } from './error-english.js';
import type { ConsoleErrorKey, ErrorText } from './error-messages.js';
import { sendError } from './session.js';

/**
 * A refinement's message and params naming a console message key, so that the 400 answer carries the key:
 * `.refine(ok, keyedIssue('composerTextRequired'))` or `ctx.addIssue({code: 'custom', ...keyedIssue(...)})`.
 */
export function keyedIssue(key: ConsoleErrorKey, params?: Record<string, string | number>) {
  const text = errorText(key, params);
  return { message: englishError(text), params: { text } };
}

function textOfIssue(issue: z.core.$ZodIssue): ErrorText | undefined {
  return issue.code === 'custom' ? (issue.params?.text as ErrorText | undefined) : undefined;
}

const USER_ID_KEYS = {
  empty: 'userIdEmpty',
  notUnicode: 'userIdNotUnicode',
  nul: 'userIdNul',
  control: 'userIdControl',
  tooLong: 'userIdTooLong',
} as const;

/** Adds a keyed issue when `value` is not a UserID (the rule of apps/user-id.ts). */
function checkUserId(value: string, ctx: z.RefinementCtx): void {
  const problem = userIdProblemKind(value);
  if (!problem) return;
  const key = USER_ID_KEYS[problem.kind];
  ctx.addIssue({
    code: 'custom',
    ...(problem.kind === 'tooLong'
      ? keyedIssue(key, { bytes: problem.bytes, max: MAX_USER_ID_BYTES })
      : keyedIssue(key)),
  });
}

/** A UserID in console input, refused with a message key. */
export const consoleUserIdSchema = z.string().superRefine(checkUserId);

/** A UserID or nothing (''), refused with a message key. */
export const optionalConsoleUserIdSchema = z.string().superRefine((value, ctx) => {
  if (value !== '') checkUserId(value, ctx);
});

/**
 * The parsed input, or undefined after answering 400 `{error: "field: message"}`. When every problem was
 * refused with a keyedIssue, the answer's `text` is the first one's key; otherwise it is invalidInput with the
 * English as its detail.
 */
export function parseOr400<S extends z.ZodType>(
  schema: S,
  input: unknown,
  reply: FastifyReply,
): z.output<S> | undefined {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const { issues } = parsed.error;
  const detail = issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
  const texts = issues.map(textOfIssue);
  const first = texts[0];
  if (first && texts.every((t) => t !== undefined)) reply.code(400).send({ error: detail, text: first });
  else sendError(reply, 400, 'invalidInput', { detail });
  return undefined;
}

/** The app of a route under /api/console/apps/:sdkappid (the access guard has checked it). */
export function sdkAppIdOf(params: unknown): number {
  return Number((params as { sdkappid: string }).sdkappid);
}
