// Console push tasks: all-member, tag, attribute and batch pushes with their progress, and a form that starts
// an all-member or tag push. Starting one goes through the very v4 command `timpush/push` (same validation,
// same Tencent error codes and messages, same task records), called as the app's administrator.
//   GET  /api/console/apps/:sdkappid/push-tasks?status=&before=&limit=  -> {tasks: [...], next}
//   GET  /api/console/apps/:sdkappid/push-tasks/:taskId                 -> {task}
//   POST /api/console/apps/:sdkappid/push-tasks                         -> 201 {task}
//        {audience: "all" | "tags", tags?: [...], tagMatch?: "any" | "all", title?, text, fromAccount?}

import { randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AccountsService } from '../../apps/accounts.js';
import type { AppsService } from '../../apps/apps.js';
import { userIdSchema } from '../../apps/user-id.js';
import type { AttributeStore } from '../../push/audience/attributes.js';
import type { PushTaskService } from '../../push/tasks/store.js';
import { TaskStateError } from '../../push/tasks/store.js';
import type { FanOutStarter, PushTask } from '../../push/tasks/types.js';
import { clientIp } from '../../webhooks/sign.js';
import { pushCommands } from '../v4/all-member-push.js';
import { V4Error } from '../v4/command.js';
import { CONSOLE_API, type ConsoleGuards, sendError } from './session.js';
import { parseOr400, sdkAppIdOf } from './validate.js';

export interface ConsoleTasksDeps {
  apps: AppsService;
  accounts: AccountsService;
  attributes: AttributeStore;
  tasks: PushTaskService;
  starter: FanOutStarter;
  guards: ConsoleGuards;
}

const listQuery = z.object({
  status: z.enum(['queued', 'running', 'done', 'failed']).optional(),
  before: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

const createBody = z
  .object({
    audience: z.enum(['all', 'tags']),
    tags: z.array(z.string()).max(100).optional(),
    tagMatch: z.enum(['any', 'all']).optional(),
    title: z.string().max(200).optional(),
    text: z.string().trim().min(1, 'enter the notification text').max(4000),
    fromAccount: z.union([z.literal(''), userIdSchema]).optional(),
  })
  .strict()
  .refine((b) => b.audience === 'all' || (b.tags?.length ?? 0) > 0, {
    path: ['tags'],
    message: 'name at least one tag for a tag push',
  });

/** What the console shows of a task: its request body stays on the server. */
function taskView(task: PushTask) {
  const { request: _request, cursor: _cursor, userIds, ...rest } = task;
  return { ...rest, recipients: userIds?.length ?? null };
}

export function registerConsoleTasks(fastify: FastifyInstance, deps: ConsoleTasksDeps): void {
  const withApp = { preHandler: [deps.guards.requireConsoleUser, deps.guards.requireAppAccess()] };
  const base = `${CONSOLE_API}/apps/:sdkappid/push-tasks`;
  const timPush = pushCommands(deps).find((c) => c.name === 'timpush/push');
  if (!timPush) throw new Error('the timpush/push command is missing');

  fastify.get(base, withApp, async (request, reply) => {
    const query = parseOr400(listQuery, request.query, reply);
    if (!query) return;
    try {
      const page = await deps.tasks.list(sdkAppIdOf(request.params), query);
      return { tasks: page.tasks.map(taskView), next: page.next };
    } catch (err) {
      if (err instanceof TaskStateError) return sendError(reply, 400, `before: ${err.message}`);
      throw err;
    }
  });

  fastify.get(`${base}/:taskId`, withApp, async (request, reply) => {
    const { taskId } = request.params as { taskId: string };
    const task = await deps.tasks.get(sdkAppIdOf(request.params), taskId);
    if (!task) return sendError(reply, 404, `no push task ${taskId}`);
    return { task: taskView(task) };
  });

  fastify.post(base, withApp, async (request, reply) => {
    const body = parseOr400(createBody, request.body, reply);
    if (!body) return;
    const app = await deps.apps.get(sdkAppIdOf(request.params));
    if (!app) return sendError(reply, 404, `no app with SDKAppID ${sdkAppIdOf(request.params)}`);
    const tags = [...new Set(body.tags ?? [])];
    const v4Request = {
      MsgRandom: randomInt(0, 2 ** 32),
      ...(body.fromAccount ? { From_Account: body.fromAccount } : {}),
      ...(body.audience === 'tags'
        ? { Condition: body.tagMatch === 'all' ? { TagsAnd: tags } : { TagsOr: tags } }
        : {}),
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: body.text } }],
      OfflinePushInfo: { ...(body.title ? { Title: body.title } : {}), Desc: body.text },
    };
    const parsed = timPush.body.safeParse(v4Request);
    if (!parsed.success) return sendError(reply, 400, parsed.error.issues[0]?.message ?? 'invalid push');
    try {
      const answer = await timPush.handle(
        { app, identifier: app.adminIdentifier, log: request.log, clientIp: clientIp(request.ip) },
        parsed.data,
      );
      const task = await deps.tasks.get(app.sdkAppId, String(answer.TaskId));
      request.log.info(
        { audit: 'console.push-task.create', user: request.consoleUser!.username, sdkAppId: app.sdkAppId },
        'console: push task started',
      );
      return reply.code(201).send({ task: task && taskView(task) });
    } catch (err) {
      if (err instanceof V4Error) return sendError(reply, 400, `${err.message} (error ${err.code})`);
      throw err;
    }
  });
}
