// The durable push queue: its contract (types.ts), the embedded SQL implementation, the Redis one and the
// outbox that feeds Redis from the database.

export { isOutbox, type OutboxOptions, OutboxPushQueue } from './outbox.js';
export { RedisPushQueue, type RedisQueueOptions } from './redis-queue.js';
export { SqlPushQueue, type SqlQueueOptions } from './sql-queue.js';
export type * from './types.js';
