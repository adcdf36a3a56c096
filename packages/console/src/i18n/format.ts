// Dates and numbers in the console's language (Intl), so 简体中文 shows 2026/12/3 08:00:00 and English
// 12/3/2026, 8:00:00 AM. Every page shows times through these, in the browser's time zone.
import { useTranslation } from 'react-i18next';

export interface Formatters {
  /** Date and time of a millisecond timestamp; '—' for none. */
  dateTime(ms: number | null | undefined): string;
  /** The date alone. */
  date(ms: number | null | undefined): string;
  /** Time of day alone (charts' hourly axis). */
  time(ms: number | null | undefined): string;
  /** Time of day with seconds (notifications on the sandbox phones). */
  clock(ms: number | null | undefined): string;
  /** A chart's hour: the time of day, with the day too when `withDay` (ranges of several days). */
  hour(ms: number, withDay: boolean): string;
  /** A count with the language's digit grouping. */
  number(n: number | null | undefined): string;
  /** A share in 0..1 as a percentage. */
  percent(share: number, digits?: number): string;
}

export function formatters(locale: string): Formatters {
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium' });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  const clock = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const hour = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  const dayHour = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', hour: '2-digit' });
  const number = new Intl.NumberFormat(locale);
  return {
    clock: (ms) => (ms ? clock.format(ms) : '—'),
    hour: (ms, withDay) => (withDay ? dayHour : hour).format(ms),
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
