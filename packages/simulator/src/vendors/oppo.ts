// OPPO Push: POST /server/v1/auth (sign = sha256(app_key + timestamp + master_secret)) then
// unicast / unicast_batch / save_message_content + broadcast (docs/internals/oppo.md). OPPO's codes are [U]
// except the auth flow; they are collected in OPPO_CODES.
import {
  type HttpVendorHandler,
  json,
  parseJson,
  startHttpVendor,
  type VendorRecord,
  type VendorReply,
  type VendorRequest,
} from '../core/http-vendor.js';
import { form, obj, requestId, sha256, str, targetState } from '../core/oem.js';
import type { SimContext, VendorServerDef } from '../core/types.js';

const TOKEN_TTL = 24 * 3600; // [U]
const BASE = '/server/v1';
export const OPPO_CODES = {
  flowControl: [-2, 'Service in flow control'],
  invalidToken: [11, 'Invalid AuthToken'],
  invalidAppKey: [14, 'Invalid AppKey'],
  invalidSign: [16, 'Invalid Sign'],
  dailyLimit: [33, 'The number of messages exceeds the daily limit'],
  missingArg: [40, 'Missing required argument'],
  invalidArg: [41, 'Invalid argument'],
  invalidRegId: [10000, 'Invalid RegistrationId'], // [U]
} as const;

function reply(code: number, message: string, data?: unknown): VendorReply {
  const body: Record<string, unknown> = { code, message };
  if (data !== undefined) body.data = data;
  return json(200, body, String(code), { ok: code === 0 });
}
const fail = (c: readonly [number, string], message: string = c[1]) => reply(c[0], message);

