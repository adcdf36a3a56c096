// Importing one-to-one history from another system (REST openim/importmsg; docs/internals/tencent-im.md#
// importing-messages). An imported message keeps its original time and MsgSeq, is stored in both users'
// inboxes (history, getMessageList, sync) and moves both users' conversation, in one transaction. It triggers
// no callback, no offline push and no webhook. A history import (SyncFromOldSystem 2) counts no unread and
// tells no device; a real-time import (5) counts one unread for the receiver and tells both users' online
// devices to sync, as a send does. A repeat of the same MsgSeq, MsgRandom and MsgTimeStamp between the same
// two accounts (either direction) is not stored again; the first import's content stays.
import type { Kysely, Transaction } from 'kysely';
import type { Router } from '../devices/router.js';
import type { Database } from '../store/schema.js';
import { allocateSeqs, bumpConversations, type InboxRow } from './message-store.js';
import type { MsgBody } from './message-types.js';

/**
 * Imported messages are the app's history brought over from another system, not traffic in flight: they have
 * no lifetime (a sent message's MsgLifeTime is at most 7 days) and stay until their account or group is
 * deleted. Stored as an expiry far beyond any clock (9999-12-31 UTC, in ms), so that every "still kept"
 * check (`expires_at > now`) and the purge of expired messages treat them like any other row.
 */
export const IMPORTED_KEPT_UNTIL_MS = Date.UTC(9999, 11, 31, 23, 59, 59);

export interface C2CImport {
  sdkAppId: number;
  /** 2: history (no unread, no device told); 5: real-time (unread for the receiver, devices sync). */
  mode: 2 | 5;
  from: string;
  to: string;
  msgSeq: number;
  msgRandom: number;
  /** Original UNIX seconds. */
  msgTime: number;
  body: MsgBody;
  cloudCustomData?: string | undefined;
}

export interface ImportResult {
  /** Already imported: nothing was written. */
  duplicate: boolean;
  msgKey: string;
}

/** The dedup key of an imported one-to-one message: the same for both directions of one conversation. */
export function c2cImportKey(m: Pick<C2CImport, 'from' | 'to' | 'msgSeq' | 'msgRandom' | 'msgTime'>): string {
  const [a, b] = m.from < m.to ? [m.from, m.to] : [m.to, m.from];
  return `import:c2c:${JSON.stringify([a, b, m.msgSeq, m.msgRandom, m.msgTime])}`;
}

export interface GroupImportMessage {
  from: string;
  /** Original UNIX seconds. */
  sendTime: number;
  random: number;
  body: MsgBody;
}

export interface GroupImportResult {
  msgSeq: number;
  msgTime: number;
  /** 0 imported, 2 already imported (the first import's MsgSeq answered). */
  result: 0 | 2;
}

/** Why a group import is refused as a whole (nothing written). */
export class GroupImportError extends Error {
  constructor(
    readonly reason: 'no-group' | 'order',
    message: string,
  ) {
    super(message);
  }
}

export interface GroupMemberImport {
  userId: string;
  role: 'Admin' | 'Member';
  /** Original UNIX seconds. */
  joinTime: number;
  unread: number;
}

