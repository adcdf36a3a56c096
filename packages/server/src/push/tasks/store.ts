// PushTaskService: task records, their progress and their 7-day MsgRandom dedup.
//
// Resuming: the fan-out saves (cursor, enqueued) after each page with saveProgress. After a crash, a task that
// was 'running' is started again; it continues after its saved cursor. The page that was in flight (jobs
// enqueued, cursor not yet saved) is enqueued again: at-least-once for that one page, unless the engine passes
// the transaction that inserted the jobs to saveProgress, which makes the page and its cursor commit together.
import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { AudienceFilter } from '../../audience/condition.js';
import type { Database, PushTasksTable } from '../../store/schema.js';
import type { PushTask, PushTaskKind, PushTaskStatus } from './types.js';

/** Tencent: a repeated MsgRandom within 7 days is the same push task. */
export const DEDUP_WINDOW_MS = 7 * 24 * 3600 * 1000;

export interface NewPushTask {
  sdkAppId: number;
  kind: PushTaskKind;
  command: string;
  msgRandom: number;
  /** Deduplicate a repeat of (command, MsgRandom) within 7 days (im_push, timpush/push). */
  dedup: boolean;
  dataId?: string | undefined;
  audience?: AudienceFilter | undefined;
  /** Batch tasks: the recipients (deduplicated and sorted here). */
  userIds?: string[] | undefined;
  request: Record<string, unknown>;
  /** Hold the task until this UNIX ms (a push scheduled for later); the fan-out starts it then. */
  startAt?: number | undefined;
}

export interface ProgressUpdate {
  /** The last user ID of the page whose jobs are committed. */
  cursor: string;
  /** Users enqueued by this page. */
  enqueued: number;
  /** Users of this page skipped before enqueueing. */
  skipped?: number;
  /**
   * The cursor the page started after (null: the first page). When given, the update applies only if the
   * task's cursor is still there: a second runner of the same task (another node resumed it) cannot commit
   * the same page twice — its transaction fails with TaskTakenOverError and its jobs roll back.
   */
  from?: string | null;
}

export interface OutcomeCounts {
  sent?: number;
  failed?: number;
  skipped?: number;
}

export interface TaskPage {
  tasks: PushTask[];
  /** Pass as `before` for the next (older) page; undefined on the last page. */
  next: string | undefined;
}

export class TaskStateError extends Error {}

/** Another runner committed this task's page first; this runner stops without touching the task. */
export class TaskTakenOverError extends TaskStateError {}
/** The task was cancelled (console) before it started: it must not run. */
export class TaskCancelledError extends TaskStateError {}

type Row = Selectable<PushTasksTable>;

function toTask(r: Row): PushTask {
  const stored = JSON.parse(r.request) as { body: Record<string, unknown>; userIds?: string[] };
  return {
    taskId: r.task_id,
    sdkAppId: r.sdkappid,
    kind: r.kind as PushTaskKind,
    command: r.command,
    msgRandom: r.msg_random,
    dataId: r.data_id,
    audience: r.audience === null ? null : (JSON.parse(r.audience) as AudienceFilter),
    userIds: stored.userIds ?? null,
    request: stored.body,
    status: r.status as PushTaskStatus,
    counts: {
      audienceTotal: r.audience_total,
      enqueued: r.enqueued,
      sent: r.sent,
      failed: r.failed,
      skipped: r.skipped,
    },
    cursor: r.cursor,
    error: r.error,
    createdAt: r.created_at,
    startAt: r.start_at === null || r.start_at === undefined ? null : Number(r.start_at),
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    updatedAt: r.updated_at,
  };
}

/** Tencent-like task IDs: "<sdkappid>_<ms>_<MsgRandom>_<hex>" for all-member pushes, "batch_<hex>_..." for lists. */
export function newTaskId(kind: PushTaskKind, sdkAppId: number, msgRandom: number, now: number): string {
  const hex = randomBytes(8).toString('hex');
  if (kind === 'batch') return `batch_${now.toString(16)}_${hex.slice(0, 8)}_${hex.slice(8)}`;
  return `${sdkAppId}_${now}_${msgRandom}_${hex}`;
}

function encodeCursor(r: { created_at: number; task_id: string }): string {
  return Buffer.from(JSON.stringify([r.created_at, r.task_id])).toString('base64url');
}

function decodeCursor(token: string): [number, string] {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString()) as unknown;
    if (Array.isArray(v) && typeof v[0] === 'number' && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {}
  throw new TaskStateError('invalid task list cursor');
}

