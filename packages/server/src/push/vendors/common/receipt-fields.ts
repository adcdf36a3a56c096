// Helpers of the vendors' withReceiptFields (VendorModule, outcomes/receipt-fields.ts).

/** The key the app finds the PushID under (docs/push-payloads.md "PushID"). */
export const PUSH_ID_KEY = 'pushId';

/** Meizu/Xiaomi callback.type: 1 delivered + 2 clicked. */
export const DELIVERED_AND_CLICKED = 3;

/** A JSON-object string (`{"ext":...}`) with the PushID added; a missing or odd value becomes `{pushId}`. */
export function jsonWithPushId(json: unknown, pushId: string): string {
  let object: Record<string, unknown> = {};
  if (typeof json === 'string') {
    try {
      const parsed = JSON.parse(json) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        object = parsed as Record<string, unknown>;
    } catch {
      // Not ours to fix: keep the PushID alone.
    }
  }
  return JSON.stringify({ ...object, [PUSH_ID_KEY]: pushId });
}

export const obj = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
