// Input checks of the console's data pages (records, statistics, tasks, sandbox phones): a zod schema per
// query or body, and one 400 answer that names the field at fault.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { MAX_USER_ID_BYTES, userIdProblemKind } from '../../apps/user-id.js';
import { englishError, errorText } from './error-english.js';
import type { ConsoleErrorKey, ErrorText } from './error-messages.js';
import { issuesEnglish, issueText } from './zod-issue-text.js';

/**
 * A refinement's message and params naming a console message key, so that the 400 answer carries the key:
 * `.refine(ok, keyedIssue('composerTextRequired'))` or `ctx.addIssue({code: 'custom', ...keyedIssue(...)})`.
 */
export function keyedIssue(key: ConsoleErrorKey, params?: Record<string, string | number>) {
  const text = errorText(key, params);
  return { message: englishError(text), params: { text } };
}

const USER_ID_KEYS = {
  empty: 'userIdEmpty',
  notUnicode: 'userIdNotUnicode',
  nul: 'userIdNul',
  control: 'userIdControl',
  tooLong: 'userIdTooLong',
} as const;

/** Why `value` is not a UserID (the rule of apps/user-id.ts) as a message key, or undefined when it is one. */
export function userIdText(value: string): ErrorText | undefined {
  const problem = userIdProblemKind(value);
  if (!problem) return undefined;
  const key = USER_ID_KEYS[problem.kind];
  return problem.kind === 'tooLong'
    ? errorText(key, { bytes: problem.bytes, max: MAX_USER_ID_BYTES })
    : errorText(key);
}

/** Adds a keyed issue when `value` is not a UserID. */
function checkUserId(value: string, ctx: z.RefinementCtx): void {
  const text = userIdText(value);
  if (text) ctx.addIssue({ code: 'custom', ...keyedIssue(text.key, text.params) });
}

/** A UserID in console input, refused with a message key. */
export const consoleUserIdSchema = z.string().superRefine(checkUserId);

/** A UserID or nothing (''), refused with a message key. */
export const optionalConsoleUserIdSchema = z.string().superRefine((value, ctx) => {
  if (value !== '') checkUserId(value, ctx);
});

/**
 * The parsed input, or undefined after answering 400 `{error: "field: message; ...", text}`: `error` is zod's
 * English for every issue (what scripts and the CLI read), `text` the first issue as a message key
 * (zod-issue-text.ts), which the console writes in its language.
 */
export function parseOr400<S extends z.ZodType>(
  schema: S,
  input: unknown,
  reply: FastifyReply,
): z.output<S> | undefined {
  const given = input ?? {};
  const parsed = schema.safeParse(given);
  if (parsed.success) return parsed.data;
  sendIssues(reply, parsed.error.issues, given);
  return undefined;
}

/** 400 for refused console input: zod's English for every issue, the first one as a message key. */
export function sendIssues(
  reply: FastifyReply,
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  root = 'input',
): FastifyReply {
  const first = issues[0];
  const text = first ? issueText(first, input) : errorText('invalidInput', { detail: 'invalid input' });
  return reply.code(400).send({ error: issuesEnglish(issues, root), text });
}

/** The app of a route under /api/console/apps/:sdkappid (the access guard has checked it). */
export function sdkAppIdOf(params: unknown): number {
  return Number((params as { sdkappid: string }).sdkappid);
}
