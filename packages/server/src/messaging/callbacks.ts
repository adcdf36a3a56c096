// The message callbacks of Tencent IM (docs/rest-api.md#message-callbacks):
// - C2C/Group.CallbackBeforeSendMsg, POSTed while the send waits: the app's answer {ActionStatus,
//   ErrorCode, ErrorInfo[, MsgBody][, CloudCustomData]} allows the message (ErrorCode 0; a MsgBody or
//   CloudCustomData in the answer replaces the message's), or refuses it (ErrorCode 1 or anything else:
//   20006 for C2C, 10016 for groups; a code in [120001, 130000] reaches the sender with the app's ErrorInfo).
//   A callback that times out (callbackTimeoutMs, default 2 s), cannot be reached, answers non-2xx or no
//   ErrorCode follows the app's callbackFailurePolicy: `allow` (default) or `refuse` (80003).
// - C2C/Group.CallbackAfterSendMsg, queued in the send's transaction in the one callback outbox
//   (webhooks/outbox.ts): delivered at least once, retried with backoff, never blocking.
// Every one carries the message's MsgId (msg-id.ts), the same the sendmsg / send_group_msg answers hold.
// Each is sent only when switched on in the app's settings (callbackCommands) and the send asks for them
// (SendRequest.callbacks: REST sendmsg and send_group_msg unless ForbidCallbackControl says otherwise, SDK
// sends always; batchsendmsg, signaling and other system messages never, as in Tencent IM).
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { AppsService } from '../apps/apps.js';
import {
  type AppSettings,
  callbackEnabled,
  DEFAULT_CALLBACK_TIMEOUT_MS,
  type GroupEventCallback,
} from '../apps/settings.js';
import type { Database } from '../store/schema.js';
import type { WebhookOutbox } from '../webhooks/outbox.js';
import { WebhookPoster } from '../webhooks/poster.js';
import type { CallbackOrigin } from '../webhooks/sign.js';
import { MessagingError } from './errors.js';
import type { GroupsService } from './groups.js';
import type { CommittedMessage, RecipientOutcome } from './hooks.js';
import { msgBody } from './message-types.js';
import { msgIdOf } from './msg-id.js';

/** What a send asks of the message callbacks (SendRequest.callbacks). */
export interface SendCallbacks {
  /** ClientIP and OptPlatform (RESTAPI for REST sends, the device's platform for SDK sends). */
  origin: CallbackOrigin;
  /** False with ForbidCallbackControl ForbidBeforeSendMsgCallback. */
  before: boolean;
  /** False with ForbidCallbackControl ForbidAfterSendMsgCallback. */
  after: boolean;
  /** Who made the request (Operator_Account of group callbacks): the admin for REST, else the sender. */
  operator: string;
}

/** The before-send callback refused the message. */
export const CallbackError = {
  C2CRefused: 20006,
  GroupRefused: 10016,
  /** Timed out or failed, with callbackFailurePolicy `refuse`. */
  Failed: 80003,
} as const;

/** Codes an app may return to have them (and its ErrorInfo) reach the sender. */
export const APP_ERROR_CODES = { min: 120_001, max: 130_000 } as const;

/** What one send does: decided before its transaction (which must not read through the apps service). */
export interface CallbackPlan {
  settings: AppSettings;
  callbacks: SendCallbacks;
  before?: 'C2C.CallbackBeforeSendMsg' | 'Group.CallbackBeforeSendMsg';
  after?: 'C2C.CallbackAfterSendMsg' | 'Group.CallbackAfterSendMsg';
  groupType?: string;
}

interface PlanInput {
  sdkAppId: number;
  target: { kind: 'c2c'; to: string[] } | { kind: 'group'; groupId: string };
  callbacks?: SendCallbacks | undefined;
}

export class MessageCallbacks {
  /** The before-send callbacks' HTTP client (after-send ones go through the outbox's). */
  readonly poster = new WebhookPoster();

