// The Dockerfile, docker-compose.yml and the start commands of docs/deployment.md, checked without Docker (CI
// cannot build images; .ci/run adds hadolint and `docker compose config` where they exist): the Dockerfile is
// well formed (FROM first, stages that exist, exec-form CMD/ENTRYPOINT/HEALTHCHECK, a non-root USER, EXPOSE =
// the default port) and its health check works against a real server; the Compose file runs two Pushline
// nodes on one PostgreSQL and one Redis with configuration keys that exist and values the server accepts.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CONFIG_KEYS, loadConfig } from '../src/config.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const root = resolve(import.meta.dirname, '../../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const run = promisify(execFile);

const KNOWN_ENV = new Set(Object.values(CONFIG_KEYS).map((k) => k.env));
const DEFAULT_PORT = Number(CONFIG_KEYS.port.default);
const SHUTDOWN_TIMEOUT = Number(CONFIG_KEYS.shutdownTimeout.default);

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** Instructions of a Dockerfile: comments and parser directives dropped, `\` continuations joined. */
function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending: Instruction | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trimEnd();
    // Docker drops comment lines, also between continuation lines.
    if (/^\s*#/.test(line) || (!pending && line.trim() === '')) return;
    const continued = line.endsWith('\\');
    const body = continued ? line.slice(0, -1) : line;
    if (pending) pending.args += ` ${body.trim()}`;
    else {
      const m = /^(\S+)\s*(.*)$/.exec(body.trim());
      if (!m) throw new Error(`Dockerfile:${i + 1}: cannot read "${line}"`);
      pending = { keyword: m[1]!, args: m[2]!, line: i + 1 };
    }
    if (!continued) {
      out.push(pending);
      pending = undefined;
    }
  });
  if (pending) throw new Error(`Dockerfile:${pending.line}: continues past the end of the file`);
  return out;
}

const KEYWORDS = new Set([
  'FROM',
  'RUN',
  'CMD',
  'LABEL',
  'EXPOSE',
  'ENV',
  'ADD',
  'COPY',
  'ENTRYPOINT',
  'VOLUME',
  'USER',
  'WORKDIR',
  'ARG',
  'ONBUILD',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'SHELL',
]);

/** The JSON array of an exec-form instruction; throws for the shell form. */
function execForm(args: string, what: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(args);
  } catch {
    throw new Error(`${what} is not in exec form (a JSON array): ${args}`);
  }
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string')) {
    throw new Error(`${what} must be a non-empty JSON array of strings: ${args}`);
  }
  return value as string[];
}

/** `KEY=value KEY2="value 2"` (or the legacy `KEY value`) of an ENV instruction. */
function envPairs(args: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!args.includes('=')) {
    const [key, ...rest] = args.split(/\s+/);
    out[key!] = rest.join(' ');
    return out;
  }
  for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    out[m[1]!] = m[2]!.startsWith('"') ? (JSON.parse(m[2]!) as string) : m[2]!;
  }
  return out;
}

describe('Dockerfile', () => {
  const all = instructions(read('Dockerfile'));
  const stages: { name?: string; from: string; body: Instruction[] }[] = [];
  for (const ins of all) {
    if (ins.keyword === 'FROM') {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      if (!m) throw new Error(`Dockerfile:${ins.line}: bad FROM "${ins.args}"`);
      stages.push({ from: m[1]!, ...(m[2] ? { name: m[2] } : {}), body: [] });
    } else stages.at(-1)?.body.push(ins);
  }
  const final = stages.at(-1)!;
  const only = (keyword: string) => final.body.filter((i) => i.keyword === keyword);
  // Parsed in the tests, so that a shell-form instruction fails a test rather than the collection.
  const entrypoint = () => execForm(only('ENTRYPOINT').at(-1)?.args ?? '', 'ENTRYPOINT');
  const cmd = () => execForm(only('CMD').at(-1)?.args ?? '', 'CMD');
  const env = Object.assign({}, ...only('ENV').map((i) => envPairs(i.args))) as Record<string, string>;

  it('is well formed: known instructions, FROM first, stages referred to exist', () => {
    expect(all.length).toBeGreaterThan(5);
    for (const ins of all) expect(KEYWORDS, `line ${ins.line}: ${ins.keyword}`).toContain(ins.keyword);
    // Only ARG may come before the first FROM.
    expect(all.find((i) => i.keyword !== 'ARG')?.keyword).toBe('FROM');
    expect(stages.length, 'multi-stage').toBeGreaterThanOrEqual(2);
    for (const [n, stage] of stages.entries()) {
      for (const copy of stage.body.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')) {
        const from = /--from=(\S+)/.exec(copy.args)?.[1];
        if (from) {
          expect(
            stages.slice(0, n).map((s) => s.name),
            `line ${copy.line}: --from=${from}`,
          ).toContain(from);
        }
      }
    }
    expect(final.from).toMatch(/^node:\d+/);
  });

  it('copies from the build context only files that exist and that .dockerignore lets through', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    // `**/x` matches x at any depth, `*` within one path segment; a matched directory takes its contents.
    const patterns = ignored.map(
      (p) =>
        new RegExp(
          `^${p
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*\*\//g, '%%')
            .replace(/\*/g, '[^/]*')
            .replace(/%%/g, '(?:.*/)?')}(?:/.*)?$`,
        ),
    );
    const isIgnored = (path: string) => patterns.some((re) => re.test(path.replace(/\/$/, '')));
    expect(isIgnored('packages/server/node_modules/x')).toBe(true);
    expect(isIgnored('packages/server/dist')).toBe(true);
    const sources = stages
      .flatMap((s) => s.body)
      .filter((i) => i.keyword === 'COPY' && !i.args.includes('--from='))
      .flatMap((i) =>
        i.args
          .split(/\s+/)
          .filter((a) => !a.startsWith('--'))
          .slice(0, -1),
      );
    expect(sources.length).toBeGreaterThan(0);
    for (const src of sources) {
      expect(existsSync(join(root, src)), src).toBe(true);
      expect(isIgnored(src), `${src} is excluded by .dockerignore`).toBe(false);
    }
    // npm install needs every workspace's package.json before it runs.
    const workspaces = (JSON.parse(read('package.json')) as { workspaces: string[] }).workspaces;
    for (const w of workspaces) expect(sources, w).toContain(`${w}/package.json`);
  });

  it('runs `pushline serve` itself as PID 1, as a non-root user', () => {
    // Exec form: no shell (and no npm) between Docker and the server, so `docker stop` reaches it.
    expect(entrypoint()[0]).toBe('node');
    expect(entrypoint()[1]).toBe('packages/server/dist/cli.js');
    expect(existsSync(join(root, 'packages/server/src/cli.ts'))).toBe(true);
    expect(cmd()[0]).toBe('serve');
    const copiedDist = final.body.some(
      (i) => i.keyword === 'COPY' && /packages\/server\/dist(\/|\s|$)/.test(i.args),
    );
    expect(copiedDist, 'the final stage copies packages/server/dist').toBe(true);
    const user = only('USER').at(-1)?.args.split(':')[0];
    expect(user, 'USER in the final stage').toBeDefined();
    expect(['root', '0']).not.toContain(user);
  });

  it('exposes the port the server listens on, with environment the server accepts', () => {
    const exposed = only('EXPOSE').flatMap((i) => i.args.split(/\s+/).map((p) => Number(p.split('/')[0])));
    expect(exposed).toEqual([DEFAULT_PORT]);
    for (const name of Object.keys(env).filter((k) => k.startsWith('PUSHLINE_'))) {
      expect(KNOWN_ENV, name).toContain(name);
    }
    const config = loadConfig({ env });
    expect(config.port).toBe(DEFAULT_PORT);
    expect(config.host).toBe('0.0.0.0');
  });

  describe('HEALTHCHECK', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer();
    });
    afterAll(() => server?.close());

    it('is exec form and passes against a running server, fails against none', async () => {
      const health = only('HEALTHCHECK').at(-1)!;
      const command = execForm(health.args.replace(/^(--\S+\s+)*CMD\s+/, ''), 'HEALTHCHECK CMD');
      expect(command[0]).toBe('node');
      const port = new URL(server.url).port;
      const ok = await run(process.execPath, command.slice(1), {
        env: { ...process.env, PUSHLINE_PORT: port },
      });
      expect(ok.stderr).toBe('');
      const nothing = await run(process.execPath, command.slice(1), {
        env: { ...process.env, PUSHLINE_PORT: '1' },
      }).then(
        () => 0,
        (err: { code: number }) => err.code,
      );
      expect(nothing).toBe(1);
    });
  });
});

type Service = {
  image?: string;
  build?: string | { context: string };
  environment?: Record<string, string | number | boolean> | string[];
  depends_on?: string[] | Record<string, unknown>;
  ports?: string[];
  command?: string | string[];
  stop_grace_period?: string;
};

/** Compose's `${VAR}`, `${VAR:?message}`, `${VAR:-default}` and `$$`, with the given variables. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value
    .replace(/\$\{(\w+)(?::?[?-][^}]*)?\}/g, (_, name: string) => vars[name] ?? '')
    .replace(/\$\$/g, '$');
}

function environment(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env))
    return Object.fromEntries(env.map((e) => [e.split('=')[0]!, e.slice(e.indexOf('=') + 1)]));
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
}

const seconds = (d: string) => {
  const m = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(d);
  return m ? Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0) : Number.NaN;
};

describe('docker-compose.yml', () => {
  const compose = parseYaml(read('docker-compose.yml'), { merge: true }) as {
    services: Record<string, Service>;
  };
  const services = compose.services;
  const secrets = {
    PUSHLINE_MASTER_KEY: 'ab'.repeat(32),
    POSTGRES_PASSWORD: 'pg-secret',
    REDIS_PASSWORD: 'redis-secret',
  };
  const nodes = Object.entries(services).filter(([, s]) => {
    const build = typeof s.build === 'string' ? s.build : s.build?.context;
    return build === '.' || build === './';
  });
  const database = Object.entries(services).find(([, s]) => s.image?.startsWith('postgres:'));
  const redis = Object.entries(services).find(([, s]) => s.image?.startsWith('redis:'));

  it('runs two Pushline nodes built from the Dockerfile, a PostgreSQL and a Redis', () => {
    expect(nodes.length).toBe(2);
    expect(database).toBeDefined();
    expect(redis).toBeDefined();
    for (const [name, node] of nodes) {
      const deps = Array.isArray(node.depends_on) ? node.depends_on : Object.keys(node.depends_on ?? {});
      expect(deps, name).toEqual(expect.arrayContaining([database![0], redis![0]]));
      // Longer than a node's own bound on stopping, so Docker does not SIGKILL a node finishing its work.
      expect(seconds(node.stop_grace_period ?? '10s'), name).toBeGreaterThan(SHUTDOWN_TIMEOUT);
      for (const port of node.ports ?? [])
        expect(String(port).split(':').at(-1), name).toBe(String(DEFAULT_PORT));
    }
  });

  it('configures the nodes with keys that exist and values the server accepts', () => {
    for (const [name, node] of nodes) {
      const env = environment(node);
      for (const key of Object.keys(env)) expect(KNOWN_ENV, `${name}: ${key}`).toContain(key);
      const config = loadConfig({
        env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(v, secrets)])),
      });
      expect(new URL(config.db!).protocol, name).toBe('postgres:');
      expect(new URL(config.db!).hostname, name).toBe(database![0]);
      expect(new URL(config.redis!).protocol, name).toBe('redis:');
      expect(new URL(config.redis!).hostname, name).toBe(redis![0]);
      expect(config.masterKey, name).toBe(secrets.PUSHLINE_MASTER_KEY);
      expect(config.port, name).toBe(DEFAULT_PORT);
    }
  });

  it('gives both nodes what docs/deployment.md says every node shares, and each its own node ID', () => {
    const table = read('docs/deployment.md').split('### Config keys for scale-out')[1]!.split('\n## ')[0]!;
    const rows = table.split('\n').filter((l) => l.startsWith('| `'));
    const shared = rows
      .filter((r) => r.includes('the same on every node'))
      .map((r) => /`(PUSHLINE_\w+)`/.exec(r)![1]!);
    expect(shared).toEqual(expect.arrayContaining(['PUSHLINE_DB', 'PUSHLINE_REDIS', 'PUSHLINE_MASTER_KEY']));
    const [a, b] = nodes.map(([, n]) => environment(n));
    for (const key of shared) {
      expect(a![key], key).toBeDefined();
      expect(a![key], key).toBe(b![key]);
    }
    expect(a!.PUSHLINE_NODE_ID).toBeDefined();
    expect(a!.PUSHLINE_NODE_ID).not.toBe(b!.PUSHLINE_NODE_ID);
  });

  it('takes every secret from the environment, none written in the file', () => {
    const secretish = /PASSWORD|MASTER_KEY|TOKEN|SECRET/;
    for (const [name, service] of Object.entries(services)) {
      for (const [key, value] of Object.entries(environment(service))) {
        if (secretish.test(key)) expect(value, `${name}: ${key}`).toMatch(/^\$\{\w+(:\?[^}]*)?\}$/);
      }
      // Passwords inside URLs, too.
      for (const value of Object.values(environment(service))) {
        const password = /^\w+:\/\/[^:/@]*:([^@]+)@/.exec(value)?.[1];
        if (password) expect(password, `${name}: a password in a URL`).toMatch(/^\$\{\w+(:\?[^}]*)?\}$/);
      }
    }
  });

  it('runs Redis as docs/deployment.md requires for the push queue (AOF, noeviction)', () => {
    const command = [redis![1].command ?? ''].flat().join(' ');
    expect(command).toMatch(/--appendonly yes/);
    expect(command).toMatch(/--maxmemory-policy noeviction/);
  });
});

