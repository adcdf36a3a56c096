// Push tasks (all_member_push/im_push, timpush/push, timpush/batch, and large group messages:
// group-fan-out.ts) -> push jobs, a page of recipients at a time: each page's jobs and the task's cursor commit in one transaction, so after a crash the task resumes
// after the last committed page (a page is never enqueued twice). Only one page is in memory at a time.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { AccountsService } from '../../apps/accounts.js';
import type { AudienceQuery } from '../../audience/query.js';
import type { MsgBody, OfflinePushInfo } from '../../messaging/message-types.js';
import type { Database } from '../../store/schema.js';
import { prepareDecision } from '../decide/decide.js';
import type { OutcomeRecorder } from '../outcomes/recorder.js';
import type { TransactionalPushQueue } from '../queue/index.js';
import { batchPages } from '../tasks/resume.js';
import { type PushTaskService, TaskCancelledError, TaskTakenOverError } from '../tasks/store.js';
import type { FanOutStarter, PushTask } from '../tasks/types.js';
import { type DevicePushDeps, devicePushes, type PushSource } from './device-pushes.js';
import { groupAudienceSize, groupPageReceivers, groupPages, groupTaskMessage } from './group-fan-out.js';
import { messageSource } from './message-pushes.js';
import type { PushRecorder } from './push-recorder.js';

export interface FanOutDeps extends DevicePushDeps {
  db: Kysely<Database>;
  tasks: PushTaskService;
  audience: AudienceQuery;
  queue: TransactionalPushQueue;
  log: Logger;
  /** Each page's trace rows commit with its jobs. */
  outcomes: OutcomeRecorder;
  /** Told after each page's commit (tests). */
  observer?: PushRecorder | undefined;
  /** Jobs of a page were committed: the dispatcher should not wait for its next idle poll (`first`: at once). */
  onEnqueued?: (first: boolean) => void;
  /** Recipients per page and transaction (default 500). */
  pageSize?: number;
  /**
   * Jobs of one certificate per queue row: the dispatcher's batch size, or 1 while a node that cannot read
   * packed rows is alive (NodeLiveness.packedJobsReadable). Default: 500.
   */
  packUpTo?: () => number;
  /** Whether packed rows may list each request once (NodeLiveness.packFormat >= 2). Default: true. */
  sharedRequests?: () => boolean;
}

interface TaskRequest {
  From_Account?: string;
  MsgLifeTime?: number;
  MsgBody?: MsgBody;
  OfflinePushInfo?: OfflinePushInfo;
  OnlineOnlyFlag?: number;
}

/** Receivers in the first transaction of a fan-out, so that its first notifications leave at once. */
const FIRST_PART = 50;

export class FanOut implements FanOutStarter {
  readonly #running = new Map<string, Promise<void>>();
  /** Tasks scheduled for later, held until their start time (the task row keeps it across restarts). */
  readonly #held = new Map<string, NodeJS.Timeout>();
  #stopped = false;

  constructor(private readonly deps: FanOutDeps) {}

