// Web Push push service: RFC 8030 push resource per subscription (POST /push/<id>), RFC 8292 VAPID
// verification, and RFC 8291 aes128gcm decryption with the virtual browser's keys so the record
// holds the cleartext the service worker would get.
import { createDecipheriv, createECDH, createPublicKey, type ECDH, hkdfSync, randomUUID } from 'node:crypto';
import type { WebPushSecret } from '../core/devices.js';
import {
  type HttpVendorHandler,
  startHttpVendor,
  type VendorReply,
  type VendorRequest,
} from '../core/http-vendor.js';
import { type DecodedJwt, decodeJwt, verifyJwt } from '../core/jwt.js';
import type { SimContext, VendorServerDef } from '../core/types.js';

const URGENCIES = ['very-low', 'low', 'normal', 'high'];
const MAX_PAYLOAD = 4096;
const VAPID_CACHE_SIZE = 1000;

function text(
  status: number,
  message: string,
  reason = String(status),
  headers?: Record<string, string>,
): VendorReply {
  return {
    status,
    body: message,
    reason,
    ok: status >= 200 && status < 300,
    headers: { 'content-type': 'text/plain', ...headers },
  };
}

/** A virtual browser's key pair as an ECDH object, built once per subscription rather than per message. */
const browserKeys = new WeakMap<WebPushSecret, ECDH>();
function browserKey(secret: WebPushSecret): ECDH {
  let ecdh = browserKeys.get(secret);
  if (!ecdh) {
    ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(secret.privateKey);
    browserKeys.set(secret, ecdh);
  }
  return ecdh;
}

/** Decrypts an RFC 8188 aes128gcm body with RFC 8291 key derivation. Throws on any inconsistency. */
export function decryptAes128gcm(body: Buffer, secret: WebPushSecret): Buffer {
  if (body.length < 21) throw new Error('body shorter than the aes128gcm header');
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20] as number;
  const senderKey = body.subarray(21, 21 + idlen);
  if (idlen !== 65 || rs < 18) throw new Error('bad aes128gcm header');
  const shared = browserKey(secret).computeSecret(senderKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), secret.publicKey, senderKey]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, secret.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const records = body.subarray(21 + idlen);
  const out: Buffer[] = [];
  for (let i = 0, seq = 0; i < records.length; i += rs, seq++) {
    const rec = records.subarray(i, i + rs);
    const iv = Buffer.from(nonce);
    // Nonce = base XOR record sequence number (only the low 32 bits can be non-zero here).
    iv.writeUInt32BE((iv.readUInt32BE(8) ^ seq) >>> 0, 8);
    const d = createDecipheriv('aes-128-gcm', cek, iv);
    d.setAuthTag(rec.subarray(rec.length - 16));
    const plain = Buffer.concat([d.update(rec.subarray(0, rec.length - 16)), d.final()]);
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end--;
    if (end < 0 || (plain[end] !== 1 && plain[end] !== 2)) throw new Error('bad padding delimiter');
    out.push(plain.subarray(0, end));
  }
  return Buffer.concat(out);
}

/** The host the request was sent to: `Host` over HTTP/1.1, `:authority` over HTTP/2. */
function authority(req: VendorRequest): string {
  const h = req.headers.host ?? req.headers[':authority'];
  return typeof h === 'string' ? h : '';
}

/** Parses `vapid t=<jwt>, k=<key>` (RFC 8292). */
function parseVapid(authorization: string): { t: string; k: string } | undefined {
  const m = /^vapid\s+(.*)$/i.exec(authorization.trim());
  if (!m) return undefined;
  const params = Object.fromEntries(
    (m[1] as string).split(',').map((p) => {
      const i = p.indexOf('=');
      return [p.slice(0, i).trim().toLowerCase(), p.slice(i + 1).trim()];
    }),
  );
  return params.t && params.k ? { t: params.t, k: params.k } : undefined;
}

