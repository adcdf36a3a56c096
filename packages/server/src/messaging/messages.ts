// Sending: dedup, storage for the message's lifetime, one inbox row per receiving user (the log devices
// sync from), conversation unread counts, live delivery through the router, then post-commit hooks.
import { createHash, randomInt } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Router } from '../gateway/router.js';
import type { Database } from '../store/schema.js';
import type { GroupsService } from './groups.js';
import type { CommittedMessage, MessageCommittedHook, RecipientOutcome } from './hooks.js';
import type { MsgBody, OfflinePushInfo } from './message-types.js';
import { evaluateReceive, type ReceiveDecision } from './receive-options.js';
import { c2cTarget, groupTarget, type ReceiveSettings } from './receive-settings.js';
import { conversationIdFor, type MessageView } from './view.js';

export const MAX_LIFETIME_SECONDS = 604_800;
export const DEFAULT_LIFETIME_SECONDS = 604_800;
const C2C_DEDUP_WINDOW_MS = 120_000;
const GROUP_DEDUP_WINDOW_MS = 300_000;
export const AT_ALL = '@ALL';

/** A send refused for a reason with a Tencent code. */
export class MessagingError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface SendRequest {
  sdkAppId: number;
  source: 'rest' | 'sdk';
  from: string;
  target: { kind: 'c2c'; to: string[] } | { kind: 'group'; groupId: string };
  body: MsgBody;
  offlinePushInfo?: OfflinePushInfo | undefined;
  /** Seconds; 0 = online only. */
  lifeTime: number;
  /** OnlineOnlyFlag / onlineUserOnly: live delivery only, no storage, no unread. */
  onlineOnly: boolean;
  msgSeq?: number | undefined;
  msgRandom: number;
  cloudCustomData?: string | undefined;
  sendMsgControl: string[];
  /** 1 = the sender's other devices get the message too; 2 = they do not. */
  syncOtherMachine: 1 | 2;
  atAccounts?: string[] | undefined;
  senderInstanceId?: string | undefined;
}

export interface SendResult {
  msgKey: string;
  /** UNIX seconds. */
  msgTime: number;
  msgSeq: number;
  /** The same message was sent within the dedup window: nothing new was stored. */
  duplicate: boolean;
  /** The sender's inbox seq of its own copy (C2C to one user, or group), if one was stored. */
  senderSeq?: number;
}

interface Unit {
  message: CommittedMessage;
  dedupKey?: string;
  recipients: { userId: string; decision: ReceiveDecision; isAtMe: boolean }[];
}

export class MessagingService {
  readonly #hooks: MessageCommittedHook[] = [];

  constructor(
    private readonly db: Kysely<Database>,
    private readonly groups: GroupsService,
    private readonly settings: ReceiveSettings,
    private readonly router: Router,
    private readonly log: Logger,
    readonly now: () => number,
  ) {}

  /** Registers a hook called after every committed message (see hooks.ts). */
  onMessageCommitted(hook: MessageCommittedHook): () => void {
    this.#hooks.push(hook);
    return () => {
      const i = this.#hooks.indexOf(hook);
      if (i >= 0) this.#hooks.splice(i, 1);
    };
  }

