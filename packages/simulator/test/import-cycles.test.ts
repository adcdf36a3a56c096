// The simulator's sources import one another without cycles (type-only imports included): vendors
// take shared shapes from core/types.ts, core never imports a vendor or the entry point.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = join(dirname(fileURLToPath(import.meta.url)), '..', 'scripts', 'import-cycles.mjs');

describe('import graph of packages/simulator/src', () => {
  it('has no cycles', () => {
    // The script exits 1 (execFileSync throws, with its report) when there is a cycle.
    const out = execFileSync(process.execPath, [script], { encoding: 'utf8' });
    expect(out).toContain('0 cycle component(s)');
  });
});