export class PushTaskService {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Creates a queued task. With `dedup`, a repeat of (command, MsgRandom) within 7 days returns the existing
   * task instead (`duplicate: true`), so a client may retry a failed call with the same MsgRandom.
   */
  async create(
    input: NewPushTask,
    now = Date.now(),
    /** An open transaction to create the task in (the send of a group message), instead of a new one. */
    within?: Transaction<Database>,
  ): Promise<{ task: PushTask; duplicate: boolean }> {
    const userIds = input.userIds ? [...new Set(input.userIds)].sort() : undefined;
    const dedupKey = input.dedup ? `${input.command}:${input.msgRandom}` : null;
    const row: Row = {
      task_id: newTaskId(input.kind, input.sdkAppId, input.msgRandom, now),
      sdkappid: input.sdkAppId,
      kind: input.kind,
      command: input.command,
      msg_random: input.msgRandom,
      dedup_key: dedupKey,
      data_id: input.dataId ?? null,
      audience: input.audience ? JSON.stringify(input.audience) : null,
      request: JSON.stringify({ body: input.request, ...(userIds ? { userIds } : {}) }),
      status: 'queued',
      audience_total: userIds ? userIds.length : null,
      enqueued: 0,
      sent: 0,
      failed: 0,
      skipped: 0,
      cursor: null,
      error: null,
      created_at: now,
      start_at: input.startAt ?? null,
      started_at: null,
      finished_at: null,
      updated_at: now,
    };
    const run = async (trx: Transaction<Database>) => {
      const insert = () =>
        trx
          .insertInto('push_tasks')
          .values(row)
          .onConflict((oc) => oc.columns(['sdkappid', 'dedup_key']).doNothing())
          .executeTakeFirst();
      if (Number((await insert()).numInsertedOrUpdatedRows ?? 0) > 0)
        return { task: toTask(row), duplicate: false };
      const existing = await trx
        .selectFrom('push_tasks')
        .selectAll()
        .where('sdkappid', '=', input.sdkAppId)
        .where('dedup_key', '=', dedupKey)
        .executeTakeFirstOrThrow();
      if (existing.created_at > now - DEDUP_WINDOW_MS) return { task: toTask(existing), duplicate: true };
      // The earlier task is older than 7 days: it stops deduplicating, the new one takes the key.
      await trx
        .updateTable('push_tasks')
        .set({ dedup_key: null })
        .where('task_id', '=', existing.task_id)
        .execute();
      await insert();
      return { task: toTask(row), duplicate: false };
    };
    return within ? run(within) : this.db.transaction().execute(run);
  }

  async get(sdkAppId: number, taskId: string): Promise<PushTask | undefined> {
    const row = await this.db
      .selectFrom('push_tasks')
      .selectAll()
      .where('sdkappid', '=', sdkAppId)
      .where('task_id', '=', taskId)
      .executeTakeFirst();
    return row ? toTask(row) : undefined;
  }

