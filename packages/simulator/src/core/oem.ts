// Small helpers shared by the OEM vendor simulators (Huawei, Honor, Xiaomi, OPPO, vivo, Meizu).
import { createHash, randomBytes } from 'node:crypto';
import type { OemVendor } from './credentials.js';
import type { VirtualDevice } from './devices.js';
import type { VendorRequest } from './http-vendor.js';
import type { SimContext } from './types.js';

export const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');
export const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
export const requestId = () => `${Date.now()}${randomBytes(6).toString('hex')}`;

export function form(req: VendorRequest): URLSearchParams {
  return new URLSearchParams(req.body.toString('utf8'));
}

export function bearer(req: VendorRequest): string | undefined {
  const h = req.headers.authorization;
  return h?.toLowerCase().startsWith('bearer ') ? h.slice(7).trim() : undefined;
}

export type TokenCheck = { ok: true; app: string } | { ok: false; why: 'missing' | 'expired' | 'wrong-app' };

/** Checks an access token issued by this vendor's auth endpoint. `app` is the app it was issued to. */
export function checkAccessToken(
  ctx: SimContext,
  vendor: OemVendor,
  token: string | undefined,
  app?: string,
): TokenCheck {
  const t = token ? ctx.credentials.accessToken(token) : undefined;
  if (!t || t.vendor !== vendor) return { ok: false, why: 'missing' };
  if (t.expiresAt < Date.now()) return { ok: false, why: 'expired' };
  if (app !== undefined && t.subject !== app) return { ok: false, why: 'wrong-app' };
  return { ok: true, app: t.subject };
}

export type TargetState = 'ok' | 'unknown' | 'uninstalled';

/** What the vendor knows about a push token for this app: unknown (never issued / other app) or uninstalled. */
export function targetState(
  ctx: SimContext,
  vendor: OemVendor,
  token: string,
  app: string,
): [TargetState, VirtualDevice?] {
  const d = ctx.devices.get(vendor, token);
  if (!d || d.app !== app) return ['unknown'];
  return d.installed ? ['ok', d] : ['uninstalled', d];
}

export const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
export const obj = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
