// vivo Push: POST /message/auth (sign = md5(appId + appKey + timestamp + appSecret)), then
// /message/send with an `authToken` header, and saveListPayload + pushToList for batches
// (docs/internals/vivo.md). Codes marked [U] (unconfirmed) are collected in VIVO_CODES.
import {
  type HttpVendorHandler,
  json,
  parseJson,
  startHttpVendor,
  type VendorRecord,
  type VendorReply,
  type VendorRequest,
} from '../core/http-vendor.js';
import { md5, obj, requestId, str, targetState } from '../core/oem.js';
import type { SimContext, VendorServerDef } from '../core/types.js';

const TOKEN_TTL = 24 * 3600;
export const VIVO_CODES = {
  authFailed: [10000, '权限认证失败'], // [U] bad sign / unknown app / invalid authToken
  badParam: [10055, '参数错误'], // [U]
  quota: [10070, '超过当日推送总量限制'],
  batchLimit: [10252, '超过单次推送上限'],
  appIdMismatch: [10094, 'appId不一致'],
  invalidRegId: [10302, 'regId不合法'],
  duplicateRequest: [10305, 'requestId重复'], // [U]
} as const;

function ok(extra: Record<string, unknown> = {}): VendorReply {
  return json(200, { result: 0, desc: '请求成功', ...extra }, 'ok');
}
function fail(c: readonly [number, string], extra: Record<string, unknown> = {}): VendorReply {
  return json(200, { result: c[0], desc: c[1], ...extra }, String(c[0]), { ok: false });
}

export function vivoHandler(ctx: SimContext): HttpVendorHandler {
  const payloads = new Map<string, { body: Record<string, unknown>; app: string }>();
  const seenRequestIds = new Set<string>();

  const auth = (b: Record<string, unknown>): VendorReply => {
    const app = ctx.credentials.vendorApp('vivo', String(b.appId ?? ''));
    if (!app || app.appKey !== b.appKey) return fail(VIVO_CODES.authFailed);
    const sign = md5(`${app.appId}${app.appKey}${b.timestamp}${app.appSecret}`);
    if (String(b.sign ?? '').toLowerCase() !== sign) return fail(VIVO_CODES.authFailed);
    return ok({ authToken: ctx.credentials.issueAccessToken('vivo', app.appId, TOKEN_TTL) });
  };

  const checkContent = (b: Record<string, unknown>): VendorReply | undefined => {
    if (!b.title || !b.content) return fail(VIVO_CODES.badParam, { desc: 'title和content不能为空' });
    if ([...String(b.title)].length > 40 || [...String(b.content)].length > 100)
      return fail(VIVO_CODES.badParam, { desc: 'title或content超长' });
    if (![1, 2, 3, 4].includes(Number(b.notifyType)))
      return fail(VIVO_CODES.badParam, { desc: 'notifyType不合法' });
    if (b.skipType === undefined) return fail(VIVO_CODES.badParam, { desc: 'skipType不能为空' });
    return undefined;
  };

  const requestIdOk = (b: Record<string, unknown>): VendorReply | undefined => {
    const id = str(b.requestId);
    if (!id) return fail(VIVO_CODES.badParam, { desc: 'requestId不能为空' });
    if (seenRequestIds.has(id)) return fail(VIVO_CODES.duplicateRequest);
    seenRequestIds.add(id);
    if (seenRequestIds.size > 100_000) seenRequestIds.clear();
    return undefined;
  };

  const handle = (req: VendorRequest): VendorReply => {
    if (req.method !== 'POST')
      return json(405, { result: 405, desc: 'Method Not Allowed' }, '405', { ok: false });
    const b = obj(parseJson(req.body));
    if (req.path === '/message/auth') return auth(b);
    const token = req.headers.authtoken as string | undefined;
    const t = token ? ctx.credentials.accessToken(token) : undefined;
    if (t?.vendor !== 'vivo' || t.expiresAt < Date.now()) return fail(VIVO_CODES.authFailed);
    const app = t.subject;
    if (b.appId !== undefined && String(b.appId) !== app) return fail(VIVO_CODES.appIdMismatch);
    if (req.path === '/message/send') {
      const bad = checkContent(b) ?? requestIdOk(b);
      if (bad) return bad;
      const regId = String(b.regId ?? '');
      const [state] = targetState(ctx, 'vivo', regId, app);
      // [U] invalidUser.status: 1 = not registered for this app, 2 = app uninstalled.
      if (state !== 'ok')
        return fail(VIVO_CODES.invalidRegId, {
          invalidUser: { status: state === 'unknown' ? 1 : 2, userid: regId },
        });
      const taskId = requestId();
      return { ...ok({ taskId }), records: [toRecord(b, regId, app, taskId)] };
    }
    if (req.path === '/message/saveListPayload') {
      const bad = checkContent(b) ?? requestIdOk(b);
      if (bad) return bad;
      const taskId = requestId();
      payloads.set(taskId, { body: b, app });
      return ok({ taskId });
    }
    if (req.path === '/message/pushToList') {
      const p = payloads.get(String(b.taskId ?? ''));
      if (!p || p.app !== app) return fail(VIVO_CODES.badParam, { desc: 'taskId不合法' });
      const bad = requestIdOk(b);
      if (bad) return bad;
      const regIds = Array.isArray(b.regIds) ? b.regIds.map(String) : [];
      if (regIds.length < 2 || regIds.length > 1000) return fail(VIVO_CODES.batchLimit); // vivo wants 2..1000 [U lower bound]
      const good: string[] = [];
      const invalidUsers: { status: number; userid: string }[] = [];
      for (const id of regIds) {
        const [state] = targetState(ctx, 'vivo', id, app);
        if (state === 'ok') good.push(id);
        else invalidUsers.push({ status: state === 'unknown' ? 1 : 2, userid: id });
      }
      const extra: Record<string, unknown> = { taskId: b.taskId };
      // The field vivo's server SDK result class reads ({status, userid} items); [U] that every refused
      // regId is listed there.
      if (invalidUsers.length > 0) extra.invalidUsers = invalidUsers;
      return { ...ok(extra), records: good.map((id) => toRecord(p.body, id, app, String(b.taskId))) };
    }
    return json(404, { result: 404, desc: 'Not Found' }, '404', { ok: false });
  };

  return {
    vendor: 'vivo',
    handle,
    fault(status, reason, retryAfter) {
      const body =
        status === 500
          ? 'Internet server error!'
          : { result: Number(reason) || status, desc: reason ?? 'injected fault' };
      const r = json(status, body, reason ?? String(status), { ok: false });
      if (retryAfter !== undefined) r.headers = { 'retry-after': String(retryAfter) };
      return r;
    },
    quota: () => fail(VIVO_CODES.quota),
  };
}

function toRecord(b: Record<string, unknown>, token: string, app: string, taskId: string): VendorRecord {
  return {
    token,
    app,
    messageId: taskId,
    title: str(b.title),
    body: str(b.content),
    category: str(b.category) ?? str(b.classification),
    clickAction: str(b.skipContent) ?? str(b.skipType),
    data: b.clientCustomMap,
    sound: b.notifyType === 2 || b.notifyType === 4 ? 'default' : undefined,
    priority: str(b.classification),
    pushType: b.pushMode === 1 ? 'test' : 'notification',
  };
}

export const vivoServer: VendorServerDef = {
  urlKeys: ['vivo'],
  start: (ctx, opts) => startHttpVendor(ctx, vivoHandler(ctx), opts),
};
