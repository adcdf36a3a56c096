// timpush: push traces, loss breakdowns and statistics
// (docs/internals/tencent-im.md#push-statistics-and-traces). Traces are kept 7 days and counters 90 days by
// default (push/outcomes); times are UNIX seconds.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { CHAT_KINDS, losses, statistics, sumCounters, TASK_KINDS } from '../../push/outcomes/statistics.js';
import { loadInstanceTraces } from '../../push/outcomes/trace-view.js';
import type { Database } from '../../store/schema.js';
import { defineCommand, RestError, type V4Command, V4Error } from './command.js';

const MAX_TASK_IDS = 5;
const MAX_WINDOW_SECONDS = 31 * 86_400;

const seconds = z.number().int().nonnegative();
const window = z.object({ StartTime: seconds, EndTime: seconds });

function checkWindow(body: { StartTime: number; EndTime: number }) {
  if (body.EndTime < body.StartTime) {
    throw new V4Error(RestError.InvalidParameters, 'EndTime must not be before StartTime');
  }
  if (body.EndTime - body.StartTime > MAX_WINDOW_SECONDS) {
    throw new V4Error(RestError.InvalidParameters, 'the window from StartTime to EndTime is at most 31 days');
  }
  return { fromSeconds: body.StartTime, toSeconds: body.EndTime };
}

/** A TaskID string or a list of 1..5 of them. */
const taskIds = z
  .union([z.string().min(1), z.array(z.string().min(1))])
  .transform((v) => (Array.isArray(v) ? v : [v]));

export function pushStatsCommands(db: Kysely<Database>): V4Command[] {
  const invalid = { default: RestError.InvalidParameters };
  return [
    defineCommand({
      name: 'timpush/normal_push_trace',
      body: z.object({ PushID: z.string().min(1) }),
      invalid,
      async handle({ app }, body) {
        return { InstanceTrace: await loadInstanceTraces(db, app.sdkAppId, { pushId: body.PushID }) };
      },
    }),

    defineCommand({
      name: 'timpush/all_member_push_trace',
      body: z.object({ TaskID: z.string().min(1), UserID: z.string().min(1) }),
      invalid,
      async handle({ app }, body) {
        return {
          InstanceTrace: await loadInstanceTraces(db, app.sdkAppId, {
            taskId: body.TaskID,
            userId: body.UserID,
          }),
        };
      },
    }),

    defineCommand({
      name: 'timpush/normal_push_loss',
      body: window,
      invalid,
      async handle({ app }, body) {
        const rows = await sumCounters(db, app.sdkAppId, { kinds: CHAT_KINDS, ...checkWindow(body) });
        return losses(rows);
      },
    }),

    defineCommand({
      name: 'timpush/normal_push_statistics',
      body: window,
      invalid,
      async handle({ app }, body) {
        const rows = await sumCounters(db, app.sdkAppId, { kinds: CHAT_KINDS, ...checkWindow(body) });
        return statistics(rows);
      },
    }),

    defineCommand({
      name: 'timpush/all_member_push_statistics',
      body: z.object({ TaskID: taskIds }),
      invalid,
      async handle({ app }, body) {
        const ids = [...new Set(body.TaskID)];
        if (ids.length === 0 || ids.length > MAX_TASK_IDS) {
          throw new V4Error(
            RestError.InvalidParameters,
            `TaskID holds ${ids.length} tasks; give 1 to ${MAX_TASK_IDS}`,
          );
        }
        const rows = await sumCounters(db, app.sdkAppId, { kinds: TASK_KINDS, taskIds: ids });
        return {
          ...statistics(rows),
          // Pushline: the same figures per task.
          TaskStatistics: ids.map((TaskID) => ({
            TaskID,
            ...statistics(rows.filter((r) => r.task_id === TaskID)),
          })),
        };
      },
    }),
  ];
}
