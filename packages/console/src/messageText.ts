// The server's message keys (the troubleshooter: @pushline/contracts' troubleshoot-texts.ts)
// and its skip reasons, written in the console's language.
import type { Message, MessageParam } from '@pushline/contracts';
import { useTranslation } from 'react-i18next';
import { explainAnswer } from '../../server/src/push/answers/vendor-answers';
import { useFormat } from './i18n/format';

/** A function writing one server message in the console's language. */
export function useMessageText(): (m: Message) => string {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const language = i18n.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
  const param = (value: MessageParam): string | number => {
    if (typeof value === 'string' || typeof value === 'number') return value;
    if ('key' in value) return text(value);
    if ('time' in value) return fmt.dateTime(value.time);
    if ('skipReason' in value) return skipReasonText(t, value.skipReason);
    if ('lossInfo' in value) return t(`lossInfo.${value.lossInfo}`, { defaultValue: value.lossInfo });
    // The troubleshooter names a pending retry `retry`; outcomes name it `retrying`.
    if ('outcome' in value)
      return t(`outcome.${value.outcome === 'retry' ? 'retrying' : value.outcome}`, {
        defaultValue: value.outcome,
      });
    const ref = 'answerMeaning' in value ? value.answerMeaning : value.answerAction;
    const explained = explainAnswer(ref.vendor, ref.code, ref.stage, language);
    return ('answerMeaning' in value ? explained?.meaning : explained?.action) ?? '';
  };
  const text = (m: Message): string =>
    t(`checkText.${m.key}`, {
      ...Object.fromEntries(Object.entries(m.params ?? {}).map(([name, v]) => [name, param(v)])),
      // A key this console does not know (a newer server): show the key rather than nothing.
      defaultValue: m.key,
    });
  return text;
}

type Translate = ReturnType<typeof useTranslation>['t'];

/** Why a device got no push, in words; the code itself for a reason this console does not know. */
export function skipReasonText(t: Translate, reason: string): string {
  return t(`skipReason.${reason}`, { defaultValue: reason });
}

/** What to do about a skip reason (empty for one this console does not know). */
export function skipActionText(t: Translate, reason: string): string {
  return t(`skipAction.${reason}`, { defaultValue: '' });
}
