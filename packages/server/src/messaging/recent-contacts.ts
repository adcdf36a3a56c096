// Recent contacts: the conversations table seen as Tencent's recentcontact/* (get_list, delete, top) and the
// SDK's pinConversation / deleteConversation. A conversation's time is its last message's (or, without one,
// when the row last changed); pinned ones come first. docs/internals/tencent-im.md#recent-contacts.
import type { Kysely } from 'kysely';
import type { Router } from '../devices/router.js';
import type { Database } from '../store/schema.js';
import type { InboxService } from './inbox.js';
import { parseConversationId } from './view.js';

/** Pinned conversations per user (Tencent: 50). */
export const MAX_PINNED = 50;
/** Conversations per get_list page, for each of the two lists. */
export const RECENT_PAGE = 100;

export interface RecentContact {
  conversationId: string;
  type: 'c2c' | 'group';
  target: string;
  /** UNIX seconds. */
  msgTime: number;
  pinned: boolean;
  /** No message in it (or only expired ones). */
  empty: boolean;
}

/** A page position: conversations older than `time`, or as old and past the first `index` of that time. */
export interface Cursor {
  time: number;
  index: number;
}

export class RecentContactsError extends Error {
  constructor(
    readonly kind: 'tooManyPinned',
    message: string,
  ) {
    super(message);
  }
}

