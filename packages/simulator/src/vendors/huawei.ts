// Huawei Push Kit: OAuth client_credentials (/oauth2/v3/token, 1 h tokens) and
// POST /v1/{appId}/messages:send with the Go demo's validator rules (docs/internals/huawei.md#request).
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

const TOKEN_TTL = 3600;
/** HTTP status per result code. [U] the status for 8030xxxx token errors (400 assumed). */
const HTTP_OF: Record<string, number> = {
  '80000000': 200,
  '80100000': 200,
  '80100001': 400,
  '80100003': 400,
  '80200001': 401,
  '80200003': 401,
  '80300007': 400,
  '80300008': 400,
  '80300010': 400,
  '81000001': 500,
};
const MSG: Record<string, string> = {
  '80000000': 'Success',
  '80100001': 'Some request parameters are invalid.',
  '80100003': 'Illegal message structure',
  '80200001': 'Oauth authentication error',
  '80200003': 'Oauth Token expired.',
  '80300007': 'All the tokens are invalid',
  '80300008': 'The message body size exceeds the default value',
  '80300010': 'The number of tokens in the message body exceeds the default value',
  '81000001': 'System inner error',
};

export function hwReply(code: string, msg = MSG[code] ?? code, status = HTTP_OF[code] ?? 400): VendorReply {
  return json(status, { code, msg, requestId: requestId() }, code, {
    ok: code === '80000000' || code === '80100000',
  });
}

export function huaweiHandler(ctx: SimContext): HttpVendorHandler {
  const oauth = (req: VendorRequest): VendorReply => {
    const f = form(req);
    if (f.get('grant_type') !== 'client_credentials') {
      return json(
        400,
        { error: 1102, sub_error: 20001, error_description: 'invalid grant_type' },
        'oauth-error',
      );
    }
    const app = ctx.credentials.vendorApp('huawei', f.get('client_id') ?? '');
    // [U] exact OAuth error numbers.
    if (!app)
      return json(400, { error: 1101, sub_error: 20003, error_description: 'invalid client' }, 'oauth-error');
    if (app.appSecret !== f.get('client_secret')) {
      return json(
        400,
        { error: 1101, sub_error: 20004, error_description: 'invalid client_secret' },
        'oauth-error',
      );
    }
    const token = ctx.credentials.issueAccessToken('huawei', app.appId, TOKEN_TTL, 'CgB6e3x9');
    return json(200, { access_token: token, expires_in: TOKEN_TTL, token_type: 'Bearer' }, 'token');
  };

  const send = (req: VendorRequest, appId: string): VendorReply => {
    const auth = checkAccessToken(ctx, 'huawei', bearer(req), appId);
    if (!auth.ok) return hwReply(auth.why === 'expired' ? '80200003' : '80200001');
    const body = obj(parseJson(req.body));
    const message = obj(body.message);
    if (Object.keys(message).length === 0) return hwReply('80100001', 'message is required');
    const bad = validate(message);
    if (bad) return bad;
    const tokens = message.token;
    if (!Array.isArray(tokens)) return hwReply('80100001', 'only token targets are simulated'); // topics/conditions: not simulated
    if (tokens.length < 1 || tokens.length > 1000) return hwReply('80300010');
    const payloadSize = Buffer.byteLength(JSON.stringify({ ...message, token: undefined }));
    if (payloadSize > 4096) return hwReply('80300008');
    const valid: string[] = [];
    const illegal: string[] = [];
    for (const t of tokens) {
      const [state] = targetState(ctx, 'huawei', String(t), appId);
      (state === 'ok' ? valid : illegal).push(String(t));
    }
    if (valid.length === 0) return hwReply('80300007');
    const records = body.validate_only === true ? [] : valid.map((t) => toRecord(message, t, appId));
    if (illegal.length > 0) {
      // Partial success: msg is itself a JSON string (docs/internals/huawei.md#answers-and-outcomes).
      const msg = JSON.stringify({ success: valid.length, failure: illegal.length, illegal_tokens: illegal });
      return { ...hwReply('80100000', msg), records };
    }
    return { ...hwReply('80000000'), records };
  };

  // POST /v1/{appId}/messages:revoke (docs/internals/huawei.md#revoke): the notifications carrying `notifyId` leave
  // the phones of `token`, whether shown or still to be delivered.
  const revoke = (req: VendorRequest, appId: string): VendorReply => {
    const auth = checkAccessToken(ctx, 'huawei', bearer(req), appId);
    if (!auth.ok) return hwReply(auth.why === 'expired' ? '80200003' : '80200001');
    const pushType = req.headers['push-type'];
    if (pushType !== '0' && pushType !== '2')
      return hwReply('80100003', 'Illegal payload, The header does not contain valid push-type');
    const body = obj(parseJson(req.body));
    if (!Number.isInteger(body.notifyId)) return hwReply('80100001', 'notifyId is required');
    const tokens = body.token;
    if (!Array.isArray(tokens) || tokens.length === 0) return hwReply('80100001', 'token is required');
    if (tokens.length > 1000) return hwReply('80300010');
    const valid = tokens.map(String).filter((t) => targetState(ctx, 'huawei', t, appId)[0] === 'ok');
    if (valid.length === 0) return hwReply('80300007');
    for (const t of valid) ctx.records.retract('huawei', t, String(body.notifyId), 'revoke');
    return hwReply('80000000');
  };

  return {
    vendor: 'huawei',
    handle(req) {
      if (req.method === 'POST' && /^\/oauth2\/v[23]\/token$/.test(req.path)) return oauth(req);
      const r = /^\/v1\/([^/]+)\/messages:revoke$/.exec(req.path);
      if (req.method === 'POST' && r) return revoke(req, decodeURIComponent(r[1] as string));
      const m = /^\/v1\/([^/]+)\/messages:send$/.exec(req.path);
      if (req.method === 'POST' && m) return send(req, decodeURIComponent(m[1] as string));
      return json(404, { code: '80100001', msg: 'Not Found' }, 'not-found');
    },
    fault(status, reason, retryAfter) {
      const code = reason ?? { 400: '80100001', 401: '80200001', 503: '81000001' }[status] ?? '81000001';
      const r = hwReply(code, MSG[code] ?? code, status);
      if (retryAfter !== undefined) r.headers = { 'retry-after': String(retryAfter) };
      return r;
    },
    // HTTP 503 is Huawei's traffic control answer; [U] the body code.
    quota: () => hwReply('81000001', 'Traffic control', 503),
  };
}

