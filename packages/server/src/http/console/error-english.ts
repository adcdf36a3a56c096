// The console API's errors written out in English (error-messages.ts), for the `error` field that REST and
// CLI readers get next to the message key the console renders in its own language.

import type { CertificateInputError } from '../../certificates/input.js';
import { fillText } from '../../fill-text.js';
import { CONSOLE_API_ERROR_TEXTS, type ConsoleErrorKey, type ErrorText } from './error-messages.js';

/** One error in English. */
export function englishError(text: ErrorText): string {
  return fillText(CONSOLE_API_ERROR_TEXTS[text.key], text.params);
}

/** A refused certificate input as an ErrorText: its own key, or its English words as they are. */
export function certificateErrorText(err: CertificateInputError): ErrorText {
  return err.text ?? { key: 'certificateInputInvalid', params: { detail: err.message } };
}

/** An ErrorText, leaving out empty values. */
export function errorText(key: ConsoleErrorKey, params?: Record<string, string | number>): ErrorText {
  return params ? { key, params } : { key };
}
