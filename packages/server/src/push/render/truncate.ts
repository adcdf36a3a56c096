// Cutting text to a vendor limit without ever splitting a character: the cut falls between grapheme
// clusters (so an emoji with skin tone or a flag stays whole, and no surrogate pair is split), and an
// ellipsis marks it.

export const ELLIPSIS = '…';

/** Measures a piece of text in the unit a limit is expressed in. Must be additive over concatenation. */
export type Measure = (text: string) => number;

/** UTF-16 code units: what Java-based vendor servers count as "characters" (the strictest count). */
export const utf16Length: Measure = (text) => text.length;

/** vivo counts a CJK (non-ASCII) character as two ("20 Chinese or 40 Latin characters"). */
export const wideCharLength: Measure = (text) => {
  let n = 0;
  for (let i = 0; i < text.length; i++) n += text.charCodeAt(i) < 0x80 ? 1 : 2;
  return n;
};

/** Bytes the text takes inside a JSON string (UTF-8, with escapes), without the quotes. */
export const jsonStringBytes: Measure = (text) => Buffer.byteLength(JSON.stringify(text), 'utf8') - 2;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Returns `text` unchanged when `measure(text) <= max`, else its longest grapheme-aligned prefix that
 * fits together with an ellipsis (or '' when not even the ellipsis fits).
 */
export function truncateText(text: string, max: number, measure: Measure): string {
  if (measure(text) <= max) return text;
  const budget = max - measure(ELLIPSIS);
  if (budget < 0) return '';
  let used = 0;
  let end = 0;
  for (const { segment, index } of graphemes.segment(text)) {
    const size = measure(segment);
    if (used + size > budget) break;
    used += size;
    end = index + segment.length;
  }
  return text.slice(0, end).trimEnd() + ELLIPSIS;
}
