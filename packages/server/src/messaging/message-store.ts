// The SQL of a send, all inside the send's transaction: dedup lookup, the message row, per-user inbox
// numbering, conversation unread counts and group MsgSeq.
import type { Insertable, Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import { withValues } from '../store/bulk.js';
import { reuse } from '../store/compiled.js';
import { isSqlite } from '../store/db.js';
import type { Database, MessagesTable } from '../store/schema.js';
import { MessagingError } from './errors.js';
import type { CommittedMessage } from './hooks.js';
import type { Unit } from './plan.js';

const C2C_DEDUP_WINDOW_MS = 120_000;
const GROUP_DEDUP_WINDOW_MS = 300_000;

// The statements every send runs are built once (store/compiled.ts).
const duplicateQuery = reuse((db: Kysely<Database>, sdkAppId: number, dedupKey: string, since: number) =>
  db
    .selectFrom('messages')
    .select(['msg_key', 'msg_time', 'msg_seq'])
    .where('sdkappid', '=', sdkAppId)
    .where('dedup_key', '=', dedupKey)
    .where('created_at', '>', since)
    .limit(1),
);

/** The message with the same dedup key inside the dedup window, if any. */
export async function findDuplicate(trx: Transaction<Database>, sdkAppId: number, unit: Unit, now: number) {
  const { rows } = await duplicateQuery(trx, sdkAppId, unit.dedupKey!, now - dedupWindow(unit));
  return rows[0];
}

function dedupWindow(unit: Unit): number {
  return unit.message.type === 'group' ? GROUP_DEDUP_WINDOW_MS : C2C_DEDUP_WINDOW_MS;
}

export function finalizeKey(message: CommittedMessage, msgSeq: number): void {
  message.msgSeq = msgSeq;
  message.msgKey = `${msgSeq}_${message.msgRandom}_${message.msgTime}`;
}

const insertMessageQuery = reuse((db: Kysely<Database>, row: Insertable<MessagesTable>) =>
  db.insertInto('messages').values(row).returning('id'),
);

/** Integer columns of a message row: PostgreSQL types the parameters of an INSERT ... SELECT as text. */
const BIGINT_COLUMNS = new Set([
  'sdkappid',
  'msg_seq',
  'msg_random',
  'msg_time',
  'client_time',
  'expires_at',
  'created_at',
]);

/**
 * The message row unless a message with the same dedup key was stored since `since`: the dedup lookup and the
 * insert in one statement (`insert ... select ... where not exists`), so a send that is not a repeat — all
 * but a few — runs one statement instead of two. No row returned = a repeat.
 */
const insertUnlessDuplicateQuery = reuse(
  (db: Kysely<Database>, row: Insertable<MessagesTable>, since: number) => {
    const sqlite = isSqlite(db);
    const columns = Object.keys(row) as (keyof MessagesTable & string)[];
    return db
      .insertInto('messages')
      .columns(columns)
      .expression(
        db
          .selectNoFrom(
            columns.map((c) => {
              const v = row[c as keyof typeof row];
              return (sqlite || !BIGINT_COLUMNS.has(c) ? sql`${v}` : sql`cast(${v} as bigint)`).as(c);
            }),
          )
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('messages')
                  .select(sql.lit(1).as('one'))
                  .where('sdkappid', '=', row.sdkappid)
                  .where('dedup_key', '=', row.dedup_key)
                  .where('created_at', '>', since),
              ),
            ),
          ),
      )
      .returning('id');
  },
);

function messageRow(unit: Unit, now: number): Insertable<MessagesTable> {
  const m = unit.message;
  return {
    sdkappid: m.sdkAppId,
    kind: m.type,
    from_account: m.from,
    to_account: m.to ?? null,
    group_id: m.groupId ?? null,
    msg_seq: m.msgSeq,
    msg_random: m.msgRandom,
    msg_time: m.msgTime,
    msg_key: m.msgKey,
    dedup_key: unit.dedupKey ?? '',
    body: JSON.stringify(m.body),
    offline_push_info: m.offlinePushInfo ? JSON.stringify(m.offlinePushInfo) : null,
    cloud_custom_data: m.cloudCustomData ?? null,
    at_accounts: m.atUserList ? JSON.stringify(m.atUserList) : null,
    source: m.source,
    sender_instance: m.senderInstanceId ?? null,
    client_time: m.clientTime ?? null,
    receivers: m.receivers ? JSON.stringify(m.receivers) : null,
    expires_at: now + m.lifeTime * 1000,
    created_at: now,
  };
}

