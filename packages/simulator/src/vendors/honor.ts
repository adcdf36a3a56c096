// Honor Push: client_credentials at /auth/token and POST /api/v1/{appId}/sendMessage with a
// camelCase body; failed and expired tokens are listed in the answer (docs/internals/honor.md).
// Honor's error codes are not documented where we looked [U]: Huawei-like 8-digit codes are used.
import {
  type HttpVendorHandler,
  json,
  parseJson,
  startHttpVendor,
  type VendorRecord,
  type VendorReply,
  type VendorRequest,
} from '../core/http-vendor.js';
import { bearer, checkAccessToken, form, obj, requestId, str, targetState } from '../core/oem.js';
import type { SimContext, VendorServerDef } from '../core/types.js';

const TOKEN_TTL = 3600; // [U]

function honorReply(httpStatus: number, code: number, message: string, data?: unknown): VendorReply {
  const body: Record<string, unknown> = { code, message };
  if (data !== undefined) body.data = data;
  return json(httpStatus, body, String(code), { ok: code === 200 });
}

export function honorHandler(ctx: SimContext): HttpVendorHandler {
  const auth = (req: VendorRequest): VendorReply => {
    const f = form(req);
    const app = ctx.credentials.findVendorApp('honor', (a) => a.clientId === f.get('client_id'));
    if (f.get('grant_type') !== 'client_credentials' || !app || app.clientSecret !== f.get('client_secret')) {
      return json(
        401,
        { error: 'invalid_client', error_description: 'client authentication failed' },
        'oauth-error',
      ); // [U]
    }
    const token = ctx.credentials.issueAccessToken('honor', app.appId, TOKEN_TTL, 'hn.');
    return json(200, { access_token: token, expires_in: TOKEN_TTL, token_type: 'Bearer' }, 'token');
  };

  const send = (req: VendorRequest, appId: string): VendorReply => {
    const check = checkAccessToken(ctx, 'honor', bearer(req), appId);
    if (!check.ok) {
      return honorReply(
        401,
        check.why === 'expired' ? 80200003 : 80200001,
        check.why === 'expired' ? 'token expired' : 'auth fail',
      );
    }
    if (!/^\d{10,13}$/.test(String(req.headers.timestamp ?? '')))
      return honorReply(400, 80100001, 'timestamp header is required');
    const msg = obj(parseJson(req.body));
    const tokens = msg.token;
    if (!Array.isArray(tokens) || tokens.length === 0) return honorReply(400, 80100001, 'token is required');
    if (tokens.length > 1000) return honorReply(400, 80300010, 'too many tokens');
    if (Buffer.byteLength(JSON.stringify({ ...msg, token: undefined })) > 4096)
      return honorReply(400, 80300008, 'message too large');
    const android = obj(msg.android);
    const n = obj(android.notification);
    const click = obj(n.clickAction);
    if (android.notification !== undefined) {
      if (click.type === 1 && !click.intent && !click.action)
        return honorReply(400, 80100003, 'intent or action is required');
      if (click.type === 2 && !click.url) return honorReply(400, 80100003, 'url is required');
      if (n.style === 1 && (!n.bigTitle || !n.bigBody))
        return honorReply(400, 80100003, 'bigTitle and bigBody are required');
    }
    const ok: string[] = [];
    const failTokens: string[] = [];
    const expireTokens: string[] = [];
    for (const t of tokens) {
      const [state] = targetState(ctx, 'honor', String(t), appId);
      if (state === 'ok') ok.push(String(t));
      else if (state === 'uninstalled') expireTokens.push(String(t));
      else failTokens.push(String(t));
    }
    const reply = honorReply(200, 200, 'success', {
      sendResult: ok.length > 0,
      requestId: requestId(),
      failTokens,
      expireTokens,
    });
    // Android shows one notification per notify ID: a new one with the same ID replaces it (a recall's
    // retraction on Honor, a call's follow-up).
    if (n.notifyId !== undefined && android.notification !== undefined)
      for (const t of ok) ctx.records.retract('honor', t, String(n.notifyId), 'replaced');
    reply.records = ok.map((t) => toRecord(msg, t, appId));
    return reply;
  };

  return {
    vendor: 'honor',
    handle(req) {
      if (req.method === 'POST' && req.path === '/auth/token') return auth(req);
      const m = /^\/api\/v1\/([^/]+)\/sendMessage$/.exec(req.path);
      if (req.method === 'POST' && m) return send(req, decodeURIComponent(m[1] as string));
      return honorReply(404, 404, 'not found');
    },
    fault(status, reason, retryAfter) {
      const r = honorReply(status, Number(reason) || status, reason ?? 'injected fault');
      if (retryAfter !== undefined) r.headers = { 'retry-after': String(retryAfter) };
      return r;
    },
    quota: () => honorReply(503, 81000001, 'traffic control'), // [U]
  };
}

function toRecord(msg: Record<string, unknown>, token: string, appId: string): VendorRecord {
  const android = obj(msg.android);
  const n = obj(android.notification);
  const top = obj(msg.notification);
  const click = obj(n.clickAction);
  const badge = obj(n.badge);
  return {
    token,
    app: appId,
    title: str(n.title) ?? str(top.title),
    body: str(n.body) ?? str(top.body),
    image: str(n.image) ?? str(top.image),
    clickAction: str(click.intent) ?? str(click.action) ?? str(click.url),
    badge:
      typeof badge.setNum === 'number'
        ? badge.setNum
        : typeof badge.addNum === 'number'
          ? badge.addNum
          : undefined,
    category: str(n.importance),
    data: android.data ?? msg.data,
    collapseId: str(n.tag),
    notifyId: n.notifyId !== undefined ? String(n.notifyId) : undefined,
    pushType: android.notification !== undefined || msg.notification !== undefined ? 'notification' : 'data',
  };
}

export const honorServer: VendorServerDef = {
  urlKeys: ['honor', 'honorOAuth'],
  start: (ctx, opts) => startHttpVendor(ctx, honorHandler(ctx), opts),
};
