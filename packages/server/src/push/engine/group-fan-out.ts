// The offline pushes of a large group message as a durable push task
// (docs/internals/architecture.md#the-push-engine). The send commits the message together with a `group` task
// (so the sender's answer still means "the pushes will go"); after the commit the fan-out (fan-out.ts) pages
// through the members in ascending user-ID order, judges each page's receive settings exactly as the send
// does (messaging/plan.ts groupRecipients), and commits each page's jobs with the task's cursor. Only one
// page of members is in memory at a time.
import type { Kysely, Transaction } from 'kysely';
import type { CommittedMessage } from '../../messaging/hooks.js';
import { groupRecipients } from '../../messaging/plan.js';
import { ReceiveSettings } from '../../messaging/receive-settings.js';
import type { Database } from '../../store/schema.js';
import type { PushTaskService } from '../tasks/store.js';
import type { PushTask } from '../tasks/types.js';
import type { Receiver } from './device-pushes.js';
import { receiversOf } from './message-pushes.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The `command` of group tasks in task lists. */
export const GROUP_TASK_COMMAND = 'send_group_msg';

/** Creates the task of a group message inside the send's transaction. */
export async function createGroupTask(
  trx: Transaction<Database>,
  tasks: PushTaskService,
  message: CommittedMessage,
  now: number,
): Promise<PushTask> {
  const { task } = await tasks.create(
    {
      sdkAppId: message.sdkAppId,
      kind: 'group',
      command: GROUP_TASK_COMMAND,
      msgRandom: message.msgRandom,
      dedup: false,
      request: { message },
    },
    now,
    trx,
  );
  return task;
}

/** The message a group task pushes. */
export function groupTaskMessage(task: PushTask): CommittedMessage {
  return task.request.message as CommittedMessage;
}

/** Members who were in the group when the message was sent (a later joiner gets no push of it), sender aside. */
function members(db: Db, message: CommittedMessage) {
  return db
    .selectFrom('group_members')
    .where('sdkappid', '=', message.sdkAppId)
    .where('group_id', '=', message.groupId ?? '')
    .where('join_time', '<=', message.msgTime)
    .where('user_id', '!=', message.from);
}

export async function groupAudienceSize(db: Db, message: CommittedMessage): Promise<number> {
  const row = await members(db, message)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Member IDs after `after`, `pageSize` at a time, ascending (the task cursor is the last ID of a page). */
export async function* groupPages(
  db: Db,
  message: CommittedMessage,
  pageSize: number,
  after: string | null,
): AsyncGenerator<string[]> {
  let cursor = after;
  for (;;) {
    let q = members(db, message).select('user_id').orderBy('user_id').limit(pageSize);
    if (cursor !== null) q = q.where('user_id', '>', cursor);
    const page = (await q.execute()).map((r) => r.user_id);
    if (page.length === 0) return;
    yield page;
    if (page.length < pageSize) return;
    cursor = page[page.length - 1] as string;
  }
}

/**
 * A page's receivers with the send's receive rules, judged as of the send time. Members who do not receive
 * the message at all (MsgFlag Discard...) have no inbox row and get no trace, as in the send.
 */
export async function groupPageReceivers(
  trx: Transaction<Database>,
  message: CommittedMessage,
  page: string[],
): Promise<Receiver[]> {
  const flags = await members(trx, message)
    .select(['user_id', 'msg_flag'])
    .where('user_id', 'in', page)
    .execute();
  const planned = await groupRecipients(
    new ReceiveSettings(trx),
    message,
    flags.map((m) => ({ userId: m.user_id, msgFlag: m.msg_flag })),
    message.msgTime * 1000,
  );
  return receiversOf(
    planned
      .filter((r) => r.decision.online)
      .map((r) => ({ userId: r.userId, isAtMe: r.isAtMe, push: r.decision.push, reason: r.decision.reason })),
  );
}
