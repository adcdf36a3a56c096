// Helpers shared by the CLI's command modules (cli.ts and cli/*.ts).
import type { Command } from 'commander';
import { type ConfigInput, loadConfig, type PushlineConfig } from '../config.js';
import type { Pushline } from '../server.js';

export interface CommonOpts {
  config?: string;
  data?: string;
  db?: string;
  redis?: string;
}

export function withStorageOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'config file (JSON or YAML); also PUSHLINE_CONFIG')
    .option('-d, --data <dir>', 'data directory (default ./data); also PUSHLINE_DATA')
    .option('--db <url>', 'database URL: sqlite:<file> or postgres://...; also PUSHLINE_DB')
    .option('--redis <url>', 'Redis URL for several nodes (routing, push queue); also PUSHLINE_REDIS');
}

export function configFrom(opts: CommonOpts, extra: ConfigInput = {}): PushlineConfig {
  return loadConfig({
    configFile: opts.config,
    flags: { dataDir: opts.data, db: opts.db, redis: opts.redis, ...extra },
  });
}

/** Opens storage for a one-shot command, runs it, closes. One thread: a test push needs no send workers. */
export async function withPushline<T>(opts: CommonOpts, run: (p: Pushline) => Promise<T>): Promise<T> {
  const config = configFrom(opts, { logLevel: process.env.PUSHLINE_LOG_LEVEL ?? 'warn', workers: 1 });
  // Loaded here, not at the top: the whole server is most of the CLI's start-up time, and `--help`,
  // `usersig` and other commands that open no storage do not need it.
  const { createPushline } = await import('../server.js');
  const pushline = await createPushline(config);
  try {
    return await run(pushline);
  } finally {
    await pushline.close();
  }
}

export function parseIntStrict(name: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) throw new Error(`${name} must be a positive integer, got "${value}"`);
    return Number(value);
  };
}