export class RecentContacts {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly router: Router,
    private readonly inbox: InboxService,
    private readonly now: () => number,
  ) {}

  /** Every conversation of the user, newest first (ties by conversation ID). */
  async all(sdkAppId: number, userId: string): Promise<RecentContact[]> {
    const rows = await this.db
      .selectFrom('conversations')
      .leftJoin('messages', 'messages.id', 'conversations.last_message_id')
      .select([
        'conversations.conversation_id',
        'conversations.updated_at',
        'conversations.pinned_at',
        'messages.msg_time',
        'messages.expires_at',
      ])
      .where('conversations.sdkappid', '=', sdkAppId)
      .where('conversations.user_id', '=', userId)
      .execute();
    const now = this.now();
    const out: RecentContact[] = [];
    for (const r of rows) {
      const id = parseConversationId(r.conversation_id);
      if (!id) continue;
      const live = r.msg_time !== null && r.expires_at !== null && Number(r.expires_at) > now;
      out.push({
        conversationId: r.conversation_id,
        type: id.type,
        target: id.target,
        msgTime: live ? Number(r.msg_time) : Math.floor(Number(r.updated_at) / 1000),
        pinned: Number(r.pinned_at) > 0,
        empty: !live,
      });
    }
    return out.sort((a, b) =>
      b.msgTime !== a.msgTime ? b.msgTime - a.msgTime : a.conversationId < b.conversationId ? -1 : 1,
    );
  }

  /**
   * Pins or unpins conversations. Pinning one the user has no row for creates it (empty); at most MAX_PINNED
   * stay pinned (RecentContactsError, nothing changed).
   */
  async pin(sdkAppId: number, userId: string, conversationIds: string[], pinned: boolean): Promise<void> {
    const ids = [...new Set(conversationIds)];
    if (ids.length === 0) return;
    const now = this.now();
    await this.#pin(sdkAppId, userId, ids, pinned, now);
    // The user's connected devices see the new flag (V2TIM's onConversationChanged with isPinned).
    const rows = await this.db
      .selectFrom('conversations')
      .select(['conversation_id', 'unread'])
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', '=', userId)
      .execute();
    const totalUnread = rows.reduce((sum, r) => sum + Number(r.unread), 0);
    const unread = new Map(rows.map((r) => [r.conversation_id, Number(r.unread)]));
    for (const conversationId of ids) {
      if (!unread.has(conversationId)) continue;
      this.router.sendEvent(sdkAppId, userId, {
        type: 'event',
        event: 'conversationChanged',
        data: { conversationId, unread: unread.get(conversationId), totalUnread, pinned },
      });
    }
  }

  async #pin(sdkAppId: number, userId: string, ids: string[], pinned: boolean, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (!pinned) {
        await trx
          .updateTable('conversations')
          .set({ pinned_at: 0 })
          .where('sdkappid', '=', sdkAppId)
          .where('user_id', '=', userId)
          .where('conversation_id', 'in', ids)
          .execute();
        return;
      }
      const already = await trx
        .selectFrom('conversations')
        .select('conversation_id')
        .where('sdkappid', '=', sdkAppId)
        .where('user_id', '=', userId)
        .where('pinned_at', '>', 0)
        .execute();
      const set = new Set(already.map((r) => r.conversation_id));
      for (const id of ids) set.add(id);
      if (set.size > MAX_PINNED)
        throw new RecentContactsError(
          'tooManyPinned',
          `at most ${MAX_PINNED} conversations may be pinned; ${set.size} would be`,
        );
      for (const id of ids) {
        await trx
          .insertInto('conversations')
          .values({
            sdkappid: sdkAppId,
            user_id: userId,
            conversation_id: id,
            unread: 0,
            last_seq: 0,
            last_message_id: null,
            updated_at: now,
            pinned_at: now,
          })
          .onConflict((oc) =>
            oc.columns(['sdkappid', 'user_id', 'conversation_id']).doUpdateSet((eb) => ({
              // Pinning a pinned conversation keeps its first pin time.
              pinned_at: eb
                .case()
                .when('conversations.pinned_at', '>', 0)
                .then(eb.ref('conversations.pinned_at'))
                .else(now)
                .end(),
            })),
          )
          .execute();
      }
    });
  }

  /**
   * Deletes a conversation from the user's list; `clearMessages` also deletes the user's copies of its messages
   * (roaming messages; other users keep theirs). The user's devices learn the new unread total.
   */
  async delete(
    sdkAppId: number,
    userId: string,
    conversationId: string,
    clearMessages: boolean,
  ): Promise<void> {
    // Its unread messages first count as read: every device, and the badges of background ones, follow.
    const row = await this.db
      .selectFrom('conversations')
      .select('unread')
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', '=', userId)
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
    if (row && Number(row.unread) > 0) await this.inbox.markRead(sdkAppId, userId, conversationId);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('conversations')
        .where('sdkappid', '=', sdkAppId)
        .where('user_id', '=', userId)
        .where('conversation_id', '=', conversationId)
        .execute();
      if (clearMessages)
        await trx
          .deleteFrom('inbox')
          .where('sdkappid', '=', sdkAppId)
          .where('user_id', '=', userId)
          .where('conversation_id', '=', conversationId)
          .execute();
    });
    const total = await this.db
      .selectFrom('conversations')
      .select((eb) => eb.fn.sum<number>('unread').as('total'))
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    this.router.sendEvent(sdkAppId, userId, {
      type: 'event',
      event: 'conversationDeleted',
      data: { conversationId, totalUnread: Number(total?.total ?? 0) },
    });
  }
}

/** The page of `list` (sorted newest first) after `cursor`, and the cursor after it. */
export function pageAfter<T extends { msgTime: number }>(
  list: T[],
  cursor: Cursor,
  size: number,
): { page: T[]; next: Cursor; done: boolean } {
  let start = 0;
  if (cursor.time > 0) {
    // Past everything newer than the cursor's time, then past `index` conversations of that time.
    while (start < list.length && list[start]!.msgTime > cursor.time) start++;
    let skipped = 0;
    while (start < list.length && list[start]!.msgTime === cursor.time && skipped < cursor.index) {
      start++;
      skipped++;
    }
  }
  const page = list.slice(start, start + size);
  const end = start + page.length;
  const done = end >= list.length;
  if (page.length === 0) return { page, next: cursor, done };
  const last = page[page.length - 1]!;
  // How many conversations of the last one's time are behind the new position.
  let index = 0;
  for (let i = end - 1; i >= 0 && list[i]!.msgTime === last.msgTime; i--) index++;
  return { page, next: { time: last.msgTime, index }, done };
}
