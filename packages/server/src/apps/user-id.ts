// The one rule for user identifiers (Tencent's UserID), applied by every door that takes one: the v4 REST
// commands, the gateway's login and ops, the console, and AccountsService.import as the last guard.
// A UserID is 1 to 32 bytes of UTF-8 (Tencent's limit, counted in bytes, not characters), well-formed
// Unicode (a lone UTF-16 surrogate has no UTF-8 form: it could be neither stored nor found again), and
// free of control characters.
import { z } from 'zod';
import { textProblem, textProblemKind } from '../text.js';

export const MAX_USER_ID_BYTES = 32;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Which rule `userId` breaks, with the byte count of one that is too long; undefined for a valid UserID. */
export function userIdProblemKind(
  userId: string,
): { kind: 'empty' | 'notUnicode' | 'nul' | 'control' } | { kind: 'tooLong'; bytes: number } | undefined {
  if (userId === '') return { kind: 'empty' };
  const text = textProblemKind(userId);
  if (text) return { kind: text };
  if (CONTROL.test(userId)) return { kind: 'control' };
  const bytes = Buffer.byteLength(userId);
  if (bytes > MAX_USER_ID_BYTES) return { kind: 'tooLong', bytes };
  return undefined;
}

/** Why `userId` is not a valid UserID, or undefined when it is one. */
export function userIdProblem(userId: string): string | undefined {
  const problem = userIdProblemKind(userId);
  if (!problem) return undefined;
  if (problem.kind === 'tooLong') return `is ${problem.bytes} bytes of UTF-8; at most ${MAX_USER_ID_BYTES}`;
  if (problem.kind === 'empty') return 'must not be empty';
  if (problem.kind === 'control') return 'must not contain control characters';
  return textProblem(userId);
}

export function isValidUserId(userId: string): boolean {
  return userIdProblem(userId) === undefined;
}

/** A UserID in a zod schema (gateway frames, console input). */
export const userIdSchema = z.string().superRefine((value, ctx) => {
  const problem = userIdProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: `UserID ${problem}` });
});

/** Thrown by AccountsService.import for an identifier that no door should have let through. */
export class InvalidUserIdError extends Error {
  constructor(
    readonly userId: string,
    readonly problem: string,
  ) {
    super(`UserID ${problem}`);
  }
}
