// docs/internals/ is where source comments send a maintainer for the outside protocols (Tencent IM, the
// push vendors) and for the architecture. This test keeps those pointers followable from a clone:
// - no source or documentation file cites a document that is not in the repository (the research notes,
//   design notes and section numbers the code was first written against);
// - every `docs/internals/<page>.md#<anchor>` cited anywhere names a page that exists and one of its
//   headings (GitHub's slugs, as helpers/markdown.ts makes them): renaming a heading names every comment to
//   update;
// - each vendor page lists every answer of its channel's table with the same outcome.
// Links inside the Markdown files themselves are checked by docs-links.test.ts.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnswerRow } from '../../src/push/channels/answer-tables.js';
import { APNS_ANSWERS } from '../../src/push/vendors/apns/channel.js';
import { FCM_ANSWERS } from '../../src/push/vendors/fcm/channel.js';
import { HONOR_ANSWERS } from '../../src/push/vendors/honor/channel.js';
import { HUAWEI_ANSWERS } from '../../src/push/vendors/huawei/channel.js';
import { MEIZU_ANSWERS } from '../../src/push/vendors/meizu/channel.js';
import { OPPO_ANSWERS } from '../../src/push/vendors/oppo/channel.js';
import { VIVO_ANSWERS } from '../../src/push/vendors/vivo/channel.js';
import { WEBPUSH_ANSWERS } from '../../src/push/vendors/webpush/channel.js';
import { XIAOMI_ANSWERS } from '../../src/push/vendors/xiaomi/channel.js';
import { anchorReader, links } from '../helpers/markdown.js';

const root = resolve(import.meta.dirname, '../../../..');
const SELF = relative(root, import.meta.filename);

const TEXT_FILE = /\.(ts|tsx|js|mjs|cjs|md|ya?ml|sh|html|css)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'data', 'coverage', 'results', 'golden', '.git']);

/** The repository's text files (relative paths) a citation could hide in; build output and data left out. */
function repositoryFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(path);
      } else if (TEXT_FILE.test(entry.name) || dir === '.ci') {
        out.push(path);
      }
    }
  };
  for (const top of ['README.md', 'vitest.config.ts', 'docs', 'bench', 'packages', '.ci']) {
    if (!existsSync(join(root, top))) continue;
    if (statSync(join(root, top)).isDirectory()) walk(top);
    else out.push(top);
  }
  return out.filter((f) => f !== SELF).sort();
}

const isMarkdown = (file: string) => file.endsWith('.md');

/**
 * Citations of documents that are not in the repository. Each rule: what it matches, whether it applies to
 * Markdown too (a bare file name is a fine relative link inside docs/), and what to do instead.
 */
const FORBIDDEN: { pattern: RegExp; markdown: boolean; why: string }[] = [
  {
    // Not part of a URL or of a longer path: a vendor site's URL may have a folder of that name.
    pattern: /(?<![\w/.-])reference\//,
    markdown: true,
    why: 'cites the reference notes, which are not in the repository',
  },
  {
    pattern: /shared\/reference|\.\.\/shared\b/,
    markdown: true,
    why: 'cites a folder outside the repository',
  },
  { pattern: /DESIGN\.md/, markdown: true, why: 'cites the design notes, which are not in the repository' },
  {
    pattern: /(?:vendors|tencent-im|peers)\.md\s*§/,
    markdown: true,
    why: 'cites a section number of a document outside the repository',
  },
  {
    pattern: /(?<![\w/.-])(?:vendors|tencent-im|peers)\.md/,
    markdown: false,
    why: 'names a document without its repository path (docs/vendors.md or docs/internals/<page>.md)',
  },
  { pattern: /§/, markdown: false, why: 'a section number: cite docs/internals/<page>.md#<anchor> instead' },
];

/** `file:line: why: text` for every forbidden citation in `text`. */
function forbiddenCitations(file: string, text: string): string[] {
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const rule of FORBIDDEN) {
      if (!rule.markdown && isMarkdown(file)) continue;
      if (rule.pattern.test(line)) problems.push(`${file}:${i + 1}: ${rule.why}: ${line.trim()}`);
    }
  });
  return problems;
}

interface Citation {
  file: string;
  line: number;
  page: string;
  anchor?: string;
}

/** Every `docs/internals/<page>.md[#anchor]` written out in `text` (comments, strings, prose). */
function internalsCitations(file: string, text: string): Citation[] {
  const out: Citation[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/docs\/internals\/([\w.-]+\.md)(?:#([\w-]+))?/g)) {
      out.push({ file, line: i + 1, page: m[1]!, ...(m[2] ? { anchor: m[2] } : {}) });
    }
  });
  return out;
}

