// Every package's sources import one another without cycles (type-only imports included): a cycle through
// `import type` still couples the modules, and becomes a runtime cycle the next time a value is imported.
// scripts/import-cycles.mjs prints the graph (`--graph`) and a witness of each cycle it finds.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const script = resolve(import.meta.dirname, '../../../scripts/import-cycles.mjs');

describe('import graph of packages/*/src', () => {
  it('has no cycles', () => {
    // The script exits 1 (execFileSync throws, with its report) when there is a cycle.
    const out = execFileSync(process.execPath, [script], { encoding: 'utf8' });
    expect(out).toContain('packages/server/src');
    expect(out).toContain('0 cycle component(s)');
  });

  it('finds a cycle made of type-only imports', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pushline-cycles-'));
    writeFileSync(join(dir, 'a.ts'), "import { b } from './b.js';\nexport const a = b;\n");
    writeFileSync(join(dir, 'b.ts'), "import type { A } from './a.js';\nexport const b = 1 as A | 1;\n");
    let failed: { status?: number; stdout?: string } = {};
    try {
      execFileSync(process.execPath, [script, dir], { encoding: 'utf8' });
    } catch (err) {
      failed = err as typeof failed;
    }
    expect(failed.status).toBe(1);
    expect(failed.stdout).toContain('a.ts -> b.ts -> a.ts');
  });
});
