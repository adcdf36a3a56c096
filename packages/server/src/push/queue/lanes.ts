// The queue's two lanes (docs/delivery.md "Two lanes"). A push task — an all-member, tag, attribute or batch
// push, or a large group's fan-out (PushTask.taskId) — queues up to a million jobs at once; a chat message,
// a call invitation, a badge update or a retraction queues a few, and someone is waiting for each. Each kind
// waits in its own lane, and a lease takes the due jobs of the `direct` lane before those of the `broadcast`
// lane: a chat push queued behind a broadcast's backlog leaves with the next batch, not after the backlog.
// The dispatcher's fair share per certificate counts the two lanes apart as well (dispatch/dispatcher.ts
// `shareOf`), so a broadcast that fills its share never keeps the same app's chat pushes out of a lease.
import type { PushTask } from '../types.js';

export type QueueLane = 'direct' | 'broadcast';

export const QUEUE_LANES: readonly QueueLane[] = ['direct', 'broadcast'];

export function laneOf(task: Pick<PushTask, 'taskId'>): QueueLane {
  return task.taskId !== undefined ? 'broadcast' : 'direct';
}
