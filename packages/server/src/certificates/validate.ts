// One entry point for upload validation: the vendor's module checks the credential
// (VendorModule.validateCredential, push/vendors/<vendor>/), this checks what every upload has.
import { findVendorModule } from '../push/vendors/index.js';
import { type CertificateInput, invalidInput, parseDefaults } from './input.js';
import type { ValidatedCertificate } from './store.js';
import { VENDORS } from './types.js';

export type { ValidatedCertificate } from './store.js';

/** Validates an upload; throws CertificateInputError naming the field at fault. */
export function validateCertificate(input: CertificateInput): ValidatedCertificate {
  const vendor = findVendorModule(input.vendor);
  if (!vendor) {
    throw invalidInput('vendor', 'certVendorUnknown', { vendors: VENDORS.join(', ') });
  }
  if (input.voip && !vendor.kinds.includes('voip')) {
    throw invalidInput('voip', 'certVoipApnsOnly');
  }
  if (input.name !== undefined && input.name.length > 128) {
    throw invalidInput('name', 'certNameTooLong');
  }
  const defaults = parseDefaults(input.defaults);
  const validated = vendor.validateCredential(input);
  return { ...validated, defaults };
}