/** The Go demo's validator rules (docs/internals/huawei.md#request; confirmed in Huawei's demo code). */
function validate(message: Record<string, unknown>): VendorReply | undefined {
  const targets = ['token', 'topic', 'condition'].filter((k) => message[k] !== undefined);
  if (targets.length !== 1) return hwReply('80100001', 'exactly one of token, topic, condition is required');
  if (message.data !== undefined && typeof message.data !== 'string')
    return hwReply('80100003', 'Illegal payload, data must be a string');
  const android = obj(message.android);
  if (android.data !== undefined && typeof android.data !== 'string')
    return hwReply('80100003', 'Illegal payload, android.data must be a string');
  const ck = android.collapse_key;
  if (ck !== undefined && (typeof ck !== 'number' || ck < -1 || ck > 100))
    return hwReply('80100003', 'Illegal payload, collapse_key must be -1..100');
  if (android.ttl !== undefined && !/^\d+(\.\d+)?s$/.test(String(android.ttl)))
    return hwReply('80100003', 'Illegal payload, ttl format is wrong');
  const n = obj(android.notification);
  const click = obj(n.click_action);
  if (android.notification !== undefined) {
    if (n.color !== undefined && !/^#[0-9a-fA-F]{6}$/.test(String(n.color)))
      return hwReply('80100003', 'Illegal payload, color format is wrong');
    const type = click.type;
    if (type === undefined) return hwReply('80100003', 'Illegal payload, click_action.type is required');
    if (type === 1 && !click.intent && !click.action)
      return hwReply('80100003', 'Illegal payload, intent or action is required when click_action.type is 1');
    if (type === 2 && !click.url)
      return hwReply('80100003', 'Illegal payload, url is required when click_action.type is 2');
    if (![1, 2, 3, 4].includes(Number(type)))
      return hwReply('80100003', 'Illegal payload, click_action.type must be 1..4');
    if (n.style === 1 && (!n.big_title || !n.big_body))
      return hwReply('80100003', 'Illegal payload, big_title and big_body are required when style is 1');
    const badge = obj(n.badge);
    if (badge.add_num !== undefined && (Number(badge.add_num) < 1 || Number(badge.add_num) > 99)) {
      return hwReply('80100003', 'Illegal payload, badge addNum value ranges from 1 to 99');
    }
    if (n.importance !== undefined && !['LOW', 'NORMAL', 'HIGH'].includes(String(n.importance))) {
      return hwReply('80100003', 'Illegal payload, importance must be LOW, NORMAL or HIGH');
    }
  }
  const urgency = android.urgency ?? android.delivery_priority;
  if (urgency !== undefined && !['HIGH', 'NORMAL'].includes(String(urgency)))
    return hwReply('80100003', 'Illegal payload, urgency must be HIGH or NORMAL');
  return undefined;
}

function toRecord(message: Record<string, unknown>, token: string, appId: string): VendorRecord {
  const android = obj(message.android);
  const n = obj(android.notification);
  const top = obj(message.notification);
  const click = obj(n.click_action);
  const badge = obj(n.badge);
  return {
    token,
    app: appId,
    title: str(n.title) ?? str(top.title),
    body: str(n.body) ?? str(top.body),
    image: str(n.image) ?? str(top.image),
    sound: str(n.sound),
    channel: str(n.channel_id),
    category: str(android.category),
    clickAction:
      str(click.intent) ?? str(click.action) ?? str(click.url) ?? (click.type === 3 ? 'open-app' : undefined),
    badge:
      typeof badge.set_num === 'number'
        ? badge.set_num
        : typeof badge.add_num === 'number'
          ? badge.add_num
          : undefined,
    data: android.data ?? message.data,
    priority: str(android.urgency ?? android.delivery_priority),
    collapseId: str(android.collapse_key) ?? str(n.tag),
    notifyId: n.notify_id !== undefined ? String(n.notify_id) : undefined,
    pushType:
      android.notification !== undefined || message.notification !== undefined ? 'notification' : 'data',
  };
}

export const huaweiServer: VendorServerDef = {
  urlKeys: ['huawei', 'huaweiOAuth'],
  start: (ctx, opts) => startHttpVendor(ctx, huaweiHandler(ctx), opts),
};
