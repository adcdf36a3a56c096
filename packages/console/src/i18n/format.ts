// Dates and numbers in the console's language (Intl), so 简体中文 shows 2026/12/3 08:00:00 and English
// 12/3/2026, 8:00:00 AM.
import { useTranslation } from 'react-i18next';

export interface Formatters {
  /** Date and time of a millisecond timestamp; '—' for none. */
  dateTime(ms: number | null | undefined): string;
  /** The date alone. */
  date(ms: number | null | undefined): string;
  /** Time of day alone (charts' hourly axis). */
  time(ms: number | null | undefined): string;
  /** A count with the language's digit grouping. */
  number(n: number | null | undefined): string;
  /** A share in 0..1 as a percentage. */
  percent(share: number, digits?: number): string;
}

export function formatters(locale: string): Formatters {
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium' });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  const number = new Intl.NumberFormat(locale);
  return {
    dateTime: (ms) => (ms ? dateTime.format(ms) : '—'),
    date: (ms) => (ms ? date.format(ms) : '—'),
    time: (ms) => (ms ? time.format(ms) : '—'),
    number: (n) => (n === null || n === undefined ? '—' : number.format(n)),
    percent: (share, digits = 0) =>
      new Intl.NumberFormat(locale, {
        style: 'percent',
        maximumFractionDigits: digits,
        minimumFractionDigits: digits,
      }).format(share),
  };
}

/** The formatters of the current language; re-renders when it changes. */
export function useFormat(): Formatters {
  const { i18n } = useTranslation();
  return formatters(i18n.language);
}
