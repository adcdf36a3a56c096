// Importing one-to-one history from another system (REST openim/importmsg; docs/internals/tencent-im.md#
// importing-messages). An imported message keeps its original time and MsgSeq, is stored in both users'
// inboxes (history, getMessageList, sync) and moves both users' conversation, in one transaction. It triggers
// no callback, no offline push and no webhook. A history import (SyncFromOldSystem 2) counts no unread and
// tells no device; a real-time import (5) counts one unread for the receiver and tells both users' online
// devices to sync, as a send does. A repeat of the same MsgSeq, MsgRandom and MsgTimeStamp between the same
// two accounts (either direction) is not stored again; the first import's content stays.
import type { Kysely, Transaction } from 'kysely';
import type { Router } from '../gateway/router.js';
import type { Database } from '../store/schema.js';
import { allocateSeqs, bumpConversations, type InboxRow } from './message-store.js';
import type { MsgBody } from './message-types.js';

/** How long an imported message stays in history: the longest a sent message is kept (7 days). */
export const IMPORTED_LIFETIME_SECONDS = 604_800;

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

  async #store(trx: Transaction<Database>, m: C2CImport, dedupKey: string, msgKey: string): Promise<void> {
    const now = this.now();
    const expiresAt = now + IMPORTED_LIFETIME_SECONDS * 1000;
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
