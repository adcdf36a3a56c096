// `pushline import <file.json>` through the real CLI process on a sample export: accounts, a group with its
// history and members, one-to-one history; progress and a summary; a re-run imports nothing twice; a bad
// entry is reported and makes the exit code 1 while the rest is imported.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, pushline } from '../helpers/cli.js';

const T0 = Math.floor(Date.now() / 1000) - 48 * 3600;
const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];

describe('pushline import', () => {
  let dir: string;
  beforeAll(() => {
    assertBuilt();
    dir = mkdtempSync(join(tmpdir(), 'pushline-cli-import-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('replays a sample export, is idempotent on re-run, and reports failures', async () => {
    const created = await pushline([
      'app',
      'create',
      '--name',
      'Moved',
      '--sdkappid',
      '1400123456',
      '--data',
      dir,
      '--json',
    ]);
    expect(created.code).toBe(0);
    const file = join(dir, 'export.json');
    writeFileSync(
      file,
      JSON.stringify({
        SDKAppID: 1400123456,
        Accounts: [{ UserID: 'alice', Nick: 'Alice' }, { UserID: 'bob' }, { UserID: 'carl' }],
        Groups: [
          {
            GroupId: 'crew',
            Type: 'Work',
            Name: 'Crew',
            Owner_Account: 'alice',
            CreateTime: T0,
            MsgList: Array.from({ length: 9 }, (_, i) => ({
              From_Account: i % 2 ? 'bob' : 'alice',
              SendTime: T0 + 100 - i,
              Random: i,
              MsgBody: text(`g${i}`),
            })),
            MemberList: [
              { Member_Account: 'bob', JoinTime: T0 + 1, UnreadMsgNum: 2 },
              { Member_Account: 'ghost', JoinTime: T0 + 1 },
            ],
          },
        ],
        C2CMessages: [
          {
            From_Account: 'alice',
            To_Account: 'bob',
            MsgSeq: 1,
            MsgRandom: 11,
            MsgTimeStamp: T0 + 10,
            MsgBody: text('hi'),
          },
          {
            From_Account: 'bob',
            To_Account: 'alice',
            MsgSeq: 2,
            MsgRandom: 12,
            MsgTimeStamp: T0 + 20,
            MsgBody: text('yo'),
          },
          {
            From_Account: 'alice',
            To_Account: 'nobody',
            MsgSeq: 3,
            MsgRandom: 13,
            MsgTimeStamp: T0 + 30,
            MsgBody: text('x'),
          },
        ],
      }),
    );
    const first = await pushline(['import', file, '--data', dir]);
    expect(first.code, first.stderr).toBe(1);
    expect(first.stdout).toContain('accounts: 3');
    expect(first.stdout).toContain('group crew: 9 messages, 2 members');
    expect(first.stdout).toMatch(/failed member ghost of group crew/);
    expect(first.stdout).toMatch(/failed one-to-one message 3 \(alice -> nobody\): 90012/);
    expect(first.stdout).toContain('accounts: 3 imported, 0 already there, 0 failed');
    expect(first.stdout).toContain('groups: 1 imported, 0 already there, 0 failed');
    expect(first.stdout).toContain('group messages: 9 imported, 0 already there, 0 failed');
    expect(first.stdout).toContain('group members: 1 imported, 0 already there, 1 failed');
    expect(first.stdout).toContain('one-to-one messages: 2 imported, 0 already there, 1 failed');

    const again = await pushline(['import', file, '--data', dir]);
    expect(again.stdout).toContain('groups: 0 imported, 1 already there, 0 failed');
    expect(again.stdout).toContain('group messages: 0 imported, 9 already there, 0 failed');
    expect(again.stdout).toContain('group members: 0 imported, 1 already there, 1 failed');
    expect(again.stdout).toContain('one-to-one messages: 0 imported, 2 already there, 1 failed');

    const missing = await pushline(['import', join(dir, 'nope.json'), '--data', dir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read/);
    const noApp = await pushline(['import', file, '--app', '42', '--data', dir]);
    expect(noApp.code).toBe(1);
    expect(noApp.stderr).toMatch(/no app with SDKAppID 42/);
  });
});
