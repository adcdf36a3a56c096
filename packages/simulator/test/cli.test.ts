// pushline-sim in its own process: it starts every vendor and prints URLs, CA path and control URL.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATOR_VENDORS } from '../src/index.js';
import { httpJson } from './helpers.js';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
let child: ChildProcess | undefined;

beforeAll(() => {
  // The CLI runs from dist/: build it (incremental, quick when up to date).
  execFileSync(process.execPath, [join(pkg, '../../node_modules/typescript/bin/tsc'), '-b', pkg], {
    stdio: 'inherit',
  });
});
afterAll(() => {
  child?.kill('SIGTERM');
});

describe('pushline-sim CLI', () => {
  it('runs all vendors and prints their URLs, the CA file and the control API', async () => {
    child = spawn(process.execPath, [join(pkg, 'dist/cli.js'), '--json'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child!.stdout! }).once('line', resolve);
      child!.once('exit', (code) => reject(new Error(`pushline-sim exited with ${code}`)));
    });
    const out = JSON.parse(line);
    const expected = ['apnsProduction', 'apnsDevelopment', ...SIMULATOR_VENDORS.filter((v) => v !== 'apns')];
    for (const k of expected) expect(out.urls[k]).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(readFileSync(out.caFile, 'utf8')).toContain('BEGIN CERTIFICATE');
    expect(out.env.PUSHLINE_APNS_PRODUCTION_URL).toBe(out.urls.apnsProduction);
    expect((await httpJson(`${out.control}/health`)).json).toEqual({ ok: true });
    const dev = await httpJson(`${out.control}/devices`, {
      method: 'POST',
      body: { vendor: 'vivo', app: '12345' },
    });
    expect(dev.json.token).toMatch(/^\d{23}$/);
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    child = undefined;
  });
});
