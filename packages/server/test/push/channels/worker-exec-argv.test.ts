// Send workers run the built code: they inherit the process's Node flags, but never the test runner's
// condition that resolves the workspace packages to TypeScript sources (push/channels/send-workers.ts).
import { describe, expect, it } from 'vitest';
import { workerExecArgv } from '../../../src/push/channels/send-workers.js';

describe('workerExecArgv', () => {
  it("leaves Node's own inheritance alone when no source condition is set", () => {
    expect(workerExecArgv(['--expose-gc', '--max-old-space-size=512'])).toBeUndefined();
    expect(workerExecArgv([])).toBeUndefined();
  });

  it('drops the pushline-source condition in both spellings and keeps the rest', () => {
    expect(
      workerExecArgv(['--require', 'x.cjs', '--conditions', 'pushline-source', '--conditions', 'node']),
    ).toEqual(['--require', 'x.cjs', '--conditions', 'node']);
    expect(workerExecArgv(['--conditions=pushline-source', '-C', 'development'])).toEqual([
      '-C',
      'development',
    ]);
  });
});
