// Message history and edits for the administrator (REST admin_getroammsg, group_msg_get_simple,
// modify_c2c_msg, modify_group_msg; docs/internals/tencent-im.md#message-history-and-edits). History reads
// the stored, unexpired messages; an edit rewrites a stored message's MsgBody and/or CloudCustomData in one
// transaction, then tells the online devices of everyone who has the message in their inbox (a targeted
// group message: only its receivers and sender) with a `messageModified` event. Devices that were offline
// read the edited message from history (getMessageList), which reads the same rows. Every edit counts in the
// message's version (Tencent's MsgVersion, 0 until the first edit).
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Router } from '../devices/router.js';
import type { Database, MessagesTable } from '../store/schema.js';
import type { MsgBody } from './message-types.js';
import { type MessageView, viewOf } from './view.js';

/** Most messages one group_msg_get_simple answer holds (Tencent's limit). */
export const MAX_GROUP_HISTORY = 20;
/** Most messages one admin_getroammsg answer holds (Pushline's page size; a larger MaxCnt pages). */
export const MAX_ROAM_PAGE = 100;

export type StoredMessage = Selectable<MessagesTable>;

export interface RoamQuery {
  operator: string;
  peer: string;
  maxCnt: number;
  /** UNIX seconds, both ends included. */
  minTime: number;
  maxTime: number;
  /** The oldest message of the previous page: this page holds what is older. */
  lastMsgKey?: string | undefined;
}

export interface RoamPage {
  /** Oldest first. */
  messages: StoredMessage[];
  /** Nothing older in the range. */
  complete: boolean;
}

export interface GroupHistoryEntry {
  msgSeq: number;
  /** Undefined: that MsgSeq's message expired or is gone. `recalled_at` set: it was recalled. */
  message?: StoredMessage;
}

export interface MessagePatch {
  body?: MsgBody | undefined;
  cloudCustomData?: string | undefined;
}

