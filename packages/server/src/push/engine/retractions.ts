// A recalled message (messaging/recall.ts) -> the retraction pushes of its notifications that vendors
// accepted, inside the recall's transaction: one per device that got one, through the same durable queue
// as every push (recorded, retried, traced under kind `recall`). Devices whose push is still queued need
// none: the dispatcher drops those (PushTask.recallable).
import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
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

export async function retractionPushes(
  trx: Transaction<Database>,
  deps: { secrets: SecretBox; now: () => number; newPushId?: (() => string) | undefined },
  m: RecalledMessage,
): Promise<Retractions> {
  const out: Retractions = { tasks: [], accepted: [] };
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
  if (rows.length === 0) return out;
  const store = new CertificateStore(trx, deps.secrets);
  const certificates = new Map<number, CertificateInfo | undefined>();
  const threadId = m.type === 'group' ? `group_${m.groupId}` : `c2c_${m.from}`;
  const newPushId = deps.newPushId ?? randomUUID;
  const seen = new Set<string>();
  for (const r of rows) {
    const certificateId = Number(r.certificate_id);
    // The binding still holds the token the push went to (a token reported since is another device's).
    if (r.token_suffix && !r.token.endsWith(r.token_suffix)) continue;
    const key = `${certificateId}\u0000${r.token}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!certificates.has(certificateId))
      certificates.set(certificateId, await store.get(m.sdkAppId, certificateId));
    const certificate = certificates.get(certificateId);
    if (!certificate) continue;
    const request = retractionRequest(certificate, m.msgKey, threadId);
    if (!request) continue;
    const pushId = newPushId();
    out.tasks.push({ pushId, sdkAppId: m.sdkAppId, certificateId, token: r.token, kind: 'recall', request });
    out.accepted.push({
      pushId,
      sdkAppId: m.sdkAppId,
      kind: 'recall',
      toUser: r.to_user,
      fromUser: m.from,
      ...(m.groupId !== undefined ? { groupId: m.groupId } : {}),
      msgKey: m.msgKey,
      ...(r.instance_id !== null ? { instanceId: r.instance_id } : {}),
      vendor: certificate.vendor,
      certificateId,
      token: r.token,
      at: deps.now(),
    });
  }
  return out;
}
