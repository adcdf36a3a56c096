// Send rate limits per certificate (vendor quotas, docs/internals/architecture.md#rate-limits): a per-vendor
// default from configuration (`pushRateLimits`), which a certificate may override (`defaults.rateLimit`, set
// with `pushline cert limit` or the console API). The dispatcher defers jobs over the limit (token-bucket.ts)
// without counting an attempt. Daily quotas (vivo, OPPO, Meizu, Xiaomi) depend on the app's user count and
// are answered by the vendor itself (vivo 10070, OPPO 33, Meizu 110019 -> retry), so only per-second limits
// live here.
import type { CertificateInfo, Vendor } from '../../certificates/types.js';
import { VENDORS } from '../../certificates/types.js';
import type { RateLimit } from './token-bucket.js';

/**
 * The built-in `pushRateLimits`, from the vendors' published quotas (docs/internals/fcm.md#limits,
 * docs/internals/oppo.md#limits): FCM 600,000 messages a minute per project (10,000/s), OPPO's smallest QPS
 * tier (5,000/s). Other vendors publish no fixed rate.
 */
export const DEFAULT_PUSH_RATE_LIMITS = 'fcm=10000,oppo=5000';

export type VendorRateLimits = Partial<Record<Vendor, RateLimit>>;

export class RateLimitFormatError extends Error {}

/** One limit: `<perSecond>` or `<perSecond>/<burst>`, positive numbers (fractions allowed: 0.5 = one per 2 s). */
export function parseRateLimit(text: string): RateLimit {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(\d+))?\s*$/.exec(text);
  const perSecond = m ? Number(m[1]) : Number.NaN;
  const burst = m?.[2] !== undefined ? Number(m[2]) : undefined;
  if (!m || !(perSecond > 0) || perSecond > 1_000_000 || (burst !== undefined && !(burst >= 1))) {
    throw new RateLimitFormatError(
      `"${text}" is not a rate limit: use <per second> or <per second>/<burst>, e.g. 100 or 100/500`,
    );
  }
  return burst !== undefined ? { perSecond, burst } : { perSecond };
}

/**
 * `pushRateLimits`: comma-separated `<vendor>=<perSecond>[/<burst>]` or `<vendor>=off`, e.g.
 * `fcm=10000,oppo=5000,vivo=200/400`. An empty string means no limits.
 */
export function parseVendorRateLimits(text: string): VendorRateLimits {
  const out: VendorRateLimits = {};
  for (const part of text.split(',').map((p) => p.trim())) {
    if (part === '') continue;
    const [vendor, value] = part.split('=').map((p) => p.trim());
    if (!vendor || value === undefined || !(VENDORS as readonly string[]).includes(vendor)) {
      throw new RateLimitFormatError(
        `"${part}": expected <vendor>=<per second>[/<burst>] or <vendor>=off with a vendor of ${VENDORS.join(', ')}`,
      );
    }
    if (value === 'off') delete out[vendor as Vendor];
    else out[vendor as Vendor] = parseRateLimit(value);
  }
  return out;
}

/** The limit a certificate sends under: its own, else its vendor's default; undefined = unlimited. */
export function certificateRateLimit(
  info: CertificateInfo,
  defaults: VendorRateLimits,
): RateLimit | undefined {
  return info.defaults.rateLimit ?? defaults[info.vendor];
}