  async send(req: SendRequest): Promise<SendResult> {
    const now = this.now();
    const msgTime = Math.floor(now / 1000);
    const units = await this.#plan(req, msgTime, now);
    const stored = req.lifeTime > 0 && !req.onlineOnly;
    let duplicate = false;
    let senderSeq: number | undefined;
    const outcomes = new Map<Unit, RecipientOutcome[]>();

    if (stored) {
      await this.db.transaction().execute(async (trx) => {
        for (const unit of units) {
          const dup = unit.dedupKey ? await this.#findDuplicate(trx, req.sdkAppId, unit, now) : undefined;
          if (dup) {
            Object.assign(unit.message, { msgKey: dup.msg_key, msgTime: dup.msg_time, msgSeq: dup.msg_seq });
            duplicate = true;
            continue;
          }
          if (req.target.kind === 'group') {
            finalizeKey(unit.message, await nextGroupSeq(trx, req.sdkAppId, req.target.groupId));
          }
          const messageId = await insertMessage(trx, unit, now);
          const expiresAt = now + req.lifeTime * 1000;
          const list: RecipientOutcome[] = [];
          const recipients = [...unit.recipients].sort((a, b) => (a.userId < b.userId ? -1 : 1));
          for (const r of recipients) {
            if (!r.decision.online) continue;
            const isSender = r.userId === req.from;
            const conversationId = conversationIdFor(r.userId, unit.message);
            const seq = await nextUserSeq(trx, req.sdkAppId, r.userId);
            await trx
              .insertInto('inbox')
              .values({
                sdkappid: req.sdkAppId,
                user_id: r.userId,
                seq,
                message_id: messageId,
                conversation_id: conversationId,
                sync: 1,
                expires_at: expiresAt,
              })
              .execute();
            const countsUnread = !isSender && !req.sendMsgControl.includes('NoUnread');
            const unread = await bumpConversation(trx, req, r.userId, conversationId, seq, messageId, {
              countsUnread,
              now,
            });
            if (isSender) senderSeq = seq;
            else list.push({ ...outcome(r, conversationId, unread), seq });
          }
          outcomes.set(unit, list);
        }
      });
    } else {
      for (const unit of units) {
        if (req.target.kind === 'group') finalizeKey(unit.message, 0);
        outcomes.set(
          unit,
          unit.recipients
            .filter((r) => r.decision.online && r.userId !== req.from)
            .map((r) => outcome(r, conversationIdFor(r.userId, unit.message), 0)),
        );
      }
    }

    await this.#afterCommit(req, outcomes, stored);
    const first = units[0]!.message;
    return {
      msgKey: first.msgKey,
      msgTime: first.msgTime,
      msgSeq: first.msgSeq,
      duplicate,
      ...(senderSeq !== undefined ? { senderSeq } : {}),
    };
  }

  /** Builds one unit per stored message row with each recipient's receive decision. */
  async #plan(req: SendRequest, msgTime: number, now: number): Promise<Unit[]> {
    const honourOptions = req.source === 'sdk' || req.sendMsgControl.includes('WithMuteNotifications');
    const base = {
      sdkAppId: req.sdkAppId,
      source: req.source,
      lifeTime: req.onlineOnly ? 0 : req.lifeTime,
      onlineOnly: req.onlineOnly || req.lifeTime === 0,
      sendMsgControl: req.sendMsgControl,
      from: req.from,
      msgRandom: req.msgRandom,
      msgTime,
      body: req.body,
      ...(req.offlinePushInfo ? { offlinePushInfo: req.offlinePushInfo } : {}),
      ...(req.cloudCustomData !== undefined ? { cloudCustomData: req.cloudCustomData } : {}),
      ...(req.senderInstanceId ? { senderInstanceId: req.senderInstanceId } : {}),
    };
    const self = (isAtMe = false) => ({ userId: req.from, decision: OK_DECISION, isAtMe });
    const dnd = async (ids: string[]) => this.settings.dndOf(req.sdkAppId, ids);

    if (req.target.kind === 'c2c') {
      const to = [...new Set(req.target.to)];
      const [opts, dnds] = await Promise.all([
        this.settings.optsFor(req.sdkAppId, to, c2cTarget(req.from)),
        dnd(to),
      ]);
      const msgSeq = req.msgSeq ?? randomInt(1, 2 ** 31);
      return to.map((userId) => {
        const message: CommittedMessage = {
          ...base,
          type: 'c2c',
          to: userId,
          msgSeq,
          msgKey: `${msgSeq}_${req.msgRandom}_${msgTime}`,
        };
        const decision = evaluateReceive({
          c2cOpt: opts.get(userId),
          globalDnd: dnds.get(userId),
          now,
          isAtMe: false,
          honourOptions,
        });
        const recipients = [{ userId, decision, isAtMe: false }];
        if (req.syncOtherMachine === 1 && userId !== req.from) recipients.push(self());
        return {
          message,
          dedupKey: `c2c|${req.from}|${userId}|${req.msgSeq ?? ''}|${req.msgRandom}|${bodyHash(req.body)}`,
          recipients,
        };
      });
    }

