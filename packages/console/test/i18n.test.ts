// The console's translations are complete: English and 简体中文 have the same keys with the same
// placeholders and tags, and every key the console source uses exists. Fails when a text is added to one
// language only, or a t('...') key has no translation.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TROUBLESHOOT_TEXTS } from '@pushline/contracts';
import { describe, expect, it } from 'vitest';
import { CONSOLE_API_ERROR_TEXTS } from '../../server/src/http/console/error-messages.js';
import { PUSH_SKIP_REASONS } from '../../server/src/push/decide/skip-reasons.js';
import { POST_SEND_LOSS_INFO } from '../../server/src/push/outcomes/loss.js';
import { en } from '../src/i18n/en.js';
import { zhCN } from '../src/i18n/zh-CN.js';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

const SRC = resolve(import.meta.dirname, '../src');
function sources(dir = SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'i18n' ? [] : sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

const english = flatten(en as Tree);
const chinese = flatten(zhCN as Tree);
const namespaces = new Set(Object.keys(en));
/** A key as used in the source: plural keys are stored as key_one / key_other. */
const known = (key: string) => english.has(key) || english.has(`${key}_other`);

/** {{placeholders}} and <tags> of a text, sorted. */
const markers = (text: string) =>
  [...text.matchAll(/\{\{\s*(\w+)\s*\}\}|<\/?(\w+)>/g)].map((m) => m[0]).sort();

describe('console translations', () => {
  it('English and Simplified Chinese have the same keys', () => {
    const onlyEnglish = [...english.keys()].filter((k) => !chinese.has(k));
    const onlyChinese = [...chinese.keys()].filter((k) => !english.has(k));
    expect({ onlyEnglish, onlyChinese }).toEqual({ onlyEnglish: [], onlyChinese: [] });
    expect(english.size).toBeGreaterThan(300);
  });

  it('no text is empty, and both languages have the same placeholders and tags', () => {
    const mismatched = [...english].filter(([k, v]) => {
      const zh = chinese.get(k);
      return !v.trim() || !zh?.trim() || markers(v).join() !== markers(zh).join();
    });
    expect(mismatched.map(([k]) => k)).toEqual([]);
  });

  it('the Chinese texts are Chinese where the English ones are prose', () => {
    // A sentence copied untranslated (more than two English words, no Chinese character) is a forgotten text.
    const untranslated = [...chinese].filter(
      ([k, zh]) => zh === english.get(k) && /[a-z]+ [a-z]+ [a-z]+/i.test(zh) && !/[\u4e00-\u9fff]/.test(zh),
    );
    expect(untranslated.map(([k]) => k)).toEqual([]);
  });

  it("every key the console source uses (t('...'), i18nKey, key constants) has a text", () => {
    const missing: string[] = [];
    const used = new Set<string>();
    const files = sources();
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const where = file.slice(SRC.length + 1);
      // t('key') and i18n.t('key'), i18nKey="key".
      for (const m of text.matchAll(/\bt\(\s*(['"])([^'"]+)\1/g)) used.add(`${where}: ${m[2]}`);
      for (const m of text.matchAll(/i18nKey=(['"])([^'"]+)\1/g)) used.add(`${where}: ${m[2]}`);
      // Keys kept in constants (navigation labels, field labels, status labels): 'namespace.key'.
      for (const m of text.matchAll(/(['"])([a-zA-Z]+)\.([\w.-]+)\1/g)) {
        if (namespaces.has(m[2]!)) used.add(`${where}: ${m[2]}.${m[3]}`);
      }
      // t(`prefix.${value}`): the prefix must have texts under it.
      for (const m of text.matchAll(/\bt\(\s*`([\w.-]+)\.\$\{/g)) {
        if (![...english.keys()].some((k) => k.startsWith(`${m[1]}.`))) missing.push(`${where}: ${m[1]}.*`);
      }
    }
    for (const entry of used) {
      const key = entry.slice(entry.indexOf(': ') + 2);
      if (!known(key)) missing.push(entry);
    }
    expect(missing).toEqual([]);
    expect(used.size).toBeGreaterThan(200);
  });

  it('every text the server sends as a key or code has a text (troubleshooter, skip reasons, losses)', () => {
    const needed = [
      ...Object.keys(TROUBLESHOOT_TEXTS).map((k) => `checkText.${k}`),
      ...Object.keys(PUSH_SKIP_REASONS).flatMap((r) => [`skipReason.${r}`, `skipAction.${r}`]),
      ...Object.keys(POST_SEND_LOSS_INFO).map((stage) => `lossInfo.${stage}`),
    ];
    const missing = needed.filter((k) => !english.has(k) || !chinese.has(k));
    expect(missing).toEqual([]);
    // And no text for a reason the server no longer has.
    const stale = [...english.keys()].filter(
      (k) => /^(skipReason|skipAction)\./.test(k) && !(k.split('.')[1]! in PUSH_SKIP_REASONS),
    );
    expect(stale).toEqual([]);
  });

  it('every error the console API sends as a key has a text in both languages', () => {
    // CONSOLE_API_ERROR_TEXTS holds every key the console API answers with (certificate and password
    // checks included); the server writes its English `error` from the same table.
    const needed = Object.keys(CONSOLE_API_ERROR_TEXTS).map((k) => `serverError.${k}`);
    expect(needed.length).toBeGreaterThan(90);
    const missing = needed.filter((k) => !english.get(k)?.trim() || !chinese.get(k)?.trim());
    expect(missing).toEqual([]);
    // English is the server's own text, so the console and REST readers read the same words.
    const differ = Object.entries(CONSOLE_API_ERROR_TEXTS).filter(
      ([k, v]) => english.get(`serverError.${k}`) !== v,
    );
    expect(differ.map(([k]) => k)).toEqual([]);
    const stale = [...english.keys()].filter(
      (k) => k.startsWith('serverError.') && !(k.slice('serverError.'.length) in CONSOLE_API_ERROR_TEXTS),
    );
    expect(stale).toEqual([]);
  });

  it('the troubleshooter and server error texts read as Chinese in 简体中文', () => {
    // Words outside the {{parameters}}: texts that are only parameters have nothing to translate.
    const words = (text: string) => text.replace(/\{\{\s*\w+\s*\}\}/g, '');
    const notChinese = [...chinese].filter(
      ([k, zh]) =>
        /^(checkText|serverError)\./.test(k) &&
        /[a-z]{3}/i.test(words(english.get(k)!)) &&
        !/[\u4e00-\u9fff]/.test(zh),
    );
    expect(notChinese.map(([k]) => k)).toEqual([]);
  });

  it('every text is used by the console source', () => {
    const all = sources()
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const unused = [...english.keys()].filter((key) => {
      const base = key.replace(/_(one|other)$/, '');
      if (all.includes(`'${base}'`) || all.includes(`"${base}"`)) return false;
      // Keys reached through t(`prefix.${value}`).
      const prefix = base.slice(0, base.lastIndexOf('.'));
      return !all.includes(`\`${prefix}.\${`);
    });
    expect(unused).toEqual([]);
  });
});