/** Citations whose page or heading does not exist, as `file:line: docs/internals/page#anchor: why`. */
function unresolved(citations: Citation[]): string[] {
  const anchorsOf = anchorReader();
  const problems: string[] = [];
  for (const c of citations) {
    const target = join(root, 'docs/internals', c.page);
    const where = `${c.file}:${c.line}: docs/internals/${c.page}${c.anchor ? `#${c.anchor}` : ''}`;
    if (!existsSync(target)) problems.push(`${where}: no such page`);
    else if (c.anchor && !anchorsOf(target).has(c.anchor)) problems.push(`${where}: no such heading`);
  }
  return problems;
}

const files = repositoryFiles();
const read = (file: string) => readFileSync(join(root, file), 'utf8');

describe('citations of documents outside the repository', () => {
  it('scans the sources, tests, benchmarks and docs', () => {
    expect(files).toContain('packages/server/src/push/decide/decide.ts');
    expect(files).toContain('packages/simulator/src/vendors/apns.ts');
    expect(files).toContain('docs/internals/apns.md');
    expect(files).toContain('README.md');
  });

  it('no file cites the reference notes, the design notes or section numbers outside the repository', () => {
    expect(files.flatMap((f) => forbiddenCitations(f, read(f)))).toEqual([]);
  });

  it('every docs/internals/<page>.md#<anchor> cited names an existing page and heading', () => {
    const citations = files.flatMap((f) => internalsCitations(f, read(f)));
    // Source comments do point here: an empty list would mean the scan is broken, not that all is well.
    expect(citations.filter((c) => !isMarkdown(c.file)).length).toBeGreaterThan(40);
    expect(unresolved(citations)).toEqual([]);
  });

  it('the docs index links the internals index', () => {
    const targets = links(read('docs/README.md')).map((l) => l.target);
    expect(targets).toContain('internals/README.md');
  });
});

describe('vendor pages', () => {
  const tables: [string, Record<string, AnswerRow>][] = [
    ['apns.md', APNS_ANSWERS],
    ['fcm.md', FCM_ANSWERS],
    ['huawei.md', HUAWEI_ANSWERS],
    ['honor.md', HONOR_ANSWERS],
    ['xiaomi.md', XIAOMI_ANSWERS],
    ['oppo.md', OPPO_ANSWERS],
    ['vivo.md', VIVO_ANSWERS],
    ['meizu.md', MEIZU_ANSWERS],
    ['webpush.md', WEBPUSH_ANSWERS],
  ];

  it.each(tables)('docs/internals/%s lists every answer of its channel with its outcome', (page, table) => {
    const rows = read(`docs/internals/${page}`)
      .split('\n')
      .filter((l) => l.startsWith('| `'));
    const missing = Object.entries(table)
      .filter(
        ([code, row]) =>
          !rows.some((r) => r.startsWith(`| \`${code}\` |`) && r.includes(`| ${row.outcome} |`)),
      )
      .map(([code, row]) => `${code} (${row.outcome})`);
    expect(missing).toEqual([]);
  });
});

describe('the citation checks', () => {
  // Built from pieces so that this file does not cite anything itself.
  const notes = ['reference', 'tencent-im.md'].join('/');
  const design = ['DESIGN', 'md'].join('.');
  const vendors = ['vendors', 'md'].join('.');
  const shared = ['..', 'shared', 'x'].join('/');
  const section = '\u00a7';

  it('catch citations of documents outside the repository', () => {
    const source = [
      `// rules of ${notes} ${section}1.7`,
      `// see ${design} ${section}5`,
      `// ${vendors} ${section}3`,
      `// facts in ${shared}`,
      `// ${vendors} marks this unconfirmed`,
      `// ${section}1.9`,
    ].join('\n');
    // Line 1: the notes, their section, the section sign; line 3: section, bare name, section sign...
    const lines = forbiddenCitations('x.ts', source).map((p) => p.split(':')[1]);
    expect(lines).toEqual(['1', '1', '1', '2', '2', '3', '3', '3', '4', '5', '6']);
  });

  it('leave repository paths, relative Markdown links and vendor URLs alone', () => {
    const source = [
      `// docs/${vendors} and docs/internals/tencent-im.md#usersig`,
      `// https://firebase.google.com/docs/${notes.split('/')[0]}/fcm/rest/v1/ErrorCode`,
      `const doc = resolve(dir, '../../../docs/${vendors}');`,
    ].join('\n');
    expect(forbiddenCitations('x.ts', source)).toEqual([]);
    expect(
      forbiddenCitations('docs/x.md', `[vendors](${vendors}), [Tencent](internals/tencent-im.md)`),
    ).toEqual([]);
  });

  it('find citations and report missing pages and headings', () => {
    const citations = internalsCitations(
      'x.ts',
      [
        '// docs/internals/apns.md#connections, docs/internals/apns.md',
        '// docs/internals/apns.md#no-such-heading docs/internals/nope.md#x',
      ].join('\n'),
    );
    expect(citations).toHaveLength(4);
    expect(unresolved(citations)).toEqual([
      'x.ts:2: docs/internals/apns.md#no-such-heading: no such heading',
      'x.ts:2: docs/internals/nope.md#x: no such page',
    ]);
  });
});
