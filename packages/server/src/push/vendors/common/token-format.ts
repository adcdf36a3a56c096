// A device-token check by pattern, for the vendors whose tokens are plain strings (VendorModule.tokenProblem).
import type { CertificateErrorKey } from '../../../certificates/messages.js';
import type { Vendor } from '../../../certificates/types.js';
import type { TokenProblem } from '../types.js';

export interface TokenRule {
  pattern: RegExp;
  /** Why a token is refused: a text of CERTIFICATE_ERROR_TEXTS, filled with the vendor, min and max. */
  key: CertificateErrorKey;
  min: number;
  max: number;
}

export function tokenRule(vendor: Vendor, rule: TokenRule): (token: string) => TokenProblem | undefined {
  return (token) =>
    rule.pattern.test(token)
      ? undefined
      : { key: rule.key, params: { vendor, min: rule.min, max: rule.max } };
}
