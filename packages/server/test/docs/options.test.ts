// docs/configuration.md against the product: its key table lists exactly the keys of config.ts (with their
// environment variables and defaults), and its table of `pushline serve` flags lists exactly the flags of the
// built CLI, each value it names being one the CLI really accepts. A flag that refuses a documented value
// (as `--log-level trace` once did) fails here.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONFIG_KEYS, type ConfigKey, configSchema } from '../../src/config.js';
import { assertBuilt, pushline } from '../helpers/cli.js';

const doc = readFileSync(resolve(import.meta.dirname, '../../../../docs/configuration.md'), 'utf8');

/** The rows of the first Markdown table after `heading`, as cells (the header and separator rows dropped). */
function table(heading: string): string[][] {
  const start = doc.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`docs/configuration.md has no "${heading}"`);
  const lines = doc.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
  }
  return rows.slice(2);
}

/** The text between backticks, each occurrence. */
const code = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

const keyRows = table('## Keys');
const flagRows = table('### Flags of `pushline serve`');

describe('docs/configuration.md keys', () => {
  it('lists every key of config.ts once, with its environment variable and default', () => {
    expect(keyRows.length).toBeGreaterThan(30);
    const documented = keyRows.map((r) => code(r[0]!)[0]);
    expect([...documented].sort()).toEqual(Object.keys(CONFIG_KEYS).sort());
    for (const [cell, env, def] of keyRows) {
      const key = code(cell!)[0] as ConfigKey;
      const spec = CONFIG_KEYS[key];
      expect(env, key).toBe(`\`${spec.env}\``);
      // A default is shown as its value; a key without one shows a dash or says what happens instead.
      if (spec.default !== undefined) expect(def, key).toBe(`\`${String(spec.default)}\``);
      else expect(def, key).not.toMatch(/^`[^`]*`$/);
    }
  });

  it('names every value of the keys that take one of a list', () => {
    const lists = Object.entries(configSchema.shape).filter(([, s]) => s instanceof z.ZodEnum);
    expect(lists.map(([k]) => k)).toContain('logLevel');
    for (const [key, schema] of lists) {
      const meaning = keyRows.find((r) => code(r[0]!)[0] === key)![3]!;
      for (const value of (schema as z.ZodEnum).options) {
        expect(meaning, `${key}: ${String(value)}`).toMatch(
          new RegExp(`(?<![\\w-])${String(value)}(?![\\w-])`),
        );
      }
    }
  });
});

describe('docs/configuration.md flags of `pushline serve`', { timeout: 120_000 }, () => {
  let dataDir: string;
  let help: Map<string, string>;
  beforeAll(async () => {
    assertBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'pushline-docs-options-'));
    const r = await pushline(['serve', '--help']);
    expect(r.code).toBe(0);
    help = optionsOf(r.stdout);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('lists exactly the options of the built CLI, each with the key it sets', () => {
    const documented = flagRows.map((r) => longFlag(r[0]!));
    expect([...documented].sort()).toEqual([...help.keys()].filter((f) => f !== '--help').sort());
    for (const [flag, keyCell] of flagRows) {
      const key = code(keyCell!)[0] as ConfigKey | undefined;
      if (!key) continue;
      expect(Object.keys(CONFIG_KEYS), flag).toContain(key);
      // The option's help names the environment variable of the same key.
      expect(help.get(longFlag(flag!)), flag).toContain(`also ${CONFIG_KEYS[key].env}`);
    }
  });

  it('every value a flag is documented to accept is accepted by the built CLI', async () => {
    const checks: { flag: string; value: string; accepted: boolean }[] = [];
    for (const [flagCell, keyCell, values] of flagRows) {
      const flag = longFlag(flagCell!);
      const key = code(keyCell!)[0] as ConfigKey | undefined;
      // Literal values only: `sqlite:<file>` or `redis://…` are shapes, not values.
      const literals = code(values!).filter((v) => !/[<>[\]…]|:\/\//.test(v));
      const ranges = [...values!.matchAll(/`(\d+)`\.\.`(\d+)`/g)].map((m) => [Number(m[1]), Number(m[2])]);
      for (const v of literals) checks.push({ flag, value: v, accepted: true });
      // A documented range is the whole range: one past its end is refused.
      for (const [low, high] of ranges) {
        checks.push({ flag, value: String(high! + 1), accepted: false });
        if (low! > 0) checks.push({ flag, value: String(low! - 1), accepted: false });
      }
      const schema = key ? configSchema.shape[key] : undefined;
      if (schema instanceof z.ZodEnum) {
        // A list of choices names all of them, as the environment variable accepts them.
        expect([...literals].sort(), flag).toEqual([...schema.options].map(String).sort());
      }
    }
    expect(checks.filter((c) => c.flag === '--log-level').map((c) => c.value)).toContain('trace');

    const refused: string[] = [];
    const queue = [...checks];
    const worker = async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        // A value that passes the CLI and the configuration gets as far as opening the database, which this
        // URL makes fail at once: nothing listens, nothing is written.
        const r = await pushline(
          ['serve', c.flag, c.value, '--data', dataDir, '--db', 'unsupported:docs-options-check'],
          { PUSHLINE_MASTER_KEY: 'ab'.repeat(32) },
        );
        const accepted = r.code === 1 && r.stderr.includes('unsupported database URL');
        if (accepted !== c.accepted) {
          refused.push(
            `${c.flag} ${c.value}: ${c.accepted ? 'documented but refused' : 'accepted beyond the documented range'}: ${r.stderr.trim().split('\n')[0]}`,
          );
        }
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    expect(refused).toEqual([]);
  });
});

/** `-p, --port <port>` -> `--port`. */
function longFlag(cell: string): string {
  const m = /--[a-z][a-z-]*/.exec(cell);
  if (!m) throw new Error(`no long flag in "${cell}"`);
  return m[0];
}

/** The options of a help text: long flag -> its description (wrapped lines joined). */
function optionsOf(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const section = text.split(/^Options:$/m)[1] ?? '';
  let current = '';
  for (const line of section.split('\n')) {
    const m = /^ {2}(-[^\s,]+(?:, -[^\s,]+)?)(?: <\w+>)?\s+(.*)$/.exec(line);
    if (m) {
      current = longFlag(m[1]!);
      out.set(current, m[2]!);
    } else if (current && /^\s{3,}\S/.test(line)) {
      out.set(current, `${out.get(current)} ${line.trim()}`);
    } else if (!line.trim()) {
      current = '';
    }
  }
  return out;
}