describe('docs/deployment.md start commands', () => {
  const doc = read('docs/deployment.md');
  const blocks = [...doc.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, text: m[2]! }));

  it('start the server as the process that gets the signal (not through npx or npm exec)', () => {
    const starts = blocks.flatMap((b) =>
      b.text
        .replace(/\\\n\s*/g, ' ')
        .split('\n')
        .filter((l) => /pushline serve|cli\.js serve/.test(l) && !l.trim().startsWith('#')),
    );
    expect(starts.length).toBeGreaterThanOrEqual(4);
    for (const line of starts) {
      expect(line, line).not.toMatch(/\bnpx\b|\bnpm (exec|x)\b/);
      expect(line, line).toMatch(/node_modules\/\.bin\/pushline serve|node \S*cli\.js serve/);
    }
  });

  it('has a systemd unit whose main process is the server and whose stop timeout exceeds shutdownTimeout', () => {
    const unit = blocks.find((b) => b.lang === 'ini' && b.text.includes('[Service]'));
    expect(unit).toBeDefined();
    const setting = (name: string) => new RegExp(`^${name}=(.*)$`, 'm').exec(unit!.text)?.[1];
    expect(setting('ExecStart')).toMatch(/^\/\S*node_modules\/\.bin\/pushline serve( |$)/);
    expect(setting('Type')).toBe('simple');
    expect(Number(setting('TimeoutStopSec'))).toBeGreaterThan(SHUTDOWN_TIMEOUT);
  });
});