  /** An app's tasks, newest first, `limit` per page (1..100); `before` is the previous page's `next`. */
  async list(
    sdkAppId: number,
    opts: { limit?: number; before?: string | undefined; status?: PushTaskStatus } = {},
  ): Promise<TaskPage> {
    const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 20), 1), 100);
    let q = this.db.selectFrom('push_tasks').selectAll().where('sdkappid', '=', sdkAppId);
    if (opts.status) q = q.where('status', '=', opts.status);
    if (opts.before !== undefined) {
      const [createdAt, taskId] = decodeCursor(opts.before);
      q = q.where((eb) =>
        eb.or([
          eb('created_at', '<', createdAt),
          eb.and([eb('created_at', '=', createdAt), eb('task_id', '<', taskId)]),
        ]),
      );
    }
    const rows = await q
      .orderBy('created_at', 'desc')
      .orderBy('task_id', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { tasks: page.map(toTask), next: rows.length > limit && last ? encodeCursor(last) : undefined };
  }

  /** Every queued or running task of every app, oldest first: what to (re)start after a restart. */
  async unfinished(): Promise<PushTask[]> {
    const rows = await this.db
      .selectFrom('push_tasks')
      .selectAll()
      .where('status', 'in', ['queued', 'running'])
      .orderBy('created_at')
      .orderBy('task_id')
      .execute();
    return rows.map(toTask);
  }

  /**
   * Marks a task running (first start or resume) and returns it with its saved cursor and counts.
   * `audienceTotal`, when given, is recorded (the engine counts the audience at the first start).
   */
  async markRunning(
    taskId: string,
    opts: { audienceTotal?: number } = {},
    now = Date.now(),
  ): Promise<PushTask> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('push_tasks')
        .selectAll()
        .where('task_id', '=', taskId)
        .executeTakeFirst();
      if (!row) throw new TaskStateError(`push task ${taskId} does not exist`);
      if (row.status === 'cancelled') throw new TaskCancelledError(`push task ${taskId} was cancelled`);
      if (row.status !== 'queued' && row.status !== 'running') {
        throw new TaskStateError(`push task ${taskId} is ${row.status}; it cannot run again`);
      }
      const update = {
        status: 'running',
        started_at: row.started_at ?? now,
        updated_at: now,
        ...(opts.audienceTotal !== undefined ? { audience_total: opts.audienceTotal } : {}),
      };
      // Only while still queued or running: a cancel committed since the read above wins.
      const r = await trx
        .updateTable('push_tasks')
        .set(update)
        .where('task_id', '=', taskId)
        .where('status', 'in', ['queued', 'running'])
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) {
        throw new TaskCancelledError(`push task ${taskId} was cancelled`);
      }
      return toTask({ ...row, ...update });
    });
  }

  /**
   * Records that a page is committed: moves the cursor and adds its counts, in `trx` when given (pass the
   * transaction that inserted the page's jobs to make the page exactly-once). Only a running task moves.
   */
  async saveProgress(
    taskId: string,
    p: ProgressUpdate,
    trx: Kysely<Database> = this.db,
    now = Date.now(),
  ): Promise<void> {
    let q = trx
      .updateTable('push_tasks')
      .set((eb) => ({
        cursor: p.cursor,
        enqueued: eb('enqueued', '+', p.enqueued),
        skipped: eb('skipped', '+', p.skipped ?? 0),
        updated_at: now,
      }))
      .where('task_id', '=', taskId)
      .where('status', '=', 'running');
    if (p.from !== undefined) q = q.where('cursor', p.from === null ? 'is' : '=', p.from);
    const r = await q.executeTakeFirst();
    if (Number(r.numUpdatedRows) > 0) return;
    if (p.from !== undefined) {
      const row = await trx
        .selectFrom('push_tasks')
        .select('status')
        .where('task_id', '=', taskId)
        .executeTakeFirst();
      if (row?.status === 'running') {
        throw new TaskTakenOverError(
          `push task ${taskId} moved past ${p.from ?? 'its start'} in another runner`,
        );
      }
    }
    throw new TaskStateError(`push task ${taskId} is not running`);
  }

  /** Adds delivery outcomes (any status: outcomes may arrive after the fan-out finished). */
  async addOutcomes(taskId: string, c: OutcomeCounts, now = Date.now()): Promise<void> {
    if (!c.sent && !c.failed && !c.skipped) return;
    await this.db
      .updateTable('push_tasks')
      .set((eb) => ({
        sent: eb('sent', '+', c.sent ?? 0),
        failed: eb('failed', '+', c.failed ?? 0),
        skipped: eb('skipped', '+', c.skipped ?? 0),
        updated_at: now,
      }))
      .where('task_id', '=', taskId)
      .execute();
  }

  /**
   * Cancels a task that has not started (a push scheduled for later): it becomes 'cancelled' for good, so
   * neither its start timer nor a restart (unfinished) runs it. Undefined when the app has no such task;
   * TaskStateError when it already started or ended.
   */
  async cancel(sdkAppId: number, taskId: string, now = Date.now()): Promise<PushTask | undefined> {
    const r = await this.db
      .updateTable('push_tasks')
      .set({ status: 'cancelled', finished_at: now, updated_at: now })
      .where('sdkappid', '=', sdkAppId)
      .where('task_id', '=', taskId)
      .where('status', '=', 'queued')
      .where('started_at', 'is', null)
      .executeTakeFirst();
    const task = await this.get(sdkAppId, taskId);
    if (!task || Number(r.numUpdatedRows) > 0) return task;
    throw new TaskStateError(
      task.status === 'cancelled'
        ? `push task ${taskId} is already cancelled`
        : `push task ${taskId} already started (it is ${task.status}): only a push that has not started can be cancelled`,
    );
  }

  /** Ends the fan-out: 'done' once every page is enqueued, or 'failed' with the reason. */
  async finish(
    taskId: string,
    result: { status: 'done' } | { status: 'failed'; error: string },
    now = Date.now(),
  ): Promise<void> {
    const r = await this.db
      .updateTable('push_tasks')
      .set({
        status: result.status,
        error: result.status === 'failed' ? result.error : null,
        finished_at: now,
        updated_at: now,
      })
      .where('task_id', '=', taskId)
      .where('status', 'in', ['queued', 'running'])
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw new TaskStateError(`push task ${taskId} is already finished`);
  }
}
