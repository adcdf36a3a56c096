// FCM HTTP v1: OAuth2 JWT-bearer token endpoint (both paths clients use) and messages:send with
// proto3-JSON validation (snake_case and lowerCamelCase), validate_only and the google.rpc.Status
// error envelope with FcmError details (docs/internals/fcm.md). Served over h2 and HTTP/1.1.
import { randomBytes } from 'node:crypto';
import type { ServiceAccount } from '../core/credentials.js';
import {
  type HttpVendorHandler,
  isObject,
  json,
  parseJson,
  startHttpVendor,
  type VendorReply,
  type VendorRequest,
} from '../core/http-vendor.js';
import { decodeJwt, verifyJwt } from '../core/jwt.js';
import type { SimContext, VendorServerDef } from '../core/types.js';

const TOKEN_TTL = 3599;
const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TOKEN_AUDIENCES = ['https://oauth2.googleapis.com/token', 'https://www.googleapis.com/oauth2/v4/token'];
const FCM_AUDIENCE = /^https:\/\/fcm\.googleapis\.com\/?$/;
const SCOPES_OK = [
  'https://www.googleapis.com/auth/firebase.messaging',
  'https://www.googleapis.com/auth/cloud-platform',
];

/** FcmError code → HTTP status and canonical status (docs/internals/fcm.md#answers-and-outcomes). */
export const FCM_ERRORS: Record<string, [number, string]> = {
  INVALID_ARGUMENT: [400, 'INVALID_ARGUMENT'],
  UNREGISTERED: [404, 'NOT_FOUND'],
  SENDER_ID_MISMATCH: [403, 'PERMISSION_DENIED'],
  QUOTA_EXCEEDED: [429, 'RESOURCE_EXHAUSTED'],
  UNAVAILABLE: [503, 'UNAVAILABLE'],
  INTERNAL: [500, 'INTERNAL'],
  THIRD_PARTY_AUTH_ERROR: [401, 'UNAUTHENTICATED'],
};
const CANONICAL_BY_STATUS: Record<number, [string, string]> = {
  400: ['INVALID_ARGUMENT', 'INVALID_ARGUMENT'],
  401: ['UNAUTHENTICATED', 'THIRD_PARTY_AUTH_ERROR'],
  403: ['PERMISSION_DENIED', 'SENDER_ID_MISMATCH'],
  404: ['NOT_FOUND', 'UNREGISTERED'],
  429: ['RESOURCE_EXHAUSTED', 'QUOTA_EXCEEDED'],
  500: ['INTERNAL', 'INTERNAL'],
  503: ['UNAVAILABLE', 'UNAVAILABLE'],
};
const MESSAGES: Record<string, string> = {
  UNREGISTERED: 'Requested entity was not found.',
  SENDER_ID_MISMATCH: 'SenderId mismatch',
  QUOTA_EXCEEDED: "Quota exceeded for quota metric 'Send requests' and limit 'Send requests per minute'.",
  UNAVAILABLE: 'The service is currently unavailable.',
  INTERNAL: 'Internal error encountered.',
  THIRD_PARTY_AUTH_ERROR: 'Auth error from APNS or Web Push Service',
  INVALID_ARGUMENT: 'Request contains an invalid argument.',
};

function googleError(
  status: number,
  canonical: string,
  message: string,
  opts: {
    fcmError?: string;
    violations?: { field: string; description: string }[];
    retryAfter?: number;
  } = {},
): VendorReply {
  const details: object[] = [];
  if (opts.fcmError)
    details.push({
      '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError',
      errorCode: opts.fcmError,
    });
  if (opts.violations)
    details.push({ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: opts.violations });
  const error: Record<string, unknown> = { code: status, message, status: canonical };
  if (details.length > 0) error.details = details;
  const headers: Record<string, string> = {};
  if (opts.retryAfter !== undefined) headers['retry-after'] = String(opts.retryAfter);
  return json(status, { error }, opts.fcmError ?? canonical, { headers });
}

function fcmError(code: string, message = MESSAGES[code] ?? code, retryAfter?: number): VendorReply {
  const [status, canonical] = FCM_ERRORS[code] ?? [500, 'INTERNAL'];
  return googleError(status, canonical, message, { fcmError: code, retryAfter });
}

