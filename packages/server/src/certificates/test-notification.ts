// The notification `pushline cert test` and the console's "send a test" send: a plain alert per vendor
// (VendorModule.testRequest), shaped with the certificate's defaults, so a user can see a certificate work
// end to end.

import type { PushTask, VendorRequest } from '../push/types.js';
import { vendorModule } from '../push/vendors/index.js';
import type { CertificateInfo } from './types.js';

export { TEST_TITLE } from '../push/vendors/common/test-push.js';

export function testRequest(cert: CertificateInfo, text: string): VendorRequest {
  return vendorModule(cert.vendor).testRequest(cert, text);
}

export function testTask(cert: CertificateInfo, token: string, text: string): PushTask {
  return {
    pushId: `test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    sdkAppId: cert.sdkAppId,
    certificateId: cert.id,
    token,
    request: testRequest(cert, text),
  };
}
