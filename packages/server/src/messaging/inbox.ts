// Reading a user's messages: the inbox log devices resume from, conversation history, the conversation
// list with unread counts, and marking a conversation read (which every device of the user sees).
import type { Kysely, Selectable } from 'kysely';
import type { Router } from '../devices/router.js';
import type { Database, MessagesTable } from '../store/schema.js';
import { type MessageView, viewOf } from './view.js';

export interface InboxEntry {
  seq: number;
  conversationId: string;
  message: MessageView;
  /** The user's own device that sent it, if any. */
  senderInstance?: string;
  /** The sending device's clock, when it gave one (Tencent's SDK names messages by it). */
  clientTime?: number;
}

export interface ConversationInfo {
  conversationId: string;
  unread: number;
  lastSeq: number;
  lastMessage: MessageView | null;
  updatedAt: number;
  /** Pinned (recentcontact/top, pinConversation). */
  pinned: boolean;
}

/**
 * Told after a user's unread counts changed by a read (or an admin setting them), with the device that read,
 * if any: the push engine brings the badges of the user's other background devices along (badge-pushes.ts).
 */
export type UnreadChangedListener = (
  sdkAppId: number,
  userId: string,
  totalUnread: number,
  readOnInstance?: string,
  /** A read: the conversation and how many of its messages were unread before (their notifications on the
   *  user's other devices are retracted: push/engine/retractions.ts readRetractions). */
  read?: { conversationId: string; cleared: number },
) => Promise<void> | void;

