// `pushline import <file.json>`: replays an export of Tencent IM data (docs/migrate-from-tencent.md#the-import-file)
// through this app's own v4 import commands, in process: accounts, groups with their history and members,
// one-to-one history. Every request is a real v4 request (same checks, transactions and codes); a re-run
// imports nothing twice (repeats are answered as duplicates). Prints progress and a summary; exits 1 when
// anything failed.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { genUserSig } from '../auth/usersig.js';
import { c2cImportKey } from '../messaging/import.js';
import type { Pushline } from '../server.js';
import { type CommonOpts, parseIntStrict, withPushline, withStorageOptions } from './common.js';

type Body = Record<string, unknown>;

/** The file: each part shaped like the body of the v4 command that imports it. */
export interface ImportFile {
  SDKAppID?: number;
  /** account_import bodies: `UserID`, optional `Nick`, `FaceUrl`. */
  Accounts?: Body[];
  /** import_group bodies, each with optional `MsgList` (import_group_msg) and `MemberList` (import_group_member). */
  Groups?: (Body & { GroupId: string; MsgList?: Body[]; MemberList?: Body[]; RecentContactFlag?: number })[];
  /** importmsg bodies (`SyncFromOldSystem` defaults to 2). */
  C2CMessages?: Body[];
}

interface Tally {
  imported: number;
  duplicate: number;
  failed: number;
}

