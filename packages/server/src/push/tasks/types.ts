// Push tasks: the unit of work of an all-member/tag/attribute push (all_member_push/im_push, timpush/push)
// and of a list push (timpush/batch). A task is created (status 'queued') by the REST command, handed to the
// fan-out engine through FanOutStarter, and moves to 'running' and then 'done' or 'failed' (or, while it waits
// for its scheduled start, to 'cancelled' by the console, for good). Its cursor and
// counters are saved as the fan-out pages through the audience, so a task resumes after a crash.
import type { AudienceFilter } from '../../audience/condition.js';

/** `group`: the offline pushes of one large group message (engine/group-fan-out.ts). */
export type PushTaskKind = 'all-member' | 'tag' | 'attr' | 'batch' | 'group';
export type PushTaskStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface PushTaskCounts {
  /** Audience size when the fan-out started (null until known; for batch, the number of distinct users). */
  audienceTotal: number | null;
  /** Users whose push jobs are committed to the queue. */
  enqueued: number;
  /** Pushes the vendors accepted. */
  sent: number;
  /** Pushes that failed for good (rejected, invalid token, retries exhausted). */
  failed: number;
  /** Users with nothing to push to (no account, no device in the background, muted...). */
  skipped: number;
}

export interface PushTask {
  taskId: string;
  sdkAppId: number;
  kind: PushTaskKind;
  /** The v4 command that created it: 'all_member_push/im_push' | 'timpush/push' | 'timpush/batch'. */
  command: string;
  msgRandom: number;
  /** timpush/batch DataId (≤ 64 bytes), echoed in callbacks. */
  dataId: string | null;
  /** Who receives it for all-member/tag/attr tasks; null means every account (and for batch tasks). */
  audience: AudienceFilter | null;
  /** For batch tasks: the distinct recipients, in ascending order (see batchPages). */
  userIds: string[] | null;
  /** The validated request body (MsgBody, OfflinePushInfo, From_Account, MsgLifeTime, ...), replayed by the fan-out. */
  request: Record<string, unknown>;
  status: PushTaskStatus;
  counts: PushTaskCounts;
  /** The last user ID whose jobs are committed; the fan-out continues after it. Null before the first page. */
  cursor: string | null;
  /** Why a task failed. */
  error: string | null;
  createdAt: number;
  /** Scheduled tasks: the fan-out does not start before this UNIX ms (null: at once). */
  startAt: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  updatedAt: number;
}

/**
 * Implemented by the fan-out engine. `start` is called once the task row is committed: by the push commands
 * for a new task (status 'queued'), and at startup for every unfinished task (resumeUnfinished). It must return
 * at once (the fan-out runs in the background) and must not throw; the engine reports through PushTaskService
 * (markRunning, saveProgress, finish; the settlement of their jobs adds the sent and failed counts).
 */
export interface FanOutStarter {
  start(task: PushTask): void;
  /** The task was cancelled before it started: drop its scheduled start, if this runner holds one. */
  forget?(taskId: string): void;
}
