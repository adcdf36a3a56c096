#!/usr/bin/env node
// Lists the relative-import graph of a source folder and reports every import cycle in it.
// Type-only imports count too: a cycle through `import type` still couples the modules, and
// it is the first step towards a runtime cycle the next time someone imports a value.
//
// Usage: node scripts/import-cycles.mjs [dir] [--graph]   (default: every packages/*/src, each on its own)
// Exits 1 when there is a cycle, so it can gate a check.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const showGraph = args.includes('--graph');
const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const given = args.find((a) => !a.startsWith('--'));
const roots = given
  ? [resolve(given)]
  : readdirSync(join(repo, 'packages'))
      .map((p) => join(repo, 'packages', p, 'src'))
      .filter((d) => existsSync(d));

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

// `import … from '…'`, `import '…'`, `export … from '…'` (any of them spanning lines, `type` or
// not) and `import('…')`. Comments are dropped first so a commented-out import is not an edge.
const SPECIFIER =
  /(?:^|[;\s])(?:import|export)\s[^;'"]*?from\s*['"]([^'"]+)['"]|(?:^|[;\s])import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

function relativeImports(file) {
  // Comments go, strings stay: one pass, so that `//` inside a string or `/*` inside a line comment
  // (`validate/*.ts`) is read as what it is.
  const text = readFileSync(file, 'utf8').replace(
    /\/\/[^\n]*|\/\*[\s\S]*?\*\/|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g,
    (m) => (m.startsWith('//') || m.startsWith('/*') ? m.replace(/[^\n]/g, ' ') : m),
  );
  const out = new Set();
  for (const m of text.matchAll(SPECIFIER)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec.startsWith('.')) continue;
    const base = resolve(dirname(file), spec);
    const stem = base.replace(/\.js$/, '');
    const target = [
      base,
      `${stem}.ts`,
      `${stem}.tsx`,
      `${base}.ts`,
      `${base}.tsx`,
      join(base, 'index.ts'),
    ].find((c) => existsSync(c) && statSync(c).isFile());
    if (target) out.add(target);
  }
  return [...out];
}

const files = roots.flatMap(sourceFiles).sort();
const graph = new Map(files.map((f) => [f, relativeImports(f).filter((t) => files.includes(t))]));
const name = (f) => relative(given ? roots[0] : repo, f);

if (showGraph) {
  for (const [f, deps] of graph) console.log(`${name(f)} -> ${deps.map(name).join(', ') || '(none)'}`);
}

// Tarjan's strongly connected components: every component with more than one file (or a file
// importing itself) is a knot of cycles; one concrete cycle per component is printed as a witness.
let index = 0;
const idx = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const components = [];
function connect(v) {
  idx.set(v, index);
  low.set(v, index++);
  stack.push(v);
  onStack.add(v);
  for (const w of graph.get(v)) {
    if (!idx.has(w)) {
      connect(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const comp = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      comp.push(w);
    } while (w !== v);
    if (comp.length > 1 || graph.get(v).includes(v)) components.push(comp);
  }
}
for (const f of files) if (!idx.has(f)) connect(f);

function witness(comp) {
  const inComp = new Set(comp);
  const start = comp.sort()[0];
  const path = [start];
  const seen = new Set([start]);
  const walk = (v) => {
    for (const w of graph.get(v)) {
      if (w === start) return true;
      if (inComp.has(w) && !seen.has(w)) {
        seen.add(w);
        path.push(w);
        if (walk(w)) return true;
        path.pop();
      }
    }
    return false;
  };
  walk(start);
  return [...path, start].map(name).join(' -> ');
}

const edges = [...graph.values()].reduce((n, d) => n + d.length, 0);
console.log(
  `${files.length} files, ${edges} relative imports under ${roots.map((r) => relative(process.cwd(), r) || '.').join(', ')}`,
);
console.log(
  `${components.length} cycle component(s), ${components.reduce((n, c) => n + c.length, 0)} files in cycles`,
);
for (const comp of components) {
  console.log(`  files: ${comp.map(name).sort().join(', ')}`);
  console.log(`  e.g.   ${witness(comp)}`);
}
process.exitCode = components.length ? 1 : 0;
