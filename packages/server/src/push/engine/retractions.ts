// A recalled message (messaging/recall.ts) -> the retraction pushes of its notifications that vendors
// accepted, inside the recall's transaction: one per device that got one, through the same durable queue
// as every push (recorded, retried, traced under kind `recall`). Devices whose push is still queued need
// none: the dispatcher drops those (PushTask.recallable). A push already on its way when the recall
// committed is retracted by its settlement (lateRetractions).
import { randomUUID } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { SecretBox } from '../../auth/secret-box.js';
import { CertificateStore } from '../../certificates/store.js';
import type { CertificateInfo } from '../../certificates/types.js';
import { type RecalledMessage, recalledMessages } from '../../messaging/recall.js';
import type { Database } from '../../store/schema.js';
import { type RetractionReason, retractionRequest } from '../render/retraction.js';
import type { PushTask } from '../types.js';
import { vendorModule } from '../vendors/index.js';
import type { EnginePushRecord } from './push-recorder.js';

export interface Retractions {
  tasks: PushTask[];
  accepted: EnginePushRecord[];
}

/** The recalled message as a retraction needs it. */
type Recalled = Pick<RecalledMessage, 'sdkAppId' | 'msgKey' | 'type' | 'from' | 'to' | 'groupId'>;

type Deps = { secrets: SecretBox; now: () => number; newPushId?: (() => string) | undefined };

/** Builds retractions, reading each certificate once. A read's are recorded under kind `read`. */
function retractionBuilder(trx: Kysely<Database>, deps: Deps, reason: RetractionReason = 'recalled') {
  const kind = reason === 'read' ? ('read' as const) : ('recall' as const);
  const store = new CertificateStore(trx, deps.secrets);
  const certificates = new Map<string, CertificateInfo | undefined>();
  const newPushId = deps.newPushId ?? randomUUID;
  const out: Retractions = { tasks: [], accepted: [] };
  const certificate = async (sdkAppId: number, certificateId: number) => {
    const key = `${sdkAppId}:${certificateId}`;
    if (!certificates.has(key)) certificates.set(key, await store.get(sdkAppId, certificateId));
    return certificates.get(key);
  };
  return {
    out,
    certificate,
    /** Adds the retraction of `m`'s notification on the device of `token`, where the vendor has one. */
    async add(m: Recalled, certificateId: number, token: string, toUser: string, instanceId?: string) {
      const cert = await certificate(m.sdkAppId, certificateId);
      if (!cert) return;
      const threadId = m.type === 'group' ? `group_${m.groupId}` : `c2c_${m.from}`;
      const request = retractionRequest(cert, m.msgKey, threadId, reason);
      if (!request) return;
      const pushId = newPushId();
      out.tasks.push({ pushId, sdkAppId: m.sdkAppId, certificateId, token, kind, request });
      out.accepted.push({
        pushId,
        sdkAppId: m.sdkAppId,
        kind,
        toUser,
        fromUser: m.from,
        ...(m.groupId !== undefined ? { groupId: m.groupId } : {}),
        msgKey: m.msgKey,
        ...(instanceId !== undefined ? { instanceId } : {}),
        vendor: cert.vendor,
        certificateId,
        token,
        at: deps.now(),
      });
    },
  };
}

/**
 * The app's pushes that a vendor accepted (a `sent` stage), with the token the device still has bound: what a
 * retraction can address.
 */
function deliveredPushes(trx: Kysely<Database>, sdkAppId: number) {
  return trx
    .selectFrom('push_traces as t')
    .innerJoin('push_bindings as b', (j) =>
      j
        .onRef('b.sdkappid', '=', 't.sdkappid')
        .onRef('b.user_id', '=', 't.to_user')
        .onRef('b.instance_id', '=', 't.instance_id')
        .onRef('b.certificate_id', '=', 't.certificate_id'),
    )
    .select(['t.instance_id', 't.certificate_id', 't.token_suffix', 'b.token'])
    .where('t.sdkappid', '=', sdkAppId)
    .where('t.skip_reason', 'is', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('push_trace_events as e')
          .select(sql`1`.as('one'))
          .whereRef('e.push_id', '=', 't.push_id')
          .where('e.stage', '=', 'sent'),
      ),
    );
}

/** At the recall: the retractions of the pushes of `m` that vendors accepted before. */
export async function retractionPushes(
  trx: Transaction<Database>,
  deps: Deps,
  m: RecalledMessage,
): Promise<Retractions> {
  let q = deliveredPushes(trx, m.sdkAppId)
    .select('t.to_user')
    .where('t.msg_key', '=', m.msgKey)
    .where('t.kind', '=', m.type);
  if (m.type === 'c2c' && m.to !== undefined) q = q.where('t.to_user', '=', m.to);
  const rows = await q.execute();
  const build = retractionBuilder(trx, deps);
  const seen = new Set<string>();
  for (const r of rows) {
    // The binding still holds the token the push went to (a token reported since is another device's).
    if (r.token_suffix && !r.token.endsWith(r.token_suffix)) continue;
    const key = `${r.certificate_id}\u0000${r.token}`;
    if (seen.has(key)) continue;
    seen.add(key);
    await build.add(m, Number(r.certificate_id), r.token, r.to_user, r.instance_id ?? undefined);
  }
  return build.out;
}