export async function insertMessage(trx: Transaction<Database>, unit: Unit, now: number): Promise<number> {
  const { rows } = await insertMessageQuery(trx, messageRow(unit, now));
  return (rows[0] as { id: number }).id;
}

/**
 * Stores the message unless it repeats one of the dedup window (same answer as `findDuplicate` then
 * `insertMessage`, in one statement when it is new): its row ID, or the earlier message it repeats.
 */
export async function insertUnlessDuplicate(
  trx: Transaction<Database>,
  unit: Unit,
  now: number,
): Promise<{ id: number } | { duplicate: { msg_key: string; msg_time: number; msg_seq: number } }> {
  const { rows } = await insertUnlessDuplicateQuery(trx, messageRow(unit, now), now - dedupWindow(unit));
  if (rows[0]) return { id: (rows[0] as { id: number }).id };
  const duplicate = await findDuplicate(trx, unit.message.sdkAppId, unit, now);
  // The repeated message expired and was purged in between (PostgreSQL, another connection): not a repeat.
  return duplicate ? { duplicate } : { id: await insertMessage(trx, unit, now) };
}

export async function nextGroupSeq(
  trx: Transaction<Database>,
  sdkAppId: number,
  groupId: string,
): Promise<number> {
  const row = await trx
    .updateTable('groups')
    .set({ next_msg_seq: sql<number>`next_msg_seq + 1` })
    .where('sdkappid', '=', sdkAppId)
    .where('group_id', '=', groupId)
    .returning('next_msg_seq')
    .executeTakeFirst();
  if (!row) throw new MessagingError(10010, `group ${groupId} does not exist`);
  return Number(row.next_msg_seq) - 1;
}

/**
 * Each user's next inbox seq. The row locks order concurrent senders to the same user; callers pass the
 * users sorted so that concurrent sends lock them in the same order.
 */
export async function allocateSeqs(
  trx: Transaction<Database>,
  sdkAppId: number,
  userIds: string[],
): Promise<Map<string, number>> {
  const rows = await withValues<{ user_id: string; last_seq: number }>(
    trx,
    {
      key: 'user_seqs',
      text: (values) =>
        `insert into user_seqs (sdkappid, user_id, last_seq) ${values} ` +
        'on conflict (sdkappid, user_id) do update set last_seq = user_seqs.last_seq + 1 ' +
        'returning user_id, last_seq',
    },
    3,
    userIds.map((userId) => [sdkAppId, userId, 1]),
  );
  return new Map(rows.map((r) => [r.user_id, Number(r.last_seq)]));
}

export interface InboxRow {
  userId: string;
  seq: number;
  conversationId: string;
  /** Counts one unread in the conversation. */
  countsUnread: boolean;
}

/** The users' copies of one message, numbered in each user's inbox. */
export async function insertInbox(
  trx: Transaction<Database>,
  sdkAppId: number,
  messageId: number,
  expiresAt: number,
  rows: InboxRow[],
): Promise<void> {
  await withValues(
    trx,
    {
      key: 'inbox',
      text: (values) =>
        `insert into inbox (sdkappid, user_id, seq, message_id, conversation_id, sync, expires_at) ${values}`,
    },
    7,
    rows.map((r) => [sdkAppId, r.userId, r.seq, messageId, r.conversationId, 1, expiresAt]),
  );
}

/**
 * Moves each conversation's last message (unless NoLastMsg) and unread count; returns each user's new
 * unread count of that conversation.
 */
export async function bumpConversations(
  trx: Transaction<Database>,
  req: { sdkAppId: number; sendMsgControl: string[] },
  messageId: number,
  now: number,
  rows: InboxRow[],
): Promise<Map<string, number>> {
  const keepLast = req.sendMsgControl.includes('NoLastMsg');
  const result = await withValues<{ user_id: string; unread: number }>(
    trx,
    {
      key: keepLast ? 'conversations-keep-last' : 'conversations',
      text: (values) =>
        'insert into conversations (sdkappid, user_id, conversation_id, unread, last_seq, last_message_id, ' +
        `updated_at) ${values} on conflict (sdkappid, user_id, conversation_id) do update set ` +
        'unread = conversations.unread + excluded.unread, last_seq = excluded.last_seq, ' +
        'updated_at = excluded.updated_at' +
        (keepLast ? '' : ', last_message_id = excluded.last_message_id') +
        ' returning user_id, unread',
    },
    7,
    rows.map((r) => [
      req.sdkAppId,
      r.userId,
      r.conversationId,
      r.countsUnread ? 1 : 0,
      r.seq,
      keepLast ? null : messageId,
      now,
    ]),
  );
  return new Map(result.map((r) => [r.user_id, Number(r.unread)]));
}
