// `npm start` and `npm run demo` as a user runs them: the built CLI, `serve --sandbox` on a fresh data
// directory prints the banner, `pushline demo` finds the sandbox through <data>/sandbox.json and sends the
// demo messages through the v4 REST API. `serve` without --sandbox never loads the simulator package.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertBuilt, CLI, pushline, spawnServer, waitForExit } from '../helpers/cli.js';
import { waitUntil } from '../helpers/simulators.js';

describe('sandbox from the command line', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'pushline-sandbox-cli-'));
  const env = { PUSHLINE_LOG_LEVEL: 'warn' };
  let server: Awaited<ReturnType<typeof spawnServer>> | undefined;

  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await waitForExit(server.child);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('pushline demo without a running sandbox says how to start one', async () => {
    const r = await pushline(['demo', '--data', dir], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no running sandbox found');
    expect(r.stderr).toContain('npm start');
  });

  it('serve --sandbox prints the console, SDKAppID, admin UserSig, simulators and the next step', async () => {
    assertBuilt();
    server = await spawnServer(['--sandbox', '--data', dir, '--log-level', 'info'], env);
    await waitUntil(() => server?.output().includes('npm run demo') ?? false, 'the sandbox banner', 60_000);
    const out = server.output();
    expect(out).toContain('Pushline sandbox is running at http://127.0.0.1:');
    expect(out).toMatch(/SDKAppID: +1400000000/);
    expect(out).toMatch(/admin UserSig: +\S{20,}/);
    expect(out).toMatch(/console: +http:\/\/127\.0\.0\.1:\d+\/console\//);
    expect(out).toMatch(/console login: +admin \/ \S+/);
    expect(out).toMatch(/watch them: +http:\/\/127\.0\.0\.1:\d+\/console\/apps\/1400000000\/phones/);
    expect(out).toMatch(/simulators: +http:\/\/127\.0\.0\.1:\d+ \(control API/);
    expect(out).toContain('alice/apns');
    expect(out).toContain('ivan/webpush');
  });

  it("pushline demo sends a C2C message to every demo user and one group message and prints every phone's notification", async () => {
    const r = await pushline(['demo', '--data', dir, '--timeout', '60'], env);
    for (const user of ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan']) {
      expect(r.stdout).toContain(`sent C2C message sam -> ${user}`);
    }
    expect(r.stdout).toContain('sent group message sam -> demo-group (9 members with a phone)');
    expect(r.stdout).toContain('waiting for the virtual phones');
    expect(r.stdout).toMatch(/^ {2}ivan +webpush +\S+ +\[Demo Group\] Sam: Hello everyone/m);
    expect(r.stdout).toContain('18 notifications arrived.');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('the demo users are logged in with their app in the background: PushOnline over the v4 API', async () => {
    const state = JSON.parse(readFileSync(join(dir, 'sandbox.json'), 'utf8'));
    const q = new URLSearchParams({
      sdkappid: '1400000000',
      identifier: state.server.adminIdentifier,
      usersig: state.server.adminUserSig,
      random: '1',
      contenttype: 'json',
    });
    const res = await fetch(`${state.server.url}/v4/openim/query_online_status?${q}`, {
      method: 'POST',
      body: JSON.stringify({ To_Account: ['alice', 'ivan', 'sam'] }),
    });
    const answer = (await res.json()) as {
      ActionStatus: string;
      QueryResult: { To_Account: string; Status: string }[];
    };
    expect(answer.ActionStatus).toBe('OK');
    const status = Object.fromEntries(answer.QueryResult.map((r) => [r.To_Account, r.Status]));
    expect(status).toEqual({ alice: 'PushOnline', ivan: 'PushOnline', sam: 'Offline' });
  });

  it('serve without --sandbox never loads @pushline/simulator (only sandbox mode imports it, dynamically)', () => {
    // Walk the static imports of the built CLI: the simulator package must not be among them.
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gm)) {
        const spec = m[1] as string;
        if (/^import\s+type\s/.test(m[0])) continue;
        if (spec.startsWith('.')) {
          const target = resolve(dirname(file), spec);
          if (existsSync(target)) visit(target);
        } else packages.add(spec);
      }
    };
    visit(CLI);
    expect(seen.size).toBeGreaterThan(20);
    expect(packages).toContain('commander');
    expect([...packages].filter((p) => p.startsWith('@pushline/simulator'))).toEqual([]);
    expect(readFileSync(join(dirname(CLI), 'sandbox/simulators.js'), 'utf8')).toContain(
      "import('@pushline/simulator')",
    );
  });
});
