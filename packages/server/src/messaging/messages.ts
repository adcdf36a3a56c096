// Sending: dedup, storage for the message's lifetime, one inbox row per receiving user (the log devices
// sync from), conversation unread counts, live delivery through the router, then post-commit hooks.
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Router } from '../devices/router.js';
import type { GroupCommit } from '../store/group-commit.js';
import type { Database } from '../store/schema.js';
import type { MessageCallbacks } from './callbacks.js';
import type { MessagingError } from './errors.js';
import type { GroupsService } from './groups.js';
import type {
  CommittedMessage,
  MessageCommittedHook,
  MessageStoringHook,
  RecipientOutcome,
} from './hooks.js';
import {
  allocateSeqs,
  bumpConversations,
  finalizeKey,
  findDuplicate,
  insertInbox,
  insertMessage,
  insertUnlessDuplicate,
  nextGroupSeq,
} from './message-store.js';
import { msgIdOf } from './msg-id.js';
import { type PlannedRecipient, planUnits, type Unit } from './plan.js';
import type { ReceiveSettings } from './receive-settings.js';
import type { SendGuard } from './send-guard.js';
import type { SendRequest } from './send-request.js';
import { conversationIdFor, type MessageView } from './view.js';

export const MAX_LIFETIME_SECONDS = 604_800;
export const DEFAULT_LIFETIME_SECONDS = 604_800;

export { MessagingError } from './errors.js';
export { AT_ALL } from './plan.js';

export interface SendResult {
  msgKey: string;
  /** UNIX seconds. */
  msgTime: number;
  msgSeq: number;
  /** Tencent's MsgId, as the message callbacks carry it (msg-id.ts). */
  msgId: string;
  /** The same message was sent within the dedup window: nothing new was stored. */
  duplicate: boolean;
  /** The sender's inbox seq of its own copy (C2C to one user, or group), if one was stored. */
  senderSeq?: number;
}