export class InboxService {
  readonly #unreadListeners = new Set<UnreadChangedListener>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly router: Router,
    private readonly now: () => number,
  ) {}

  /** One user's unexpired inbox entries joined to their messages: the base of every read below. */
  #unexpired(sdkAppId: number, userId: string) {
    return this.db
      .selectFrom('inbox')
      .innerJoin('messages', 'messages.id', 'inbox.message_id')
      .selectAll('messages')
      .select(['inbox.seq as inbox_seq', 'inbox.conversation_id as inbox_conversation'])
      .where('inbox.sdkappid', '=', sdkAppId)
      .where('inbox.user_id', '=', userId)
      .where('inbox.expires_at', '>', this.now());
  }

  /** Unexpired inbox entries after `afterSeq`, oldest first. */
  async after(sdkAppId: number, userId: string, afterSeq: number, limit = 100): Promise<InboxEntry[]> {
    const rows = await this.#unexpired(sdkAppId, userId)
      .where('inbox.seq', '>', afterSeq)
      .where('inbox.sync', '=', 1)
      .orderBy('inbox.seq')
      .limit(limit)
      .execute();
    return rows.map((r) => entryOf(r, userId));
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
    let q = this.#unexpired(sdkAppId, userId).where('inbox.conversation_id', '=', conversationId);
    if (beforeSeq !== undefined) q = q.where('inbox.seq', '<', beforeSeq);
    const rows = await q.orderBy('inbox.seq', 'desc').limit(count).execute();
    return rows.map((r) => entryOf(r, userId));
  }

  /**
   * Newest first, `count` messages of a group as the user keeps it (its inbox: from when it joined), with
   * the group's MsgSeq at most `maxMsgSeq`.
   */
  async groupHistory(
    sdkAppId: number,
    userId: string,
    groupId: string,
    maxMsgSeq: number,
    count: number,
  ): Promise<InboxEntry[]> {
    const rows = await this.#unexpired(sdkAppId, userId)
      .where('inbox.conversation_id', '=', `group_${groupId}`)
      .where('messages.msg_seq', '<=', maxMsgSeq)
      .orderBy('messages.msg_seq', 'desc')
      .limit(count)
      .execute();
    return rows.map((r) => entryOf(r, userId));
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
        'conversations.pinned_at',
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
      pinned: Number(r.pinned_at) > 0,
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
   * so every device converges on the same numbers), then the unread listeners. Returns the new total.
   */
  async markRead(
    sdkAppId: number,
    userId: string,
    conversationId: string,
    readOnInstance?: string,
  ): Promise<number> {
    return this.setUnread(sdkAppId, userId, conversationId, 0, readOnInstance);
  }

  /**
   * Sets the conversation's unread count (0 = read; a group's set_unread_msg_num sets others), creating the
   * conversation if the user has none yet, and tells the devices and the unread listeners. Returns the new
   * total.
   */
  async setUnread(
    sdkAppId: number,
    userId: string,
    conversationId: string,
    unread: number,
    readOnInstance?: string,
  ): Promise<number> {
    const now = this.now();
    let read: { conversationId: string; cleared: number } | undefined;
    if (unread === 0) {
      // How many were unread decides which notifications a read retracts; a read racing a new message may
      // retract one too few or too many, never a notification of another conversation.
      const before = await this.db
        .selectFrom('conversations')
        .select('unread')
        .where('sdkappid', '=', sdkAppId)
        .where('user_id', '=', userId)
        .where('conversation_id', '=', conversationId)
        .executeTakeFirst();
      await this.db
        .updateTable('conversations')
        .set({ unread: 0 })
        .where('sdkappid', '=', sdkAppId)
        .where('user_id', '=', userId)
        .where('conversation_id', '=', conversationId)
        .execute();
      read = { conversationId, cleared: Number(before?.unread ?? 0) };
    } else {
      await this.db
        .insertInto('conversations')
        .values({
          sdkappid: sdkAppId,
          user_id: userId,
          conversation_id: conversationId,
          unread,
          last_seq: 0,
          last_message_id: null,
          updated_at: now,
        })
        .onConflict((oc) => oc.columns(['sdkappid', 'user_id', 'conversation_id']).doUpdateSet({ unread }))
        .execute();
    }
    return this.announceUnread(sdkAppId, userId, conversationId, unread, readOnInstance, read);
  }

  /**
   * Tells all the user's devices the conversation's new unread count (a read, a set count, a recall), then
   * the unread listeners. Returns the user's new total.
   */
  async announceUnread(
    sdkAppId: number,
    userId: string,
    conversationId: string,
    unread: number,
    readOnInstance?: string,
    read?: { conversationId: string; cleared: number },
  ): Promise<number> {
    const totalUnread = await this.totalUnread(sdkAppId, userId);
    this.router.sendEvent(sdkAppId, userId, {
      type: 'event',
      event: 'conversationChanged',
      data: { conversationId, unread, totalUnread },
    });
    for (const listener of this.#unreadListeners)
      await listener(sdkAppId, userId, totalUnread, readOnInstance, read);
    return totalUnread;
  }

  /** Unread counts of the user's C2C conversations: with `peers`, of those (0 when none), else all. */
  async c2cUnread(sdkAppId: number, userId: string, peers?: string[]): Promise<Map<string, number>> {
    if (peers && peers.length === 0) return new Map();
    let q = this.db
      .selectFrom('conversations')
      .select(['conversation_id', 'unread'])
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', '=', userId);
    if (peers)
      q = q.where(
        'conversation_id',
        'in',
        peers.map((p) => `c2c_${p}`),
      );
    const rows = await q.execute();
    const out = new Map<string, number>((peers ?? []).map((p) => [p, 0]));
    for (const r of rows)
      if (r.conversation_id.startsWith('c2c_')) out.set(r.conversation_id.slice(4), Number(r.unread));
    return out;
  }

  /** The time (UNIX seconds) of the newest message the user holds in the conversation, from someone else. */
  async lastIncomingTime(sdkAppId: number, userId: string, conversationId: string): Promise<number> {
    const row = await this.db
      .selectFrom('inbox')
      .innerJoin('messages', 'messages.id', 'inbox.message_id')
      .select((eb) => eb.fn.max<number>('messages.msg_time').as('latest'))
      .where('inbox.sdkappid', '=', sdkAppId)
      .where('inbox.user_id', '=', userId)
      .where('inbox.conversation_id', '=', conversationId)
      .where('messages.from_account', '!=', userId)
      .executeTakeFirst();
    return Number(row?.latest ?? 0);
  }

  /** How many unexpired messages the user holds in the conversation (their own included). */
  async messageCount(sdkAppId: number, userId: string, conversationId: string): Promise<number> {
    const row = await this.db
      .selectFrom('inbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', '=', userId)
      .where('conversation_id', '=', conversationId)
      .where('expires_at', '>', this.now())
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  onUnreadChanged(listener: UnreadChangedListener): () => void {
    this.#unreadListeners.add(listener);
    return () => this.#unreadListeners.delete(listener);
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

/** An inbox row joined with its message, as `userId` reads it. */
function entryOf(
  r: Selectable<MessagesTable> & { inbox_seq: number; inbox_conversation: string },
  userId: string,
): InboxEntry {
  return {
    seq: r.inbox_seq,
    conversationId: r.inbox_conversation,
    message: viewOf(r),
    ...(r.sender_instance !== null && r.from_account === userId ? { senderInstance: r.sender_instance } : {}),
    ...(r.client_time !== null ? { clientTime: Number(r.client_time) } : {}),
  };
}
