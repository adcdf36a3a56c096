// What a device token looks like per vendor (VendorModule.tokenProblem, vendors/<vendor>/index.ts). A token in
// the wrong format is refused when the client reports it, so a mix-up (an FCM token sent with an APNs
// certificate ID...) surfaces at once instead of as a vendor error later.
import { fillText, type TextParams } from '../fill-text.js';
import { vendorModule } from '../push/vendors/index.js';
import { CERTIFICATE_ERROR_TEXTS, type CertificateErrorKey } from './messages.js';
import type { Vendor } from './types.js';

/** Why `token` cannot be a `vendor` token, as a key of CERTIFICATE_ERROR_TEXTS; undefined when it can be. */
export function tokenFormatText(
  vendor: Vendor,
  token: string,
): { key: CertificateErrorKey; params?: TextParams } | undefined {
  return vendorModule(vendor).tokenProblem(token);
}

/** Returns why `token` cannot be a `vendor` token, or undefined when it can. */
export function tokenFormatProblem(vendor: Vendor, token: string): string | undefined {
  const text = tokenFormatText(vendor, token);
  return text && fillText(CERTIFICATE_ERROR_TEXTS[text.key], text.params);
}
