// Row builders for what the recorder buffers between flushes.
import type { EventRow, TraceRow } from './trace-store.js';
import { type PushRecord, tokenSuffix } from './types.js';

/** Stages that record a vendor's answer (the others: delivered, undelivered, clicked). */
export const ANSWER_STAGES: ReadonlySet<string> = new Set([
  'sent',
  'retry',
  'invalid-token',
  'rejected',
  'credential-error',
  'failed',
]);

export function traceRow(r: PushRecord, at: number, skipReason: string | null): TraceRow {
  return {
    push_id: r.pushId,
    sdkappid: r.sdkAppId,
    kind: r.kind,
    msg_key: r.msgKey ?? null,
    task_id: r.taskId ?? null,
    from_user: r.fromUser ?? null,
    to_user: r.toUser,
    group_id: r.groupId ?? null,
    instance_id: r.instanceId ?? null,
    vendor: r.vendor ?? null,
    certificate_id: r.certificateId ?? null,
    token_suffix: tokenSuffix(r.token),
    skip_reason: skipReason,
    created_at: at,
  };
}

export function eventRow(
  pushId: string,
  stage: string,
  at: number,
  extra: {
    attempt?: number;
    code?: string | undefined;
    latencyMs?: number;
    vendorMsgId?: string | undefined;
    /** The vendor's message ID when it is not used to match receipts. */
    info?: string | undefined;
  } = {},
): EventRow {
  return {
    push_id: pushId,
    stage,
    at,
    attempt: extra.attempt ?? null,
    code: extra.code ?? null,
    info: extra.info ?? null,
    vendor_msg_id: extra.vendorMsgId ?? null,
    latency_ms: extra.latencyMs ?? null,
  };
}

export function counterBase(r: PushRecord, at: number) {
  return { sdkAppId: r.sdkAppId, at, kind: r.kind, taskId: r.taskId, vendor: r.vendor };
}
