// The push commands that create push tasks: all_member_push/im_push and timpush/push (everyone, or the users a
// Condition selects) and timpush/batch (a list of 1..500 users). Each validates the request with Tencent's
// codes, creates the task (deduplicating im_push/timpush/push on MsgRandom for 7 days) and hands it to the
// fan-out engine through FanOutStarter; the answer is {"TaskId": ...}. Tencent's price-plan limits (1 s between
// all-member pushes, 100 per day: 90024, 90047) are not enforced. See docs/all-member-push.md.
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type { AccountsService } from '../../apps/accounts.js';
import { isValidUserId, MAX_USER_ID_BYTES } from '../../apps/accounts.js';
import type { AttributeStore } from '../../audience/attributes.js';
import { audienceKind, conditionSchema, resolveCondition } from '../../audience/condition.js';
import { byteLength, PushErrorCode } from '../../audience/errors.js';
import { msgBody, offlinePushInfo } from '../../messaging/message-types.js';
import type { PushTaskService } from '../../push/tasks/store.js';
import type { FanOutStarter, PushTask, PushTaskKind } from '../../push/tasks/types.js';
import { checkedInHandler, defineCommand, RestError, type V4Command, V4Error } from './command.js';
import { audienceCall } from './tags-attrs.js';

export interface PushCommandDeps {
  tasks: PushTaskService;
  attributes: AttributeStore;
  accounts: AccountsService;
  starter: FanOutStarter;
}

const UINT32_MAX = 4_294_967_295;
/** MsgLifeTime: at most 7 days. */
const MAX_LIFETIME_SECONDS = 604_800;
export const MAX_BATCH_RECIPIENTS = 500;
export const MAX_DATA_ID_BYTES = 64;

const msgRandom = z.number().int().min(0).max(UINT32_MAX);
// MsgBody is checked in two steps for Tencent's two codes: not an array (90007), then its elements (90002).
const msgBodyArray = checkedInHandler(z.array(z.unknown()), msgBody);

const allMemberBody = z.object({
  From_Account: z.string().optional(),
  MsgRandom: msgRandom,
  MsgLifeTime: z.number().int().min(0).max(MAX_LIFETIME_SECONDS).optional(),
  Condition: conditionSchema.optional(),
  MsgBody: msgBodyArray.optional(),
  OfflinePushInfo: offlinePushInfo.optional(),
});
const timPushBody = allMemberBody.extend({
  OnlineOnlyFlag: z.union([z.literal(0), z.literal(1)]).optional(),
});
const batchBody = z.object({
  From_Account: z.string().optional(),
  To_Account: z.array(z.string()),
  MsgRandom: msgRandom,
  MsgBody: msgBodyArray.optional(),
  OfflinePushInfo: offlinePushInfo,
  DataId: z.string().optional(),
});

const allMemberInvalid = {
  default: PushErrorCode.Format,
  fields: {
    MsgRandom: PushErrorCode.MsgRandom,
    MsgBody: PushErrorCode.MsgBodyNotArray,
    MsgLifeTime: PushErrorCode.LifeTime,
  },
};

function checkMsgBody(body: unknown[] | undefined): void {
  if (body === undefined) return;
  const parsed = msgBody.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new V4Error(
      PushErrorCode.MsgBodyFormat,
      `invalid MsgBody${issue?.path.length ? `.${issue.path.join('.')}` : ''}: ${issue?.message ?? 'bad element'}`,
    );
  }
}

async function checkSender(deps: PushCommandDeps, sdkAppId: number, admin: string, from: string | undefined) {
  if (from === undefined || from === admin) return;
  if (!(await deps.accounts.get(sdkAppId, from))) {
    throw new V4Error(RestError.AccountNotFound, `From_Account "${from}" does not exist`);
  }
}

/**
 * Hands a committed task to the engine. The task is durable, so the request succeeds even if the engine
 * refuses it now: resumeUnfinished starts every queued task at the next startup.
 */
