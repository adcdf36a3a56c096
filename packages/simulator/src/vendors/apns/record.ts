// What the virtual phone keeps of an accepted push: the push record tests read back, and what the
// app does on receiving it (a recall removes the notification it names).
import type { IncomingHttpHeaders } from 'node:http2';
import type { NewPushRecord, RawRequest } from '../../core/records.js';
import type { SimContext } from '../../core/types.js';
import type { ApnsEnvironment } from './connection.js';

export function toRecord(
  token: string,
  bundleId: string,
  environment: ApnsEnvironment,
  pushType: string,
  priority: string,
  collapseId: string | undefined,
  apnsId: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
) {
  const text = body.toString('utf8');
  const raw: RawRequest = { method: 'POST', path: headers[':path'] ?? '', headers, body: text };
  let payload: Record<string, unknown> = {};
  try {
    const p = JSON.parse(text);
    if (p && typeof p === 'object') payload = p;
  } catch {
    // Not JSON: the phone shows nothing, the raw body stays in the record.
  }
  const aps = (payload.aps ?? {}) as Record<string, unknown>;
  const alert = aps.alert;
  const a = (typeof alert === 'object' && alert !== null ? alert : {}) as Record<string, unknown>;
  const { aps: _aps, ...custom } = payload;
  const sound = aps.sound;
  return {
    vendor: 'apns' as const,
    token,
    app: bundleId,
    environment,
    messageId: apnsId,
    title: str(a.title),
    body: typeof alert === 'string' ? alert : str(a.body),
    subtitle: str(a.subtitle),
    badge: typeof aps.badge === 'number' ? aps.badge : undefined,
    sound: typeof sound === 'string' ? sound : isObj(sound) ? str(sound.name) : undefined,
    category: str(aps.category),
    channel: str(aps['thread-id']),
    image: undefined,
    clickAction: str(aps.category),
    data: Object.keys(custom).length > 0 ? custom : undefined,
    priority,
    pushType,
    collapseId,
    // iOS identifies a notification by its apns-collapse-id when it has one.
    notifyId: collapseId,
    retraction: pushType === 'background' && isObj(custom.recall) ? true : undefined,
    raw,
  };
}

/** Stores the accepted push on the virtual phone, then lets the app act on it. */
export function deliver(ctx: SimContext, record: NewPushRecord): void {
  const stored = ctx.records.add(record);
  // The app acts on a recall's background push: removeDeliveredNotifications(withIdentifiers:).
  const recall = stored.retraction
    ? (stored.data as { recall?: { collapseId?: unknown } }).recall
    : undefined;
  if (typeof recall?.collapseId === 'string')
    ctx.records.retract('apns', stored.token, recall.collapseId, 'app');
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}