  start(task: PushTask): void {
    if (this.#stopped || this.#running.has(task.taskId) || this.#held.has(task.taskId)) return;
    const wait = task.startAt === null ? 0 : task.startAt - this.deps.now();
    if (wait > 0) {
      // setTimeout takes at most 2^31-1 ms (24.8 days): a later start is looked at again then.
      const timer = setTimeout(
        () => {
          this.#held.delete(task.taskId);
          this.start(task);
        },
        Math.min(wait, 2 ** 31 - 1),
      );
      timer.unref();
      this.#held.set(task.taskId, timer);
      return;
    }
    const run = this.#run(task)
      .catch((err) =>
        // Cancelled before it could start (on any node): nothing to run.
        err instanceof TaskCancelledError
          ? this.deps.log.info({ taskId: task.taskId }, err.message)
          : this.deps.log.error({ err, taskId: task.taskId }, 'push task fan-out failed'),
      )
      .finally(() => this.#running.delete(task.taskId));
    this.#running.set(task.taskId, run);
  }

  forget(taskId: string): void {
    clearTimeout(this.#held.get(taskId));
    this.#held.delete(taskId);
  }

  /** Stops after the pages in flight commit; unfinished tasks resume at the next start. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#held.values()) clearTimeout(timer);
    this.#held.clear();
    await Promise.all(this.#running.values());
  }

  async #run(queued: PushTask): Promise<void> {
    const { tasks, audience, db } = this.deps;
    const pageSize = this.deps.pageSize ?? 500;
    const message = queued.kind === 'group' ? groupTaskMessage(queued) : undefined;
    // Counting a large audience takes a while: it waits until the first pushes are on their way.
    const known =
      queued.counts.audienceTotal ?? (queued.kind === 'batch' ? (queued.userIds?.length ?? 0) : undefined);
    const countAudience = () =>
      message
        ? groupAudienceSize(db, message)
        : audience.count(queued.sdkAppId, queued.audience ?? undefined);
    const task = await tasks.markRunning(
      queued.taskId,
      known !== undefined ? { audienceTotal: known } : {},
      this.deps.now(),
    );
    try {
      const source = message
        ? await messageSource(db, this.deps, message, task.taskId)
        : await this.#source(task);
      const pages = message
        ? groupPages(db, message, pageSize, task.cursor)
        : task.kind === 'batch'
          ? batchPages(task, pageSize)
          : audience.iterate(task.sdkAppId, task.audience ?? undefined, {
              pageSize,
              after: task.cursor ?? undefined,
            });
      let from = task.cursor;
      let firstPage = true;
      /** Whether any page enqueued jobs yet: the first ones wake the dispatcher at once. */
      let enqueued = false;
      let counted = known !== undefined;
      const count = async () => {
        counted = true;
        await tasks.markRunning(task.taskId, { audienceTotal: await countAudience() }, this.deps.now());
      };
      for await (const page of pages) {
        // The first few receivers go in a transaction of their own: the first notifications leave while the
        // rest of the page is still being decided, whatever the audience size.
        const parts =
          firstPage && page.length > FIRST_PART
            ? [page.slice(0, FIRST_PART), page.slice(FIRST_PART)]
            : [page];
        firstPage = false;
        for (const part of parts) {
          if (this.#stopped) return;
          // Each page is a chain of promises that never leaves the microtask queue (SQLite answers at once):
          // without a turn of the event loop between pages, the dispatcher's wake-up timer, the HTTP API and
          // the gateway would wait for the whole fan-out. A turn lets them in, so sending starts with the
          // first page instead of after the last.
          await new Promise((resolve) => setImmediate(resolve));
          const jobs = await this.#page(task, source, message, part, from, !enqueued);
          from = part[part.length - 1]!;
          enqueued ||= jobs > 0;
          if (enqueued && !counted) {
            // Counted once the first jobs are on their way, not before: on SQLite a COUNT holds the only
            // thread while it runs (~50 ms over 1,000,000 accounts), and between the REST answer and the
            // first notification it added as much (58–75 ms instead of ~22 ms, bench/README.md). The
            // dispatcher, woken by the commit, leases the jobs and hands them to the sender in microtasks:
            // a turn of the event loop lets that finish first.
            await new Promise((resolve) => setImmediate(resolve));
            await count();
          }
        }
      }
      if (!counted) await count();
      await tasks.finish(task.taskId, { status: 'done' }, this.deps.now());
    } catch (err) {
      // Another node runs this task (it resumed it as orphaned): leave it to that runner.
      if (err instanceof TaskTakenOverError) return;
      if (this.#stopped) throw err;
      await tasks.finish(
        task.taskId,
        { status: 'failed', error: err instanceof Error ? err.message : String(err) },
        this.deps.now(),
      );
      throw err;
    }
  }

  /**
   * One page: its jobs, trace rows and the task's position commit together; then the dispatcher is woken (at
   * once for the fan-out's first jobs). Returns how many jobs it enqueued.
   */
  async #page(
    task: PushTask,
    source: PushSource,
    message: ReturnType<typeof groupTaskMessage> | undefined,
    page: string[],
    from: string | null,
    firstJobs: boolean,
  ): Promise<number> {
    const { tasks, db, queue } = this.deps;
    const pushes = await db.transaction().execute(async (trx) => {
      const receivers = message
        ? await groupPageReceivers(trx, message, page)
        : page.map((userId) => ({ userId }));
      const p = await devicePushes(trx, this.deps, source, receivers);
      // The page's jobs of one certificate share queue rows of a dispatcher batch each (push/queue/sql-packs.ts).
      if (p.tasks.length > 0)
        await queue.enqueueWith(trx, p.tasks, {
          groupKey: task.taskId,
          packUpTo: this.deps.packUpTo?.() ?? 500,
          sharedRequests: this.deps.sharedRequests?.() ?? true,
        });
      await this.deps.outcomes.writeDecisions(trx, p.accepted, p.skipped);
      await tasks.saveProgress(
        task.taskId,
        {
          cursor: page[page.length - 1]!,
          enqueued: p.usersEnqueued,
          skipped: page.length - p.usersEnqueued,
          from,
        },
        trx,
        this.deps.now(),
      );
      return p;
    });
    if (pushes.tasks.length > 0) this.deps.onEnqueued?.(firstJobs);
    this.deps.outcomes.countDecisions(pushes.accepted, pushes.skipped);
    if (pushes.accepted.length > 0) this.deps.observer?.accepted(pushes.accepted);
    if (pushes.skipped.length > 0) this.deps.observer?.skipped(pushes.skipped);
    return pushes.tasks.length;
  }

  async #source(task: PushTask): Promise<PushSource> {
    const req = task.request as TaskRequest;
    const from = req.From_Account ?? '';
    const sender = from ? await new AccountsService(this.deps.db).get(task.sdkAppId, from) : undefined;
    const body = req.MsgBody ?? [];
    const push = req.OfflinePushInfo ? { offlinePushInfo: req.OfflinePushInfo } : {};
    const lifeTime = req.MsgLifeTime !== undefined ? { msgLifeTime: req.MsgLifeTime } : {};
    const kind = task.kind === 'batch' ? 'batch' : 'all-member';
    return {
      sdkAppId: task.sdkAppId,
      decider: prepareDecision({
        kind: 'message',
        chatType: 'c2c',
        senderId: from,
        onlineOnly: req.OnlineOnlyFlag === 1,
        body,
        ...push,
        ...lifeTime,
      }),
      render: {
        kind: 'message',
        chatType: 'c2c',
        task: true,
        sender: { userId: from, ...(sender?.nick ? { nick: sender.nick } : {}) },
        body,
        ...push,
        ...lifeTime,
        now: task.createdAt,
      },
      record: { sdkAppId: task.sdkAppId, kind, taskId: task.taskId, ...(from ? { fromUser: from } : {}) },
    };
  }
}
