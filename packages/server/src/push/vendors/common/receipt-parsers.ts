// The shapes of vendor delivery receipts several vendors share (Huawei/Honor `statuses`; vivo, Meizu and Xiaomi
// keyed by message ID), for the vendors' parseReceipts (vendors/<vendor>/index.ts). Formats follow the
// vendors' receipt docs; the exact shapes are not confirmed (docs/internals/huawei.md#delivery-receipts,
// docs/internals/honor.md#delivery-receipts, docs/internals/vivo.md#delivery-receipts,
// docs/internals/meizu.md#delivery-receipts, docs/internals/xiaomi.md#delivery-receipts), so the parsers
// accept the documented keys and their common spellings, and refuse anything else with a clear error.
import type { Receipt, ReceiptStatus } from '../../outcomes/types.js';

/** A receipt before it is tied to an app. */
export type ParsedReceipt = Omit<Receipt, 'sdkAppId' | 'vendor'>;

export class ReceiptFormatError extends Error {}

/** A JSON body. */
export function jsonBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ReceiptFormatError('the body is not JSON');
  }
}

/** A form with the JSON in field `name` (or the JSON itself). */
export function formFieldBody(raw: string, name: string): unknown {
  const trimmed = raw.trimStart();
  if (trimmed.startsWith('{')) return jsonBody(trimmed);
  const value = new URLSearchParams(raw).get(name);
  if (value === null) throw new ReceiptFormatError(`expected a form field "${name}" holding JSON`);
  return jsonBody(value);
}

/**
 * Huawei and Honor: `{"statuses":[{"biTag","appid","token","status","timestamp","requestId"}]}`, status 0 =
 * delivered, any other value = not delivered (2 app uninstalled, 5 token invalid, 6 notifications off...).
 */
export function parseStatuses(body: unknown): ParsedReceipt[] {
  const statuses = (body as { statuses?: unknown })?.statuses;
  if (!Array.isArray(statuses)) throw new ReceiptFormatError('expected {"statuses":[...]}');
  return statuses.map((s: Record<string, unknown>, i) => {
    if (typeof s !== 'object' || s === null) throw new ReceiptFormatError(`statuses[${i}] is not an object`);
    const status = Number(s.status);
    if (!Number.isInteger(status)) throw new ReceiptFormatError(`statuses[${i}].status is not a number`);
    return {
      status: status === 0 ? 'delivered' : 'undelivered',
      ...(status !== 0 ? { code: String(status) } : {}),
      ...str('pushId', s.biTag ?? s.bi_tag),
      ...str('vendorMsgId', s.requestId ?? s.request_id),
      ...(typeof s.token === 'string' ? { tokens: [s.token] } : {}),
      ...time(s.timestamp),
    };
  });
}

/**
 * vivo: `{"<taskId>":{"param":"<callback.param>","targets":"regId1,regId2"}}`; Meizu (`cb=` form field) and
 * Xiaomi (`data=` form field): `{"<msgId>":{"param","type","targets"}}` where type 1 = delivered,
 * 2 = clicked, other values (Xiaomi 16 invalid target...) = not delivered.
 */
export function parseByMessageId(body: unknown, typed: boolean): ParsedReceipt[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ReceiptFormatError('expected an object keyed by message ID');
  }
  return Object.entries(body as Record<string, unknown>).map(([msgId, entry]) => {
    if (typeof entry !== 'object' || entry === null)
      throw new ReceiptFormatError(`"${msgId}" is not an object`);
    const e = entry as Record<string, unknown>;
    const type = typed && e.type !== undefined ? Number(e.type) : 1;
    const status: ReceiptStatus = type === 1 ? 'delivered' : type === 2 ? 'clicked' : 'undelivered';
    return {
      status,
      ...(status === 'undelivered' ? { code: String(e.type) } : {}),
      vendorMsgId: msgId,
      ...str('pushId', e.param),
      ...targets(e.targets),
      ...time(e.timestamp ?? e.ackTime),
    };
  });
}

function str<K extends string>(key: K, value: unknown): { [k in K]?: string } {
  return typeof value === 'string' && value !== '' ? ({ [key]: value } as { [k in K]: string }) : {};
}

function targets(value: unknown): { tokens?: string[] } {
  if (Array.isArray(value))
    return { tokens: value.filter((v): v is string => typeof v === 'string' && v !== '') };
  if (typeof value === 'string' && value !== '') return { tokens: value.split(',').filter(Boolean) };
  return {};
}

function time(value: unknown): { at?: number } {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) return {};
  return { at: n < 1e12 ? n * 1000 : n }; // seconds or milliseconds
}
