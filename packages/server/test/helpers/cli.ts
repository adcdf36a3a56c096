// Runs the built `pushline` CLI (packages/server/dist/cli.js; `npm test` builds first).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

export const CLI = resolve(import.meta.dirname, '../../dist/cli.js');

const run = promisify(execFile);

export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it)`);
}

export async function pushline(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...env },
    });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

/** The repository root, where `npm start` runs, and the `pushline` that npm links there (docs/deployment.md). */
export const ROOT = resolve(import.meta.dirname, '../../../..');
export const BIN = resolve(ROOT, 'node_modules/.bin/pushline');

export interface Serving {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Starts `pushline serve` and resolves once it prints its listening URL. */
export async function spawnServer(args: string[], env: Record<string, string> = {}): Promise<Serving> {
  return spawnServing(process.execPath, [CLI, 'serve', '--port', '0', '--host', '127.0.0.1', ...args], {
    env,
  });
}

/**
 * Starts any command that runs `pushline serve` (`npm start`, `node_modules/.bin/pushline serve`...) and
 * resolves once the server logs its URL. `detached` puts it in a process group of its own, as a terminal
 * does: `process.kill(-child.pid, signal)` then signals the whole group, like Ctrl-C.
 */
export async function spawnServing(
  command: string,
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string; detached?: boolean } = {},
): Promise<Serving> {
  const child = spawn(command, args, {
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    ...(opts.detached ? { detached: true } : {}),
  });
  let out = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (m?.[1]) resolveUrl(m[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`${command} ${args.join(' ')} exited early (${code}):\n${out}`)),
    );
  });
  return { child, url, output: () => out };
}

export function waitForExit(child: ChildProcess): Promise<number | null> {
  // A child killed by a signal has no exit code, only its signal.
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((r) => child.once('exit', (code) => r(code)));
}

/** How a child ended within `ms`: its exit code or signal, or `timeout` if it still runs. */
export function exitWithin(
  child: ChildProcess,
  ms: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null } | 'timeout'> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((r) => {
    const timer = setTimeout(() => r('timeout'), ms);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      r({ code, signal });
    });
  });
}

/** Whether nothing accepts connections at `url` any more. */
export function portClosed(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((r) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      r(false);
    });
    socket.once('error', () => r(true));
  });
}
