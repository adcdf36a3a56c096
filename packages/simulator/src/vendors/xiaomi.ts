// Xiaomi MiPush: form posts authenticated with `Authorization: key=<AppSecret>`, no token exchange
// (docs/internals/xiaomi.md). Error codes other than 21301 are not documented where we looked; the guesses
// are in XIAOMI_CODES so they are easy to correct.
import {
  type HttpVendorHandler,
  json,
  startHttpVendor,
  type VendorRecord,
  type VendorReply,
  type VendorRequest,
} from '../core/http-vendor.js';
import { form, requestId, targetState } from '../core/oem.js';
import type { SimContext, VendorServerDef } from '../core/types.js';

export const XIAOMI_CODES = {
  invalidSecret: [21301, 'Invalid application secret.'], // [V]
  badParam: [10017, 'Invalid parameters'], // [U]
  badPackage: [22022, 'Invalid restricted_package_name'], // [U]
  noValidTarget: [20301, 'No valid targets'], // [U]
  tooMany: [10016, 'Too many registration ids (max 1000)'], // [U] code; the 1000 cap is Xiaomi's server SDK's
  quota: [200001, 'Exceeded the request rate limit'], // [U]
} as const;

function ok(data: Record<string, unknown>, info: string): VendorReply {
  return json(
    200,
    { result: 'ok', trace_id: `Xcm${requestId()}`, code: 0, data, description: '成功', info },
    'ok',
  );
}
function err(code: number, reason: string, status = 200): VendorReply {
  return json(
    status,
    { result: 'error', trace_id: `Xcm${requestId()}`, code, reason, description: reason },
    String(code),
    { ok: false },
  );
}

export function xiaomiHandler(ctx: SimContext): HttpVendorHandler {
  const sendRegid = (req: VendorRequest): VendorReply => {
    const auth = req.headers.authorization ?? '';
    const secret = auth.startsWith('key=') ? auth.slice(4) : undefined;
    const app = secret ? ctx.credentials.findVendorApp('xiaomi', (a) => a.appSecret === secret) : undefined;
    if (!app) return err(...XIAOMI_CODES.invalidSecret);
    const f = form(req);
    const ids = (f.get('registration_id') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (ids.length === 0) return err(XIAOMI_CODES.badParam[0], 'registration_id is required');
    if (ids.length > 1000) return err(...XIAOMI_CODES.tooMany);
    const packages = (f.get('restricted_package_name') ?? '').split(',').filter(Boolean);
    if (packages.length > 0 && !packages.includes(app.appId)) return err(...XIAOMI_CODES.badPackage);
    const passThrough = f.get('pass_through') === '1';
    const title = f.get('title') ?? '';
    const description = f.get('description') ?? '';
    if (!passThrough && (!title || !description))
      return err(XIAOMI_CODES.badParam[0], 'title and description are required');
    if ([...title].length > 50 || [...description].length > 128)
      return err(XIAOMI_CODES.badParam[0], 'title or description too long');
    const good = ids.filter((id) => targetState(ctx, 'xiaomi', id, app.appId)[0] === 'ok');
    if (good.length === 0) return err(...XIAOMI_CODES.noValidTarget);
    const bad = ids.filter((id) => !good.includes(id));
    const id = `scm${requestId()}`;
    const data: Record<string, unknown> = { id };
    if (bad.length > 0) data.bad_regids = bad.join(','); // [U] field name
    const reply = ok(data, `Received push messages for ${good.length} REGID`);
    reply.records = good.map((t) => toRecord(f, t, app.appId, id, passThrough));
    return reply;
  };

  // POST /v3/message/regid/revoke (and the older /v1 path; docs/internals/xiaomi.md#revoke): the notification
  // with `notify_id` leaves the phones of the regIds.
  const revokeRegid = (req: VendorRequest): VendorReply => {
    const auth = req.headers.authorization ?? '';
    const secret = auth.startsWith('key=') ? auth.slice(4) : undefined;
    const app = secret ? ctx.credentials.findVendorApp('xiaomi', (a) => a.appSecret === secret) : undefined;
    if (!app) return err(...XIAOMI_CODES.invalidSecret);
    const f = form(req);
    const ids = (f.get('registration_id') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (ids.length === 0) return err(XIAOMI_CODES.badParam[0], 'registration_id is required');
    if (ids.length > 1000) return err(...XIAOMI_CODES.tooMany);
    const notifyId = f.get('notify_id') ?? '';
    if (!/^\d+$/.test(notifyId)) return err(XIAOMI_CODES.badParam[0], 'notify_id is required');
    const packages = (f.get('restricted_package_name') ?? '').split(',').filter(Boolean);
    if (packages.length > 0 && !packages.includes(app.appId)) return err(...XIAOMI_CODES.badPackage);
    const good = ids.filter((id) => targetState(ctx, 'xiaomi', id, app.appId)[0] === 'ok');
    if (good.length === 0) return err(...XIAOMI_CODES.noValidTarget);
    for (const t of good) ctx.records.retract('xiaomi', t, notifyId, 'revoke');
    return ok({ id: `rvk${requestId()}` }, `Revoked the message for ${good.length} REGID`);
  };

  return {
    vendor: 'xiaomi',
    handle(req) {
      if (req.method === 'POST' && /^\/v[13]\/message\/regid\/revoke$/.test(req.path))
        return revokeRegid(req);
      if (req.method === 'POST' && /^\/v[23]\/message\/regid$/.test(req.path)) return sendRegid(req);
      return err(404, 'Not Found', 404);
    },
    fault(status, reason, retryAfter) {
      const r = err(Number(reason) || status, reason ?? 'injected fault', status);
      if (retryAfter !== undefined) r.headers = { 'retry-after': String(retryAfter) };
      return r;
    },
    quota: () => err(...XIAOMI_CODES.quota),
  };
}

function toRecord(
  f: URLSearchParams,
  token: string,
  app: string,
  id: string,
  passThrough: boolean,
): VendorRecord {
  const g = (k: string) => f.get(k) ?? undefined;
  const effect = g('extra.notify_effect');
  return {
    token,
    app,
    messageId: id,
    title: passThrough ? undefined : g('title'),
    body: passThrough ? undefined : g('description'),
    sound: g('extra.sound_uri'),
    channel: g('extra.channel_id'),
    clickAction: effect === '2' ? g('extra.intent_uri') : effect === '3' ? g('extra.web_uri') : effect,
    data: g('payload'),
    collapseId: g('notify_id'),
    notifyId: passThrough ? undefined : g('notify_id'),
    pushType: passThrough ? 'passthrough' : 'notification',
  };
}

export const xiaomiServer: VendorServerDef = {
  urlKeys: ['xiaomi'],
  start: (ctx, opts) => startHttpVendor(ctx, xiaomiHandler(ctx), opts),
};
