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
      expires_at: now + m.lifeTime * 1000,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** The user's next inbox seq; the row lock orders concurrent senders to the same user. */
export async function nextUserSeq(
  trx: Transaction<Database>,
  sdkAppId: number,
  userId: string,
): Promise<number> {
  const row = await trx
    .insertInto('user_seqs')
    .values({ sdkappid: sdkAppId, user_id: userId, last_seq: 1 })
    .onConflict((oc) =>
      oc.columns(['sdkappid', 'user_id']).doUpdateSet({ last_seq: sql<number>`user_seqs.last_seq + 1` }),
    )
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  return Number(row.last_seq);
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

/** Moves the conversation's last message and unread count; returns the new unread count. */
export async function bumpConversation(
  trx: Transaction<Database>,
  req: { sdkAppId: number; sendMsgControl: string[] },
  userId: string,
  conversationId: string,
  seq: number,
  messageId: number,
  opts: { countsUnread: boolean; now: number },
): Promise<number> {
  const inc = opts.countsUnread ? 1 : 0;
  const lastMsg = req.sendMsgControl.includes('NoLastMsg') ? {} : { last_message_id: messageId };
  const row = await trx
    .insertInto('conversations')
    .values({
      sdkappid: req.sdkAppId,
      user_id: userId,
      conversation_id: conversationId,
      unread: inc,
      last_seq: seq,
      last_message_id: req.sendMsgControl.includes('NoLastMsg') ? null : messageId,
      updated_at: opts.now,
    })
    .onConflict((oc) =>
      oc.columns(['sdkappid', 'user_id', 'conversation_id']).doUpdateSet({
        unread: sql<number>`conversations.unread + ${inc}`,
        last_seq: seq,
        updated_at: opts.now,
        ...lastMsg,
      }),
    )
    .returning('unread')
    .executeTakeFirstOrThrow();
  return Number(row.unread);
}

/** The user's copy of a message, numbered `seq` in the user's inbox. */
export async function insertInbox(
  trx: Transaction<Database>,
  sdkAppId: number,
  userId: string,
  row: { seq: number; messageId: number; conversationId: string; expiresAt: number },
): Promise<void> {
  await trx
    .insertInto('inbox')
    .values({
      sdkappid: sdkAppId,
      user_id: userId,
      seq: row.seq,
      message_id: row.messageId,
      conversation_id: row.conversationId,
      sync: 1,
      expires_at: row.expiresAt,
    })
    .execute();
}
