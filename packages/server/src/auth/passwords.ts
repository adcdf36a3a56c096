// Console passwords: scrypt (node:crypto) with a random salt; the parameters travel with the hash so
// that they can be raised later without invalidating existing passwords. New passwords must be hard to
// guess, as zxcvbn (@zxcvbn-ts) estimates it: dictionary words, names, keyboard walks, repeats,
// sequences, dates and l33t substitutions count for little, whatever the length.
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { fillText, type TextParams } from '../fill-text.js';
import {
  PASSWORD_ERROR_TEXTS,
  PASSWORD_SUGGESTION_TEXTS,
  PASSWORD_WARNING_TEXTS,
  type PasswordErrorKey,
  type PasswordSuggestionKey,
  type PasswordWarningKey,
} from './password-messages.js';

const PARAMS = { N: 16_384, r: 8, p: 1 } as const;
const KEY_LENGTH = 64;
const SALT_BYTES = 16;
// scrypt needs 128 * N * r bytes; leave room above Node's 32 MiB default for raised parameters.
const MAX_MEM = 256 * 1024 * 1024;

function derive(password: string, salt: Buffer, opts: ScryptOptions, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, keyLength, { ...opts, maxmem: MAX_MEM }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** `scrypt$N$r$p$<salt base64>$<hash base64>` */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, PARAMS, KEY_LENGTH);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Constant-time comparison; false for a malformed stored hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const expected = Buffer.from(parts[5] ?? '', 'base64');
  if (!N || !r || !p || salt.length === 0 || expected.length === 0) return false;
  const actual = await derive(password, salt, { N, r, p }, expected.length);
  return timingSafeEqual(actual, expected);
}

let dummyHash: Promise<string> | undefined;

/** A hash of a random password: checking unknown usernames against it costs as much as a real check. */
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}

/** A random password for generated accounts: 24 URL-safe characters (144 bits). */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;
/**
 * Least zxcvbn score (0-4) of a new password. 3 means an estimated 10^8 to 10^10 guesses: out of reach of
 * online guessing (which the sign-in limits slow down further) and costly offline against scrypt.
 */
export const MIN_PASSWORD_SCORE = 3;

/** Words every console password is checked against besides the dictionaries. */
const CONTEXT_WORDS = ['pushline', 'console', 'admin', 'administrator'];

let estimator: ZxcvbnFactory | undefined;

/** A table whose texts are its keys. */
function keysOf<K extends string>(table: Record<K, string>): Record<K, K> {
  return Object.fromEntries(Object.keys(table).map((k) => [k, k])) as Record<K, K>;
}

/**
 * The estimator, built on first use. Its dictionaries are loaded then too, not when this module is imported:
 * they took ~50–150 ms of every start of the server and of every `pushline` command (most never check a
 * password). Their CommonJS builds, so that the check can stay synchronous.
 */
function strengthEstimator(): ZxcvbnFactory {
  if (estimator) return estimator;
  const require = createRequire(import.meta.url);
  const { ZxcvbnFactory: Factory } = require('@zxcvbn-ts/core') as typeof import('@zxcvbn-ts/core');
  const zxcvbnCommon = require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
  const zxcvbnEn = require('@zxcvbn-ts/language-en') as typeof import('@zxcvbn-ts/language-en');
  estimator = new Factory({
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary },
    graphs: zxcvbnCommon.adjacencyGraphs,
    // The advice comes back as keys of password-messages.ts, written out in English by passwordStrength.
    translations: {
      ...zxcvbnEn.translations,
      warnings: keysOf(PASSWORD_WARNING_TEXTS),
      suggestions: keysOf(PASSWORD_SUGGESTION_TEXTS),
    },
    maxLength: MAX_PASSWORD_LENGTH,
  });
  return estimator;
}

/** zxcvbn's estimate of a password: score 0 (guessed at once) to 4, with its advice (keys) when it is weak. */
export function passwordStrength(
  password: string,
  context: string[] = [],
): { score: number; warning: PasswordWarningKey | null; suggestions: PasswordSuggestionKey[] } {
  const result = strengthEstimator().check(password, [...CONTEXT_WORDS, ...context.filter(Boolean)]);
  return {
    score: result.score,
    warning: result.feedback.warning as PasswordWarningKey | null,
    suggestions: result.feedback.suggestions as PasswordSuggestionKey[],
  };
}

/**
 * Undefined when acceptable as a new console password, else the reason and what to do. `context`: words
 * the password must not lean on, such as the user name.
 */
export function passwordProblem(password: string, context: string[] = []): string | undefined {
  const problem = passwordProblemText(password, context);
  return problem && fillText(PASSWORD_ERROR_TEXTS[problem.key], problem.params);
}

/** passwordProblem as a key of PASSWORD_ERROR_TEXTS with its values, for the console's languages. */
export function passwordProblemText(
  password: string,
  context: string[] = [],
): { key: PasswordErrorKey; params: TextParams } | undefined {
  if (password.length < MIN_PASSWORD_LENGTH)
    return { key: 'passwordTooShort', params: { min: MIN_PASSWORD_LENGTH } };
  if (password.length > MAX_PASSWORD_LENGTH)
    return { key: 'passwordTooLong', params: { max: MAX_PASSWORD_LENGTH } };
  const { score, warning, suggestions } = passwordStrength(password, context);
  if (score >= MIN_PASSWORD_SCORE) return undefined;
  const advice = [
    ...(warning ? [PASSWORD_WARNING_TEXTS[warning]] : []),
    ...suggestions.map((s) => PASSWORD_SUGGESTION_TEXTS[s]),
  ];
  const params = { score, minScore: MIN_PASSWORD_SCORE };
  if (advice.length === 0) return { key: 'passwordTooWeak', params };
  // `why` in English; `warning` and `suggestions` (comma-separated) name it for the console's languages.
  const why = advice.join(' ');
  return {
    key: 'passwordTooWeakBecause',
    params: { ...params, why, warning: warning ?? '', suggestions: suggestions.join(',') },
  };
}