function invalid(field: string, description: string): VendorReply {
  return googleError(400, 'INVALID_ARGUMENT', description, {
    fcmError: 'INVALID_ARGUMENT',
    violations: [{ field, description }],
  });
}

const UNAUTHENTICATED = googleError(
  401,
  'UNAUTHENTICATED',
  'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
);

// --- schema -------------------------------------------------------------------------------------
// Known fields per object (snake_case); `*` marks free-form maps whose keys are not checked.
const FIELDS: Record<string, string[]> = {
  message: [
    'name',
    'data*',
    'notification',
    'android',
    'webpush',
    'apns',
    'fcm_options',
    'token',
    'topic',
    'condition',
    'fid',
  ],
  notification: ['title', 'body', 'image'],
  fcm_options: ['analytics_label'],
  android: [
    'collapse_key',
    'priority',
    'ttl',
    'restricted_package_name',
    'data*',
    'notification',
    'fcm_options',
    'direct_boot_ok',
    'bandwidth_constrained_ok',
    'restricted_satellite_ok',
  ],
  'android.notification': [
    'title',
    'body',
    'icon',
    'color',
    'sound',
    'tag',
    'click_action',
    'body_loc_key',
    'body_loc_args',
    'title_loc_key',
    'title_loc_args',
    'channel_id',
    'ticker',
    'sticky',
    'event_time',
    'local_only',
    'notification_priority',
    'default_sound',
    'default_vibrate_timings',
    'default_light_settings',
    'vibrate_timings',
    'visibility',
    'notification_count',
    'light_settings*',
    'image',
    'bypass_proxy_notification',
    'proxy',
  ],
  'android.fcm_options': ['analytics_label'],
  apns: ['headers*', 'payload*', 'fcm_options', 'live_activity_token'],
  'apns.fcm_options': ['analytics_label', 'image'],
  webpush: ['headers*', 'data*', 'notification*', 'fcm_options'],
  'webpush.fcm_options': ['link', 'analytics_label'],
};

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Converts lowerCamelCase keys to snake_case and reports unknown fields, like Google's JSON parser. */
function normalize(
  obj: Record<string, unknown>,
  schema: string,
  path: string,
): Record<string, unknown> | string {
  const fields = FIELDS[schema] ?? [];
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    const name = snake(k);
    const isMap = fields.includes(`${name}*`);
    if (!isMap && !fields.includes(name))
      return `Invalid JSON payload received. Unknown name "${k}" at '${path}': Cannot find field.`;
    const childSchema = schema === 'message' ? name : `${schema}.${name}`;
    if (!isMap && isObject(v) && FIELDS[childSchema]) {
      const n = normalize(v, childSchema, `${path}.${name}`);
      if (typeof n === 'string') return n;
      out[name] = n;
    } else out[name] = v;
  }
  return out;
}

const DURATION = /^\d+(\.\d{1,9})?s$/;
const PRIORITIES = [
  'PRIORITY_UNSPECIFIED',
  'PRIORITY_MIN',
  'PRIORITY_LOW',
  'PRIORITY_DEFAULT',
  'PRIORITY_HIGH',
  'PRIORITY_MAX',
];
const VISIBILITIES = ['VISIBILITY_UNSPECIFIED', 'PRIVATE', 'PUBLIC', 'SECRET'];
const RESERVED_DATA = (k: string) =>
  k === 'from' || k === 'message_type' || k.startsWith('google.') || k.startsWith('gcm.');

