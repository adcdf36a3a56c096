// Vendor answers in words: the server's one table (packages/server/src/push/answers/vendor-answers.ts, plain
// data with no imports) read in the console's language.
import { useTranslation } from 'react-i18next';
import {
  answerLanguage,
  type Explanation,
  explainAnswer,
} from '../../server/src/push/answers/vendor-answers';

export type { Explanation } from '../../server/src/push/answers/vendor-answers';

/** Outcomes whose code is a vendor (or Pushline sending) answer; skips and receipts have codes of their own. */
const ANSWERED = new Set(['sent', 'retrying', 'failed', 'rejected', 'invalid-token', 'credential-error']);

/** A function explaining a push's vendor and code in the console's language (undefined: nothing to say). */
export function useExplainAnswer(): (
  vendor: string | null | undefined,
  code: string | null | undefined,
  outcome: string,
) => Explanation | undefined {
  const { i18n } = useTranslation();
  const language = answerLanguage(i18n.language);
  return (vendor, code, outcome) =>
    ANSWERED.has(outcome) && outcome !== 'sent' ? explainAnswer(vendor, code, outcome, language) : undefined;
}
