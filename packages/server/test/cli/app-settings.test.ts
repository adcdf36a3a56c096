// `pushline app set`: the webhook URL and login policy of an app, through the real CLI process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, pushline } from '../helpers/cli.js';

describe('pushline app set', () => {
  let dataDir: string;
  beforeAll(() => {
    assertBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'pushline-cli-set-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('sets the callback URL and the login policy, and refuses bad values', async () => {
    const created = await pushline(['app', 'create', '--name', 'Chat', '--data', dataDir, '--json']);
    const { sdkAppId } = JSON.parse(created.stdout) as { sdkAppId: number };
    const id = String(sdkAppId);
    const set = await pushline([
      'app',
      'set',
      id,
      '--callback-url',
      'https://backend.example.com/im',
      '--login-policy',
      'per-platform',
      '--max-web',
      '2',
      '--data',
      dataDir,
    ]);
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toEqual({
      callbackUrl: 'https://backend.example.com/im',
      callbackToken: expect.stringMatching(/^[0-9a-f]{64}$/),
      loginPolicy: { mode: 'per-platform', maxPerPlatform: 3, maxWeb: 2 },
    });
    const again = await pushline(['app', 'set', id, '--max-per-platform', '5', '--data', dataDir]);
    expect(JSON.parse(again.stdout).loginPolicy).toEqual({
      mode: 'per-platform',
      maxPerPlatform: 5,
      maxWeb: 2,
    });

    const bad = await pushline(['app', 'set', id, '--login-policy', 'everyone', '--data', dataDir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/invalid login policy mode/);
    const badUrl = await pushline(['app', 'set', id, '--callback-url', 'not a url', '--data', dataDir]);
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr).toMatch(/invalid --callback-url/);
    const named = await pushline(['app', 'set', id, '--display-name', ' Chat Plus ', '--data', dataDir]);
    expect(JSON.parse(named.stdout).displayName).toBe('Chat Plus');
    const long = await pushline(['app', 'set', id, '--display-name', 'x'.repeat(65), '--data', dataDir]);
    expect(long.code).toBe(1);
    expect(long.stderr).toMatch(/invalid --display-name: at most 64 characters/);
    const cleared = await pushline(['app', 'set', id, '--display-name', '', '--data', dataDir]);
    expect(JSON.parse(cleared.stdout).displayName).toBeUndefined();
    const token = JSON.parse(set.stdout).callbackToken as string;
    const callbacks = await pushline([
      'app',
      'set',
      id,
      '--callbacks',
      'C2C.CallbackBeforeSendMsg, Group.CallbackAfterSendMsg',
      '--callback-timeout',
      '1500',
      '--callback-failure-policy',
      'refuse',
      '--callback-token',
      'my-token',
      '--data',
      dataDir,
    ]);
    expect(callbacks.code).toBe(0);
    expect(JSON.parse(callbacks.stdout)).toMatchObject({
      callbackToken: 'my-token',
      callbackCommands: ['C2C.CallbackBeforeSendMsg', 'Group.CallbackAfterSendMsg'],
      callbackTimeoutMs: 1500,
      callbackFailurePolicy: 'refuse',
    });
    const renewed = await pushline(['app', 'set', id, '--new-callback-token', '--data', dataDir]);
    const newToken = JSON.parse(renewed.stdout).callbackToken as string;
    expect(newToken).toMatch(/^[0-9a-f]{64}$/);
    expect(newToken).not.toBe(token);
    const off = await pushline(['app', 'set', id, '--callbacks', '', '--data', dataDir]);
    expect(JSON.parse(off.stdout).callbackCommands).toEqual([]);
    const badCallback = await pushline(['app', 'set', id, '--callbacks', 'C2C.Nope', '--data', dataDir]);
    expect(badCallback.code).toBe(1);
    expect(badCallback.stderr).toMatch(/invalid --callbacks: C2C.Nope/);
    const badPolicy = await pushline([
      'app',
      'set',
      id,
      '--callback-failure-policy',
      'maybe',
      '--data',
      dataDir,
    ]);
    expect(badPolicy.code).toBe(1);
    expect(badPolicy.stderr).toMatch(/invalid --callback-failure-policy/);
    const missing = await pushline(['app', 'set', '123', '--data', dataDir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no app with SDKAppID 123/);
    // Eighteen CLI processes, one after another.
  }, 120_000);
});
