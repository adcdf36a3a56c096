// Every relative link and image in README.md and docs/**/*.md must point at a file that exists, and a
// `#anchor` at a heading of the target (GitHub's slugs), so renaming a doc or a heading cannot leave
// dead links behind. The Markdown reading lives in helpers/markdown.ts (docs-internals.test.ts uses it too).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { brokenLinks, githubSlug, links, markdownFiles } from '../helpers/markdown.js';

const root = resolve(import.meta.dirname, '../../../..');

describe('documentation links', () => {
  it('README.md and docs/**/*.md link only to files and headings that exist', () => {
    const files = markdownFiles(root);
    expect(files).toContain('docs/README.md');
    expect(files).toContain('docs/internals/README.md');
    expect(brokenLinks(root, files)).toEqual([]);
  });

  it('every doc is listed in the index of its folder', () => {
    const missing: string[] = [];
    for (const file of markdownFiles(root)) {
      if (!file.startsWith('docs/') || file === 'docs/README.md') continue;
      // A folder's own README (docs/internals/README.md) is listed by the index of the folder above.
      const folder = dirname(file);
      const index = file.endsWith('/README.md') ? `${dirname(folder)}/README.md` : `${folder}/README.md`;
      const listed = new Set(
        links(readFileSync(join(root, index), 'utf8')).map((l) =>
          resolve(root, dirname(index), l.target.split('#')[0]!),
        ),
      );
      if (!listed.has(resolve(root, file))) missing.push(`${file} is not listed in ${index}`);
    }
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
