// `pushline app set --c2c-friend-check on|off`: the app setting that lets only friends send each other
// one-to-one messages (enforced in sns.test.ts), through the real CLI process; a bad value changes nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, pushline } from '../helpers/cli.js';

describe('pushline app set --c2c-friend-check', () => {
  let dataDir: string;
  beforeAll(() => {
    assertBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'pushline-cli-friend-check-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('switches the friend check on and off, and refuses other values', async () => {
    const created = await pushline(['app', 'create', '--name', 'Chat', '--data', dataDir, '--json']);
    const id = String((JSON.parse(created.stdout) as { sdkAppId: number }).sdkAppId);
    const set = (value: string) =>
      pushline(['app', 'set', id, '--c2c-friend-check', value, '--data', dataDir]);

    const on = await set('on');
    expect(on.code).toBe(0);
    expect(JSON.parse(on.stdout).c2cFriendCheck).toBe(true);
    const bad = await set('yes');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/invalid --c2c-friend-check "yes": give on or off/);
    const shown = await pushline(['app', 'set', id, '--data', dataDir]);
    expect(JSON.parse(shown.stdout).c2cFriendCheck).toBe(true);
    const off = await set('off');
    expect(JSON.parse(off.stdout).c2cFriendCheck).toBe(false);
  });
});