export class MessagingService {
  readonly #hooks: MessageCommittedHook[] = [];
  readonly #storingHooks: MessageStoringHook[] = [];
  /**
   * SQLite (one connection): concurrent sends share one transaction (store/group-commit.ts). PostgreSQL keeps one
   * transaction per send: its pool runs them in parallel on separate connections.
   */
  readonly #commits: GroupCommit | undefined;
  #callbacks: MessageCallbacks | undefined;
  #guard: SendGuard | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly groups: GroupsService,
    private readonly settings: ReceiveSettings,
    private readonly router: Router,
    private readonly log: Logger,
    readonly now: () => number,
    /** The database's group commit (SQLite); absent, each send has a transaction of its own. */
    commits?: GroupCommit,
  ) {
    this.#commits = commits;
  }

  /** Sets who sends the message callbacks (before-send in the send, after-send in its transaction). */
  setCallbacks(callbacks: MessageCallbacks): void {
    this.#callbacks = callbacks;
  }

  /** Sets who may send (mutes, blocklists, the friend check: send-guard.ts), checked first in every send. */
  setGuard(guard: SendGuard): void {
    this.#guard = guard;
  }

  /** Who sends the callbacks (the group lifecycle ones too), if anyone. */
  get callbacks(): MessageCallbacks | undefined {
    return this.#callbacks;
  }

  /** Registers a hook called after every committed message (see hooks.ts). Returns its remover. */
  onMessageCommitted(hook: MessageCommittedHook): () => void {
    return register(this.#hooks, hook);
  }

  /**
   * Registers a hook called inside the send's transaction for every stored message, e.g. to enqueue push
   * jobs in the same commit (durable before acknowledged). A throw rolls the whole send back and the
   * sender gets an error. Not called for online-only messages or duplicates.
   */
  onMessageStoring(hook: MessageStoringHook): () => void {
    return register(this.#storingHooks, hook);
  }

  /**
   * The receivers this send would be refused for (send-guard.ts); batchsendmsg leaves them out. A group tip
   * or group system notification is the server's notice, not its operator's message: a global mute (or any
   * other send rule) of the operator must not swallow the news that it joined, left or asked to join.
   */
  async refusals(req: SendRequest): Promise<Map<string, MessagingError>> {
    if (req.groupTip) return new Map();
    return this.#guard ? this.#guard.refusals(req) : new Map();
  }

  async send(req: SendRequest): Promise<SendResult> {
    // Refused before anything else: nothing is stored, delivered, pushed or called back.
    const refused = (await this.refusals(req)).values().next();
    if (!refused.done) throw refused.value;
    const now = this.now();
    const msgTime = Math.floor(now / 1000);
    const callbacks = this.#callbacks;
    const plan = callbacks ? await callbacks.plan(req) : undefined;
    const units = await planUnits({ groups: this.groups, settings: this.settings }, req, msgTime, now);
    // The app may refuse (a MessagingError: nothing stored, delivered or pushed) or rewrite the message.
    if (plan && callbacks)
      await callbacks.beforeSend(
        plan,
        units.map((u) => u.message),
      );
    const stored = req.lifeTime > 0 && !req.onlineOnly;
    let duplicate = false;
    let senderSeq: number | undefined;
    const outcomes = new Map<Unit, RecipientOutcome[]>();
    /** The users whose unread total was read in the send's transaction. */
    let totalled = new Set<string>();

    if (stored) {
      const work = async (trx: Transaction<Database>) => {
        const r = await this.#store(trx, req, units, now, outcomes);
        duplicate = r.duplicate;
        senderSeq = r.senderSeq;
        const users = [...new Set([...outcomes.values()].flat().map((o) => o.userId))];
        // The totals go to the after-send callback (UnreadMsgNum) and to the recipients' live connections
        // (conversationChanged, unless NoUnread): read only for those, not for every offline receiver.
        const needed = plan?.after
          ? users
          : req.sendMsgControl.includes('NoUnread')
            ? []
            : users.filter((u) => this.router.mayReach(req.sdkAppId, u));
        const totals = await this.totalUnread(req.sdkAppId, needed, trx);
        totalled = new Set(needed);
        for (const list of outcomes.values())
          for (const o of list) if (totalled.has(o.userId)) o.totalUnread = totals.get(o.userId) ?? 0;
        for (const [unit, list] of outcomes) {
          for (const hook of this.#storingHooks)
            await hook(
              trx,
              unit.message,
              list,
              req.senderNick !== undefined ? { senderNick: req.senderNick } : {},
            );
          if (plan && callbacks) await callbacks.afterSend(plan, trx, unit.message, list);
        }
      };
      await (this.#commits ? this.#commits.run(work) : this.db.transaction().execute(work));
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
      if (plan && callbacks) {
        for (const [unit, list] of outcomes) await callbacks.afterSend(plan, this.db, unit.message, list);
      }
    }
    if (plan?.after) callbacks?.wake();

    await this.#afterCommit(req, outcomes, stored, totalled);
    const first = units[0]!.message;
    return {
      msgKey: first.msgKey,
      msgTime: first.msgTime,
      msgSeq: first.msgSeq,
      msgId: msgIdOf(first),
      duplicate,
      ...(senderSeq !== undefined ? { senderSeq } : {}),
    };
  }

  /** Inside the send's transaction: dedup, message rows, inbox rows and unread counts. */
  async #store(
    trx: Transaction<Database>,
    req: SendRequest,
    units: Unit[],
    now: number,
    outcomes: Map<Unit, RecipientOutcome[]>,
  ): Promise<{ duplicate: boolean; senderSeq?: number }> {
    let duplicate = false;
    let senderSeq: number | undefined;
    for (const unit of units) {
      let messageId: number;
      if (req.target.kind === 'group') {
        // Looked up first: a repeat must not take a group MsgSeq.
        const dup = unit.dedupKey ? await findDuplicate(trx, req.sdkAppId, unit, now) : undefined;
        if (dup) {
          Object.assign(unit.message, { msgKey: dup.msg_key, msgTime: dup.msg_time, msgSeq: dup.msg_seq });
          duplicate = true;
          continue;
        }
        finalizeKey(unit.message, await nextGroupSeq(trx, req.sdkAppId, req.target.groupId));
        messageId = await insertMessage(trx, unit, now);
      } else if (unit.dedupKey) {
        const stored = await insertUnlessDuplicate(trx, unit, now);
        if ('duplicate' in stored) {
          const dup = stored.duplicate;
          Object.assign(unit.message, { msgKey: dup.msg_key, msgTime: dup.msg_time, msgSeq: dup.msg_seq });
          duplicate = true;
          continue;
        }
        messageId = stored.id;
      } else {
        messageId = await insertMessage(trx, unit, now);
      }
      // Sorted, so that concurrent sends lock the users' seq rows in the same order.
      const receiving = unit.recipients
        .filter((r) => r.decision.online)
        .sort((a, b) => (a.userId < b.userId ? -1 : 1));
      const seqs = await allocateSeqs(
        trx,
        req.sdkAppId,
        receiving.map((r) => r.userId),
      );
      const rows = receiving.map((r) => ({
        userId: r.userId,
        seq: seqs.get(r.userId)!,
        conversationId: conversationIdFor(r.userId, unit.message),
        // A targeted group message does not count as unread (as in Tencent IM).
        countsUnread:
          r.userId !== req.from && !req.sendMsgControl.includes('NoUnread') && !unit.message.receivers,
      }));
      await insertInbox(trx, req.sdkAppId, messageId, now + req.lifeTime * 1000, rows);
      const unread = await bumpConversations(trx, req, messageId, now, rows);
      const list: RecipientOutcome[] = [];
      receiving.forEach((r, i) => {
        const row = rows[i]!;
        if (r.userId === req.from) senderSeq = row.seq;
        else list.push({ ...outcome(r, row.conversationId, unread.get(r.userId) ?? 0), seq: row.seq });
      });
      outcomes.set(unit, list);
    }
    return senderSeq === undefined ? { duplicate } : { duplicate, senderSeq };
  }

  async #afterCommit(
    req: SendRequest,
    outcomes: Map<Unit, RecipientOutcome[]>,
    stored: boolean,
    totalled: ReadonlySet<string>,
  ): Promise<void> {
    const users = new Set<string>();
    for (const list of outcomes.values()) for (const o of list) users.add(o.userId);
    if (stored) {
      const notify = new Set(users);
      if (req.syncOtherMachine === 1) notify.add(req.from);
      this.router.notifyInbox(req.sdkAppId, notify);
      // Live badges: the recipients' devices learn the new counts without asking.
      if (!req.sendMsgControl.includes('NoUnread')) {
        const all = [...outcomes.values()].flat();
        // A recipient that connected since the send's transaction: its total, as of now.
        const late = new Set(
          all
            .filter((o) => !totalled.has(o.userId) && this.router.mayReach(req.sdkAppId, o.userId))
            .map((o) => o.userId),
        );
        if (late.size > 0) {
          const totals = await this.totalUnread(req.sdkAppId, [...late]);
          for (const o of all) if (late.has(o.userId)) o.totalUnread = totals.get(o.userId) ?? 0;
        }
        for (const o of all) {
          this.router.sendEvent(req.sdkAppId, o.userId, {
            type: 'event',
            event: 'conversationChanged',
            data: {
              conversationId: o.conversationId,
              unread: o.conversationUnread,
              totalUnread: o.totalUnread,
            },
          });
        }
      }
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
  async totalUnread(
    sdkAppId: number,
    userIds: string[],
    db: Kysely<Database> | Transaction<Database> = this.db,
  ): Promise<Map<string, number>> {
    if (userIds.length === 0) return new Map();
    const rows = await db
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

function outcome(r: PlannedRecipient, conversationId: string, conversationUnread: number): RecipientOutcome {
  return {
    userId: r.userId,
    conversationId,
    conversationUnread,
    online: r.decision.online,
    push: r.decision.push,
    reason: r.decision.reason,
    isAtMe: r.isAtMe,
  };
}

export function publicView(m: CommittedMessage): MessageView {
  const {
    sdkAppId,
    source,
    lifeTime,
    sentAt,
    onlineOnly,
    sendMsgControl,
    senderInstanceId,
    clientTime,
    call,
    receivers,
    groupTip,
    ...view
  } = m;
  return view;
}

function register<T>(list: T[], item: T): () => void {
  list.push(item);
  return () => {
    const i = list.indexOf(item);
    if (i >= 0) list.splice(i, 1);
  };
}
