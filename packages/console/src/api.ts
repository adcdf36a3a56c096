// The console's one way to call the server: JSON in and out, the session cookie sent by the browser,
// and the session's CSRF token on every state-changing request.

import type { ErrorText } from '../../server/src/http/console/error-messages';
import { i18n } from './i18n';

export type { ErrorText };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The server's English words (or a generic text when it sent none). */
    message: string,
    /** The input field at fault, when the server names one (certificate uploads). */
    readonly field?: string,
    /** The error as a message key with values (error-messages.ts), for the console's language. */
    readonly text?: ErrorText,
  ) {
    super(message);
  }
}

let csrfToken: string | undefined;
let onUnauthorized: (() => void) | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when the server says the session is gone (expired, signed out elsewhere). */
export function setUnauthorizedHandler(handler: (() => void) | undefined): void {
  onUnauthorized = handler;
}

export async function api<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(`/api/console${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => ({}))) as {
    error?: string | { message: string; field?: string };
    message?: string;
    text?: ErrorText;
  };
  if (!res.ok) {
    if (res.status === 401 && path !== '/session') onUnauthorized?.();
    // Two error shapes: {error: "message"} and, where a field is at fault, {error: {message, field}}.
    const error: { message?: string; field?: string } =
      typeof data.error === 'object' ? data.error : { message: data.error };
    throw new ApiError(
      res.status,
      data.message ?? error.message ?? i18n.t('errors.http', { status: res.status }),
      error.field,
      data.text,
    );
  }
  return data as T;
}

/**
 * An error in the console's language: a server error by its key (the server's English words for a key this
 * console does not know), anything else by its message.
 */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError && err.text) return serverErrorText(err.text, err.message);
  return err instanceof Error ? err.message : String(err);
}

/** A server error text (error-messages.ts) in the console's language; `english` for an unknown key. */
export function serverErrorText(text: ErrorText, english: string): string {
  return i18n.t(`serverError.${text.key}`, {
    ...text.params,
    ...fieldWords(text),
    ...passwordAdvice(text),
    defaultValue: english,
  });
}

/**
 * The field and the type a refused input names (the field* keys), in the console's language; a field this
 * console has no words for (a nested path, a newer server's) is shown as the server names it.
 */
function fieldWords(text: ErrorText): { field?: string; expected?: string } {
  const { field, expected } = text.params ?? {};
  const name = (value: unknown) => (typeof value === 'string' && /^\w+$/.test(value) ? value : undefined);
  const f = name(field);
  const e = name(expected);
  return {
    ...(f && i18n.exists(`serverErrorField.${f}`) ? { field: i18n.t(`serverErrorField.${f}`) } : {}),
    ...(e && i18n.exists(`serverErrorType.${e}`) ? { expected: i18n.t(`serverErrorType.${e}`) } : {}),
  };
}

/** zxcvbn's advice in a refused password (`why`), written in the console's language from its keys. */
function passwordAdvice(text: ErrorText): { why?: string } {
  const { warning, suggestions } = text.params ?? {};
  if (typeof warning !== 'string' || typeof suggestions !== 'string') return {};
  const keys = [
    ...(warning ? [`passwordAdvice.warnings.${warning}`] : []),
    ...suggestions
      .split(',')
      .filter(Boolean)
      .map((s) => `passwordAdvice.suggestions.${s}`),
  ];
  // A key this console does not know keeps the server's English words.
  if (!keys.every((k) => i18n.exists(k))) return {};
  return { why: keys.map((k) => i18n.t(k)).join(i18n.language.startsWith('zh') ? '' : ' ') };
}
