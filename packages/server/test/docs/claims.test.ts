// Claims of the docs that once disagreed with the product or with another page: the REST command table
// against the commands the server answers, the loss example of docs/statistics.md against the codes the
// channels record, and the pages that describe the same mechanism (sign-in throttling, crash recovery,
// the in-flight bound) against each other and config.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_KEYS } from '../../src/config.js';
import { POST_SEND_LOSS_INFO } from '../../src/push/outcomes/loss.js';
import { PUSH_PLATFORMS } from '../../src/push/outcomes/platforms.js';
import { APNS_ANSWERS } from '../../src/push/vendors/apns/channel.js';
import { FCM_ANSWERS } from '../../src/push/vendors/fcm/channel.js';
import { HONOR_ANSWERS } from '../../src/push/vendors/honor/channel.js';
import { HUAWEI_ANSWERS } from '../../src/push/vendors/huawei/channel.js';
import { MEIZU_ANSWERS } from '../../src/push/vendors/meizu/channel.js';
import { OPPO_ANSWERS } from '../../src/push/vendors/oppo/channel.js';
import { VIVO_ANSWERS } from '../../src/push/vendors/vivo/channel.js';
import { WEBPUSH_ANSWERS } from '../../src/push/vendors/webpush/channel.js';
import { XIAOMI_ANSWERS } from '../../src/push/vendors/xiaomi/channel.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const root = resolve(import.meta.dirname, '../../../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

/** The paragraph or list item of `text` that contains `needle` (up to the next blank line or bullet). */
function passage(text: string, needle: string): string {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`"${needle}" not found`);
  const start = Math.max(text.lastIndexOf('\n\n', at), text.lastIndexOf('\n- ', at)) + 1;
  const ends = [text.indexOf('\n\n', at), text.indexOf('\n- ', at)].filter((i) => i >= 0);
  return text.slice(start, ends.length > 0 ? Math.min(...ends) : undefined);
}

