// A recalled message (messaging/recall.ts) -> the retraction pushes of its notifications that vendors
// accepted, inside the recall's transaction: one per device that got one, through the same durable queue
// as every push (recorded, retried, traced under kind `recall`). Devices whose push is still queued need
// none: the dispatcher drops those (PushTask.recallable). A push already on its way when the recall
// committed is retracted by its settlement (lateRetractions).
import { randomUUID } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { SecretBox } from '../../auth/secret-box.js';
import type { RecalledMessage } from '../../messaging/recall.js';
import type { Database } from '../../store/schema.js';
import { CertificateStore } from '../certificates/store.js';
import type { CertificateInfo } from '../certificates/types.js';
import { retractionRequest } from '../render/retraction.js';
import type { PushTask } from '../types.js';
import type { EnginePushRecord } from './recorder.js';

export interface Retractions {
  tasks: PushTask[];
  accepted: EnginePushRecord[];
}

/** The recalled message as a retraction needs it. */
type Recalled = Pick<RecalledMessage, 'sdkAppId' | 'msgKey' | 'type' | 'from' | 'to' | 'groupId'>;

type Deps = { secrets: SecretBox; now: () => number; newPushId?: (() => string) | undefined };

/** Builds retractions, reading each certificate once. */
function retractionBuilder(trx: Kysely<Database>, deps: Deps) {
  const store = new CertificateStore(trx, deps.secrets);
  const certificates = new Map<string, CertificateInfo | undefined>();
  const newPushId = deps.newPushId ?? randomUUID;
  const out: Retractions = { tasks: [], accepted: [] };
  return {
    out,
    /** Adds the retraction of `m`'s notification on the device of `token`, where the vendor has one. */
    async add(m: Recalled, certificateId: number, token: string, toUser: string, instanceId?: string) {
      const key = `${m.sdkAppId}:${certificateId}`;
      if (!certificates.has(key)) certificates.set(key, await store.get(m.sdkAppId, certificateId));
      const certificate = certificates.get(key);
      if (!certificate) return;
      const threadId = m.type === 'group' ? `group_${m.groupId}` : `c2c_${m.from}`;
      const request = retractionRequest(certificate, m.msgKey, threadId);
      if (!request) return;
      const pushId = newPushId();
      out.tasks.push({ pushId, sdkAppId: m.sdkAppId, certificateId, token, kind: 'recall', request });
      out.accepted.push({
        pushId,
        sdkAppId: m.sdkAppId,
        kind: 'recall',
        toUser,
        fromUser: m.from,
        ...(m.groupId !== undefined ? { groupId: m.groupId } : {}),
        msgKey: m.msgKey,
        ...(instanceId !== undefined ? { instanceId } : {}),
        vendor: certificate.vendor,
        certificateId,
        token,
        at: deps.now(),
      });
    },
  };
}

/** At the recall: the retractions of the pushes of `m` that vendors accepted before. */
export async function retractionPushes(
  trx: Transaction<Database>,
  deps: Deps,
  m: RecalledMessage,
): Promise<Retractions> {
  let q = trx
    .selectFrom('push_traces as t')
    .innerJoin('push_bindings as b', (j) =>
      j
        .onRef('b.sdkappid', '=', 't.sdkappid')
        .onRef('b.user_id', '=', 't.to_user')
        .onRef('b.instance_id', '=', 't.instance_id')
        .onRef('b.certificate_id', '=', 't.certificate_id'),
    )
    .select(['t.to_user', 't.instance_id', 't.certificate_id', 't.token_suffix', 'b.token'])
    .where('t.sdkappid', '=', m.sdkAppId)
    .where('t.msg_key', '=', m.msgKey)
    .where('t.kind', '=', m.type)
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
  const build = retractionBuilder(trx, deps);
  const byApp = new Map<number, PushTask[]>();
  for (const t of sent) if (t.recallable) byApp.set(t.sdkAppId, [...(byApp.get(t.sdkAppId) ?? []), t]);
  for (const [sdkAppId, tasks] of byApp) {
    const rows = await trx
      .selectFrom('messages')
      .select(['msg_key', 'kind', 'from_account', 'to_account', 'group_id'])
      .where('sdkappid', '=', sdkAppId)
      .where('msg_key', 'in', [...new Set(tasks.map((t) => t.recallable!.msgKey))])
      .where('recalled_at', 'is not', null)
      .execute();
    if (rows.length === 0) continue;
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
  return build.out;
}