export class HistoryService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly router: Router,
    private readonly now: () => number,
  ) {}

  /**
   * One page of the one-to-one conversation of `operator` with `peer` as `operator` keeps it (its inbox),
   * newest first across pages; undefined when `lastMsgKey` names no message of that conversation.
   */
  async c2cRoam(sdkAppId: number, q: RoamQuery): Promise<RoamPage | undefined> {
    const conversation = this.db
      .selectFrom('inbox')
      .innerJoin('messages', 'messages.id', 'inbox.message_id')
      .where('inbox.sdkappid', '=', sdkAppId)
      .where('messages.sdkappid', '=', sdkAppId)
      .where('inbox.user_id', '=', q.operator)
      .where('inbox.conversation_id', '=', `c2c_${q.peer}`)
      .where('inbox.expires_at', '>', this.now());
    let page = conversation
      .selectAll('messages')
      .where('messages.msg_time', '>=', q.minTime)
      .where('messages.msg_time', '<=', q.maxTime);
    if (q.lastMsgKey !== undefined) {
      const last = await conversation
        .select(['messages.id', 'messages.msg_time', 'messages.msg_seq'])
        .where('messages.msg_key', '=', q.lastMsgKey)
        .orderBy('messages.id', 'desc')
        .executeTakeFirst();
      if (!last) return undefined;
      // Older than `last` in the history's order: time, then MsgSeq, then storage order.
      page = page.where((eb) =>
        eb.or([
          eb('messages.msg_time', '<', last.msg_time),
          eb.and([eb('messages.msg_time', '=', last.msg_time), eb('messages.msg_seq', '<', last.msg_seq)]),
          eb.and([
            eb('messages.msg_time', '=', last.msg_time),
            eb('messages.msg_seq', '=', last.msg_seq),
            eb('messages.id', '<', last.id),
          ]),
        ]),
      );
    }
    const size = Math.min(q.maxCnt, MAX_ROAM_PAGE);
    // Tencent orders a conversation's history by time, and the messages of one second by MsgSeq.
    const rows = await page
      .orderBy('messages.msg_time', 'desc')
      .orderBy('messages.msg_seq', 'desc')
      .orderBy('messages.id', 'desc')
      .limit(size + 1)
      .execute();
    const complete = rows.length <= size;
    return { messages: rows.slice(0, size).reverse(), complete };
  }

  /** The group's latest MsgSeq (0: no message yet); undefined when the group does not exist. */
  async latestGroupSeq(sdkAppId: number, groupId: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('groups')
      .select('next_msg_seq')
      .where('sdkappid', '=', sdkAppId)
      .where('group_id', '=', groupId)
      .executeTakeFirst();
    return row ? Number(row.next_msg_seq) - 1 : undefined;
  }

  /** MsgSeq `top` down to `bottom` (≥ 1), newest first, each with its message unless it is gone. */
  async groupHistory(
    sdkAppId: number,
    groupId: string,
    top: number,
    bottom: number,
  ): Promise<GroupHistoryEntry[]> {
    if (top < bottom) return [];
    const rows = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('sdkappid', '=', sdkAppId)
      .where('kind', '=', 'group')
      .where('group_id', '=', groupId)
      .where('msg_seq', '>=', bottom)
      .where('msg_seq', '<=', top)
      .where('expires_at', '>', this.now())
      .execute();
    const bySeq = new Map(rows.map((r) => [r.msg_seq, r]));
    const entries: GroupHistoryEntry[] = [];
    for (let seq = top; seq >= bottom; seq--) {
      const message = bySeq.get(seq);
      entries.push(message ? { msgSeq: seq, message } : { msgSeq: seq });
    }
    return entries;
  }

  /**
   * Rewrites a stored, unexpired message: the one-to-one message `msgKey` from `from` to `to`, or the
   * group's message `msgSeq`, and counts the edit in its version. With `fromVersion` (Tencent's client SDK
   * edits the version it holds) the edit applies only while that is still the message's version; otherwise
   * nothing changes and the answer is the conflict with the message as it now is. Without it (REST) the edit
   * always applies. Undefined when there is no such message.
   */
  async modify(
    sdkAppId: number,
    target: EditTarget,
    patch: MessagePatch,
    fromVersion?: number,
  ): Promise<EditResult | undefined> {
    const set: { body?: string; cloud_custom_data?: string } = {};
    if (patch.body) set.body = JSON.stringify(patch.body);
    if (patch.cloudCustomData !== undefined) set.cloud_custom_data = patch.cloudCustomData;
    const now = this.now();
    const done = await this.db.transaction().execute(async (trx) => {
      let q = trx
        .selectFrom('messages')
        .select('id')
        .where('sdkappid', '=', sdkAppId)
        .where('kind', '=', target.kind)
        .where('expires_at', '>', now)
        // A recalled message is gone for its users: there is nothing to edit.
        .where('recalled_at', 'is', null);
      q =
        target.kind === 'c2c'
          ? q
              .where('msg_key', '=', target.msgKey)
              .where('from_account', '=', target.from)
              .where('to_account', '=', target.to)
          : q.where('group_id', '=', target.groupId).where('msg_seq', '=', target.msgSeq);
      const found = await q.orderBy('id', 'desc').executeTakeFirst();
      if (!found) return undefined;
      let update = trx
        .updateTable('messages')
        .set({ ...set, version: sql<number>`version + 1` })
        .where('id', '=', found.id);
      // One statement checks and bumps the version, so two edits from the same version cannot both apply.
      if (fromVersion !== undefined) update = update.where('version', '=', fromVersion);
      const updated = await update.executeTakeFirst();
      const row = await trx
        .selectFrom('messages')
        .selectAll()
        .where('id', '=', found.id)
        .executeTakeFirstOrThrow();
      if (updated.numUpdatedRows === 0n) return { row, holders: undefined };
      const holders = await trx
        .selectFrom('inbox')
        .select(['user_id', 'conversation_id'])
        .where('sdkappid', '=', sdkAppId)
        .where('message_id', '=', found.id)
        .execute();
      return { row, holders };
    });
    if (!done) return undefined;
    const message = viewOf(done.row);
    if (!done.holders) return { conflict: true, message };
    for (const h of done.holders) {
      this.router.sendEvent(sdkAppId, h.user_id, {
        type: 'event',
        event: 'messageModified',
        data: { conversationId: h.conversation_id, message },
      });
    }
    return { conflict: false, message };
  }
}

/**
 * An edit's outcome: the edited message, or (conflict) the message as it is, unchanged, because it was edited
 * after the version the edit was made from.
 */
export interface EditResult {
  conflict: boolean;
  message: MessageView;
}

export type EditTarget =
  | { kind: 'c2c'; from: string; to: string; msgKey: string }
  | { kind: 'group'; groupId: string; msgSeq: number };
