// Console push tasks: all-member, tag, attribute and batch pushes with their progress and how they ended, a
// composer that starts one (now or at a later time), and an audience estimate. Starting one goes through the
// very v4 commands `timpush/push` (everyone, tags, attributes) and `timpush/batch` (a UserID list): same
// validation, same Tencent error codes and messages, same task records, called as the app's administrator.
//   GET  /api/console/apps/:sdkappid/push-tasks?status=&before=&limit=  -> {tasks: [...], next}
//   GET  /api/console/apps/:sdkappid/push-tasks/:taskId                 -> {task}
//   POST /api/console/apps/:sdkappid/push-tasks                         -> 201 {task}
//        {audience: "all" | "tags" | "attrs" | "users", tags?, tagMatch?, attrs?, attrMatch?, userIds?,
//         title?, text, ext?, sound?, image?, startAt?, fromAccount?}
//   POST /api/console/apps/:sdkappid/push-tasks/estimate                -> {count}
//        {audience, tags?, tagMatch?, attrs?, attrMatch?, userIds?}: how many accounts would receive it now
//   POST /api/console/apps/:sdkappid/push-tasks/:taskId/cancel          -> {task}, status "cancelled"
//        only before the task started (a push scheduled for later); 409 once it started or ended
//
// A task view adds to the stored task its title and text, its `result` (ok, partial, all-failed,
// no-recipients, failed, or pending while it runs) and its most frequent failure (vendor, code, outcome,
// count) from the push counters; the console explains the code with the vendor answers table.

import { randomInt } from 'node:crypto';
import type { PushTaskView, TaskResult } from '@pushline/contracts';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { AccountsService } from '../../apps/accounts.js';
import type { AppsService } from '../../apps/apps.js';
import type { AttributeStore } from '../../audience/attributes.js';
import { type Condition, resolveCondition } from '../../audience/condition.js';
import { AudienceError } from '../../audience/errors.js';
import type { AudienceQuery } from '../../audience/query.js';
import { existingAccounts } from '../../audience/tags.js';
import { POST_SEND_LOSS_INFO } from '../../push/outcomes/loss.js';
import { sumCounters, TASK_KINDS } from '../../push/outcomes/statistics.js';
import type { PushTaskService } from '../../push/tasks/store.js';
import { TaskStateError } from '../../push/tasks/store.js';
import type { FanOutStarter, PushTask } from '../../push/tasks/types.js';
import type { Database } from '../../store/schema.js';
import { clientIp } from '../../webhooks/sign.js';
import { MAX_BATCH_RECIPIENTS, pushCommands } from '../v4/all-member-push.js';
import { RestError, V4Error } from '../v4/command.js';
import { englishError, errorText } from './error-english.js';
import type { ErrorText } from './error-messages.js';
import { CONSOLE_API, type ConsoleGuards, sendError } from './session.js';
import {
  consoleUserIdSchema,
  keyedIssue,
  optionalConsoleUserIdSchema,
  parseOr400,
  sdkAppIdOf,
} from './validate.js';

export interface ConsoleTasksDeps {
  db: Kysely<Database>;
  now: () => number;
  apps: AppsService;
  accounts: AccountsService;
  attributes: AttributeStore;
  audience: AudienceQuery;
  tasks: PushTaskService;
  starter: FanOutStarter;
  guards: ConsoleGuards;
}

/** How far ahead a push may be scheduled. */
export const MAX_SCHEDULE_AHEAD_MS = 30 * 86_400_000;

