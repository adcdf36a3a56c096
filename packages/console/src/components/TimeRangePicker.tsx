import { Group, Select, TextInput } from '@mantine/core';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';

/** A preset (`value`: its key) or `custom` with a start and an end in the browser's local time. */
export interface TimeRangeValue {
  preset: string;
  /** datetime-local texts (`2026-12-03T08:00`), for `custom`. */
  from?: string;
  to?: string;
}

/** The range in UNIX ms; undefined bounds are open; `error` when a custom range cannot be used. */
export function resolveRange(
  v: TimeRangeValue,
  presets: Record<string, number | undefined>,
  now: number,
): { from?: number; to?: number; error?: 'incomplete' | 'order' } {
  if (v.preset !== 'custom') {
    const span = presets[v.preset];
    return span === undefined ? {} : { from: now - span, to: now };
  }
  const from = v.from ? new Date(v.from).getTime() : Number.NaN;
  const to = v.to ? new Date(v.to).getTime() : Number.NaN;
  if (Number.isNaN(from) || Number.isNaN(to)) return { error: 'incomplete' };
  if (from >= to) return { error: 'order' };
  return { from, to };
}

/** A local datetime-local text of a UNIX ms time. */
export function localInputValue(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

/**
 * What the picker's next change builds on. The records page keeps the range in the URL, whose updates render
 * later — and meanwhile the page may render again with the URL's older value (its other state changes at
 * once). Each change must build on the one before, and a render of an older value must not undo a change on
 * its way: a start typed right before an end was lost that way (the end then built on the old start).
 * So: the latest value sent wins until the page has rendered every value sent; a value rendered while
 * nothing is on its way is the page's own (a link, the back button) and becomes the latest.
 */
export class SentRanges {
  #latest: TimeRangeValue;
  /** Values sent and not yet rendered back, oldest first. */
  #pending: TimeRangeValue[] = [];

  constructor(initial: TimeRangeValue) {
    this.#latest = initial;
  }

  /** The value the next change builds on. */
  get latest(): TimeRangeValue {
    return this.#latest;
  }

  /** The page rendered `value`. */
  rendered(value: TimeRangeValue): void {
    const back = this.#pending.findIndex((v) => sameRange(v, value));
    // One of ours: those sent before it will not come back as such (the page skipped to it).
    if (back >= 0) this.#pending = this.#pending.slice(back + 1);
    if (this.#pending.length === 0) this.#latest = value;
  }

  /** A change made in the picker: the value to send. */
  change(patch: Partial<TimeRangeValue>): TimeRangeValue {
    this.#latest = { ...this.#latest, ...patch };
    this.#pending.push(this.#latest);
    return this.#latest;
  }
}

/** Same range as a page stores it: a preset's bounds are not kept, an empty bound is no bound. */
function sameRange(a: TimeRangeValue, b: TimeRangeValue): boolean {
  if (a.preset !== b.preset) return false;
  return a.preset !== 'custom' || ((a.from || '') === (b.from || '') && (a.to || '') === (b.to || ''));
}

/** The presets of a page plus "Custom": two date-and-time inputs in local time. */
export function TimeRangePicker({
  value,
  onChange,
  presets,
  error,
  hidePreset = false,
}: {
  /** The page chooses presets itself (a segmented control): only the custom inputs. */
  hidePreset?: boolean;
  value: TimeRangeValue;
  onChange(v: TimeRangeValue): void;
  /** Preset key -> its label (translated). */
  presets: { value: string; label: string }[];
  error?: string | undefined;
}) {
  const { t } = useTranslation();
  const ref = useRef<SentRanges>(undefined);
  ref.current ??= new SentRanges(value);
  const sent = ref.current;
  sent.rendered(value);
  const change = (patch: Partial<TimeRangeValue>) => onChange(sent.change(patch));
  return (
    <Group align="end" gap="xs" wrap="wrap">
      {!hidePreset && (
        <Select
          label={t('common.time')}
          data={[...presets, { value: 'custom', label: t('polish.customRange') }]}
          value={value.preset}
          onChange={(p) => {
            if (!p) return;
            if (p === 'custom' && !value.from) {
              const now = Date.now();
              change({ preset: p, from: localInputValue(now - 86_400_000), to: localInputValue(now) });
            } else change({ preset: p });
          }}
          allowDeselect={false}
          w={160}
        />
      )}
      {value.preset === 'custom' && (
        <>
          <TextInput
            type="datetime-local"
            label={t('polish.rangeFrom')}
            value={value.from ?? ''}
            onChange={(e) => change({ from: e.currentTarget.value })}
            error={error}
            w={210}
          />
          <TextInput
            type="datetime-local"
            label={t('polish.rangeTo')}
            value={value.to ?? ''}
            onChange={(e) => change({ to: e.currentTarget.value })}
            w={210}
          />
        </>
      )}
    </Group>
  );
}
