// The troubleshooter's messages written out in English, for the `title`, `detail` and `fix` text fields that
// REST and CLI readers get (the console renders the message keys in its own language instead).
import { explainAnswer } from '../../push/answers/vendor-answers.js';
import { explainSkipReason } from '../../push/decide/skip-reasons.js';
import { POST_SEND_LOSS_INFO } from '../../push/outcomes/loss.js';
import { type Message, type MessageParam, TROUBLESHOOT_TEXTS } from './troubleshoot-messages.js';

const texts: Record<string, string> = TROUBLESHOOT_TEXTS;

/** A time as the troubleshooter writes it: UTC, which the console turns into local time. */
export const utcTime = (ms: number) => `${new Date(ms).toISOString().replace('T', ' ').slice(0, 19)} UTC`;

function param(value: MessageParam): string {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if ('key' in value) return english(value);
  if ('time' in value) return utcTime(value.time);
  if ('skipReason' in value) return explainSkipReason(value.skipReason);
  if ('lossInfo' in value) return POST_SEND_LOSS_INFO[value.lossInfo] ?? value.lossInfo;
  if ('outcome' in value) return value.outcome;
  const ref = 'answerMeaning' in value ? value.answerMeaning : value.answerAction;
  const explained = explainAnswer(ref.vendor, ref.code, ref.stage, 'en');
  return ('answerMeaning' in value ? explained?.meaning : explained?.action) ?? '';
}

/** One message in English. */
export function english(m: Message): string {
  const count = m.params?.count;
  const plural = typeof count === 'number' ? `${m.key}_${count === 1 ? 'one' : 'other'}` : undefined;
  const template = (plural && texts[plural]) ?? texts[m.key];
  if (template === undefined) throw new Error(`no troubleshooter text ${m.key}`);
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    const value = m.params?.[name];
    return value === undefined ? whole : param(value);
  });
}
