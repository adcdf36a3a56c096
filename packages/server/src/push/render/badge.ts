// The app-icon badge: the unread count the client reported at doBackground, plus one per pushed
// message that counts. A message with ApnsInfo.BadgeMode 1 (SDK ignoreIOSBadge) does not count on iOS:
// its payload carries no badge at all, so the icon keeps the number it shows.
import type { CertificateInfo } from '../../certificates/types.js';
import { vendorModule } from '../vendors/index.js';
import type { PushContent } from './content.js';

/** Per-instance badge state kept by the engine. */
export interface BadgeState {
  /** The unread count reported with doBackground. */
  unreadAtBackground: number;
  /** Pushes since doBackground that counted toward the badge (not including this one). */
  countedSince: number;
}

/** The largest badge sent; also the placeholder used when sizing a payload once for many devices. */
export const MAX_BADGE = 99_999;

/** Whether this push adds one to the badge on this certificate's devices. */
export function countsTowardBadge(content: PushContent, certificate: CertificateInfo): boolean {
  return vendorModule(certificate.vendor).countsTowardBadge?.(content, certificate) ?? true;
}

/** The badge number to show, or undefined when the payload must carry none. */
export function badgeNumber(state: BadgeState | undefined, counts: boolean): number | undefined {
  if (!state || !counts) return undefined;
  return Math.min(count(state.unreadAtBackground) + count(state.countedSince) + 1, MAX_BADGE);
}

/** A non-negative integer; anything else (negative, NaN) counts as 0. */
const count = (n: number): number => (Number.isFinite(n) && n > 0 ? Math.trunc(n) : 0);
