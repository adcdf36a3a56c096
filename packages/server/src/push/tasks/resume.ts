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

/**
 * Several nodes: restarts unfinished tasks nobody has moved for `staleMs` — their node died (or never got to
 * start them). A runner that was merely slow loses nothing: the page cursor check in saveProgress lets only
 * one runner commit each page, and the other stops.
 */
export async function resumeOrphaned(
  tasks: PushTaskService,
  starter: FanOutStarter,
  staleMs: number,
  now: number,
): Promise<number> {
  const orphaned = (await tasks.unfinished()).filter((t) => t.updatedAt <= now - staleMs);
  for (const task of orphaned) starter.start(task);
  return orphaned.length;
}

/** The recipients of a batch task after `after`, `pageSize` at a time (the same cursor rule as the audience). */
export function* batchPages(task: PushTask, pageSize: number, after = task.cursor): Generator<string[]> {
  const ids = task.userIds ?? [];
  let start = after === null ? 0 : ids.findIndex((id) => id > after);
  if (start < 0) return;
  for (; start < ids.length; start += pageSize) yield ids.slice(start, start + pageSize);
}