export class ImportService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly router: Router,
    private readonly now: () => number,
  ) {}

  async importC2C(m: C2CImport): Promise<ImportResult> {
    const dedupKey = c2cImportKey(m);
    const msgKey = `${m.msgSeq}_${m.msgRandom}_${m.msgTime}`;
    const result = await this.db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('messages')
        .select('msg_key')
        .where('sdkappid', '=', m.sdkAppId)
        .where('dedup_key', '=', dedupKey)
        .where('expires_at', '>', this.now())
        .executeTakeFirst();
      if (existing) return { duplicate: true, msgKey: existing.msg_key };
      await this.#store(trx, m, dedupKey, msgKey);
      return { duplicate: false, msgKey };
    });
    if (!result.duplicate && m.mode === 5) this.router.notifyInbox(m.sdkAppId, new Set([m.from, m.to]));
    return result;
  }

  /**
   * Imports group history (group_open_http_svc/import_group_msg): each message gets the group's next MsgSeq
   * and keeps its original time; the current members get an inbox copy without unread; with `recentContact`
   * their conversation moves to the message. Times must rise, not be before the group's creation or latest
   * message, and not be in the future, else nothing is written. A repeat (same sender, SendTime and Random) keeps its first MsgSeq.
   */
  async importGroup(
    sdkAppId: number,
    groupId: string,
    recentContact: boolean,
    list: GroupImportMessage[],
    /** UNIX seconds the group was created: no imported message may be older. */
    createdAt: number,
  ): Promise<GroupImportResult[]> {
    const nowMs = this.now();
    return this.db.transaction().execute(async (trx) => {
      const results: GroupImportResult[] = [];
      const members = await trx
        .selectFrom('group_members')
        .select('user_id')
        .where('sdkappid', '=', sdkAppId)
        .where('group_id', '=', groupId)
        .orderBy('user_id')
        .execute();
      const latest = await trx
        .selectFrom('messages')
        .select((eb) => eb.fn.max('msg_time').as('t'))
        .where('sdkappid', '=', sdkAppId)
        .where('group_id', '=', groupId)
        .where('kind', '=', 'group')
        .executeTakeFirst();
      let floor = Math.max(createdAt, Number(latest?.t ?? 0));
      for (const m of list) {
        const dedupKey = `import:group:${JSON.stringify([groupId, m.from, m.sendTime, m.random])}`;
        const dup = await trx
          .selectFrom('messages')
          .select(['msg_seq', 'msg_time'])
          .where('sdkappid', '=', sdkAppId)
          .where('dedup_key', '=', dedupKey)
          .where('expires_at', '>', nowMs)
          .executeTakeFirst();
        if (dup) {
          results.push({ msgSeq: Number(dup.msg_seq), msgTime: Number(dup.msg_time), result: 2 });
          continue;
        }
        if (m.sendTime * 1000 > nowMs || m.sendTime < floor) {
          throw new GroupImportError(
            'order',
            `SendTime ${m.sendTime} must not be before the group's creation or latest message (${floor}) nor in the future; import in time order`,
          );
        }
        floor = m.sendTime;
        const seqRow = await trx
          .updateTable('groups')
          .set((eb) => ({ next_msg_seq: eb('next_msg_seq', '+', 1) }))
          .where('sdkappid', '=', sdkAppId)
          .where('group_id', '=', groupId)
          .returning('next_msg_seq')
          .executeTakeFirst();
        if (!seqRow) throw new GroupImportError('no-group', `group ${groupId} does not exist`);
        const msgSeq = Number(seqRow.next_msg_seq) - 1;
        const expiresAt = IMPORTED_KEPT_UNTIL_MS;
        const row = await trx
          .insertInto('messages')
          .values({
            sdkappid: sdkAppId,
            kind: 'group',
            from_account: m.from,
            to_account: null,
            group_id: groupId,
            msg_seq: msgSeq,
            msg_random: m.random,
            msg_time: m.sendTime,
            msg_key: `${msgSeq}_${m.random}_${m.sendTime}`,
            dedup_key: dedupKey,
            body: JSON.stringify(m.body),
            offline_push_info: null,
            cloud_custom_data: null,
            at_accounts: null,
            source: 'import',
            sender_instance: null,
            receivers: null,
            expires_at: expiresAt,
            created_at: nowMs,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        if (members.length > 0) {
          const seqs = await allocateSeqs(
            trx,
            sdkAppId,
            members.map((r) => r.user_id),
          );
          const rows: InboxRow[] = members.map((r) => ({
            userId: r.user_id,
            seq: seqs.get(r.user_id)!,
            conversationId: `group_${groupId}`,
            countsUnread: false,
          }));
          await trx
            .insertInto('inbox')
            .values(
              rows.map((r) => ({
                sdkappid: sdkAppId,
                user_id: r.userId,
                seq: r.seq,
                message_id: row.id,
                conversation_id: r.conversationId,
                sync: 1,
                expires_at: expiresAt,
              })),
            )
            .execute();
          if (recentContact) {
            await bumpConversations(trx, { sdkAppId, sendMsgControl: [] }, row.id, m.sendTime * 1000, rows);
          }
        }
        results.push({ msgSeq, msgTime: m.sendTime, result: 0 });
      }
      return results;
    });
  }

  /**
   * Imports group members (group_open_http_svc/import_group_member) with their original join time: each new
   * member gets an inbox copy of the group's kept messages sent since joining (history imported before
   * them included) and an unread count of `unread` (at most the messages it got). Answers 1 added, 2
   * already a member, per member in order; nothing is written for a member already there.
   */
  async importGroupMembers(
    sdkAppId: number,
    groupId: string,
    members: GroupMemberImport[],
  ): Promise<Map<string, 1 | 2>> {
    const nowMs = this.now();
    return this.db.transaction().execute(async (trx) => {
      const result = new Map<string, 1 | 2>();
      const already = await trx
        .selectFrom('group_members')
        .select('user_id')
        .where('sdkappid', '=', sdkAppId)
        .where('group_id', '=', groupId)
        .where(
          'user_id',
          'in',
          members.map((m) => m.userId),
        )
        .execute();
      for (const r of already) result.set(r.user_id, 2);
      const fresh = members.filter((m) => !result.has(m.userId));
      if (fresh.length === 0) return result;
      await trx
        .insertInto('group_members')
        .values(
          fresh.map((m) => ({
            sdkappid: sdkAppId,
            group_id: groupId,
            user_id: m.userId,
            role: m.role,
            msg_flag: 'AcceptAndNotify',
            name_card: '',
            join_time: m.joinTime,
          })),
        )
        .execute();
      const kept = await trx
        .selectFrom('messages')
        .select(['id', 'msg_time', 'expires_at'])
        .where('sdkappid', '=', sdkAppId)
        .where('kind', '=', 'group')
        .where('group_id', '=', groupId)
        .where('receivers', 'is', null)
        .where('recalled_at', 'is', null)
        .where('expires_at', '>', nowMs)
        .orderBy('msg_seq')
        .execute();
      const conversationId = `group_${groupId}`;
      for (const m of [...fresh].sort((a, b) => (a.userId < b.userId ? -1 : 1))) {
        result.set(m.userId, 1);
        const own = kept.filter((k) => Number(k.msg_time) >= m.joinTime);
        if (own.length === 0) continue;
        let lastSeq = 0;
        for (const k of own) {
          lastSeq = (await allocateSeqs(trx, sdkAppId, [m.userId])).get(m.userId)!;
          await trx
            .insertInto('inbox')
            .values({
              sdkappid: sdkAppId,
              user_id: m.userId,
              seq: lastSeq,
              message_id: k.id,
              conversation_id: conversationId,
              sync: 1,
              expires_at: Number(k.expires_at),
            })
            .execute();
        }
        const last = own[own.length - 1]!;
        await trx
          .insertInto('conversations')
          .values({
            sdkappid: sdkAppId,
            user_id: m.userId,
            conversation_id: conversationId,
            unread: Math.min(m.unread, own.length),
            last_seq: lastSeq,
            last_message_id: last.id,
            updated_at: Number(last.msg_time) * 1000,
          })
          .onConflict((oc) =>
            oc.columns(['sdkappid', 'user_id', 'conversation_id']).doUpdateSet({
              unread: Math.min(m.unread, own.length),
              last_seq: lastSeq,
              last_message_id: last.id,
              updated_at: Number(last.msg_time) * 1000,
            }),
          )
          .execute();
      }
      return result;
    });
  }

  async #store(trx: Transaction<Database>, m: C2CImport, dedupKey: string, msgKey: string): Promise<void> {
    const now = this.now();
    const expiresAt = IMPORTED_KEPT_UNTIL_MS;
    const row = await trx
      .insertInto('messages')
      .values({
        sdkappid: m.sdkAppId,
        kind: 'c2c',
        from_account: m.from,
        to_account: m.to,
        group_id: null,
        msg_seq: m.msgSeq,
        msg_random: m.msgRandom,
        msg_time: m.msgTime,
        msg_key: msgKey,
        dedup_key: dedupKey,
        body: JSON.stringify(m.body),
        offline_push_info: null,
        cloud_custom_data: m.cloudCustomData ?? null,
        at_accounts: null,
        source: 'import',
        sender_instance: null,
        receivers: null,
        expires_at: expiresAt,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const users = [...new Set([m.from, m.to])].sort();
    const seqs = await allocateSeqs(trx, m.sdkAppId, users);
    const rows: InboxRow[] = users.map((userId) => ({
      userId,
      seq: seqs.get(userId)!,
      conversationId: `c2c_${userId === m.from ? m.to : m.from}`,
      countsUnread: m.mode === 5 && userId !== m.from,
    }));
    await trx
      .insertInto('inbox')
      .values(
        rows.map((r) => ({
          sdkappid: m.sdkAppId,
          user_id: r.userId,
          seq: r.seq,
          message_id: row.id,
          conversation_id: r.conversationId,
          sync: 1,
          expires_at: expiresAt,
        })),
      )
      .execute();
    // The conversation orders by the message's original time.
    await bumpConversations(
      trx,
      { sdkAppId: m.sdkAppId, sendMsgControl: [] },
      row.id,
      m.msgTime * 1000,
      rows,
    );
  }
}
