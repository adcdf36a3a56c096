// Every `pushline <command> [<subcommand>] --flag` (also as `node_modules/.bin/pushline …`) shown in README.md
// and docs/*.md must exist in the CLI,
// so a renamed command or option cannot leave copy-pasted commands that fail.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, pushline } from '../helpers/cli.js';

const root = resolve(import.meta.dirname, '../../../..');
const files = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

interface Usage {
  where: string;
  words: string[];
  flags: string[];
}

/** Each `pushline …` in the text: the words after it and the long flags up to the end of the command. */
function usages(file: string): Usage[] {
  // Shell line continuations belong to the same command.
  const lines = readFileSync(join(root, file), 'utf8')
    .replace(/\\\n\s*/g, ' ')
    .split('\n');
  const out: Usage[] = [];
  lines.forEach((line, i) => {
    // `pushline …`, and `…/node_modules/.bin/pushline …` (how docs/deployment.md starts the server).
    for (const m of line.matchAll(
      /(?:(?<![\w./-])|(?<=node_modules\/\.bin\/))pushline ((?:[a-z][a-z-]* ?){1,2})([^`;&]*)/g,
    )) {
      const words = m[1]!.trim().split(' ');
      const flags = [...`${m[1]} ${m[2]}`.matchAll(/(?<![\w-])--[a-z][a-z0-9-]*/g)].map((f) => f[0]);
      out.push({ where: `${file}:${i + 1}`, words, flags });
    }
  });
  return out;
}

/** The command names listed under "Commands:" in a help text. */
function commandsOf(help: string): string[] {
  const section = help.split(/^Commands:$/m)[1] ?? '';
  return [...section.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
}

/** Help texts of the given command paths, four CLI processes at a time. */
async function helpTexts(paths: string[][]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const queue = [...new Map(paths.map((p) => [p.join(' '), p])).values()];
  const worker = async () => {
    for (let path = queue.shift(); path; path = queue.shift()) {
      const r = await pushline([...path, '--help']);
      if (r.code !== 0) throw new Error(`pushline ${path.join(' ')} --help failed: ${r.stderr}`);
      out.set(path.join(' '), r.stdout);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return out;
}

describe('pushline commands in the docs', () => {
  beforeAll(() => assertBuilt());

  it('name commands, subcommands and options that exist', { timeout: 300_000 }, async () => {
    const all = files.flatMap(usages);
    // The docs do show commands: a parser that finds none would pass vacuously.
    expect(all.length).toBeGreaterThan(50);
    const top = commandsOf((await helpTexts([[]])).get('')!);
    expect(top).toContain('serve');
    const known = all.filter((u) => top.includes(u.words[0]!));
    const groups = await helpTexts(known.map((u) => [u.words[0]!]));
    const subsOf = (command: string) => commandsOf(groups.get(command)!);
    // `pushline queue` alone names the group; `pushline queue stats` one of its subcommands.
    const pathOf = (u: Usage) =>
      subsOf(u.words[0]!).length > 0 && u.words[1] !== undefined ? [u.words[0]!, u.words[1]] : [u.words[0]!];
    const valid = known.filter(
      (u) => pathOf(u).length === 1 || subsOf(u.words[0]!).includes(u.words[1] ?? ''),
    );
    const helps = new Map([
      ...groups,
      ...(await helpTexts(valid.filter((u) => pathOf(u).length === 2).map(pathOf))),
    ]);

    const problems: string[] = [];
    for (const u of all) {
      const [command, sub] = u.words;
      if (!top.includes(command!)) {
        problems.push(`${u.where}: pushline ${command}: no such command`);
        continue;
      }
      if (!valid.includes(u)) {
        problems.push(
          `${u.where}: pushline ${command} ${sub ?? ''}: no such subcommand (${subsOf(command!).join(', ')})`,
        );
        continue;
      }
      const path = pathOf(u);
      const text = helps.get(path.join(' '))!;
      for (const flag of u.flags) {
        if (flag !== '--help' && !new RegExp(`${flag}(?![\\w-])`).test(text)) {
          problems.push(`${u.where}: pushline ${path.join(' ')} has no option ${flag}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
