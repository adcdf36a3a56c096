// The SQL of a send, all inside the send's transaction: dedup lookup, the message row, per-user inbox
// numbering, conversation unread counts and group MsgSeq.
import type { Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../store/schema.js';
import { MessagingError } from './errors.js';
import type { CommittedMessage } from './hooks.js';
import type { Unit } from './plan.js';

const C2C_DEDUP_WINDOW_MS = 120_000;
const GROUP_DEDUP_WINDOW_MS = 300_000;

/** The message with the same dedup key inside the dedup window, if any. */
export async function findDuplicate(trx: Transaction<Database>, sdkAppId: number, unit: Unit, now: number) {
  const window = unit.message.type === 'group' ? GROUP_DEDUP_WINDOW_MS : C2C_DEDUP_WINDOW_MS;
  return trx
    .selectFrom('messages')
    .select(['msg_key', 'msg_time', 'msg_seq'])
    .where('sdkappid', '=', sdkAppId)
    .where('dedup_key', '=', unit.dedupKey!)
    .where('created_at', '>', now - window)
    .executeTakeFirst();
}

export function finalizeKey(message: CommittedMessage, msgSeq: number): void {
  message.msgSeq = msgSeq;
  message.msgKey = `${msgSeq}_${message.msgRandom}_${message.msgTime}`;
}

export async function insertMessage(trx: Transaction<Database>, unit: Unit, now: number): Promise<number> {
  const m = unit.message;
  const { id } = await trx
    .insertInto('messages')
    .values({
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
      receivers: m.receivers ? JSON.stringify(m.receivers) : null,
      expires_at: now + m.lifeTime * 1000,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
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

/** Rows per statement: far below SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 300;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
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
  const seqs = new Map<string, number>();
  for (const part of chunks(userIds)) {
    const rows = await trx
      .insertInto('user_seqs')
      .values(part.map((userId) => ({ sdkappid: sdkAppId, user_id: userId, last_seq: 1 })))
      .onConflict((oc) =>
        oc.columns(['sdkappid', 'user_id']).doUpdateSet({ last_seq: sql<number>`user_seqs.last_seq + 1` }),
      )
      .returning(['user_id', 'last_seq'])
      .execute();
    for (const r of rows) seqs.set(r.user_id, Number(r.last_seq));
  }
  return seqs;
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
  for (const part of chunks(rows)) {
    await trx
      .insertInto('inbox')
      .values(
        part.map((r) => ({
          sdkappid: sdkAppId,
          user_id: r.userId,
          seq: r.seq,
          message_id: messageId,
          conversation_id: r.conversationId,
          sync: 1,
          expires_at: expiresAt,
        })),
      )
      .execute();
  }
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
  const unread = new Map<string, number>();
  for (const part of chunks(rows)) {
    const result = await trx
      .insertInto('conversations')
      .values(
        part.map((r) => ({
          sdkappid: req.sdkAppId,
          user_id: r.userId,
          conversation_id: r.conversationId,
          unread: r.countsUnread ? 1 : 0,
          last_seq: r.seq,
          last_message_id: keepLast ? null : messageId,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['sdkappid', 'user_id', 'conversation_id']).doUpdateSet({
          unread: sql<number>`conversations.unread + excluded.unread`,
          last_seq: sql<number>`excluded.last_seq`,
          updated_at: sql<number>`excluded.updated_at`,
          ...(keepLast ? {} : { last_message_id: sql<number>`excluded.last_message_id` }),
        }),
      )
      .returning(['user_id', 'unread'])
      .execute();
    for (const r of result) unread.set(r.user_id, Number(r.unread));
  }
  return unread;
}
