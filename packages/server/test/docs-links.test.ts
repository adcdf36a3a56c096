// Every relative link and image in README.md and docs/*.md must point at a file that exists, and a
// `#anchor` at a heading of the target (GitHub's slugs), so renaming a doc or a heading cannot leave
// dead links behind.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');

/** The Markdown files whose links are checked, relative to `dir`. */
function markdownFiles(dir: string): string[] {
  const docs = readdirSync(join(dir, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs.sort()];
}

/** The text with fenced code blocks blanked out (line numbers kept) and inline code spans removed. */
function prose(markdown: string): string[] {
  let fence: string | null = null;
  return markdown.split('\n').map((line) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = null;
      return '';
    }
    if (marker) {
      fence = marker;
      return '';
    }
    return line.replace(/(`+)[\s\S]*?\1/g, '');
  });
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens, `-1`, `-2`… for repeats. */
function githubSlug(heading: string, seen: Map<string, number> = new Map()): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images: their text
    .replace(/<[^>]+>/g, '') // inline HTML tags
    .replace(/[*`~]/g, '') // emphasis and code markers
    .replace(/(^|[^\p{L}\p{N}])_+|_+(?=$|[^\p{L}\p{N}])/gu, '$1'); // _emphasis_, but snake_case stays
  const base = text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
  const n = seen.get(base) ?? 0;
  seen.set(base, n + 1);
  return n === 0 ? base : `${base}-${n}`;
}

/** The anchors of a Markdown file: one per ATX heading outside code blocks, plus explicit HTML ids. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = null;
      continue;
    }
    if (marker) {
      fence = marker;
      continue;
    }
    const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) out.add(githubSlug(heading[1]!, seen));
    for (const m of line.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) out.add(m[1]!);
  }
  return out;
}

interface Link {
  line: number;
  target: string;
}

/** Inline links and images `[x](target "title")` and reference definitions `[x]: target`. */
function links(markdown: string): Link[] {
  const out: Link[] = [];
  prose(markdown).forEach((line, i) => {
    for (const m of line.matchAll(/!?\[(?:[^\]]|\][^(])*?\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+"[^"]*")?\s*\)/g)) {
      out.push({ line: i + 1, target: m[1]!.replace(/^<|>$/g, '') });
    }
    const def = /^ {0,3}\[[^\]]+\]:\s*(\S+)/.exec(line);
    if (def) out.push({ line: i + 1, target: def[1]!.replace(/^<|>$/g, '') });
  });
  return out;
}

/** Broken relative links of the given files under `dir`, as `file:line: target: why`. */
function brokenLinks(dir: string, files: string[]): string[] {
  const problems: string[] = [];
  const anchorCache = new Map<string, Set<string>>();
  const anchorsOf = (file: string) => {
    let a = anchorCache.get(file);
    if (!a) {
      a = anchors(readFileSync(file, 'utf8'));
      anchorCache.set(file, a);
    }
    return a;
  };
  for (const file of files) {
    const abs = join(dir, file);
    for (const { line, target } of links(readFileSync(abs, 'utf8'))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue; // https:, mailto:…
      const hash = target.indexOf('#');
      const pathPart = decodeURIComponent(hash === -1 ? target : target.slice(0, hash));
      const anchor = hash === -1 ? null : decodeURIComponent(target.slice(hash + 1));
      const dest = pathPart === '' ? abs : resolve(dirname(abs), pathPart.split('?')[0]!);
      const where = `${file}:${line}: ${target}`;
      if (!existsSync(dest)) {
        problems.push(`${where}: ${relative(dir, dest)} does not exist`);
        continue;
      }
      if (anchor !== null && anchor !== '') {
        if (!dest.endsWith('.md')) {
          problems.push(`${where}: an anchor into a file that is not Markdown`);
        } else if (!anchorsOf(dest).has(anchor)) {
          problems.push(`${where}: no heading with the anchor #${anchor} in ${relative(dir, dest)}`);
        }
      }
    }
  }
  return problems;
}

describe('documentation links', () => {
  it('README.md and docs/*.md link only to files and headings that exist', () => {
    const files = markdownFiles(root);
    expect(files).toContain('docs/README.md');
    expect(brokenLinks(root, files)).toEqual([]);
  });

  it('the docs index lists every doc', () => {
    const index = readFileSync(join(root, 'docs/README.md'), 'utf8');
    const listed = new Set(links(index).map((l) => l.target.split('#')[0]));
    const missing = markdownFiles(root)
      .filter((f) => f.startsWith('docs/') && f !== 'docs/README.md')
      .map((f) => f.slice('docs/'.length))
      .filter((f) => !listed.has(f));
    expect(missing).toEqual([]);
  });
});

describe('the link checker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pushline-docs-links-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('makes the slugs GitHub makes', () => {
    const seen = new Map<string, number>();
    expect(githubSlug('1. Who gets a push', seen)).toBe('1-who-gets-a-push');
    expect(githubSlug('`timpush/normal_push_trace`', seen)).toBe('timpushnormal_push_trace');
    expect(githubSlug('`npm run demo` (`pushline demo`)', seen)).toBe('npm-run-demo-pushline-demo');
    expect(githubSlug('Token-based: a .p8 key (recommended)', seen)).toBe('token-based-a-p8-key-recommended');
    expect(githubSlug('**Bold** and [a link](x.md)', seen)).toBe('bold-and-a-link');
    expect(githubSlug('Guessed details [U]', seen)).toBe('guessed-details-u');
    expect(githubSlug('Apps', seen)).toBe('apps');
    expect(githubSlug('Apps', seen)).toBe('apps-1');
  });

  it('finds missing files, missing anchors and skips code and external links', () => {
    mkdirSync(join(dir, 'docs'), { recursive: true });
    writeFileSync(join(dir, 'docs/b.md'), '# B\n\n## Part two\n\n```\n## Not a heading\n```\n');
    writeFileSync(
      join(dir, 'README.md'),
      [
        '[ok](docs/b.md) [ok anchor](docs/b.md#part-two) ![img](docs/b.md)',
        '[gone](docs/missing.md) ![gone image](docs/images/x.png)',
        '[bad anchor](docs/b.md#not-a-heading) [self](#nowhere)',
        '[web](https://example.com/x.md) [mail](mailto:a@b.c) `[code](docs/nope.md)`',
        '```',
        '[in a fence](docs/nope.md)',
        '```',
        '[ref]: docs/also-missing.md',
      ].join('\n'),
    );
    expect(brokenLinks(dir, ['README.md', 'docs/b.md'])).toEqual([
      'README.md:2: docs/missing.md: docs/missing.md does not exist',
      'README.md:2: docs/images/x.png: docs/images/x.png does not exist',
      'README.md:3: docs/b.md#not-a-heading: no heading with the anchor #not-a-heading in docs/b.md',
      'README.md:3: #nowhere: no heading with the anchor #nowhere in README.md',
      'README.md:8: docs/also-missing.md: docs/also-missing.md does not exist',
    ]);
  });
});
