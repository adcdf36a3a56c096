// Reading Markdown the way GitHub renders it, for the documentation tests (docs-links.test.ts,
// docs-internals.test.ts): the prose outside code, heading anchors (GitHub's slugs), relative links, and a
// checker that reports every link to a missing file or heading.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The Markdown files whose links are checked, relative to `dir`: README.md and every `.md` under docs/
 * (sub-folders included, such as docs/internals/).
 */
export function markdownFiles(dir: string): string[] {
  const docs: string[] = [];
  const walk = (sub: string) => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const path = `${sub}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) docs.push(path);
    }
  };
  walk('docs');
  return ['README.md', ...docs.sort()];
}

/** The text with fenced code blocks blanked out (line numbers kept) and inline code spans removed. */
export function prose(markdown: string): string[] {
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
export function githubSlug(heading: string, seen: Map<string, number> = new Map()): string {
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
export function anchors(markdown: string): Set<string> {
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

export interface Link {
  line: number;
  target: string;
}

/** Inline links and images `[x](target "title")` and reference definitions `[x]: target`. */
export function links(markdown: string): Link[] {
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

/** Anchors per Markdown file, read once. */
export function anchorReader(): (file: string) => Set<string> {
  const cache = new Map<string, Set<string>>();
  return (file) => {
    let a = cache.get(file);
    if (!a) {
      a = anchors(readFileSync(file, 'utf8'));
      cache.set(file, a);
    }
    return a;
  };
}

/** Broken relative links of the given files under `dir`, as `file:line: target: why`. */
export function brokenLinks(dir: string, files: string[]): string[] {
  const problems: string[] = [];
  const anchorsOf = anchorReader();
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
