// Badge updates: a push that changes only the app-icon badge of a background device, sent when the user read
// a conversation on another device (push/engine/badge-pushes.ts). Nothing is shown. Each vendor's module
// builds its own (VendorModule.badgeUpdate; docs/push-payloads.md#badge-updates):
// - APNs: `aps` with `badge` alone (no alert, no sound), push type alert at priority 5: iOS sets the icon's
//   number without showing anything.
// - Huawei and Honor: a data message (no notification bar entry) carrying the badge in their own badge
//   object — Huawei `{set_num, class}`, Honor `{setNum, badgeClass}` — for the app to hand to the launcher
//   (Huawei's docs: for data messages the app shows the badge number itself). Needs the certificate's badge
//   class, as their notification badges do.
// - FCM, Xiaomi, OPPO, vivo, Meizu, Web Push: none. Their servers have no badge-only message (Xiaomi's and
//   OPPO's launchers count notifications; vivo and FCM set a badge only with a visible notification).
import type { CertificateInfo } from '../../certificates/types.js';
import type { VendorRequest } from '../types.js';
import { vendorModule } from '../vendors/index.js';
import type { VendorModule } from '../vendors/types.js';

export type BadgeUpdateSupport = 'ok' | 'unsupported-vendor' | 'no-badge-class' | 'voip';

/** Whether a badge update can go to this certificate's devices, and why not. */
export function badgeUpdateSupport(certificate: CertificateInfo): BadgeUpdateSupport {
  return vendorModule(certificate.vendor).badgeUpdate?.support(certificate) ?? 'unsupported-vendor';
}

/** The badge-only request that sets the badge to `badge`, or undefined where the vendor has none. */
export function badgeUpdateRequest(certificate: CertificateInfo, badge: number): VendorRequest | undefined {
  if (badgeUpdateSupport(certificate) !== 'ok') return undefined;
  const n = Math.max(0, Math.trunc(badge));
  return (vendorModule(certificate.vendor) as VendorModule).badgeUpdate?.request(certificate, n);
}