const GROUP_MSG_BATCH = 7;
const MEMBER_BATCH = 300;

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export function registerImportCommand(program: Command): void {
  withStorageOptions(
    program
      .command('import')
      .argument('<file>', 'JSON export (docs/migrate-from-tencent.md#the-import-file)')
      .description('import accounts, groups, members and message history exported from Tencent IM'),
  )
    .option(
      '-a, --app <sdkappid>',
      "SDKAppID to import into (default: the file's SDKAppID)",
      parseIntStrict('--app'),
    )
    .action(async (file: string, opts: CommonOpts & { app?: number }) => {
      let data: ImportFile;
      try {
        data = JSON.parse(readFileSync(file, 'utf8')) as ImportFile;
      } catch (err) {
        process.stderr.write(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
        return;
      }
      if (typeof data !== 'object' || data === null || Array.isArray(data)) {
        process.stderr.write(`${file}: expected a JSON object with Accounts, Groups, C2CMessages\n`);
        process.exitCode = 1;
        return;
      }
      const sdkAppId = opts.app ?? data.SDKAppID;
      if (sdkAppId === undefined) {
        process.stderr.write('give --app <sdkappid> or SDKAppID in the file\n');
        process.exitCode = 1;
        return;
      }
      await withPushline(opts, async (p) => {
        const app = await p.apps.get(sdkAppId);
        if (!app) {
          process.stderr.write(`no app with SDKAppID ${sdkAppId}\n`);
          process.exitCode = 1;
          return;
        }
        const failed = await replay(p, app, data);
        if (failed) process.exitCode = 1;
      });
    });
}

async function replay(
  p: Pushline,
  app: { sdkAppId: number; secretKey: string; adminIdentifier: string },
  data: ImportFile,
): Promise<boolean> {
  const userSig = genUserSig({
    sdkAppId: app.sdkAppId,
    key: app.secretKey,
    identifier: app.adminIdentifier,
    expire: 86_400,
  });
  let random = 0;
  const call = async (command: string, body: Body): Promise<Body> => {
    random += 1;
    const r = await p.http.inject({
      method: 'POST',
      url: `/v4/${command}?sdkappid=${app.sdkAppId}&identifier=${encodeURIComponent(app.adminIdentifier)}&usersig=${encodeURIComponent(userSig)}&random=${random}&contenttype=json`,
      payload: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    return r.json() as Body;
  };
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const problem = (what: string, r: Body) =>
    out(`  failed ${what}: ${String(r.ErrorCode)} ${String(r.ErrorInfo)}`);
  const tallies: Record<string, Tally> = {};
  const tally = (name: string) => {
    tallies[name] ??= { imported: 0, duplicate: 0, failed: 0 };
    return tallies[name];
  };

  const accounts = data.Accounts ?? [];
  out(`accounts: ${accounts.length}`);
  for (const a of accounts) {
    const r = await call('im_open_login_svc/account_import', a);
    if (r.ErrorCode === 0) tally('accounts').imported++;
    else {
      tally('accounts').failed++;
      problem(`account ${String(a.UserID ?? a.Identifier)}`, r);
    }
  }

  const groups = data.Groups ?? [];
  out(`groups: ${groups.length}`);
  for (const g of groups) {
    const { MsgList = [], MemberList = [], RecentContactFlag, ...groupBody } = g;
    const created = await call('group_open_http_svc/import_group', groupBody);
    if (created.ErrorCode === 0) tally('groups').imported++;
    else if (created.ErrorCode === 10021) tally('groups').duplicate++;
    else {
      tally('groups').failed++;
      problem(`group ${g.GroupId}`, created);
      continue;
    }
    const sorted = [...MsgList].sort((a, b) => Number(a.SendTime) - Number(b.SendTime));
    for (const batch of chunks(sorted, GROUP_MSG_BATCH)) {
      const r = await call('group_open_http_svc/import_group_msg', {
        GroupId: g.GroupId,
        ...(RecentContactFlag !== undefined ? { RecentContactFlag } : {}),
        MsgList: batch,
      });
      if (r.ErrorCode !== 0) {
        tally('group messages').failed += batch.length;
        problem(`${batch.length} messages of group ${g.GroupId}`, r);
        continue;
      }
      for (const m of r.ImportMsgResult as { Result: number }[]) {
        if (m.Result === 0) tally('group messages').imported++;
        else tally('group messages').duplicate++;
      }
    }
    for (const batch of chunks(MemberList, MEMBER_BATCH)) {
      const r = await call('group_open_http_svc/import_group_member', {
        GroupId: g.GroupId,
        MemberList: batch,
      });
      if (r.ErrorCode !== 0) {
        tally('group members').failed += batch.length;
        problem(`${batch.length} members of group ${g.GroupId}`, r);
        continue;
      }
      for (const m of r.MemberList as { Member_Account: string; Result: number }[]) {
        if (m.Result === 1) tally('group members').imported++;
        else if (m.Result === 2) tally('group members').duplicate++;
        else {
          tally('group members').failed++;
          out(`  failed member ${m.Member_Account} of group ${g.GroupId}: no such account`);
        }
      }
    }
    out(`  group ${g.GroupId}: ${MsgList.length} messages, ${MemberList.length} members`);
  }

  const c2c = [...(data.C2CMessages ?? [])].sort((a, b) => Number(a.MsgTimeStamp) - Number(b.MsgTimeStamp));
  out(`one-to-one messages: ${c2c.length}`);
  // importmsg answers a repeat OK, as Tencent does: the summary tells repeats apart by the dedup key.
  for (const [i, m] of c2c.entries()) {
    const there = await alreadyImported(p, app.sdkAppId, m);
    const r = await call('openim/importmsg', { SyncFromOldSystem: 2, ...m });
    if (r.ErrorCode === 0) tally('one-to-one messages')[there ? 'duplicate' : 'imported']++;
    else {
      tally('one-to-one messages').failed++;
      problem(`one-to-one message ${i + 1} (${String(m.From_Account)} -> ${String(m.To_Account)})`, r);
    }
    if ((i + 1) % 500 === 0) out(`  ${i + 1}/${c2c.length}`);
  }

  out('summary:');
  let failed = false;
  for (const [name, t] of Object.entries(tallies)) {
    out(`  ${name}: ${t.imported} imported, ${t.duplicate} already there, ${t.failed} failed`);
    if (t.failed > 0) failed = true;
  }
  return failed;
}

/** Whether importmsg already stored this message (its dedup key, messaging/import.ts). */
async function alreadyImported(p: Pushline, sdkAppId: number, m: Body): Promise<boolean> {
  const key = c2cImportKey({
    from: String(m.From_Account),
    to: String(m.To_Account),
    msgSeq: Number(m.MsgSeq),
    msgRandom: Number(m.MsgRandom),
    msgTime: Number(m.MsgTimeStamp),
  });
  const row = await p.db
    .selectFrom('messages')
    .select('id')
    .where('sdkappid', '=', sdkAppId)
    .where('dedup_key', '=', key)
    .executeTakeFirst();
  return row !== undefined;
}
