// Redis connections and Lua scripts for scale-out (push/queue/redis-queue.ts, devices/redis-router.ts).
// Every multi-key change runs as one Lua script, so it is atomic against every other node.
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * Opens a connection. Commands wait (queued by ioredis) while the connection is down and reconnects are
 * retried forever: a Redis restart delays pushes and live routing instead of failing the node. Connection
 * errors go to `log` (once per outage, not per reconnect attempt).
 */
export function openRedis(url: string, name: string, log?: Logger): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: null,
    enableAutoPipelining: true,
  });
  let down = false;
  redis.on('error', (err: Error) => {
    if (down) return;
    down = true;
    log?.error({ err: err.message, redis: name }, 'Redis connection lost; retrying');
  });
  redis.on('ready', () => {
    if (down) log?.info({ redis: name }, 'Redis connection back');
    down = false;
  });
  return redis;
}

/** Closes a connection: QUIT when it is up (pending replies arrive first), otherwise just disconnects. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  try {
    if (redis.status === 'ready') {
      await redis.quit();
      return;
    }
  } catch {
    // Fall through: drop the socket.
  }
  redis.disconnect();
}

/** A Lua script run by SHA (EVALSHA), loaded on first use and again after a Redis restart (NOSCRIPT). */
export class LuaScript {
  readonly #sha: string;

  constructor(readonly source: string) {
    this.#sha = createHash('sha1').update(source).digest('hex');
  }

  async run<T>(redis: Redis, args: readonly (string | number)[]): Promise<T> {
    try {
      return (await redis.evalsha(this.#sha, 0, ...args)) as T;
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return (await redis.eval(this.source, 0, ...args)) as T;
    }
  }
}

/**
 * Fails the start with a clear message when Redis refuses the connection or does not answer, instead of
 * waiting forever (later outages are retried: see openRedis).
 */
export async function waitForRedis(redis: Redis, url: string, timeoutMs = 10_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let onError: ((err: Error) => void) | undefined;
  const failed = new Promise<never>((_, reject) => {
    const where = `Redis at ${redactUrl(url)}`;
    timer = setTimeout(
      () => reject(new Error(`${where} did not answer within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    onError = (err) => reject(new Error(`${where}: ${err.message}`));
    redis.once('error', onError);
  });
  try {
    await Promise.race([redis.ping(), failed]);
  } finally {
    clearTimeout(timer);
    if (onError) redis.off('error', onError);
  }
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