export function oppoHandler(ctx: SimContext): HttpVendorHandler {
  const contents = new Map<string, { notification: Record<string, unknown>; app: string }>();

  const auth = (req: VendorRequest): VendorReply => {
    const f = form(req);
    const app = ctx.credentials.vendorApp('oppo', f.get('app_key') ?? '');
    if (!app) return fail(OPPO_CODES.invalidAppKey);
    const ts = f.get('timestamp') ?? '';
    if (!/^\d{13}$/.test(ts) || Math.abs(Date.now() - Number(ts)) > 10 * 60_000)
      return fail(OPPO_CODES.invalidArg, 'Invalid timestamp'); // [U] window
    if (f.get('sign') !== sha256(app.appId + ts + (app.masterSecret ?? '')))
      return fail(OPPO_CODES.invalidSign);
    const token = ctx.credentials.issueAccessToken('oppo', app.appId, TOKEN_TTL);
    return reply(0, 'Success', { auth_token: token, create_time: Date.now() });
  };

  const appOf = (req: VendorRequest, f: URLSearchParams): string | undefined => {
    const token = f.get('auth_token') ?? (req.headers.auth_token as string | undefined);
    const t = token ? ctx.credentials.accessToken(token) : undefined;
    return t && t.vendor === 'oppo' && t.expiresAt > Date.now() ? t.subject : undefined;
  };

  const checkNotification = (n: Record<string, unknown>): VendorReply | undefined => {
    if (!n.title || !n.content) return fail(OPPO_CODES.missingArg, 'title and content are required');
    if (
      [...String(n.title)].length > 50 ||
      [...String(n.content)].length > 200 ||
      [...String(n.sub_title ?? '')].length > 10
    ) {
      return fail(OPPO_CODES.invalidArg, 'title, sub_title or content too long');
    }
    return undefined;
  };

  const unicastOne = (m: Record<string, unknown>, app: string) => {
    const n = obj(m.notification);
    const bad = checkNotification(n);
    if (bad) return { bad };
    const target = String(m.target_value ?? '');
    const [state] = targetState(ctx, 'oppo', target, app);
    if (state !== 'ok') return { bad: fail(OPPO_CODES.invalidRegId) };
    const messageId = `${app.slice(0, 6)}-${requestId()}`;
    return { messageId, record: toRecord(n, target, app, messageId) };
  };

  const handle = (req: VendorRequest): VendorReply => {
    if (req.method === 'POST' && req.path === `${BASE}/auth`) return auth(req);
    if (req.method !== 'POST' || !req.path.startsWith(`${BASE}/message/notification/`))
      return json(404, { code: 404, message: 'Not Found' }, '404');
    const f = form(req);
    const app = appOf(req, f);
    if (!app) return fail(OPPO_CODES.invalidToken);
    const op = req.path.slice(`${BASE}/message/notification/`.length);
    if (op === 'unicast') {
      const m = obj(parseJson(Buffer.from(f.get('message') ?? '')));
      const r = unicastOne(m, app);
      if (r.bad) return r.bad;
      return {
        ...reply(0, 'Success', { messageId: r.messageId, status: 'call_success' }),
        records: [r.record],
      };
    }
    if (op === 'unicast_batch') {
      const list = parseJson(Buffer.from(f.get('messages') ?? ''));
      if (!Array.isArray(list) || list.length === 0)
        return fail(OPPO_CODES.missingArg, 'messages is required');
      if (list.length > 1000) return fail(OPPO_CODES.invalidArg, 'at most 1000 messages'); // [U]
      const records: VendorRecord[] = [];
      const data = list.map((m) => {
        const r = unicastOne(obj(m), app);
        const registrationId = str(obj(m).target_value);
        if (r.bad) {
          const b = r.bad.body as { code: number; message: string };
          return { registrationId, errorCode: b.code, errorMessage: b.message }; // [U] item shape
        }
        records.push(r.record);
        return { registrationId, messageId: r.messageId };
      });
      return { ...reply(0, 'Success', data), records };
    }
    if (op === 'save_message_content') {
      const n = Object.fromEntries(f.entries());
      const bad = checkNotification(n);
      if (bad) return bad;
      const id = `${app.slice(0, 6)}-${requestId()}`;
      contents.set(id, { notification: n, app });
      return reply(0, 'Success', { message_id: id });
    }
    if (op === 'broadcast') {
      const content = contents.get(f.get('message_id') ?? '');
      if (!content || content.app !== app) return fail(OPPO_CODES.invalidArg, 'Invalid message_id');
      if (f.get('target_type') !== '2')
        return fail(OPPO_CODES.invalidArg, 'only target_type=2 (registration ids) is simulated');
      const ids = (f.get('target_value') ?? '').split(/[,;]/).filter(Boolean);
      if (ids.length === 0 || ids.length > 1000) return fail(OPPO_CODES.invalidArg, '1..1000 target values');
      const good = ids.filter((id) => targetState(ctx, 'oppo', id, app)[0] === 'ok');
      const bad = ids.filter((id) => !good.includes(id));
      const data: Record<string, unknown> = { message_id: f.get('message_id'), task_id: requestId() };
      if (bad.length > 0) data[String(OPPO_CODES.invalidRegId[0])] = bad; // [U] invalid ids keyed by code
      const id = String(f.get('message_id'));
      return {
        ...reply(0, 'Success', data),
        records: good.map((t) => toRecord(content.notification, t, app, id)),
      };
    }
    return json(404, { code: 404, message: 'Not Found' }, '404');
  };

  return {
    vendor: 'oppo',
    handle,
    fault(status, reason, retryAfter) {
      const r = json(
        status,
        { code: Number(reason) || -1, message: reason ?? 'injected fault' },
        reason ?? String(status),
        { ok: false },
      );
      if (retryAfter !== undefined) r.headers = { 'retry-after': String(retryAfter) };
      return r;
    },
    quota: () => fail(OPPO_CODES.flowControl),
  };
}

function toRecord(n: Record<string, unknown>, token: string, app: string, messageId: string): VendorRecord {
  let data: unknown = n.action_parameters;
  if (typeof data === 'string') data = parseJson(Buffer.from(data)) ?? data;
  return {
    token,
    app,
    messageId,
    title: str(n.title),
    subtitle: str(n.sub_title),
    body: str(n.content),
    channel: str(n.channel_id),
    category: str(n.category),
    clickAction: str(n.click_action_url) ?? str(n.click_action_activity) ?? str(n.click_action_type),
    image: str(n.big_picture_id),
    data,
    priority: str(n.notify_level),
    collapseId: str(n.app_message_id),
    pushType: 'notification',
  };
}

export const oppoServer: VendorServerDef = {
  urlKeys: ['oppo'],
  start: (ctx, opts) => startHttpVendor(ctx, oppoHandler(ctx), opts),
};
