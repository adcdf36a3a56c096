// Recalling a stored message (REST openim/admin_msgwithdraw and group_open_http_svc/group_msg_recall, the
// SDK's revokeMessage): in one transaction the message becomes a tombstone (recalled_at), its inbox rows go
// (it leaves history and sync), each conversation whose last message it was gets the previous one, and an
// unread it still counted is taken back; hooks in the same transaction let the push engine queue the
// retraction of notifications already delivered (durable before acknowledged). After the commit every device
// of the users who had it gets a `messageRevoked` event, and those whose unread count dropped get it (and
// the badges of their background devices follow, as after a read: inbox.ts announceUnread).
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Router } from '../devices/router.js';
import { inList, listParam } from '../store/bulk.js';
import { reuse } from '../store/compiled.js';
import { isSqlite } from '../store/db.js';
import type { Database } from '../store/schema.js';
import type { InboxService } from './inbox.js';
import type { ConversationType } from './view.js';

/** Which message: C2C by sender, receiver and MsgKey; group by MsgSeq (or MsgKey, for the SDK). */
export type RecallTarget =
  | { kind: 'c2c'; from: string; to: string; msgKey: string }
  | { kind: 'group'; groupId: string; msgSeq: number }
  | { kind: 'group'; groupId: string; msgKey: string };

/** Who recalls: the app administrator (no time limit), or a user of the SDK (the sender, or a group admin). */
export type Recaller = { kind: 'admin' } | { kind: 'user'; userId: string; mayRecallOthers?: boolean };

/** Why a recall was refused; each caller maps it to its Tencent code. */
export type RecallRefusal = 'not-found' | 'already-recalled' | 'too-late' | 'not-sender';

export class RecallError extends Error {
  constructor(
    readonly reason: RecallRefusal,
    message: string,
  ) {
    super(message);
  }
}

/** The recalled message, as the hooks and the `messageRevoked` event describe it. */
export interface RecalledMessage {
  sdkAppId: number;
  messageId: number;
  msgKey: string;
  msgSeq: number;
  type: ConversationType;
  from: string;
  to?: string;
  groupId?: string;
  /** Who recalled it: the app administrator's identifier or the user. */
  revoker: string;
  /** The users whose inbox held it, with their conversation; `unread` when the recall lowered its count. */
  holders: { userId: string; conversationId: string; unread?: number }[];
}

/** A recalled message, as `recalledMessages` reads it. */
export interface RecalledRow {
  msg_key: string;
  kind: string;
  from_account: string;
  to_account: string | null;
  group_id: string | null;
}

/**
 * The recalled ones among an app's messages `keys` (a batch C2C send's receivers share one MsgKey: each
 * receiver's copy is a row). Read by the dispatcher before it sends chat pushes and by their settlement, so
 * once or twice per dispatched batch: its statement is built once (store/compiled.ts), with the keys as one
 * parameter.
 */
export async function recalledMessages(
  db: Kysely<Database>,
  sdkAppId: number,
  keys: readonly string[],
): Promise<RecalledRow[]> {
  if (keys.length === 0) return [];
  return (await recalledQuery(db, sdkAppId, listParam(isSqlite(db), keys))).rows;
}

const recalledQuery = reuse((db: Kysely<Database>, sdkAppId: number, keys: unknown) =>
  db
    .selectFrom('messages')
    .select(['msg_key', 'kind', 'from_account', 'to_account', 'group_id'])
    .where('sdkappid', '=', sdkAppId)
    .where(inList(isSqlite(db), 'msg_key', keys, 'text'))
    .where('recalled_at', 'is not', null),
);

export type RecallHook = (trx: Transaction<Database>, recalled: RecalledMessage) => Promise<void>;
export type RecalledHook = (recalled: RecalledMessage) => void | Promise<void>;

/** Tencent's default limit for a sender's recall from a client: 2 minutes. */
export const DEFAULT_RECALL_LIMIT_SECONDS = 120;

