// Builds the push queue the configuration picked (`pushQueue`, `redis`; config.ts resolves `auto`): the SQL
// table, or the Redis queue fed through the SQL outbox (outbox.ts).
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Transact } from '../../store/group-commit.js';
import { openRedis, waitForRedis } from '../../store/redis.js';
import type { Database } from '../../store/schema.js';
import { OutboxPushQueue } from './outbox.js';
import { RedisPushQueue } from './redis-queue.js';
import { SqlPushQueue } from './sql-queue.js';
import type { TransactionalPushQueue } from './types.js';

export interface PushQueueOptions {
  kind: 'sql' | 'redis';
  /** The Redis URL; without it the queue is the SQL table whatever `kind` says. */
  redis?: string | undefined;
  /** Prefix of every Redis key of this deployment. */
  redisPrefix: string;
  /** How the SQL queue runs a settlement's transaction (SqlQueueOptions.transact). */
  transact?: Transact | undefined;
}

export async function createPushQueue(
  config: PushQueueOptions,
  db: Kysely<Database>,
  log: Logger,
  /** This node's ID: the relay's leases of outbox rows carry it (dispatch/nodes.ts). */
  owner?: string,
): Promise<TransactionalPushQueue> {
  const sql = new SqlPushQueue(db, config.transact ? { transact: config.transact } : {});
  if (config.kind === 'sql' || !config.redis) return sql;
  const connection = openRedis(config.redis, 'pushline-queue', log);
  try {
    await waitForRedis(connection, config.redis);
  } catch (err) {
    connection.disconnect();
    throw err;
  }
  const redis = new RedisPushQueue(connection, {
    prefix: `${config.redisPrefix}queue:`,
    ownsConnection: true,
  });
  return new OutboxPushQueue(sql, redis, {
    ...(owner ? { owner } : {}),
    onError: (err) =>
      log.error({ err }, 'push queue: relaying jobs to Redis failed; they wait in the database'),
  });
}
