// `pushline app set --profile-custom-tags`: how an app declares its custom profile fields
// (Tag_Profile_Custom_<name>), through the real CLI process; refused lists change nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, pushline } from '../helpers/cli.js';

describe('pushline app set --profile-custom-tags', () => {
  let dataDir: string;
  beforeAll(() => {
    assertBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'pushline-cli-profile-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('declares, replaces and clears the custom fields, and refuses bad lists', async () => {
    const created = await pushline(['app', 'create', '--name', 'Chat', '--data', dataDir, '--json']);
    const id = String((JSON.parse(created.stdout) as { sdkAppId: number }).sdkAppId);
    const set = (list: string) =>
      pushline(['app', 'set', id, '--profile-custom-tags', list, '--data', dataDir]);

    const declared = await set('Hobby, Level:integer,Tag_Profile_Custom_City:string');
    expect(declared.code).toBe(0);
    expect(JSON.parse(declared.stdout).profileCustomTags).toEqual([
      { name: 'Hobby', type: 'string' },
      { name: 'Level', type: 'integer' },
      { name: 'City', type: 'string' },
    ]);

    const refusals: [string, RegExp][] = [
      ['Nickname12', /invalid --profile-custom-tags: 0\.name/],
      ['Bad-Name', /letters, digits and _ only/],
      ['Hobby,Hobby', /names must be unique/],
      ['Level:float', /invalid --profile-custom-tags: 0\.type/],
      [Array.from({ length: 21 }, (_, i) => `f${i}`).join(','), /invalid --profile-custom-tags/],
    ];
    for (const [list, message] of refusals) {
      const bad = await set(list);
      expect(bad.code, list).toBe(1);
      expect(bad.stderr, list).toMatch(message);
    }
    // Nothing of a refused list was stored.
    const shown = await pushline(['app', 'set', id, '--data', dataDir]);
    expect(JSON.parse(shown.stdout).profileCustomTags).toHaveLength(3);

    const cleared = await set('');
    expect(JSON.parse(cleared.stdout).profileCustomTags).toEqual([]);
  });
});