describe('docs/rest-api.md', () => {
  const doc = read('docs/rest-api.md');
  /**
   * Commands of the tables up to the callbacks (whose tables list callbacks, not commands);
   * `timpush/add_tag`, `remove_tag`, … share the first one's service.
   */
  const documented = doc
    .split('## Commands')[1]!
    .split('## Message callbacks')[0]!
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .flatMap((l) => {
      const names = [...l.split('|')[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
      const service = names[0]!.split('/')[0];
      return names.map((n) => (n.includes('/') ? n : `${service}/${n}`));
    });
  /** The command names the v4 handlers register (Tencent spells a few in capitals: `ConfigSvc/GetIPList`). */
  const registered = new Set(
    readdirSync(join(root, 'packages/server/src/http/v4'))
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => [
        ...read(`packages/server/src/http/v4/${f}`).matchAll(/'([A-Za-z0-9_]+\/[A-Za-z0-9_]+)'/g),
      ])
      .map((m) => m[1]!)
      // Content types the router sets are not commands.
      .filter((name) => !/^(text|application)\//.test(name)),
  );
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('lists exactly the commands the handlers register', () => {
    expect(documented.length).toBeGreaterThan(40);
    expect([...new Set(documented)].sort()).toEqual([...registered].sort());
  });

  it('every listed command is answered (not 60009)', async () => {
    const unknown: string[] = [];
    for (const command of documented) {
      const r = await server.v4(command, {});
      if (r.ErrorCode === 60009) unknown.push(command);
    }
    expect(unknown).toEqual([]);
    expect((await server.v4('openim/no_such_command', {})).ErrorCode).toBe(60009);
  });

  it('says 60009 only of unknown commands', () => {
    const lines = doc.split('\n').filter((l) => l.includes('60009'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/unknown|any other/);
  });
});

describe('docs/statistics.md loss example', () => {
  const doc = read('docs/statistics.md');
  const tables: Record<string, Record<string, { outcome: string }>> = {
    apns: APNS_ANSWERS,
    fcm: FCM_ANSWERS,
    huawei: HUAWEI_ANSWERS,
    honor: HONOR_ANSWERS,
    xiaomi: XIAOMI_ANSWERS,
    oppo: OPPO_ANSWERS,
    vivo: VIVO_ANSWERS,
    meizu: MEIZU_ANSWERS,
    webpush: WEBPUSH_ANSWERS,
  };
  const vendorOf = (platform: number) => Object.entries(PUSH_PLATFORMS).find(([, p]) => p === platform)?.[0];

  it('shows vendor codes the channels record, under the right kind', () => {
    const block = /```json\n(\{ "ReadyToSendLoss"[\s\S]*?)```/.exec(doc)?.[1];
    expect(block).toBeDefined();
    // The example elides long texts with "…"; it is JSON otherwise.
    const example = JSON.parse(block!) as Record<
      string,
      { ErrCode: string; ErrInfo: string; PushPlatform?: number }[]
    >;
    const entries = [...example.PostSendDeliveredLoss!, ...example.PlatformPostSendDeliveredLoss!];
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) {
      const kind = e.ErrInfo.split(':')[0]!;
      expect(Object.keys(POST_SEND_LOSS_INFO), e.ErrInfo).toContain(kind);
      // Under a PushPlatform the code is one of that vendor's; without, one of some vendor's.
      const vendors = e.PushPlatform !== undefined ? [vendorOf(e.PushPlatform)!] : Object.keys(tables);
      // Under a PushPlatform, ErrInfo says what the vendor's code means (the vendor answers table).
      const info =
        e.PushPlatform !== undefined
          ? (tables[vendors[0]!]?.[e.ErrCode]?.why ?? POST_SEND_LOSS_INFO[kind])
          : POST_SEND_LOSS_INFO[kind];
      if (!e.ErrInfo.endsWith('…')) expect(e.ErrInfo).toBe(`${kind}: ${info}`);
      const meaning = vendors.map((v) => tables[v]?.[e.ErrCode]?.outcome).filter(Boolean);
      expect(meaning, `${e.ErrCode} (PushPlatform ${e.PushPlatform ?? '-'})`).toContain(kind);
    }
  });
});

describe('pages describing the same mechanism agree', () => {
  const docs = readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => ({ file: `docs/${f}`, text: read(`docs/${f}`) }));

  it('console sign-in throttling is where docs/deployment.md says it is', () => {
    const row = read('docs/deployment.md')
      .split('\n')
      .find((l) => l.includes('console sign-in throttling'));
    expect(row).toBeDefined();
    const manyMachines = row!.split('|').at(-2)!.trim();
    expect(manyMachines).toBe('Redis');
    const said = passage(read('docs/console.md'), '**Sign-in rate limits**');
    expect(said).toContain('Redis');
    expect(said).not.toMatch(/in memory on each node/);
  });

  it('all-member push crash safety names the recovery of docs/delivery.md', () => {
    const recovery = read('docs/delivery.md').split('## Recovery')[1]!.split('\n## ')[0]!;
    // The section from "Crash safety." to the next heading.
    const crash = read('docs/all-member-push.md').split('**Crash safety.**')[1]!.split('\n## ')[0]!;
    for (const key of ['nodeTimeout', 'pushVisibilityTimeout', 'nodeId']) {
      expect(recovery, key).toContain(`\`${key}\``);
      expect(crash, key).toContain(`\`${key}\``);
    }
  });

  it('the in-flight bound and batch sizes are the configuration defaults', () => {
    const batch = Number(CONFIG_KEYS.pushBatchSize.default);
    const concurrency = Number(CONFIG_KEYS.pushConcurrency.default);
    let found = 0;
    for (const { file, text } of docs) {
      const flat = text.replace(/\s+/g, ' ');
      for (const m of flat.matchAll(/(\d+) batches of (\d[\d,]*) jobs/g)) {
        found++;
        expect([Number(m[1]), Number(m[2]!.replace(/,/g, ''))], file).toEqual([concurrency, batch]);
      }
    }
    expect(found).toBeGreaterThanOrEqual(2);
  });
});
