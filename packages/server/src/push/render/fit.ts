// Making a payload fit its vendor's limits: first the per-field character limits, then the byte limit
// of the whole serialized request, by shortening the body, then the subtitle, then the title. Ext and
// the other fields are never touched: when the texts are as short as they can be and the payload is
// still too big, the caller fails the push with a named reason.
import { ELLIPSIS, jsonStringBytes, type Measure, truncateText, utf16Length } from './truncate.js';

export interface TextFields {
  title?: string;
  subtitle?: string;
  body: string;
}

export interface FieldLimits {
  title?: number;
  subtitle?: number;
  body?: number;
  /** The unit of the limits above; UTF-16 code units by default. */
  measure?: Measure;
}

export interface FitSpec {
  /** Serialized size in bytes of the request built from these texts (with the largest badge). */
  size: (fields: TextFields) => number;
  maxBytes: number;
  fieldLimits?: FieldLimits;
  /** The title may be shortened but never emptied (vendors that refuse a notification without one). */
  titleRequired?: boolean | undefined;
}

export type FitResult = { ok: true; fields: TextFields; truncated: boolean } | { ok: false };

// Shortened in this order; the body keeps at least the ellipsis so a notification never shows blank.
const ORDER = [
  { key: 'body', min: ELLIPSIS },
  { key: 'subtitle', min: '' },
  { key: 'title', min: '' },
] as const;
const TITLE_REQUIRED_ORDER = [ORDER[0], ORDER[1], { key: 'title', min: ELLIPSIS }] as const;

export function fitText(input: TextFields, spec: FitSpec): FitResult {
  const fields = applyFieldLimits(input, spec.fieldLimits);
  let truncated =
    fields.body !== input.body || fields.title !== input.title || fields.subtitle !== input.subtitle;
  let size = spec.size(fields);
  for (const { key, min } of spec.titleRequired ? TITLE_REQUIRED_ORDER : ORDER) {
    // Each round removes at least the overflow from this field; a text that appears twice in the
    // payload (title and big_title...) needs a second round.
    for (let round = 0; size > spec.maxBytes && round < 8; round++) {
      const current = fields[key];
      if (current === undefined || current.length <= min.length) break;
      const target = jsonStringBytes(current) - (size - spec.maxBytes);
      const shorter = target >= jsonStringBytes(min) ? truncateText(current, target, jsonStringBytes) : min;
      fields[key] = shorter || min;
      truncated = true;
      size = spec.size(fields);
    }
  }
  return size <= spec.maxBytes ? { ok: true, fields, truncated } : { ok: false };
}

function applyFieldLimits(input: TextFields, limits: FieldLimits | undefined): TextFields {
  const fields = { ...input };
  if (!limits) return fields;
  const measure = limits.measure ?? utf16Length;
  for (const key of ['title', 'subtitle', 'body'] as const) {
    const limit = limits[key];
    const value = fields[key];
    if (limit !== undefined && value !== undefined) fields[key] = truncateText(value, limit, measure);
  }
  return fields;
}
