// Reading a user's messages: the inbox log devices resume from, conversation history, the conversation
// list with unread counts, and marking a conversation read (which every device of the user sees).
import type { Kysely, Selectable } from 'kysely';
import type { Router } from '../gateway/router.js';
import type { Database, MessagesTable } from '../store/schema.js';
import { type MessageView, viewOf } from './view.js';

export interface InboxEntry {
  seq: number;
  conversationId: string;
  message: MessageView;
  /** The user's own device that sent it, if any. */
  senderInstance?: string;
}

export interface ConversationInfo {
  conversationId: string;
  unread: number;
  lastSeq: number;
  lastMessage: MessageView | null;
  updatedAt: number;
}

export class InboxService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly router: Router,
    private readonly now: () => number,
  ) {}

  /** Unexpired inbox entries after `afterSeq`, oldest first. */
  async after(sdkAppId: number, userId: string, afterSeq: number, limit = 100): Promise<InboxEntry[]> {
    const rows = await this.db
      .selectFrom('inbox')
      .innerJoin('messages', 'messages.id', 'inbox.message_id')
      .selectAll('messages')
      .select(['inbox.seq as inbox_seq', 'inbox.conversation_id as inbox_conversation'])
      .where('inbox.sdkappid', '=', sdkAppId)
      .where('inbox.user_id', '=', userId)
      .where('inbox.seq', '>', afterSeq)
      .where('inbox.sync', '=', 1)
      .where('inbox.expires_at', '>', this.now())
      .orderBy('inbox.seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      seq: r.inbox_seq,
      conversationId: r.inbox_conversation,
      message: viewOf(r),
      ...(r.sender_instance !== null && r.from_account === userId
        ? { senderInstance: r.sender_instance }
        : {}),
    }));
  }

  /** The user's highest inbox seq so far (0 if none). */
  async lastSeq(sdkAppId: number, userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('user_seqs')
      .select('last_seq')
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row ? Number(row.last_seq) : 0;
  }

  /** Newest first, `count` messages of one conversation before `beforeSeq`. */
  async history(
    sdkAppId: number,
    userId: string,
    conversationId: string,
    count: number,
    beforeSeq?: number,
  ): Promise<InboxEntry[]> {
    let q = this.db
      .selectFrom('inbox')
      .innerJoin('messages', 'messages.id', 'inbox.message_id')
      .selectAll('messages')
      .select(['inbox.seq as inbox_seq', 'inbox.conversation_id as inbox_conversation'])
      .where('inbox.sdkappid', '=', sdkAppId)
      .where('inbox.user_id', '=', userId)
      .where('inbox.conversation_id', '=', conversationId)
      .where('inbox.expires_at', '>', this.now());
    if (beforeSeq !== undefined) q = q.where('inbox.seq', '<', beforeSeq);
    const rows = await q.orderBy('inbox.seq', 'desc').limit(count).execute();
    return rows.map((r) => ({ seq: r.inbox_seq, conversationId: r.inbox_conversation, message: viewOf(r) }));
  }

  async conversations(sdkAppId: number, userId: string): Promise<ConversationInfo[]> {
    const rows = await this.db
      .selectFrom('conversations')
      .leftJoin('messages', 'messages.id', 'conversations.last_message_id')
      .select([
        'conversations.conversation_id',
        'conversations.unread',
        'conversations.last_seq',
        'conversations.updated_at',
      ])
      .selectAll('messages')
      .where('conversations.sdkappid', '=', sdkAppId)
      .where('conversations.user_id', '=', userId)
      .orderBy('conversations.updated_at', 'desc')
      .execute();
    const now = this.now();
    return rows.map((r) => ({
      conversationId: r.conversation_id,
      unread: r.unread,
      lastSeq: r.last_seq,
      updatedAt: r.updated_at,
      lastMessage:
        r.id !== null && r.expires_at !== null && r.expires_at > now && r.recalled_at === null
          ? viewOf(r as Selectable<MessagesTable>)
          : null,
    }));
  }

  async totalUnread(sdkAppId: number, userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('conversations')
      .select((eb) => eb.fn.sum<number>('unread').as('total'))
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(row?.total ?? 0);
  }

  /**
   * Resets the conversation's unread count and tells all the user's devices (including the one that asked,
   * so every device converges on the same numbers). Returns the new total.
   */
  async markRead(sdkAppId: number, userId: string, conversationId: string): Promise<number> {
    await this.db
      .updateTable('conversations')
      .set({ unread: 0 })
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', '=', userId)
      .where('conversation_id', '=', conversationId)
      .execute();
    const totalUnread = await this.totalUnread(sdkAppId, userId);
    this.router.sendEvent(sdkAppId, userId, {
      type: 'event',
      event: 'conversationChanged',
      data: { conversationId, unread: 0, totalUnread },
    });
    return totalUnread;
  }

  /** Deleted accounts: their inboxes, conversations, receive options and group memberships go. */
  async forget(sdkAppId: number, userIds: string[]): Promise<void> {
    if (userIds.length === 0) return;
    const tables = [
      'inbox',
      'conversations',
      'user_seqs',
      'receive_options',
      'dnd_settings',
      'group_members',
    ] as const;
    await this.db.transaction().execute(async (trx) => {
      for (const table of tables) {
        await trx
          .deleteFrom(table)
          .where('sdkappid', '=', sdkAppId)
          .where('user_id', 'in', userIds)
          .execute();
      }
    });
  }
}
