// What the fan-out engine uses besides PushTaskService: restarting unfinished tasks at startup, and paging
// through a batch task's recipients with the same cursor rule as the audience query (ascending user IDs).
import type { PushTaskService } from './store.js';
import type { FanOutStarter, PushTask } from './types.js';

/** Hands every unfinished task to the engine; call once at startup, after the engine is ready. */
export async function resumeUnfinished(tasks: PushTaskService, starter: FanOutStarter): Promise<number> {
  const pending = await tasks.unfinished();
  for (const task of pending) starter.start(task);
  return pending.length;
}

/** The recipients of a batch task after `after`, `pageSize` at a time (the same cursor rule as the audience). */
export function* batchPages(task: PushTask, pageSize: number, after = task.cursor): Generator<string[]> {
  const ids = task.userIds ?? [];
  let start = after === null ? 0 : ids.findIndex((id) => id > after);
  if (start < 0) return;
  for (; start < ids.length; start += pageSize) yield ids.slice(start, start + pageSize);
}