    const groupId = req.target.groupId;
    const members = await this.groups.members(req.sdkAppId, groupId);
    const ids = members.map((m) => m.userId).filter((id) => id !== req.from);
    const [opts, dnds] = await Promise.all([
      this.settings.optsFor(req.sdkAppId, ids, groupTarget(groupId)),
      dnd(ids),
    ]);
    const at = new Set(req.atAccounts ?? []);
    const message: CommittedMessage = { ...base, type: 'group', groupId, msgSeq: 0, msgKey: '' };
    if (at.size > 0) message.atUserList = [...at];
    const flags = new Map(members.map((m) => [m.userId, m.msgFlag]));
    const recipients = ids.map((userId) => {
      const isAtMe = at.has(AT_ALL) || at.has(userId);
      const decision = evaluateReceive({
        groupOpt: opts.get(userId),
        memberMsgFlag: flags.get(userId),
        globalDnd: dnds.get(userId),
        now,
        isAtMe,
        honourOptions,
      });
      return { userId, decision, isAtMe };
    });
    if (req.syncOtherMachine === 1 && flags.has(req.from)) recipients.push(self());
    return [{ message, dedupKey: `group|${groupId}|${req.msgRandom}`, recipients }];
  }

  async #findDuplicate(trx: Transaction<Database>, sdkAppId: number, unit: Unit, now: number) {
    const window = unit.message.type === 'group' ? GROUP_DEDUP_WINDOW_MS : C2C_DEDUP_WINDOW_MS;
    return trx
      .selectFrom('messages')
      .select(['msg_key', 'msg_time', 'msg_seq'])
      .where('sdkappid', '=', sdkAppId)
      .where('dedup_key', '=', unit.dedupKey!)
      .where('created_at', '>', now - window)
      .executeTakeFirst();
  }

  async #afterCommit(
    req: SendRequest,
    outcomes: Map<Unit, RecipientOutcome[]>,
    stored: boolean,
  ): Promise<void> {
    const users = new Set<string>();
    for (const list of outcomes.values()) for (const o of list) users.add(o.userId);
    if (stored) {
      const totals = await this.totalUnread(req.sdkAppId, [...users]);
      for (const list of outcomes.values()) for (const o of list) o.totalUnread = totals.get(o.userId) ?? 0;
      const notify = new Set(users);
      if (req.syncOtherMachine === 1) notify.add(req.from);
      this.router.notifyInbox(req.sdkAppId, notify);
    } else {
      for (const [unit, list] of outcomes) {
        const view = publicView(unit.message);
        for (const o of list) {
          this.router.sendEvent(req.sdkAppId, o.userId, {
            type: 'event',
            event: 'message',
            data: { conversationId: o.conversationId, message: view, onlineOnly: true },
          });
        }
        if (req.syncOtherMachine === 1) {
          this.router.sendEvent(
            req.sdkAppId,
            req.from,
            {
              type: 'event',
              event: 'message',
              data: { conversationId: conversationIdFor(req.from, view), message: view, onlineOnly: true },
            },
            req.senderInstanceId,
          );
        }
      }
    }
    for (const [unit, list] of outcomes) {
      for (const hook of this.#hooks) {
        try {
          await hook(unit.message, list);
        } catch (err) {
          this.log.error({ err, msgKey: unit.message.msgKey }, 'message hook failed');
        }
      }
    }
  }

  /** Sum of unread counts over all conversations, per user. */
  async totalUnread(sdkAppId: number, userIds: string[]): Promise<Map<string, number>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('conversations')
      .select(['user_id', (eb) => eb.fn.sum<number>('unread').as('total')])
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', 'in', userIds)
      .groupBy('user_id')
      .execute();
    return new Map(rows.map((r) => [r.user_id, Number(r.total ?? 0)]));
  }

  /** Deletes messages whose lifetime is over (their inbox rows go with them). */
  async purgeExpired(): Promise<number> {
    const r = await this.db.deleteFrom('messages').where('expires_at', '<=', this.now()).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

const OK_DECISION: ReceiveDecision = { online: true, push: false, reason: 'sender' };

function outcome(
  r: { userId: string; decision: ReceiveDecision; isAtMe: boolean },
  conversationId: string,
  conversationUnread: number,
): RecipientOutcome {
  return {
    userId: r.userId,
    conversationId,
    conversationUnread,
    totalUnread: 0,
    online: r.decision.online,
    push: r.decision.push,
    reason: r.decision.reason,
    isAtMe: r.isAtMe,
  };
}

function finalizeKey(message: CommittedMessage, msgSeq: number): void {
  message.msgSeq = msgSeq;
  message.msgKey = `${msgSeq}_${message.msgRandom}_${message.msgTime}`;
}

function bodyHash(body: MsgBody): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 22);
}

export function publicView(m: CommittedMessage): MessageView {
  const { sdkAppId, source, lifeTime, onlineOnly, sendMsgControl, senderInstanceId, ...view } = m;
  return view;
}

async function insertMessage(trx: Transaction<Database>, unit: Unit, now: number): Promise<number> {
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
async function nextUserSeq(trx: Transaction<Database>, sdkAppId: number, userId: string): Promise<number> {
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

async function nextGroupSeq(trx: Transaction<Database>, sdkAppId: number, groupId: string): Promise<number> {
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
async function bumpConversation(
  trx: Transaction<Database>,
  req: SendRequest,
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