export class RecallService {
  readonly #storing = new Set<RecallHook>();
  readonly #committed = new Set<RecalledHook>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly router: Router,
    private readonly inbox: InboxService,
    private readonly now: () => number,
    private readonly options: {
      limitSeconds: number;
      adminIdentifier: (sdkAppId: number) => Promise<string>;
      log: Logger;
    },
  ) {}

  /** Called inside the recall's transaction (the push engine queues retractions there). Returns its remover. */
  onRecalling(hook: RecallHook): () => void {
    this.#storing.add(hook);
    return () => this.#storing.delete(hook);
  }

  /** Called after the recall committed. Returns its remover. */
  onRecalled(hook: RecalledHook): () => void {
    this.#committed.add(hook);
    return () => this.#committed.delete(hook);
  }

  /** For each message (MsgKey and a receiving user), in order: was it recalled? */
  async recalledOf(sdkAppId: number, refs: { msgKey: string; userId: string }[]): Promise<boolean[]> {
    const keys = [...new Set(refs.map((r) => r.msgKey))];
    if (keys.length === 0) return [];
    const rows = await recalledMessages(this.db, sdkAppId, keys);
    // A batch C2C send shares one MsgKey among its receivers: only the recalled receiver's copy matches.
    return refs.map((ref) =>
      rows.some((r) => r.msg_key === ref.msgKey && (r.kind === 'group' || r.to_account === ref.userId)),
    );
  }

  async recall(sdkAppId: number, target: RecallTarget, by: Recaller): Promise<RecalledMessage> {
    const now = this.now();
    const revoker = by.kind === 'admin' ? await this.options.adminIdentifier(sdkAppId) : by.userId;
    const recalled = await this.db.transaction().execute(async (trx) => {
      let q = trx.selectFrom('messages').selectAll().where('sdkappid', '=', sdkAppId);
      if (target.kind === 'c2c') {
        q = q
          .where('kind', '=', 'c2c')
          .where('msg_key', '=', target.msgKey)
          .where('from_account', '=', target.from)
          .where('to_account', '=', target.to);
      } else {
        q = q.where('kind', '=', 'group').where('group_id', '=', target.groupId);
        q =
          'msgSeq' in target
            ? q.where('msg_seq', '=', target.msgSeq)
            : q.where('msg_key', '=', target.msgKey);
      }
      const row = await q.executeTakeFirst();
      if (!row || row.expires_at <= now) throw new RecallError('not-found', 'the message does not exist');
      if (row.recalled_at !== null)
        throw new RecallError('already-recalled', 'the message was already recalled');
      if (by.kind === 'user') {
        if (row.from_account !== by.userId && !by.mayRecallOthers)
          throw new RecallError('not-sender', 'only the sender (or a group owner or admin) may recall it');
        if (Number(row.msg_time) * 1000 + this.options.limitSeconds * 1000 < now)
          throw new RecallError(
            'too-late',
            `the message is older than the recall limit of ${this.options.limitSeconds} seconds`,
          );
      }
      const marked = await trx
        .updateTable('messages')
        .set({ recalled_at: now })
        .where('id', '=', row.id)
        .where('recalled_at', 'is', null)
        .executeTakeFirst();
      if (Number(marked.numUpdatedRows) === 0)
        throw new RecallError('already-recalled', 'the message was already recalled');
      const holders = await this.#removeFromInboxes(trx, sdkAppId, row.id, row.from_account);
      const result: RecalledMessage = {
        sdkAppId,
        messageId: Number(row.id),
        msgKey: row.msg_key,
        msgSeq: Number(row.msg_seq),
        type: row.kind as ConversationType,
        from: row.from_account,
        ...(row.to_account !== null ? { to: row.to_account } : {}),
        ...(row.group_id !== null ? { groupId: row.group_id } : {}),
        revoker,
        holders,
      };
      for (const hook of this.#storing) await hook(trx, result);
      return result;
    });
    // The recall is committed: what follows is told, never undone, and a failure of it is logged, not answered.
    const after = [
      () => this.#announce(recalled),
      ...[...this.#committed].map((hook) => () => hook(recalled)),
    ];
    for (const step of after) {
      try {
        await step();
      } catch (err) {
        this.options.log.error({ err, msgKey: recalled.msgKey }, 'after a recall');
      }
    }
    return recalled;
  }

  /**
   * Deletes the message's inbox rows; for each holder whose conversation showed it last, the previous message
   * becomes the last one, and an unread it still counted (it was among the latest `unread` messages) goes.
   */
  async #removeFromInboxes(
    trx: Transaction<Database>,
    sdkAppId: number,
    messageId: number,
    from: string,
  ): Promise<RecalledMessage['holders']> {
    const rows = await trx
      .selectFrom('inbox')
      .select(['user_id', 'seq', 'conversation_id'])
      .where('sdkappid', '=', sdkAppId)
      .where('message_id', '=', messageId)
      .execute();
    await trx
      .deleteFrom('inbox')
      .where('sdkappid', '=', sdkAppId)
      .where('message_id', '=', messageId)
      .execute();
    const holders: RecalledMessage['holders'] = [];
    for (const r of rows) {
      const holder: RecalledMessage['holders'][number] = {
        userId: r.user_id,
        conversationId: r.conversation_id,
      };
      holders.push(holder);
      const conv = await trx
        .selectFrom('conversations')
        .select(['unread', 'last_message_id'])
        .where('sdkappid', '=', sdkAppId)
        .where('user_id', '=', r.user_id)
        .where('conversation_id', '=', r.conversation_id)
        .executeTakeFirst();
      if (!conv) continue;
      const set: { unread?: number; last_message_id?: number | null } = {};
      if (conv.last_message_id !== null && Number(conv.last_message_id) === messageId) {
        const previous = await trx
          .selectFrom('inbox')
          .select('message_id')
          .where('sdkappid', '=', sdkAppId)
          .where('user_id', '=', r.user_id)
          .where('conversation_id', '=', r.conversation_id)
          .orderBy('seq', 'desc')
          .limit(1)
          .executeTakeFirst();
        set.last_message_id = previous ? Number(previous.message_id) : null;
      }
      if (r.user_id !== from && conv.unread > 0) {
        // Others' messages after it: the unread ones are the latest `unread` of those.
        const after = await trx
          .selectFrom('inbox')
          .innerJoin('messages', 'messages.id', 'inbox.message_id')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('inbox.sdkappid', '=', sdkAppId)
          .where('inbox.user_id', '=', r.user_id)
          .where('inbox.conversation_id', '=', r.conversation_id)
          .where('inbox.seq', '>', r.seq)
          .where('messages.from_account', '!=', r.user_id)
          .executeTakeFirst();
        if (Number(after?.n ?? 0) < conv.unread) set.unread = holder.unread = conv.unread - 1;
      }
      if (Object.keys(set).length > 0) {
        await trx
          .updateTable('conversations')
          .set(set)
          .where('sdkappid', '=', sdkAppId)
          .where('user_id', '=', r.user_id)
          .where('conversation_id', '=', r.conversation_id)
          .execute();
      }
    }
    return holders;
  }

  /** Every device of every holder learns of the recall, and of the new unread count where it dropped. */
  async #announce(m: RecalledMessage): Promise<void> {
    for (const h of m.holders) {
      this.router.sendEvent(m.sdkAppId, h.userId, {
        type: 'event',
        event: 'messageRevoked',
        data: {
          conversationId: h.conversationId,
          msgKey: m.msgKey,
          msgSeq: m.msgSeq,
          type: m.type,
          from: m.from,
          ...(m.to !== undefined ? { to: m.to } : {}),
          ...(m.groupId !== undefined ? { groupId: m.groupId } : {}),
          revoker: m.revoker,
        },
      });
    }
    for (const h of m.holders)
      if (h.unread !== undefined)
        await this.inbox.announceUnread(m.sdkAppId, h.userId, h.conversationId, h.unread);
  }
}
