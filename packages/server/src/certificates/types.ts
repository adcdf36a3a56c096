// Push certificates: one per (app, vendor credential). Its integer ID is the `businessID` that client
// SDKs report together with their device token. The certificate decides the vendor and environment.
import { VENDORS, type Vendor } from '@pushline/contracts';

/** The vendors (one list in @pushline/contracts, shared with the simulators and the console). */
export { VENDORS, type Vendor };

/** A certificate this close to its expiry is flagged in lists and the console. */
export const EXPIRY_WARNING_MS = 30 * 86_400_000;

/** `voip` certificates are APNs VoIP Services certificates (PushKit); everything else is `alert`. */
export type CertificateKind = 'alert' | 'voip';

export type ApnsEnvironment = 'development' | 'production';

export type CertificateStatus = 'active' | 'paused';

/**
 * What a paused certificate does with the pushes of messages that keep arriving. `hold`: they are queued
 * and wait (a credential error always holds); resume sends them, except those whose message lifetime or
 * push expiry passed meanwhile. `discard`: they are not queued (trace reason `certificate-paused`), and
 * pushes already waiting are dropped. docs/delivery.md#paused-certificates.
 */
export const PAUSE_MODES = ['hold', 'discard'] as const;
export type PauseMode = (typeof PAUSE_MODES)[number];

/** What a notification does when tapped (Tencent console "Subsequent Actions"). */
export type ClickAction =
  | { type: 'open_app' }
  | { type: 'open_url'; url: string }
  | { type: 'open_page'; page: string };

/**
 * Per-certificate settings: defaults a message's OfflinePushInfo can override, and the send rate limit.
 * Changing them keeps the stored credential.
 */
export interface CertificateDefaults {
  /** Android notification channel ID (FCM, Huawei, Honor, Xiaomi, OPPO). */
  channelId?: string;
  /** Vendor message category/classification: Huawei/OPPO/vivo category ("IM", ...), Honor importance. */
  category?: string;
  /** Huawei/Honor importance "LOW" | "NORMAL" | "HIGH". */
  importance?: string;
  clickAction?: ClickAction;
  /** Huawei/Honor launcher activity class used for the badge. */
  badgeClass?: string;
  /** FCM: send a notification message (default) or a data message. */
  fcmMessageType?: 'notification' | 'data';
  /**
   * The app's name as this certificate's users know it: the title of a notification with no title of its
   * own and no sender or group to name. Absent = the app's `displayName` setting, else the app's name.
   */
  displayName?: string;
  /** Sends per second (and burst) for this certificate, instead of the vendor's `pushRateLimits` default. */
  rateLimit?: { perSecond: number; burst?: number };
}

/** The public view of a certificate: never contains a secret. */
export interface CertificateInfo {
  id: number;
  sdkAppId: number;
  vendor: Vendor;
  kind: CertificateKind;
  name: string;
  /** APNs only. */
  environment?: ApnsEnvironment;
  /** APNs bundle ID, Android package name, FCM project ID, Web Push subject... */
  appIdentifier: string;
  /** Non-secret identifiers worth showing (key ID, team ID, app ID, client email...). */
  publicFields: Record<string, string>;
  /** Secret fields, masked (e.g. "ab****yz"). */
  maskedSecrets: Record<string, string>;
  defaults: CertificateDefaults;
  /** When the credential expires (APNs .p12), UNIX ms, or null. */
  expiresAt: number | null;
  /** The credential expires within EXPIRY_WARNING_MS (or has expired): renew it. */
  expiringSoon: boolean;
  status: CertificateStatus;
  pausedReason: string | null;
  /** While paused: hold or discard the pushes that keep arriving; null while active. */
  pausedMode: PauseMode | null;
  /**
   * When a vendor first accepted a push sent with the current credential (a `cert test`, the console's test
   * button or a real push), UNIX ms; null while untested. Replacing the credential makes it untested again.
   */
  verifiedAt: number | null;
  createdAt: number;
  updatedAt: number;
}