function checkMessage(m: Record<string, unknown>): VendorReply | undefined {
  const targets = ['token', 'topic', 'condition', 'fid'].filter((t) => m[t] !== undefined);
  if (targets.length !== 1) {
    return invalid('message', 'Exactly one of token, topic, condition or fid must be specified.');
  }
  for (const [where, data] of [
    ['message.data', m.data],
    ['message.android.data', (m.android as Record<string, unknown> | undefined)?.data],
  ] as const) {
    if (data === undefined) continue;
    if (!isObject(data)) return invalid(where, `Invalid value at '${where}': expected a map.`);
    for (const [k, v] of Object.entries(data)) {
      if (typeof v !== 'string')
        return invalid(
          `${where}[${k}].value`,
          `Invalid value at '${where}[0].value' (TYPE_STRING), ${JSON.stringify(v)}`,
        );
      if (RESERVED_DATA(k)) return invalid(where, `Invalid data payload key: ${k}`);
    }
  }
  const android = m.android as Record<string, unknown> | undefined;
  if (android) {
    if (android.ttl !== undefined && (typeof android.ttl !== 'string' || !DURATION.test(android.ttl))) {
      return invalid(
        'message.android.ttl',
        `Invalid value at 'message.android.ttl' (type.googleapis.com/google.protobuf.Duration), ${JSON.stringify(android.ttl)}`,
      );
    }
    if (
      android.priority !== undefined &&
      !['normal', 'high', 'NORMAL', 'HIGH'].includes(String(android.priority))
    ) {
      return invalid(
        'message.android.priority',
        `Invalid value at 'message.android.priority' (type.googleapis.com/google.firebase.fcm.v1.AndroidConfig.AndroidMessagePriority), ${JSON.stringify(android.priority)}`,
      );
    }
    const n = android.notification as Record<string, unknown> | undefined;
    if (n) {
      if (n.color !== undefined && !/^#[0-9a-fA-F]{6}$/.test(String(n.color))) {
        return invalid('message.android.notification.color', 'Invalid color format. Expected #rrggbb.');
      }
      if (n.notification_priority !== undefined && !PRIORITIES.includes(String(n.notification_priority))) {
        return invalid(
          'message.android.notification.notification_priority',
          `Invalid value at 'message.android.notification.notification_priority', ${JSON.stringify(n.notification_priority)}`,
        );
      }
      if (n.visibility !== undefined && !VISIBILITIES.includes(String(n.visibility))) {
        return invalid(
          'message.android.notification.visibility',
          `Invalid value at 'message.android.notification.visibility', ${JSON.stringify(n.visibility)}`,
        );
      }
    }
  }
  const webLink = (
    (m.webpush as Record<string, unknown> | undefined)?.fcm_options as Record<string, unknown> | undefined
  )?.link;
  if (webLink !== undefined && !String(webLink).startsWith('https://')) {
    return invalid('message.webpush.fcm_options.link', 'The link must be an HTTPS URL.');
  }
  // [U] Size is counted over data keys/values and notification texts, as the ErrorCode page describes.
  const limit = m.topic !== undefined || m.condition !== undefined ? 2048 : 4096;
  if (payloadSize(m) > limit) return fcmError('INVALID_ARGUMENT', 'Message is too big');
  return undefined;
}

function payloadSize(m: Record<string, unknown>): number {
  let n = 0;
  const add = (o: unknown) => {
    if (!isObject(o)) return;
    for (const [k, v] of Object.entries(o))
      n += Buffer.byteLength(k) + Buffer.byteLength(typeof v === 'string' ? v : JSON.stringify(v));
  };
  add(m.data);
  add(m.notification);
  const android = m.android as Record<string, unknown> | undefined;
  add(android?.data);
  add(android?.notification);
  add((m.apns as Record<string, unknown> | undefined)?.payload);
  return n;
}

// --- handler ------------------------------------------------------------------------------------