const listQuery = z.object({
  status: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']).optional(),
  before: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

const audienceFields = {
  audience: z.enum(['all', 'tags', 'attrs', 'users']),
  tags: z.array(z.string()).max(100).optional(),
  tagMatch: z.enum(['any', 'all']).optional(),
  attrs: z.record(z.string(), z.string()).optional(),
  attrMatch: z.enum(['any', 'all']).optional(),
  // At most MAX_BATCH_RECIPIENTS, checked by audienceIssue with the count.
  userIds: z.array(consoleUserIdSchema).optional(),
};

type AudienceBody = {
  audience: 'all' | 'tags' | 'attrs' | 'users';
  tags?: string[] | undefined;
  attrs?: Record<string, string> | undefined;
  userIds?: string[] | undefined;
};

/**
 * The audience field left empty, if any: a tag, attribute or list push must name whom it is for; a list holds
 * at most timpush/batch's MAX_BATCH_RECIPIENTS different UserIDs (the command would refuse more in English).
 */
function audienceIssue(b: AudienceBody, ctx: z.RefinementCtx): void {
  const listed = new Set(b.userIds ?? []).size;
  const issue =
    b.audience === 'tags' && (b.tags?.length ?? 0) === 0
      ? { path: 'tags', ...keyedIssue('composerTagsRequired') }
      : b.audience === 'attrs' && Object.keys(b.attrs ?? {}).length === 0
        ? { path: 'attrs', ...keyedIssue('composerAttrsRequired') }
        : b.audience === 'users' && listed === 0
          ? { path: 'userIds', ...keyedIssue('composerUsersRequired') }
          : b.audience === 'users' && listed > MAX_BATCH_RECIPIENTS
            ? {
                path: 'userIds',
                ...keyedIssue('composerTooManyUsers', { max: MAX_BATCH_RECIPIENTS, count: listed }),
              }
            : undefined;
  if (issue)
    ctx.addIssue({ code: 'custom', path: [issue.path], message: issue.message, params: issue.params });
}

/**
 * The key of a refusal of the v4 command that the composer's input can cause, with the command's English
 * (and Tencent's code) kept as the answer's `error`; others are pushRefused, the v4 words as its detail.
 */
function v4RefusalText(err: V4Error, body: { fromAccount?: string | undefined }): ErrorText {
  if (err.code === RestError.AccountNotFound && body.fromAccount)
    return errorText('composerSenderNotFound', { userId: body.fromAccount });
  return errorText('pushRefused', { detail: err.message, code: err.code });
}

const estimateBody = z.object(audienceFields).strict().superRefine(audienceIssue);

const createBody = z
  .object({
    ...audienceFields,
    title: z.string().max(200).optional(),
    text: z
      .string()
      .trim()
      .max(4000)
      .refine((v) => v !== '', keyedIssue('composerTextRequired')),
    ext: z.string().max(4000).optional(),
    sound: z.string().trim().max(200).optional(),
    image: z
      .string()
      .trim()
      .max(2000)
      .refine((v) => v === '' || /^https:\/\/[^\s]+$/.test(v), keyedIssue('composerImageHttps'))
      .optional(),
    startAt: z.number().int().min(0).optional(),
    fromAccount: optionalConsoleUserIdSchema.optional(),
  })
  .strict()
  .superRefine(audienceIssue);

/** The v4 Condition of a tag or attribute audience (none: everyone). */
function conditionOf(body: z.infer<typeof estimateBody>): Condition | undefined {
  if (body.audience === 'tags') {
    const tags = [...new Set(body.tags ?? [])];
    return body.tagMatch === 'all' ? { TagsAnd: tags } : { TagsOr: tags };
  }
  if (body.audience === 'attrs') {
    const attrs = body.attrs ?? {};
    return body.attrMatch === 'all' ? { AttrsAnd: attrs } : { AttrsOr: attrs };
  }
  return undefined;
}

export type { TaskResult };

interface MainFailure {
  vendor: string;
  code: string;
  outcome: string;
  count: number;
}

/**
 * How a task ended: `cancelled` (before its start), `failed` (the fan-out stopped), `no-recipients` (done, and nobody had a device to push
 * to), `all-failed` / `partial` (done, and every / some of the vendor answers were failures), `ok`; while it
 * runs, `pending` — or `partial` already when failures came in.
 */
export function taskResult(task: PushTask): TaskResult {
  const { sent, failed, enqueued } = task.counts;
  if (task.status === 'failed' || task.status === 'cancelled') return task.status;
  if (task.status !== 'done') return failed > 0 ? 'partial' : 'pending';
  if (sent === 0 && failed === 0 && enqueued === 0) return 'no-recipients';
  if (failed > 0 && sent === 0) return 'all-failed';
  if (failed > 0) return 'partial';
  return 'ok';
}

/** Title and text of the notification a task sends (OfflinePushInfo, else the message's text). */
function contentOf(request: Record<string, unknown>): { title: string | null; text: string | null } {
  const info = (request.OfflinePushInfo ?? {}) as { Title?: unknown; Desc?: unknown };
  const body = Array.isArray(request.MsgBody)
    ? (request.MsgBody as { MsgContent?: { Text?: unknown } }[])
    : [];
  const bodyText = body.map((e) => e.MsgContent?.Text).find((t) => typeof t === 'string');
  return {
    title: typeof info.Title === 'string' && info.Title ? info.Title : null,
    text:
      typeof info.Desc === 'string' && info.Desc ? info.Desc : typeof bodyText === 'string' ? bodyText : null,
  };
}

/** The most frequent failure (vendor + code) of each task, from the hourly push counters. */
async function mainFailures(
  db: Kysely<Database>,
  sdkAppId: number,
  tasks: PushTask[],
): Promise<Map<string, MainFailure>> {
  const failing = tasks.filter((t) => t.counts.failed > 0).map((t) => t.taskId);
  const rows = await sumCounters(db, sdkAppId, { kinds: TASK_KINDS, taskIds: failing });
  const sums = new Map<string, MainFailure>();
  for (const r of rows) {
    if (!(r.outcome in POST_SEND_LOSS_INFO) || r.outcome === 'undelivered') continue;
    const key = `${r.task_id}\u0000${r.vendor}\u0000${r.code}`;
    const entry = sums.get(key) ?? { vendor: r.vendor, code: r.code, outcome: r.outcome, count: 0 };
    entry.count += r.count;
    sums.set(key, entry);
  }
  const main = new Map<string, MainFailure>();
  for (const [key, f] of sums) {
    const taskId = key.split('\u0000')[0] as string;
    const best = main.get(taskId);
    if (!best || f.count > best.count || (f.count === best.count && f.code < best.code)) main.set(taskId, f);
  }
  return main;
}

/** What the console shows of a task: its request body stays on the server. */
function taskView(task: PushTask, failure: MainFailure | undefined): PushTaskView {
  const { request, cursor: _cursor, userIds, ...rest } = task;
  return {
    ...rest,
    ...contentOf(request),
    recipients: userIds?.length ?? null,
    result: taskResult(task),
    mainFailure: failure ?? null,
  };
}

/** A refused audience: its own message key, or its English words as they are. */
function audienceRefused(reply: FastifyReply, err: AudienceError): FastifyReply {
  return err.text
    ? sendError(reply, 400, err.text.key, err.text.params)
    : sendError(reply, 400, 'audienceInvalid', { detail: err.message });
}

export function registerConsoleTasks(fastify: FastifyInstance, deps: ConsoleTasksDeps): void {
  const withApp = { preHandler: [deps.guards.requireConsoleUser, deps.guards.requireAppAccess()] };
  const base = `${CONSOLE_API}/apps/:sdkappid/push-tasks`;
  const commands = (startAt?: number) => {
    const all = pushCommands(deps, { ...(startAt !== undefined ? { startAt } : {}) });
    const timPush = all.find((c) => c.name === 'timpush/push');
    const batch = all.find((c) => c.name === 'timpush/batch');
    if (!timPush || !batch) throw new Error('the timpush/push or timpush/batch command is missing');
    return { timPush, batch };
  };
  commands();

  const views = async (sdkAppId: number, tasks: PushTask[]) => {
    const failures = await mainFailures(deps.db, sdkAppId, tasks);
    return tasks.map((t) => taskView(t, failures.get(t.taskId)));
  };

  fastify.get(base, { ...withApp, config: { schemas: { query: listQuery } } }, async (request, reply) => {
    const query = parseOr400(listQuery, request.query, reply);
    if (!query) return;
    const sdkAppId = sdkAppIdOf(request.params);
    try {
      const page = await deps.tasks.list(sdkAppId, query);
      return { tasks: await views(sdkAppId, page.tasks), next: page.next };
    } catch (err) {
      if (err instanceof TaskStateError) return sendError(reply, 400, 'cursorInvalid');
      throw err;
    }
  });

  fastify.get(`${base}/:taskId`, withApp, async (request, reply) => {
    const { taskId } = request.params as { taskId: string };
    const sdkAppId = sdkAppIdOf(request.params);
    const task = await deps.tasks.get(sdkAppId, taskId);
    if (!task) return sendError(reply, 404, 'taskNotFound', { taskId });
    return { task: (await views(sdkAppId, [task]))[0] };
  });

  fastify.post(`${base}/:taskId/cancel`, withApp, async (request, reply) => {
    const { taskId } = request.params as { taskId: string };
    const sdkAppId = sdkAppIdOf(request.params);
    try {
      const task = await deps.tasks.cancel(sdkAppId, taskId, deps.now());
      if (!task) return sendError(reply, 404, 'taskNotFound', { taskId });
      deps.starter.forget?.(taskId);
      request.log.info(
        { audit: 'console.push-task.cancel', user: request.consoleUser!.username, sdkAppId, taskId },
        'console: push task cancelled',
      );
      return { task: (await views(sdkAppId, [task]))[0] };
    } catch (err) {
      if (!(err instanceof TaskStateError)) throw err;
      const current = await deps.tasks.get(sdkAppId, taskId);
      if (current?.status === 'cancelled') return sendError(reply, 409, 'taskAlreadyCancelled', { taskId });
      if (current) return sendError(reply, 409, 'taskAlreadyStarted', { taskId, status: current.status });
      // Gone between the cancel and the look (the app's data was deleted meanwhile).
      return sendError(reply, 404, 'taskNotFound', { taskId });
    }
  });

  fastify.post(
    `${base}/estimate`,
    { ...withApp, config: { schemas: { body: estimateBody } } },
    async (request, reply) => {
      const body = parseOr400(estimateBody, request.body, reply);
      if (!body) return;
      const sdkAppId = sdkAppIdOf(request.params);
      if (body.audience === 'users') {
        const ids = [...new Set(body.userIds ?? [])];
        const known = await existingAccounts(deps.db, sdkAppId, ids);
        return { count: known.size, unknown: ids.filter((id) => !known.has(id)).slice(0, 20) };
      }
      try {
        const slots = await deps.attributes.slotsByName(sdkAppId);
        const filter = resolveCondition(conditionOf(body), slots);
        return { count: await deps.audience.count(sdkAppId, filter), unknown: [] };
      } catch (err) {
        if (err instanceof AudienceError) return audienceRefused(reply, err);
        throw err;
      }
    },
  );

  fastify.post(base, { ...withApp, config: { schemas: { body: createBody } } }, async (request, reply) => {
    const body = parseOr400(createBody, request.body, reply);
    if (!body) return;
    const app = await deps.apps.get(sdkAppIdOf(request.params));
    if (!app) return sendError(reply, 404, 'appNotFound', { sdkAppId: sdkAppIdOf(request.params) });
    const now = deps.now();
    if (body.startAt !== undefined && body.startAt <= now) {
      return sendError(reply, 400, 'startAtPast');
    }
    if (body.startAt !== undefined && body.startAt > now + MAX_SCHEDULE_AHEAD_MS) {
      return sendError(reply, 400, 'startAtTooFar');
    }
    if (body.ext !== undefined && body.ext !== '') {
      try {
        JSON.parse(body.ext);
      } catch {
        // Ext is any string for Tencent; the console asks for JSON so that apps can read it as data.
        return sendError(reply, 400, 'extNotJson');
      }
    }
    const image = body.image || undefined;
    const sound = body.sound || undefined;
    const offlinePushInfo = {
      ...(body.title ? { Title: body.title } : {}),
      Desc: body.text,
      ...(body.ext ? { Ext: body.ext } : {}),
      ...(image || sound
        ? { ApnsInfo: { ...(sound ? { Sound: sound } : {}), ...(image ? { Image: image } : {}) } }
        : {}),
      ...(image || sound
        ? {
            AndroidInfo: {
              ...(sound ? { Sound: sound } : {}),
              ...(image ? { HuaWeiImage: image, HonorImage: image, GoogleImage: image } : {}),
            },
          }
        : {}),
    };
    const common = {
      MsgRandom: randomInt(0, 2 ** 32),
      ...(body.fromAccount ? { From_Account: body.fromAccount } : {}),
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: body.text } }],
      OfflinePushInfo: offlinePushInfo,
    };
    const condition = conditionOf(body);
    // The v4 command checks the condition too, but answers in English only: checked here first, with keys.
    if (condition) {
      try {
        resolveCondition(condition, await deps.attributes.slotsByName(app.sdkAppId));
      } catch (err) {
        if (!(err instanceof AudienceError)) throw err;
        // The English stays the command's answer (pushRefused, with Tencent's code); `text` is the key.
        const refused = errorText('pushRefused', { detail: err.message, code: err.code });
        return reply.code(400).send({ error: englishError(refused), text: err.text ?? refused });
      }
    }
    const { timPush, batch } = commands(body.startAt);
    const [command, v4Request] =
      body.audience === 'users'
        ? [batch, { ...common, To_Account: [...new Set(body.userIds ?? [])] }]
        : [timPush, { ...common, ...(condition ? { Condition: condition } : {}) }];
    const parsed = command.body.safeParse(v4Request);
    if (!parsed.success)
      return sendError(reply, 400, 'pushInvalid', {
        detail: parsed.error.issues[0]?.message ?? 'invalid push',
      });
    try {
      const answer = await command.handle(
        { app, identifier: app.adminIdentifier, log: request.log, clientIp: clientIp(request.ip) },
        parsed.data,
      );
      const task = await deps.tasks.get(app.sdkAppId, String(answer.TaskId));
      request.log.info(
        {
          audit: 'console.push-task.create',
          user: request.consoleUser!.username,
          sdkAppId: app.sdkAppId,
          ...(body.startAt !== undefined ? { startAt: body.startAt } : {}),
        },
        'console: push task started',
      );
      return reply.code(201).send({ task: task && taskView(task, undefined) });
    } catch (err) {
      if (!(err instanceof V4Error)) throw err;
      const english = englishError(errorText('pushRefused', { detail: err.message, code: err.code }));
      return reply.code(400).send({ error: english, text: v4RefusalText(err, body) });
    }
  });
}
