// The durable push queue: its contract (types.ts) and the embedded SQL implementation.
export { SqlPushQueue, type SqlQueueOptions } from './sql-queue.js';
export type * from './types.js';