export function fcmHandler(ctx: SimContext): HttpVendorHandler {
  const bearerCache = new Map<string, { account: ServiceAccount; exp: number }>();

  const token = (req: VendorRequest): VendorReply => {
    const form = new URLSearchParams(req.body.toString('utf8'));
    if (form.get('grant_type') !== JWT_GRANT) {
      return json(
        400,
        {
          error: 'unsupported_grant_type',
          error_description: `Invalid grant_type: ${form.get('grant_type') ?? ''}`,
        },
        'unsupported_grant_type',
      );
    }
    const jwt = decodeJwt(form.get('assertion') ?? '');
    if (!jwt)
      return json(400, { error: 'invalid_grant', error_description: 'Invalid JWT.' }, 'invalid_grant');
    const iss = jwt.payload.iss;
    const account = typeof iss === 'string' ? ctx.credentials.serviceAccounts.get(iss) : undefined;
    // [U] exact error_description texts.
    if (!account)
      return json(
        400,
        { error: 'invalid_grant', error_description: 'Invalid grant: account not found' },
        'invalid_grant',
      );
    if (!verifyJwt(jwt, 'RS256', account.publicKey)) {
      return json(
        400,
        { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' },
        'invalid_grant',
      );
    }
    const { iat, exp, aud, scope } = jwt.payload;
    const now = Date.now() / 1000;
    const selfUrl = `https://${req.headers.host ?? ''}${req.path}`;
    if (typeof aud !== 'string' || (!TOKEN_AUDIENCES.includes(aud) && aud !== selfUrl)) {
      return json(
        400,
        { error: 'invalid_grant', error_description: 'Invalid JWT: Failed audience check.' },
        'invalid_grant',
      );
    }
    if (
      typeof iat !== 'number' ||
      typeof exp !== 'number' ||
      exp - iat > 3600 ||
      exp < now ||
      iat > now + 300
    ) {
      return json(
        400,
        {
          error: 'invalid_grant',
          error_description:
            'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
        },
        'invalid_grant',
      );
    }
    const scopes = typeof scope === 'string' ? scope.split(' ') : [];
    if (!scopes.some((s) => SCOPES_OK.includes(s))) {
      return json(
        400,
        { error: 'invalid_scope', error_description: 'Invalid OAuth scope or ID token audience provided.' },
        'invalid_scope',
      );
    }
    const accessToken = ctx.credentials.issueAccessToken('fcm', account.clientEmail, TOKEN_TTL, 'ya29.c.');
    return json(200, { access_token: accessToken, expires_in: TOKEN_TTL, token_type: 'Bearer' }, 'token');
  };

  /** OAuth access token from our token endpoint, or a self-signed JWT (google-auth-library JWTAccess). */
  const authenticate = (authorization: string | undefined): ServiceAccount | undefined => {
    if (!authorization?.toLowerCase().startsWith('bearer ')) return undefined;
    const bearer = authorization.slice(7).trim();
    const issued = ctx.credentials.accessToken(bearer);
    if (issued) {
      if (issued.vendor !== 'fcm' || issued.expiresAt < Date.now()) return undefined;
      return ctx.credentials.serviceAccounts.get(issued.subject);
    }
    const now = Date.now() / 1000;
    const cached = bearerCache.get(bearer);
    if (cached) return cached.exp > now ? cached.account : undefined;
    const jwt = decodeJwt(bearer);
    const iss = jwt?.payload.iss;
    const account = typeof iss === 'string' ? ctx.credentials.serviceAccounts.get(iss) : undefined;
    if (!jwt || !account || !verifyJwt(jwt, 'RS256', account.publicKey)) return undefined;
    const { aud, scope, exp, iat } = jwt.payload;
    const audOk = typeof aud === 'string' && FCM_AUDIENCE.test(aud);
    const scopeOk = typeof scope === 'string' && scope.split(' ').some((s) => SCOPES_OK.includes(s));
    if (
      !(audOk || scopeOk) ||
      typeof exp !== 'number' ||
      typeof iat !== 'number' ||
      exp < now ||
      exp - iat > 3600
    ) {
      return undefined;
    }
    if (bearerCache.size > 10_000) bearerCache.clear();
    bearerCache.set(bearer, { account, exp });
    return account;
  };

  const send = (req: VendorRequest, project: string): VendorReply => {
    const account = authenticate(req.headers.authorization);
    if (!account) return UNAUTHENTICATED;
    if (project !== account.projectId && project !== account.projectNumber) {
      return googleError(
        403,
        'PERMISSION_DENIED',
        `Permission 'cloudmessaging.messages.create' denied on resource '//cloudresourcemanager.googleapis.com/projects/${project}' (or it may not exist).`,
      );
    }
    const body = parseJson(req.body);
    if (!isObject(body)) return googleError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
    const validateOnly = body.validate_only ?? body.validateOnly;
    const extra = Object.keys(body).filter((k) => !['message', 'validate_only', 'validateOnly'].includes(k));
    if (extra.length > 0) {
      return invalid('', `Invalid JSON payload received. Unknown name "${extra[0]}": Cannot find field.`);
    }
    if (!isObject(body.message)) return invalid('message', 'Request contains an invalid argument.');
    const message = normalize(body.message, 'message', 'message');
    if (typeof message === 'string') return invalid('message', message);
    const problem = checkMessage(message);
    if (problem) return problem;

    let target: string;
    if (typeof message.token === 'string') {
      const device = ctx.devices.get('fcm', message.token);
      if (!device)
        return fcmError('INVALID_ARGUMENT', 'The registration token is not a valid FCM registration token');
      if (device.app !== account.projectId) return fcmError('SENDER_ID_MISMATCH');
      if (!device.installed) return fcmError('UNREGISTERED');
      target = message.token;
    } else if (typeof message.topic === 'string') {
      if (!/^[a-zA-Z0-9-_.~%]{1,900}$/.test(message.topic))
        return invalid('message.topic', 'Invalid topic name.');
      target = `/topics/${message.topic}`;
    } else target = String(message.condition ?? message.fid);

    if (validateOnly === true) {
      return json(200, { name: `projects/${account.projectId}/messages/fake_message_id` }, 'validate_only');
    }
    const id = `0:${Date.now()}${randomBytes(3).toString('hex')}%${randomBytes(8).toString('hex')}`;
    const record = toRecord(message, target, account.projectId, id);
    // The app's FirebaseMessagingService acts on a recall's data message: it cancels the notification of the tag.
    const recall = record.retraction ? (record.data as { tag?: unknown }).tag : undefined;
    if (typeof recall === 'string') ctx.records.retract('fcm', target, recall, 'app');
    return json(200, { name: `projects/${account.projectId}/messages/${id}` }, 'ok', { records: [record] });
  };

  return {
    vendor: 'fcm',
    handle(req) {
      if (req.method === 'POST' && (req.path === '/token' || req.path === '/oauth2/v4/token'))
        return token(req);
      const m = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(req.path);
      if (m) {
        if (req.method !== 'POST') return googleError(405, 'METHOD_NOT_ALLOWED', 'Method not allowed.');
        return send(req, decodeURIComponent(m[1] as string));
      }
      return googleError(404, 'NOT_FOUND', `The requested URL ${req.path} was not found on this server.`);
    },
    fault(status, reason, retryAfter) {
      if (reason && FCM_ERRORS[reason]) {
        const [, canonical] = FCM_ERRORS[reason];
        return googleError(status, canonical, MESSAGES[reason] ?? reason, { fcmError: reason, retryAfter });
      }
      const [canonical, code] = CANONICAL_BY_STATUS[status] ?? ['UNKNOWN', 'UNSPECIFIED_ERROR'];
      return googleError(status, canonical, reason ?? MESSAGES[code] ?? canonical, {
        fcmError: code,
        retryAfter,
      });
    },
    quota: () => fcmError('QUOTA_EXCEEDED', undefined, 60),
  };
}

function toRecord(m: Record<string, unknown>, token: string, project: string, id: string) {
  const n = (m.notification ?? {}) as Record<string, unknown>;
  const android = (m.android ?? {}) as Record<string, unknown>;
  const an = (android.notification ?? {}) as Record<string, unknown>;
  const apns = (m.apns ?? {}) as Record<string, unknown>;
  const aps = ((apns.payload as Record<string, unknown> | undefined)?.aps ?? {}) as Record<string, unknown>;
  const s = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const data = m.data ?? android.data;
  const hasNotification = m.notification !== undefined || android.notification !== undefined;
  return {
    token,
    app: project,
    messageId: `projects/${project}/messages/${id}`,
    title: s(an.title) ?? s(n.title),
    body: s(an.body) ?? s(n.body),
    image: s(an.image) ?? s(n.image),
    sound: s(an.sound) ?? s(aps.sound),
    badge:
      typeof an.notification_count === 'number'
        ? an.notification_count
        : typeof aps.badge === 'number'
          ? aps.badge
          : undefined,
    channel: s(an.channel_id),
    clickAction: s(an.click_action),
    category: s(aps.category),
    data,
    priority: s(android.priority),
    pushType: hasNotification ? 'notification' : 'data',
    // Android shows the notification under its tag.
    notifyId: s(an.tag),
    retraction:
      !hasNotification && typeof (data as { recall?: unknown } | undefined)?.recall === 'string'
        ? true
        : undefined,
    collapseId:
      s(android.collapse_key) ??
      s((apns.headers as Record<string, unknown> | undefined)?.['apns-collapse-id']),
  };
}

export const fcmServer: VendorServerDef = {
  urlKeys: ['fcm', 'fcmOAuth'],
  // HTTP/2 (what Google's front end and firebase-admin's sendEach speak) and HTTP/1.1 on one port, like
  // fcm.googleapis.com. [U] Google's MAX_CONCURRENT_STREAMS: firebase-admin assumes 100.
  start: (ctx, opts) =>
    startHttpVendor(ctx, fcmHandler(ctx), {
      ...opts,
      http2: true,
      settings: { maxConcurrentStreams: ctx.options.fcmMaxConcurrentStreams },
    }),
};
