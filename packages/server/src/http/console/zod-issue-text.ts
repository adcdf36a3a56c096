// zod's issues on console input as message keys (error-messages.ts "Any input"), so that the console writes
// a refused field in its language instead of zod's English: a refinement's own key (keyedIssue), or one key
// per generic issue code with the field, the type expected, the limit or the allowed values as params.
import type { z } from 'zod';
import { errorText } from './error-english.js';
import type { ErrorText } from './error-messages.js';

/** The value at `path` in the input, to tell a missing field from one of the wrong type. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let node = input;
  for (const part of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}

/** The size-limit key of a too_big / too_small issue: characters, items, or a number. */
function sizeText(issue: z.core.$ZodIssueTooBig | z.core.$ZodIssueTooSmall, field: string): ErrorText {
  const big = issue.code === 'too_big';
  const limit = Number(big ? issue.maximum : issue.minimum);
  // An exclusive bound (gt/lt) has no "at most"/"at least" wording: the field is named as invalid.
  if (issue.inclusive === false || !Number.isFinite(limit)) return errorText('fieldInvalid', { field });
  const params: Record<string, string | number> = big ? { field, max: limit } : { field, min: limit };
  if (issue.origin === 'string') return errorText(big ? 'fieldTooLong' : 'fieldTooShort', params);
  if (issue.origin === 'array' || issue.origin === 'set')
    return errorText(big ? 'fieldTooMany' : 'fieldTooFew', params);
  return errorText(big ? 'fieldTooBig' : 'fieldTooSmall', params);
}

/** One zod issue of console input (`input` is what was parsed) as a message key with its values. */
export function issueText(issue: z.core.$ZodIssue, input: unknown): ErrorText {
  const field = issue.path.map(String).join('.') || 'input';
  switch (issue.code) {
    case 'custom': {
      const keyed = issue.params?.text as ErrorText | undefined;
      return keyed ?? errorText('fieldInvalid', { field });
    }
    case 'invalid_type':
      return valueAt(input, issue.path) === undefined
        ? errorText('fieldRequired', { field })
        : errorText('fieldWrongType', { field, expected: issue.expected });
    case 'too_big':
    case 'too_small':
      return sizeText(issue, field);
    case 'invalid_value':
      return errorText('fieldNotOneOf', {
        field,
        values: issue.values.map((v) => JSON.stringify(v)).join(', '),
      });
    case 'unrecognized_keys':
      return errorText('unknownField', { fields: issue.keys.join(', ') });
    default:
      // invalid_union, invalid_format, not_multiple_of, invalid_key, invalid_element: no more to say.
      return errorText('fieldInvalid', { field });
  }
}

/** zod's English for all issues, `field: message; ...`: the `error` that scripts and the CLI read. */
export function issuesEnglish(issues: readonly z.core.$ZodIssue[], root = 'input'): string {
  return issues.map((i) => `${i.path.join('.') || root}: ${i.message}`).join('; ');
}