function start(starter: FanOutStarter, task: PushTask, log: FastifyBaseLogger): void {
  try {
    starter.start(task);
  } catch (err) {
    log.error(
      { err, taskId: task.taskId },
      'the fan-out engine did not take the push task; it starts at the next startup',
    );
  }
}

/**
 * The commands. `options.startAt` (UNIX ms; Pushline's console only, not a REST field) schedules the tasks
 * they create for later: the fan-out holds them until then (push/engine/fan-out.ts).
 */
export function pushCommands(deps: PushCommandDeps, options: { startAt?: number } = {}): V4Command[] {
  const allMember = (name: string, body: typeof allMemberBody | typeof timPushBody) =>
    defineCommand({
      name,
      body,
      invalid: allMemberInvalid,
      async handle({ app, log }, req) {
        if (name === 'all_member_push/im_push' && req.MsgBody === undefined) {
          throw new V4Error(PushErrorCode.MsgBodyNotArray, 'MsgBody is required and must be an array');
        }
        if (req.MsgBody === undefined && req.OfflinePushInfo === undefined) {
          throw new V4Error(PushErrorCode.Format, 'give MsgBody or OfflinePushInfo (or both)');
        }
        checkMsgBody(req.MsgBody);
        await checkSender(deps, app.sdkAppId, app.adminIdentifier, req.From_Account);
        const slots = await deps.attributes.slotsByName(app.sdkAppId);
        const audience = await audienceCall(async () => resolveCondition(req.Condition, slots));
        const { task, duplicate } = await deps.tasks.create({
          sdkAppId: app.sdkAppId,
          kind: audienceKind(audience),
          command: name,
          msgRandom: req.MsgRandom,
          dedup: true,
          audience,
          request: req,
          startAt: options.startAt,
        });
        if (!duplicate) start(deps.starter, task, log);
        return { TaskId: task.taskId };
      },
    });

  return [
    allMember('all_member_push/im_push', allMemberBody),
    allMember('timpush/push', timPushBody),
    defineCommand({
      name: 'timpush/batch',
      body: batchBody,
      invalid: { default: PushErrorCode.Format },
      async handle({ app, log }, req) {
        if (req.To_Account.length === 0)
          throw new V4Error(PushErrorCode.Format, 'To_Account must not be empty');
        if (req.To_Account.length > MAX_BATCH_RECIPIENTS) {
          throw new V4Error(
            PushErrorCode.TooManyAccounts,
            `To_Account holds ${req.To_Account.length} accounts; at most ${MAX_BATCH_RECIPIENTS}`,
          );
        }
        const bad = req.To_Account.find((id) => !isValidUserId(id));
        if (bad !== undefined) {
          throw new V4Error(
            PushErrorCode.Format,
            `To_Account "${bad}" is not a UserID of 1 to ${MAX_USER_ID_BYTES} bytes`,
          );
        }
        if (req.DataId !== undefined && byteLength(req.DataId) > MAX_DATA_ID_BYTES) {
          throw new V4Error(
            PushErrorCode.Format,
            `DataId is ${byteLength(req.DataId)} bytes; at most ${MAX_DATA_ID_BYTES}`,
          );
        }
        checkMsgBody(req.MsgBody);
        await checkSender(deps, app.sdkAppId, app.adminIdentifier, req.From_Account);
        const kind: PushTaskKind = 'batch';
        // The recipients are kept once, deduplicated and sorted, as the task's userIds.
        const { To_Account: recipients, ...request } = req;
        const { task } = await deps.tasks.create({
          sdkAppId: app.sdkAppId,
          kind,
          command: 'timpush/batch',
          msgRandom: req.MsgRandom,
          // Tencent dedups batch MsgRandom only within the same second; Pushline does not dedup batches.
          dedup: false,
          dataId: req.DataId,
          userIds: recipients,
          request,
          startAt: options.startAt,
        });
        start(deps.starter, task, log);
        return { TaskId: task.taskId };
      },
    }),
  ];
}