/**
 * In a settlement: chat pushes the vendors accepted whose message was recalled while they were on their way
 * (after the recall looked for delivered pushes): their retractions, queued in the same commit.
 */
export async function lateRetractions(
  trx: Kysely<Database>,
  deps: Deps,
  sent: PushTask[],
): Promise<Retractions> {
  const byApp = new Map<number, PushTask[]>();
  for (const t of sent) {
    if (!t.recallable) continue;
    const tasks = byApp.get(t.sdkAppId);
    if (tasks) tasks.push(t);
    else byApp.set(t.sdkAppId, [t]);
  }
  let build: ReturnType<typeof retractionBuilder> | undefined;
  for (const [sdkAppId, tasks] of byApp) {
    const rows = await recalledMessages(trx, sdkAppId, [...new Set(tasks.map((t) => t.recallable!.msgKey))]);
    if (rows.length === 0) continue;
    build ??= retractionBuilder(trx, deps);
    for (const t of tasks) {
      const { msgKey, userId } = t.recallable!;
      const row = rows.find((r) => r.msg_key === msgKey && (r.kind === 'group' || r.to_account === userId));
      if (!row) continue;
      const m: Recalled = {
        sdkAppId,
        msgKey,
        type: row.kind as Recalled['type'],
        from: row.from_account,
        ...(row.to_account !== null ? { to: row.to_account } : {}),
        ...(row.group_id !== null ? { groupId: row.group_id } : {}),
      };
      await build.add(m, t.certificateId, t.token, userId);
    }
  }
  return build?.out ?? { tasks: [], accepted: [] };
}

/** A conversation read on one device: what the other devices still show of it. */
export interface ReadElsewhere {
  sdkAppId: number;
  userId: string;
  /** `c2c_<peer>` or `group_<id>` (messaging/view.ts). */
  conversationId: string;
  /** How many messages were unread before the read: the newest ones of the conversation. */
  cleared: number;
  /** The device that read: its own notifications are its business. Absent: a read set by the backend. */
  readOn?: string | undefined;
}

/** At most this many of the newest unread messages are retracted per read (a notification tray's worth). */
const READ_RETRACTION_LIMIT = 50;

/**
 * After a read: the retractions of the notifications the user's other devices got for the messages the read
 * cleared, where the vendor can retract one (docs/push-payloads.md#7-recall). Vendors that retract by
 * conversation tag (FCM, Web Push) need one per device.
 */
export async function readRetractions(
  trx: Transaction<Database>,
  deps: Deps,
  read: ReadElsewhere,
): Promise<Retractions> {
  const build = retractionBuilder(trx, deps, 'read');
  const limit = Math.min(read.cleared, READ_RETRACTION_LIMIT);
  const peer = read.conversationId.startsWith('c2c_') ? read.conversationId.slice(4) : undefined;
  const groupId = read.conversationId.startsWith('group_') ? read.conversationId.slice(6) : undefined;
  if (limit <= 0 || (peer === undefined && groupId === undefined)) return build.out;
  // The newest messages of the conversation from others: the ones the read cleared.
  const unread = await trx
    .selectFrom('inbox as i')
    .innerJoin('messages as m', 'm.id', 'i.message_id')
    .select(['m.msg_key', 'm.kind', 'm.from_account', 'm.to_account', 'm.group_id'])
    .where('i.sdkappid', '=', read.sdkAppId)
    .where('i.user_id', '=', read.userId)
    .where('i.conversation_id', '=', read.conversationId)
    .where('m.from_account', '!=', read.userId)
    .orderBy('i.seq', 'desc')
    .limit(limit)
    .execute();
  if (unread.length === 0) return build.out;
  const byKey = new Map(unread.map((r) => [r.msg_key, r]));
  let q = deliveredPushes(trx, read.sdkAppId)
    .select('t.msg_key')
    .where('t.to_user', '=', read.userId)
    .where('t.msg_key', 'in', [...byKey.keys()])
    .where('t.kind', 'in', ['c2c', 'group']);
  if (read.readOn !== undefined) q = q.where('t.instance_id', '!=', read.readOn);
  const seen = new Set<string>();
  for (const r of await q.execute()) {
    if (r.token_suffix && !r.token.endsWith(r.token_suffix)) continue;
    const message = byKey.get(r.msg_key ?? '');
    if (!message) continue;
    const certificate = await build.certificate(read.sdkAppId, Number(r.certificate_id));
    // FCM and Web Push retract by conversation tag (VendorModule.retractsByConversation): one instruction per
    // device clears all of it.
    const perDevice = certificate ? vendorModule(certificate.vendor).retractsByConversation === true : false;
    const key = `${r.certificate_id}\u0000${r.token}\u0000${perDevice ? '' : r.msg_key}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const m: Recalled = {
      sdkAppId: read.sdkAppId,
      msgKey: message.msg_key,
      type: message.kind as Recalled['type'],
      from: message.from_account,
      ...(message.to_account !== null ? { to: message.to_account } : {}),
      ...(message.group_id !== null ? { groupId: message.group_id } : {}),
    };
    await build.add(m, Number(r.certificate_id), r.token, read.userId, r.instance_id ?? undefined);
  }
  return build.out;
}