export function webpushHandler(ctx: SimContext): HttpVendorHandler {
  // A sender signs one VAPID JWT and reuses it for hours: its signature is checked once, as a push service
  // does, and not again for each message (an ES256 verification cost the simulator more than decrypting the
  // message, CPU that a benchmark's Pushline process then did not get). The claims (aud, exp, sub) are still
  // checked on every request. Only valid tokens are kept, at most VAPID_CACHE_SIZE of them.
  const verified = new Map<string, DecodedJwt>();
  const verifiedVapid = (vapid: { t: string; k: string }): DecodedJwt | 'bad-key' | undefined => {
    const cacheKey = `${vapid.k} ${vapid.t}`;
    const known = verified.get(cacheKey);
    if (known) return known;
    const raw = Buffer.from(vapid.k, 'base64url');
    if (raw.length !== 65 || raw[0] !== 4) return 'bad-key';
    const key = createPublicKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: raw.subarray(1, 33).toString('base64url'),
        y: raw.subarray(33).toString('base64url'),
      },
      format: 'jwk',
    });
    const jwt = decodeJwt(vapid.t);
    if (!jwt || !verifyJwt(jwt, 'ES256', key)) return undefined;
    if (verified.size >= VAPID_CACHE_SIZE) verified.clear();
    verified.set(cacheKey, jwt);
    return jwt;
  };
  const handle = (req: VendorRequest): VendorReply => {
    const m = /^\/push\/([A-Za-z0-9_-]+)$/.exec(req.path);
    if (!m) return text(404, 'Not Found');
    if (req.method !== 'POST') return text(405, 'Method Not Allowed');
    const id = m[1] as string;
    const device = ctx.devices.get('webpush', id);
    if (!device) return text(404, 'Subscription not found', 'not-found');
    if (!device.installed) return text(410, 'Subscription expired or unsubscribed', 'gone');

    // VAPID. [U] exact statuses: 401 for missing/invalid auth, 403 for a key other than the subscription's.
    const auth = req.headers.authorization;
    if (auth) {
      const vapid = parseVapid(auth);
      if (!vapid) return text(401, 'Invalid Authorization header', 'vapid-invalid');
      const jwt = verifiedVapid(vapid);
      if (jwt === 'bad-key') return text(401, 'Invalid VAPID public key', 'vapid-invalid');
      if (!jwt) return text(401, 'Invalid VAPID signature', 'vapid-invalid');
      const { aud, exp, sub } = jwt.payload;
      const origin = `https://${authority(req)}`;
      const now = Date.now() / 1000;
      if (aud !== origin)
        return text(401, 'VAPID aud does not match the push service origin', 'vapid-invalid');
      if (typeof exp !== 'number' || exp < now || exp > now + 86_400)
        return text(401, 'VAPID exp out of range', 'vapid-invalid');
      if (typeof sub !== 'string' || !/^(mailto:|https:)/.test(sub))
        return text(401, 'VAPID sub must be mailto: or https:', 'vapid-invalid');
      if (device.applicationServerKey && device.applicationServerKey !== vapid.k) {
        return text(403, 'VAPID key does not match the subscription', 'vapid-mismatch');
      }
    } else if (device.applicationServerKey) {
      return text(401, 'Missing VAPID authorization', 'vapid-missing');
    }

    const ttl = req.headers.ttl;
    if (ttl === undefined || !/^\d+$/.test(String(ttl)))
      return text(400, 'Missing or invalid TTL header', 'bad-ttl');
    const urgency = req.headers.urgency;
    if (urgency !== undefined && !URGENCIES.includes(String(urgency)))
      return text(400, 'Invalid Urgency header', 'bad-urgency');
    const topic = req.headers.topic;
    if (topic !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(String(topic)))
      return text(400, 'Invalid Topic header', 'bad-topic');
    if (req.body.length > MAX_PAYLOAD) return text(413, 'Payload Too Large', 'too-large');

    let cleartext: string | undefined;
    let decryptError: string | undefined;
    if (req.body.length > 0) {
      const encoding = req.headers['content-encoding'];
      if (encoding !== 'aes128gcm')
        return text(400, 'Unsupported Content-Encoding (use aes128gcm)', 'bad-encoding');
      try {
        cleartext = decryptAes128gcm(req.body, ctx.devices.webpushSecret(id) as WebPushSecret).toString(
          'utf8',
        );
      } catch (e) {
        // The push service cannot decrypt; it accepts, and the browser drops the message. Record why.
        decryptError = e instanceof Error ? e.message : String(e);
      }
    }
    const messageId = randomUUID();
    const record = toRecord(id, device.app, messageId, cleartext, decryptError, urgency, topic);
    // The site's service worker acts on a recall: it closes the notification shown under the tag.
    if (record.retraction && typeof record.category === 'string')
      ctx.records.retract('webpush', id, record.category, 'app');
    return {
      status: 201,
      reason: 'ok',
      ok: true,
      headers: { location: `https://${authority(req)}/message/${messageId}`, ttl: String(ttl) },
      records: [record],
    };
  };
  return {
    vendor: 'webpush',
    handle,
    fault: (status, reason, retryAfter) =>
      text(
        status,
        reason ?? `Injected ${status}`,
        reason ?? String(status),
        retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : undefined,
      ),
    quota: () => text(429, 'Too Many Requests', 'too-many-requests', { 'retry-after': '60' }),
  };
}

function toRecord(
  token: string,
  app: string,
  messageId: string,
  cleartext: string | undefined,
  decryptError: string | undefined,
  urgency: string | string[] | undefined,
  topic: string | string[] | undefined,
) {
  let parsed: Record<string, unknown> | undefined;
  try {
    const v = cleartext ? JSON.parse(cleartext) : undefined;
    if (v && typeof v === 'object' && !Array.isArray(v)) parsed = v;
  } catch {}
  // Common shapes: {title, body, ...} or {notification: {title, body, ...}} (declarative Web Push / FCM-like).
  const n = (
    parsed?.notification && typeof parsed.notification === 'object' ? parsed.notification : (parsed ?? {})
  ) as Record<string, unknown>;
  const s = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    token,
    app,
    messageId,
    title: s(n.title),
    body: parsed ? s(n.body) : cleartext,
    image: s(n.image) ?? s(n.icon),
    badge: typeof n.badge === 'number' ? n.badge : undefined,
    clickAction: s(n.navigate) ?? s(n.url),
    category: s(n.tag),
    data: decryptError ? { decryptError } : (parsed?.data ?? parsed),
    priority: typeof urgency === 'string' ? urgency : undefined,
    collapseId: typeof topic === 'string' ? topic : undefined,
    // showNotification() names the notification by its tag.
    notifyId: s(n.tag),
    retraction: parsed?.kind === 'recall' ? true : undefined,
    pushType: 'webpush',
  };
}

export const webpushServer: VendorServerDef = {
  urlKeys: ['webpush'],
  // Push services answer HTTP/2 and HTTP/1.1 on one port (FCM's, Mozilla's and Apple's do); an HTTP/1.1-only
  // one (`webpushHttp2: false`) tests a sender's fallback.
  start: (ctx, opts) =>
    startHttpVendor(ctx, webpushHandler(ctx), { ...opts, http2: ctx.options.webpushHttp2 }),
};