  constructor(
    private readonly apps: AppsService,
    private readonly groups: GroupsService,
    private readonly outbox: () => WebhookOutbox,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  /** The callbacks this send triggers; undefined = none. */
  async plan(req: PlanInput): Promise<CallbackPlan | undefined> {
    const callbacks = req.callbacks;
    if (!callbacks || (!callbacks.before && !callbacks.after)) return undefined;
    // One receiver only: a batch send never triggers callbacks.
    if (req.target.kind === 'c2c' && req.target.to.length !== 1) return undefined;
    const app = await this.apps.get(req.sdkAppId);
    if (!app) return undefined;
    const c2c = req.target.kind === 'c2c';
    const before = c2c ? 'C2C.CallbackBeforeSendMsg' : 'Group.CallbackBeforeSendMsg';
    const after = c2c ? 'C2C.CallbackAfterSendMsg' : 'Group.CallbackAfterSendMsg';
    const plan: CallbackPlan = { settings: app.settings, callbacks };
    if (callbacks.before && callbackEnabled(app.settings, before)) plan.before = before;
    if (callbacks.after && callbackEnabled(app.settings, after)) plan.after = after;
    if (!plan.before && !plan.after) return undefined;
    if (req.target.kind === 'group') {
      plan.groupType = (await this.groups.get(req.sdkAppId, req.target.groupId))?.type ?? '';
    }
    return plan;
  }

  /**
   * The before-send callback: returns when the message may go (with the app's MsgBody/CloudCustomData
   * applied to `messages`), throws MessagingError when it must not.
   */
  async beforeSend(plan: CallbackPlan, messages: CommittedMessage[]): Promise<void> {
    const command = plan.before;
    const first = messages[0];
    if (!command || !first) return;
    const body =
      first.type === 'c2c'
        ? {
            CallbackCommand: command,
            From_Account: first.from,
            To_Account: first.to,
            MsgSeq: first.msgSeq,
            MsgRandom: first.msgRandom,
            MsgTime: first.msgTime,
            MsgKey: first.msgKey,
            MsgId: msgIdOf(first),
            OnlineOnlyFlag: first.onlineOnly ? 1 : 0,
            MsgBody: first.body,
            ...(first.cloudCustomData !== undefined ? { CloudCustomData: first.cloudCustomData } : {}),
            EventTime: this.now(),
          }
        : {
            CallbackCommand: command,
            GroupId: first.groupId,
            Type: plan.groupType ?? '',
            From_Account: first.from,
            Operator_Account: plan.callbacks.operator,
            Random: first.msgRandom,
            MsgId: msgIdOf(first),
            OnlineOnlyFlag: first.onlineOnly ? 1 : 0,
            MsgBody: first.body,
            ...(first.cloudCustomData !== undefined ? { CloudCustomData: first.cloudCustomData } : {}),
            ...(first.receivers ? { To_Account: first.receivers } : {}),
            EventTime: this.now(),
          };
    const timeoutMs = plan.settings.callbackTimeoutMs ?? DEFAULT_CALLBACK_TIMEOUT_MS;
    const result = await this.poster.post(plan.settings.callbackUrl, first.sdkAppId, command, body, {
      token: plan.settings.callbackToken,
      origin: plan.callbacks.origin,
      timeoutMs,
    });
    const verdict = result.ok
      ? readReply(result.reply)
      : { kind: 'failed' as const, why: result.error ?? '' };
    if (verdict.kind === 'failed') {
      const refuse = plan.settings.callbackFailurePolicy === 'refuse';
      this.log.warn(
        { sdkAppId: first.sdkAppId, command, problem: verdict.why, policy: refuse ? 'refuse' : 'allow' },
        'before-send callback failed',
      );
      if (refuse) {
        throw new MessagingError(
          CallbackError.Failed,
          `the before-send callback failed (${verdict.why}); the app's callbackFailurePolicy refuses the message`,
        );
      }
      return;
    }
    if (verdict.kind === 'refuse') {
      const code =
        verdict.code >= APP_ERROR_CODES.min && verdict.code <= APP_ERROR_CODES.max
          ? verdict.code
          : first.type === 'c2c'
            ? CallbackError.C2CRefused
            : CallbackError.GroupRefused;
      throw new MessagingError(code, verdict.info || 'refused by the before-send callback');
    }
    for (const m of messages) {
      if (verdict.body) m.body = verdict.body;
      if (verdict.cloudCustomData !== undefined) m.cloudCustomData = verdict.cloudCustomData;
    }
  }

  /**
   * Queues the after-send callback of a stored (or online-only) message: inside the send's transaction
   * (`db` = the transaction) so that it is sent if and only if the message was.
   */
  async afterSend(
    plan: CallbackPlan,
    db: Kysely<Database> | Transaction<Database>,
    m: CommittedMessage,
    recipients: RecipientOutcome[],
  ): Promise<void> {
    const command = plan.after;
    if (!command) return;
    const body =
      m.type === 'c2c'
        ? {
            CallbackCommand: command,
            From_Account: m.from,
            To_Account: m.to,
            MsgSeq: m.msgSeq,
            MsgRandom: m.msgRandom,
            MsgTime: m.msgTime,
            MsgKey: m.msgKey,
            MsgId: msgIdOf(m),
            OnlineOnlyFlag: m.onlineOnly ? 1 : 0,
            SendMsgResult: 0,
            ErrorInfo: 'send msg succeed',
            UnreadMsgNum: recipients.find((r) => r.userId === m.to)?.totalUnread ?? 0,
            MsgBody: m.body,
            ...(m.cloudCustomData !== undefined ? { CloudCustomData: m.cloudCustomData } : {}),
            EventTime: this.now(),
          }
        : {
            CallbackCommand: command,
            GroupId: m.groupId,
            Type: plan.groupType ?? '',
            From_Account: m.from,
            Operator_Account: plan.callbacks.operator,
            Random: m.msgRandom,
            MsgId: msgIdOf(m),
            MsgSeq: m.msgSeq,
            MsgTime: m.msgTime,
            OnlineOnlyFlag: m.onlineOnly ? 1 : 0,
            MsgBody: m.body,
            ...(m.cloudCustomData !== undefined ? { CloudCustomData: m.cloudCustomData } : {}),
            ...(m.receivers ? { To_Account: m.receivers } : {}),
            EventTime: this.now(),
          };
    await this.outbox().enqueueOne(db, m.sdkAppId, command, body, plan.callbacks.origin);
  }

  /**
   * A group lifecycle notification (Group.CallbackAfterCreateGroup, AfterNewMemberJoin, AfterMemberExit,
   * AfterGroupDestroyed) after the change was committed, if the app switched it on: queued in the outbox
   * like the after-send callbacks. `body` is Tencent's, without CallbackCommand and EventTime.
   */
  async groupEvent(
    sdkAppId: number,
    command: GroupEventCallback,
    body: Record<string, unknown>,
    origin: CallbackOrigin,
  ): Promise<void> {
    const app = await this.apps.get(sdkAppId);
    if (!app || !callbackEnabled(app.settings, command)) return;
    const outbox = this.outbox();
    await outbox.enqueueOne(
      outbox.db,
      sdkAppId,
      command,
      { CallbackCommand: command, ...body, EventTime: this.now() },
      origin,
    );
  }

  /** After the send's commit: deliver the queued after-send callbacks now rather than at the next poll. */
  wake(): void {
    this.outbox().wake();
  }
}

type Verdict =
  | { kind: 'allow'; body?: CommittedMessage['body']; cloudCustomData?: string }
  | { kind: 'refuse'; code: number; info: string }
  | { kind: 'failed'; why: string };

/** Reads the app's answer to a before-send callback. */
export function readReply(reply: unknown): Verdict {
  if (!reply || typeof reply !== 'object' || Array.isArray(reply)) {
    return { kind: 'failed', why: 'the answer is not a JSON object' };
  }
  const r = reply as Record<string, unknown>;
  const code = typeof r.ErrorCode === 'string' ? Number(r.ErrorCode) : r.ErrorCode;
  if (typeof code !== 'number' || !Number.isInteger(code)) {
    return { kind: 'failed', why: 'the answer has no ErrorCode' };
  }
  const info = typeof r.ErrorInfo === 'string' ? r.ErrorInfo : '';
  if (code !== 0) return { kind: 'refuse', code, info };
  if (r.ActionStatus !== undefined && r.ActionStatus !== 'OK') {
    return { kind: 'failed', why: `ActionStatus is ${JSON.stringify(r.ActionStatus)} with ErrorCode 0` };
  }
  const verdict: Verdict = { kind: 'allow' };
  if (r.MsgBody !== undefined) {
    const parsed = msgBody.safeParse(r.MsgBody);
    if (!parsed.success || parsed.data.length === 0) {
      return { kind: 'failed', why: 'the MsgBody of the answer is not a valid message body' };
    }
    verdict.body = parsed.data;
  }
  if (r.CloudCustomData !== undefined) {
    if (typeof r.CloudCustomData !== 'string') {
      return { kind: 'failed', why: 'the CloudCustomData of the answer is not a string' };
    }
    verdict.cloudCustomData = r.CloudCustomData;
  }
  return verdict;
}
