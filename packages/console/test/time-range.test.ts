// components/TimeRangePicker.tsx SentRanges: a change builds on the latest one, even when the page renders an
// older value in between (the records page keeps the range in the URL, which renders later).
import { describe, expect, it } from 'vitest';
import { SentRanges, type TimeRangeValue } from '../src/components/TimeRangePicker.js';

const day: TimeRangeValue = { preset: '24h' };

describe('SentRanges', () => {
  it('keeps a typed start when the page renders the old value before the start reaches it', () => {
    const s = new SentRanges(day);
    s.rendered(day);
    const custom = s.change({ preset: 'custom', from: '2026-12-05T09:00', to: '2026-12-06T09:00' });
    s.rendered(custom);
    const start = s.change({ from: '2020-01-01T00:00' });
    s.rendered(custom); // the page re-rendered before the URL caught up
    expect(s.latest).toEqual(start);
    const end = s.change({ to: '2020-01-02T00:00' });
    expect(end).toEqual({ preset: 'custom', from: '2020-01-01T00:00', to: '2020-01-02T00:00' });
    s.rendered(start);
    expect(s.latest).toEqual(end); // still on its way
    s.rendered(end);
    expect(s.latest).toEqual(end);
  });

  it('takes a value the page changed itself once nothing it sent is on its way', () => {
    const s = new SentRanges(day);
    s.change({ preset: '7d' });
    s.rendered({ preset: '7d' });
    const back: TimeRangeValue = { preset: 'custom', from: '2026-01-01T00:00', to: '2026-01-02T00:00' };
    s.rendered(back); // the back button
    expect(s.latest).toEqual(back);
    expect(s.change({ to: '2026-01-03T00:00' })).toEqual({ ...back, to: '2026-01-03T00:00' });
  });

  it('matches values as the page stores them: a preset without bounds, an empty bound as none', () => {
    const s = new SentRanges({ preset: 'custom', from: '2026-01-01T00:00', to: '' });
    s.change({ preset: 'all' }); // carries the custom bounds, which the page drops
    s.rendered({ preset: 'all' });
    const other: TimeRangeValue = { preset: '1h' };
    s.rendered(other);
    expect(s.latest).toEqual(other);
    s.change({ preset: 'custom', from: '2026-02-01T00:00', to: '' });
    s.rendered({ preset: 'custom', from: '2026-02-01T00:00' });
    s.rendered(day);
    expect(s.latest).toEqual(day);
  });
});
