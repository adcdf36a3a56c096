// i18n/format.ts: dates and numbers in the console's two languages (here in UTC; the browser uses its zone).
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { formatters } from '../src/i18n/format.js';

beforeAll(() => {
  vi.stubEnv('TZ', 'UTC');
});

const at = Date.UTC(2026, 11, 3, 8, 0, 0);
/** Intl puts (narrow) no-break spaces in some English times. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('formatters', () => {
  it('write dates and times in English', () => {
    const f = formatters('en');
    expect(plain(f.dateTime(at))).toBe('12/3/26, 8:00:00 AM');
    expect(f.date(at)).toBe('Dec 3, 2026');
    expect(plain(f.time(at))).toBe('08:00 AM');
    expect(plain(f.clock(at))).toBe('08:00:00 AM');
    expect(plain(f.hour(at, false))).toBe('08:00 AM');
    expect(plain(f.hour(at, true))).toBe('Dec 3, 08 AM');
  });

  it('write dates and times in 简体中文', () => {
    const f = formatters('zh-CN');
    expect(f.dateTime(at)).toBe('2026/12/3 08:00:00');
    expect(f.date(at)).toBe('2026年12月3日');
    expect(f.time(at)).toBe('08:00');
    expect(f.clock(at)).toBe('08:00:00');
    expect(f.hour(at, true)).toBe('12月3日 08时');
  });

  it('show a dash for a missing time or number, and 0 as a number', () => {
    const f = formatters('en');
    for (const none of [null, undefined]) {
      expect(f.dateTime(none)).toBe('—');
      expect(f.date(none)).toBe('—');
      expect(f.time(none)).toBe('—');
      expect(f.clock(none)).toBe('—');
      expect(f.number(none)).toBe('—');
    }
    expect(f.number(0)).toBe('0');
  });

  it('group digits and write shares as percentages with the digits asked', () => {
    expect(formatters('en').number(1234567)).toBe('1,234,567');
    expect(formatters('zh-CN').number(1234567)).toBe('1,234,567');
    expect(formatters('en').percent(0.256)).toBe('26%');
    expect(formatters('en').percent(0.2567, 1)).toBe('25.7%');
    expect(formatters('en').percent(0.5, 2)).toBe('50.00%');
  });
});
