// One entry point for upload validation: picks the vendor's validator and checks the defaults.

import { type ValidatedCertificate, validateApns } from '../push/vendors/apns/credentials.js';
import { validateFcm } from '../push/vendors/fcm/credentials.js';
import { validateAndroid } from '../push/vendors/shared/android-credentials.js';
import { validateWebPush } from '../push/vendors/webpush/credentials.js';
import { type CertificateInput, invalidInput, parseDefaults } from './input.js';
import { VENDORS } from './types.js';

export type { ValidatedCertificate } from '../push/vendors/apns/credentials.js';

/** Validates an upload; throws CertificateInputError naming the field at fault. */
export function validateCertificate(input: CertificateInput): ValidatedCertificate {
  if (!VENDORS.includes(input.vendor)) {
    throw invalidInput('vendor', 'certVendorUnknown', { vendors: VENDORS.join(', ') });
  }
  if (input.voip && input.vendor !== 'apns') {
    throw invalidInput('voip', 'certVoipApnsOnly');
  }
  if (input.name !== undefined && input.name.length > 128) {
    throw invalidInput('name', 'certNameTooLong');
  }
  const defaults = parseDefaults(input.defaults);
  const validated =
    input.vendor === 'apns'
      ? validateApns(input)
      : input.vendor === 'fcm'
        ? validateFcm(input)
        : input.vendor === 'webpush'
          ? validateWebPush(input)
          : validateAndroid(input.vendor, input);
  return { ...validated, defaults };
}
